"""dates: the gold lines (dates.tsv), formatting, numbers, and properties."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.model import LANGS, Lang
from aqparat.text.dates import (
    ALMATY,
    DateMatch,
    find_dates,
    format_date,
    format_date_long,
    format_number,
    format_percent,
    parse_date,
    parse_number,
)

GOLD = Path(__file__).parents[1] / "fixtures" / "text" / "dates.tsv"
ROWS = [line.split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")]


def render(m: DateMatch, text: str) -> str:
    value = m.day.strftime("%Y-%m") if m.precision == "month" else m.day.isoformat()
    if m.last_day:
        value += "/" + m.last_day.isoformat()
    if m.time:
        value += "T" + m.time.strftime("%H:%M")
    if m.end_time:
        value += "/" + m.end_time.strftime("%H:%M")
    return f"{text[m.start:m.end]} => {value}"


def found(lang: str, anchor: str, text: str) -> str:
    matches = find_dates(text, lang, dt.date.fromisoformat(anchor))  # type: ignore[arg-type]
    return " ; ".join(render(m, text) for m in matches) or "none"


def score(splits: set[str]) -> tuple[int, int]:
    rows = [r for r in ROWS if r[1] in splits]
    return sum(found(lang, a, text) == exp for lang, _, a, text, exp in rows), len(rows)


def test_gold_set_shape() -> None:
    assert len(ROWS) >= 60
    assert sum(r[1] == "heldout" for r in ROWS) * 3 >= len(ROWS)
    assert {r[0] for r in ROWS} == {"kk", "ru", "en"}


def test_gold_accuracy() -> None:
    # Measured when the rules were done: seed+dev 46/47 (the miss: "Қараша айынан бастап",
    # a yearless month whose nearest year is the past one, though the sentence means the next)
    # and held-out 25/25.
    right, total = score({"seed", "dev"})
    assert right >= total - 1, (right, total)
    right, total = score({"heldout"})
    assert right == total, (right, total)


@pytest.mark.parametrize(("lang", "anchor", "text", "expected"),
                         [(r[0], r[2], r[3], r[4]) for r in ROWS if r[1] == "seed"])
def test_seed_lines(lang: str, anchor: str, text: str, expected: str) -> None:
    assert found(lang, anchor, text) == expected


def test_announcement_is_aware_almaty_time() -> None:
    m = parse_date("2026 жылғы 18 наурыз сағ.11:30Көкшетау", "kk")
    assert m is not None
    assert m.starts_at is not None
    assert m.starts_at == dt.datetime(2026, 3, 18, 11, 30, tzinfo=ALMATY)
    assert m.starts_at.utcoffset() == dt.timedelta(hours=5)


def test_end_time_past_midnight_is_next_day() -> None:
    m = parse_date("18 марта 2026 года с 22:00 до 02:00", "ru")
    assert m is not None
    assert m.ends_at is not None
    assert m.starts_at is not None
    assert m.ends_at - m.starts_at == dt.timedelta(hours=4)


def test_yearless_date_needs_an_anchor() -> None:
    assert find_dates("15 наурызда", "kk") == []
    late = find_dates("5 қаңтарда", "kk", dt.date(2025, 12, 28))
    assert [m.day for m in late] == [dt.date(2026, 1, 5)]


@pytest.mark.parametrize(
    ("lang", "long", "short"),
    [("kk", "2026 жылғы 18 наурыз", "18 наурыз 2026"),
     ("ru", "18 марта 2026 г.", "18 марта 2026 г."),
     ("en", "18 March 2026", "18 March 2026")],
)
def test_formatting(lang: Lang, long: str, short: str) -> None:
    assert format_date_long(dt.date(2026, 3, 18), lang) == long
    assert format_date(dt.date(2026, 3, 18), lang) == short


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [("kk", "12 482 613", Decimal(12482613)), ("kk", "12\u00a0482\u00a0613", Decimal(12482613)),
     ("kk", "87,15%", Decimal("87.15")), ("ru", "87,15 %", Decimal("87.15")),
     ("en", "12,482,613", Decimal(12482613)), ("en", "73.12%", Decimal("73.12"))],
)
def test_parse_number(lang: Lang, text: str, value: Decimal) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("text", ["", "2/5", "12.482.613,5", "87,15", "abc", "1 2,3,4"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="dates:"):
        parse_number(text, "en" if text == "87,15" else "kk")


def test_format_number_and_percent() -> None:
    assert format_number(12482613, "kk") == "12\u00a0482\u00a0613"
    assert format_percent(Decimal("87.15"), "kk") == "87,15%"
    assert format_percent(Decimal("87.15"), "en") == "87.15%"


@settings(max_examples=200)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False),
       st.sampled_from(LANGS))
def test_number_round_trip(value: Decimal, lang: Lang) -> None:
    assert parse_number(format_number(value, lang), lang) == value
    assert parse_number(format_percent(value, lang), lang) == value


@settings(max_examples=200)
@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.sampled_from(LANGS))
def test_long_format_round_trip(day: dt.date, lang: Lang) -> None:
    text = format_date_long(day, lang)
    assert [m.day for m in find_dates(text, lang)] == [day]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sampled_from(LANGS))
def test_never_raises_and_spans_are_ordered(text: str, lang: Lang) -> None:
    matches = find_dates(text, lang, dt.date(2026, 3, 17))
    ends = [0]
    for m in matches:
        assert ends[-1] <= m.start < m.end <= len(text)
        ends.append(m.end)


@settings(max_examples=300)
@given(st.text(string.digits + "/ ,.%№-", max_size=30), st.sampled_from(LANGS))
def test_address_and_number_shapes_never_parse(text: str, lang: Lang) -> None:
    # Without a month name only dd.mm.yyyy may match: none of these has a 4-digit year part
    # after two dots unless hypothesis builds one, which must then be a real date.
    for m in find_dates(text, lang, dt.date(2026, 3, 17)):
        assert text[m.start:m.end].count(".") >= 2


DATE_PIECES = ["2026", "жылғы", "ж.", "15", "15-інде", "наурыз", "Наурызда", "наурыздың", "айының",
               "қыркүйегінде", "ҚАҢТАР", "сағ.", "11:30", "10.00", "-", "–", ",", " ", "\n",
               "17.03.2026", "1,5", "3/5", ".", "марта", "МАЯ", "Sept", "March", "may", "5th",
               "до", "12:00", "\u1c83ентября", "İ", "Dec.", "14-15", "№41", "айында", "жылы",
               "СӘУІР", "\u017fep", "ЯНВАРЯ", "a", "б"]


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=14).map("".join),
       st.sampled_from(LANGS), st.sampled_from([None, dt.date(2026, 3, 17)]))
def test_scanning_where_dates_start_finds_what_a_full_scan_finds(
        text: str, lang: Lang, anchor: dt.date | None) -> None:
    from aqparat.text import _dategrammar as grammar

    full = [read(m, lang, anchor) for pattern, read in grammar._patterns(lang)
            for m in pattern.finditer(text)]
    assert list(grammar.candidates(text, lang, anchor)) == full

"""The portal-dump parser: the real seed page, hand-made variants, every error, and properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aqparat.errors import ParseError
from aqparat.model import LANGS, RawItem
from aqparat.sources.dumps import MORE_LABELS, SOURCE_LABELS, parse_dump, read_dump
from aqparat.sources.govkz import news_url

SEED = Path(__file__).parents[3] / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "dumps"
PORTAL = "aqparat.test"
GOVKZ = "https://www.gov.kz/memleket/entities"

needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed dump not present at {SEED}")


def fixture(name: str) -> list[RawItem]:
    return read_dump(FIXTURES / name, portal=PORTAL)


def parse(text: str) -> list[RawItem]:
    return parse_dump(text, name="t.txt", portal=PORTAL)


def parse_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(text)
    return caught.value


# --- the real seed page -------------------------------------------------------------------


@needs_seed
def test_seed_yields_five_items_listed_under_both_rubrics() -> None:
    items = read_dump(SEED, portal=PORTAL)

    assert [(i.source_key, i.external_id) for i in items] == [
        ("kgd-akmola", "1183538"),
        ("mfa-geneva", "1183541"),
        ("mfa-geneva", "1183542"),
        ("kostanai-kalasy-akimat", "1183449"),
        ("sci", "1183442"),
    ]
    assert {i.rubric_labels for i in items} == {("Жаңалықтар", "Қоғам")}
    assert {i.published for i in items} == {dt.date(2026, 3, 17)}
    assert {(i.source_kind, i.declared_lang, i.body_format) for i in items} == {
        ("govkz", "kk", "text")
    }


@needs_seed
def test_seed_items_keep_title_and_body_but_not_the_source_line() -> None:
    items = read_dump(SEED, portal=PORTAL)

    assert [i.origin for i in items] == [f"{SEED}:{line}" for line in (3, 6, 9, 12, 15)]
    assert items[3].title == "Наурыз Қостанайда жүректерді біріктірді"
    for item in items:
        assert "Ақпарат көзі" not in item.body
        assert "gov.kz" not in item.body
        assert item.body.endswith(".")
        assert item.source_url is not None
        assert item.source_url.endswith(f"/details/{item.external_id}?lang=kk")
    assert items[0].body.endswith("ұсыныстарын білдіре алады.")


# --- hand-made variants -------------------------------------------------------------------


def test_english_labels_glued_and_standalone_source_lines() -> None:
    sheep, bridge = fixture("en_basic.txt")

    assert sheep.title == "Sheep herding is underway in the north"
    assert sheep.published == dt.date(2026, 2, 24)
    assert sheep.body == "Farmers in the north moved their flocks to spring pastures this week."
    assert (sheep.source_kind, sheep.source_key, sheep.external_id) == ("govkz", "moa", "900101")
    assert sheep.declared_lang == "en"
    assert sheep.rubric_labels == ("News",)
    assert sheep.origin == f"{FIXTURES / 'en_basic.txt'}:3"
    assert bridge.body == "The bridge over the river carried its first buses on Tuesday."
    assert (bridge.source_kind, bridge.source_key) == ("page", "news.example.org")
    assert bridge.external_id == bridge.source_url == "https://news.example.org/bridge-opens"
    assert bridge.declared_lang is None


def test_header_and_more_on_one_line_and_date_at_the_end_of_the_title() -> None:
    sheep, volunteers = fixture("en_inline_header.txt")

    assert (sheep.title, sheep.published) == ("Sheep herding is underway", dt.date(2026, 2, 24))
    assert sheep.rubric_labels == ("News",)
    assert sheep.body == "Shepherds in the steppe began the spring drive on Monday."
    assert volunteers.title == "Volunteers clean the river banks"
    assert volunteers.rubric_labels == ("Society",)
    assert volunteers.origin.endswith(":6")


def test_empty_body_with_a_standalone_source_line() -> None:
    roads, schools = fixture("en_standalone_source.txt")

    assert (roads.title, roads.body, roads.external_id) == (
        "Roads reopen after the snowstorm",
        "",
        "900104",
    )
    assert (schools.body, schools.external_id) == ("", "900105")


def test_item_without_source_line_is_attributed_to_the_portal() -> None:
    sowing, school = fixture("kk_no_source.txt")

    assert sowing == RawItem(
        source_kind="dump",
        source_key=PORTAL,
        external_id=None,
        title="Көктемгі егіс науқанына дайындық басталды",
        body="Шаруалар тұқым мен техниканы дайындап жатыр.",
        body_format="text",
        published=dt.date(2026, 3, 1),
        source_url=None,
        declared_lang=None,
        rubric_labels=("Жаңалықтар",),
        origin=f"{FIXTURES / 'kk_no_source.txt'}:3",
    )
    assert (school.source_kind, school.source_key, school.external_id) == (
        "govkz",
        "astana",
        "900106",
    )
    assert school.body == "Мектеп алты жүз оқушыға арналған."


def test_last_item_without_source_line_is_legal() -> None:
    text = "News\nMore\nA quiet week 01.03.2026\nNothing much happened in town."
    (item,) = parse(text)

    assert (item.source_kind, item.body) == ("dump", "Nothing much happened in town.")


def test_multi_line_body_keeps_lines_and_paragraph_breaks() -> None:
    (item,) = fixture("en_multiline.txt")

    assert item.body == (
        "The city library will stay open until nine in the evening.\n"
        "Readers asked for longer hours during the exam season.\n"
        "\n"
        "A reading room for children opens on the first floor."
    )
    assert (item.source_kind, item.source_key) == ("page", "library.example.kz")


def test_a_run_of_blank_lines_inside_a_body_is_one_paragraph_break() -> None:
    text = "News\nMore\nT 01.03.2026\n\nFirst.\n\n \n\nSecond.  \n\nSource : https://a.example.kz/1"
    (item,) = parse(text)

    assert item.body == "First.\n\nSecond."


def test_russian_dump_and_an_item_listed_twice() -> None:
    road, trees = fixture("ru_basic.txt")

    assert road.rubric_labels == ("Новости",)
    assert road.declared_lang == "ru"
    assert road.body == "Ремонт участка длиной пять километров завершён досрочно."
    assert trees.rubric_labels == ("Новости", "Общество")
    assert (trees.external_id, trees.declared_lang) == ("900108", None)
    assert trees.origin.endswith(":6")


@pytest.mark.parametrize(
    "name", ["en_basic.txt", "kk_no_source.txt", "en_multiline.txt", "ru_basic.txt"]
)
@pytest.mark.parametrize(
    ("newline", "bom"), [("\r\n", b"\xef\xbb\xbf"), ("\r", b""), ("\r\n", b"")]
)
def test_windows_and_old_mac_line_endings_and_bom(
    tmp_path: Path, name: str, newline: str, bom: bytes
) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(bom + text.replace("\n", newline).encode("utf-8"))

    assert read_dump(path, portal=PORTAL) == parse_dump(text, name=str(path), portal=PORTAL)


def test_blank_lines_between_items_and_around_headers_are_ignored() -> None:
    text = "\n\nNews\nMore\n\n\nA 01.03.2026\nBody a.\n\n\nB 02.03.2026\nBody b.\n\n"
    assert [(i.title, i.body) for i in parse(text)] == [("A", "Body a."), ("B", "Body b.")]


def test_more_at_the_end_of_a_body_line_is_not_a_header() -> None:
    text = "News\nMore\nT 01.03.2026\nWe want to hear More\nSource : https://a.example.kz/1"
    (item,) = parse(text)

    assert item.body == "We want to hear More"


def test_a_source_mentioned_in_prose_stays_in_the_body() -> None:
    text = "News\nMore\nT 01.03.2026\nSource: the ministry of energy.\nEnd.\nB 02.03.2026\nb."
    first, _ = parse(text)

    assert first.body == "Source: the ministry of energy.\nEnd."


def test_same_text_without_url_under_two_rubrics_comes_out_once() -> None:
    block = "Rain expected 01.03.2026\nTake an umbrella.\n"
    items = parse(f"News\nMore\n{block}Weather More\n{block}News\nMore\n{block}")

    assert [i.rubric_labels for i in items] == [("News", "Weather")]


@pytest.mark.parametrize(
    ("url", "kind", "key", "external_id", "lang"),
    [
        (f"{GOVKZ}/sci/press/news/details/7?lang=kk", "govkz", "sci", "7", "kk"),
        (f"{GOVKZ}/sci/press/news/details/7", "govkz", "sci", "7", None),
        ("http://gov.kz/memleket/entities/sci/press/news/details/7/", "govkz", "sci", "7", None),
        (f"{GOVKZ}/sci/press/news/details/7?utm=x&lang=ru", "govkz", "sci", "7", "ru"),
        (f"{GOVKZ}/sci/press/news/details/7?lang=de", "govkz", "sci", "7", None),
        ("http://Example.ORG/a?b=1", "page", "example.org", "http://Example.ORG/a?b=1", None),
    ],
)
def test_source_url_variants(
    url: str, kind: str, key: str, external_id: str, lang: str | None
) -> None:
    (item,) = parse(f"News\nMore\nT 01.03.2026\nBody.Source :\t {url}  ")

    assert (item.source_kind, item.source_key, item.external_id) == (kind, key, external_id)
    assert (item.declared_lang, item.source_url, item.body) == (lang, url, "Body.")


# --- errors -------------------------------------------------------------------------------

ITEM = "T 01.03.2026\nBody.Source : https://a.example.kz/1\n"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            f"\nHello there\nNews\nMore\n{ITEM}",
            2,
            "expected a rubric header (a line followed by 'Қосымша'/'Подробнее'/'More'), "
            "found 'Hello there'",
        ),
        (f"{ITEM}News\nMore\n{ITEM}", 1, "expected a rubric header"),
        (f"News\nMore\n{ITEM}Lonely title\n", 5, "item 'Lonely title' has no date: expected"),
        (f"News\nMore\n{ITEM}Lonely title\nSport\nMore\n{ITEM}", 5, "item 'Lonely title'"),
        (f"News\nMore\nTitle\n31.02.2026\n{ITEM}", 4, "invalid date '31.02.2026'"),
        (f"News\nMore\nTitle 31.02.2026\n{ITEM}", 3, "invalid date '31.02.2026'"),
        (f"News\nMore\nTitle\n00.13.2026\n{ITEM}", 4, "invalid date '00.13.2026'"),
        ("News\nMore\nT 01.03.2026\nBody.Source :\n", 4, "source line has no complete URL"),
        ("News\nMore\nT 01.03.2026\nBody.Source : https://\n", 4, "no complete URL"),
        ("News\nMore\nT 01.03.2026\nSource : www.example.org\n", 4, "no complete URL"),
        ("News\nMore\nT 01.03.2026\nB.Source : https://www.gov\n", 4, "no complete URL"),
        (f"News\nMore\nT 01.03.2026\nB.Source : {GOVKZ}/sci/press/news/details/\n", 4, "URL"),
        (
            f"News\nMore\nT 01.03.2026\nB.Ақпарат көзі : {GOVKZ[:-8]}\n{ITEM}",
            4,
            "source line has no complete URL: 'Ақпарат көзі : https://www.gov.kz/memleket/'",
        ),
        ("News\nMore\n", 1, "rubric 'News' has no items"),
        (f"News\nMore\n\nSport\nMore\n{ITEM}", 1, "rubric 'News' has no items"),
        (f"News\nMore\n{ITEM}\nSport More\n\n", 6, "rubric 'Sport' has no items"),
        (f"News\nMore\n{ITEM}More\n{ITEM}", 5, "label 'More' with no rubric name"),
        (f"News\nMore\n{ITEM}01.03.2026\n", 5, "date '01.03.2026' with no item title"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(text: str, line: int, problem: str) -> None:
    error = parse_error(text)

    assert (error.component, error.where, error.line) == ("dump", "t.txt", line)
    assert problem in error.problem
    assert str(error).startswith(f"dump: t.txt:{line}: ")


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff", "\r\n\r\n"])
def test_empty_dump(text: str) -> None:
    error = parse_error(text)

    assert (error.line, error.problem) == (None, "empty dump: no rubric header found")


def test_truncated_fixture_names_file_and_line() -> None:
    path = FIXTURES / "kk_truncated.txt"
    with pytest.raises(ParseError) as caught:
        read_dump(path, portal=PORTAL)

    assert (caught.value.where, caught.value.line) == (str(path), 8)
    assert caught.value.problem.startswith("source line has no complete URL")


@pytest.mark.parametrize(
    ("tail", "line", "problem"),
    [
        ("Cut 02.03.2026\nSecond body.Ақпарат көз", 6, "source line is cut"),
        ("Cut 02.03.2026\nSecond body.\nSour", 7, "source line is cut"),
        ("Cut 02.03.2026\nSecond body.Источник", 6, "source line is cut"),
        ("Cut 02.03.2026\n", 5, "item 'Cut' ends the dump right after its date"),
        ("Cut\n02.03.2026", 5, "item 'Cut' ends the dump right after its date"),
        ("Cut 02.03.2026\nSecond body.\nNext title\n02.03.", 8, "cut date '02.03.'"),
    ],
)
def test_a_cut_last_item_fails(tail: str, line: int, problem: str) -> None:
    error = parse_error(f"News\nMore\nFirst 01.03.2026\nFirst body.\n{tail}")

    assert error.line == line
    assert problem in error.problem


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("News\nMore\nCafé 01.03.2026\n".encode("latin-1"))
    with pytest.raises(ParseError) as caught:
        read_dump(path, portal=PORTAL)

    assert (caught.value.where, caught.value.line) == (str(path), None)
    assert caught.value.problem == (
        "not UTF-8 text (byte 0xe9 at offset 13); save the dump as UTF-8"
    )


# --- properties ---------------------------------------------------------------------------


def parses_or_fails_cleanly(text: str) -> None:
    try:
        items = parse(text)
    except ParseError:
        return
    assert all(isinstance(item, RawItem) for item in items)


@given(st.text())
def test_arbitrary_text_raises_nothing_but_parse_error(text: str) -> None:
    parses_or_fails_cleanly(text)


def _sample_lines() -> list[str]:
    lines = [
        line
        for path in sorted(FIXTURES.glob("*.txt")) + ([SEED] if SEED.exists() else [])
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    labels = [
        label for group in (MORE_LABELS, SOURCE_LABELS) for ls in group.values() for label in ls
    ]
    odd = ["17.03.2026", "31.02.2026", "00.00.0000", "17.03.20", "17.", "", "  ", "\ufeff"]
    sources = [f"{label} : " for ls in SOURCE_LABELS.values() for label in ls]
    urls = [f"{GOVKZ}/sci/press/news/details/1?lang=kk", f"{GOVKZ}/sci", "https://", "http://[x"]
    return lines + labels + odd + sources + urls


SAMPLE_LINES = _sample_lines()
sample_line = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.text(max_size=12),
    st.tuples(st.sampled_from(SAMPLE_LINES), st.sampled_from(SAMPLE_LINES)).map(" ".join),
    st.tuples(st.sampled_from(SAMPLE_LINES), st.sampled_from(SAMPLE_LINES)).map("".join),
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(sample_line, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_mixed_real_lines_raise_nothing_but_parse_error(lines: list[str], newline: str) -> None:
    parses_or_fails_cleanly(newline.join(lines))


@dataclass(frozen=True)
class Gen:
    """One generated item, as the dump will print it and as parse_dump must return it."""

    title: str
    date: dt.date
    body: str
    url: str | None
    external_id: str | None

    @property
    def identity(self) -> object:
        return self.url or (self.title, self.date, self.body)


LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі"
word = st.text(alphabet=LETTERS, min_size=1, max_size=8)
ALL_MORE = {label for ls in MORE_LABELS.values() for label in ls}
title = (
    st.lists(word, min_size=1, max_size=5)
    .map(lambda ws: " ".join(ws).capitalize())
    .filter(lambda t: t not in ALL_MORE)
)
body_line = st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(body_line, min_size=1, max_size=3).map("\n".join)
body = st.lists(paragraph, max_size=3).map("\n\n".join)
govkz_url = st.builds(
    lambda slug, news_id, lang: (news_url(slug, news_id, lang), news_id),
    st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True),
    st.integers(1, 10**7).map(str),
    st.sampled_from(LANGS),
)
page_url = st.from_regex(r"https://[a-z]{1,8}\.(kz|org)/[a-z0-9-]{0,10}", fullmatch=True).map(
    lambda url: (url, url)
)


@st.composite
def generated_item(draw: st.DrawFn) -> Gen:
    url, external_id = draw(st.one_of(st.none().map(lambda _: (None, None)), govkz_url, page_url))
    # Without a URL an empty body would be indistinguishable from a dump cut after the date.
    text = draw(body.filter(bool) if url is None else body)
    date = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    return Gen(draw(title), date, text, url, external_id)


@st.composite
def printed_item(draw: st.DrawFn, item: Gen) -> str:
    date = item.date.strftime("%d.%m.%Y")
    lines = [f"{item.title} {date}" if draw(st.booleans()) else f"{item.title}\n{date}"]
    if item.body:
        lines.append(item.body)
    if item.url is not None:
        label = draw(st.sampled_from([lb for ls in SOURCE_LABELS.values() for lb in ls]))
        source = f"{label}{draw(st.sampled_from(['', ' ', '  ']))}: {item.url}"
        glue = item.body and draw(st.booleans())
        lines[-1:] = [lines[-1] + source] if glue else [lines[-1], source]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n\n"]))


@st.composite
def well_formed_dump(draw: st.DrawFn) -> tuple[str, list[Gen], list[tuple[str, ...]]]:
    pool = draw(st.lists(generated_item(), min_size=1, max_size=5, unique_by=lambda g: g.identity))
    names = draw(st.lists(title, min_size=1, max_size=3, unique=True))
    picks = [draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4)) for _ in names]
    text = ""
    order: list[Gen] = []
    labels: dict[object, tuple[str, ...]] = {}
    for name, items in zip(names, picks, strict=True):
        more = draw(st.sampled_from(sorted(ALL_MORE)))
        text += f"{name} {more}\n" if draw(st.booleans()) else f"{name}\n{more}\n"
        for item in items:
            text += draw(printed_item(item))
            if item.identity not in labels:
                order.append(item)
                labels[item.identity] = ()
            if name not in labels[item.identity]:
                labels[item.identity] += (name,)
    return text, order, [labels[item.identity] for item in order]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(well_formed_dump())
def test_well_formed_dumps_give_back_exactly_the_generated_items(
    dump: tuple[str, list[Gen], list[tuple[str, ...]]],
) -> None:
    text, expected, rubrics = dump
    items = parse(text)

    assert [(i.title, i.published, i.body) for i in items] == [
        (g.title, g.date, g.body) for g in expected
    ]
    assert [(i.external_id, i.source_url) for i in items] == [
        (g.external_id, g.url) for g in expected
    ]
    assert [i.rubric_labels for i in items] == rubrics

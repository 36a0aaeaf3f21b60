"""The API's parameter parsers: any string is a value or a 400 naming the parameter."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.web import query
from aqparat.web.errors import BadParameter

ALMATY = dt.timezone(dt.timedelta(hours=5))


@given(st.text())
def test_any_string_parses_or_is_refused_by_name(raw: str) -> None:
    for name, parse in (("lang", query.lang), ("limit", query.limit), ("rubric", query.slug),
                        ("cursor", query.cursor), ("since", lambda r: query.moment(r, "since")),
                        ("until", lambda r: query.moment(r, "until", end=True)),
                        ("source", lambda r: query.identifier(r, "source"))):
        refused: BadParameter | None = None
        try:
            parse(raw)
        except BadParameter as exc:
            refused = exc
        if refused is not None:
            assert refused.status_code == 400
            assert refused.detail.startswith(f"{name}: ")


@given(st.datetimes(min_value=dt.datetime(1971, 1, 1), timezones=st.just(dt.UTC)),
       st.integers(1, query.MAX_ID))
def test_cursor_round_trips(at: dt.datetime, item_id: int) -> None:
    assert query.cursor(query.encode_cursor((at, item_id))) == (at, item_id)


@given(st.datetimes(timezones=st.timezones()))
def test_rfc_3339_date_times_are_read_as_the_same_instant(moment: dt.datetime) -> None:
    try:
        expected = moment.astimezone(dt.UTC)
    except OverflowError:
        return
    offset = moment.utcoffset()
    assert offset is not None
    if offset.seconds % 60 or offset.microseconds:
        return  # RFC 3339 offsets are whole minutes
    text = moment.isoformat(timespec="microseconds")
    assert query.moment(text, "since") == expected


@pytest.mark.parametrize(("raw", "end", "expected"), [
    ("2026-03-17", False, dt.datetime(2026, 3, 17, tzinfo=ALMATY)),
    ("2026-03-17", True, dt.datetime(2026, 3, 18, tzinfo=ALMATY)),
    ("2026-03-17T09:30:00Z", False, dt.datetime(2026, 3, 17, 9, 30, tzinfo=dt.UTC)),
    ("2026-03-17t09:30:00.123456789+05:00", False,
     dt.datetime(2026, 3, 17, 9, 30, 0, 123456, tzinfo=ALMATY)),
    ("2026-12-31T23:59:60Z", False, dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ("2026-03-17T09:30:00 05:00", False, dt.datetime(2026, 3, 17, 9, 30, tzinfo=ALMATY)),
    ("9999-12-31", True, dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ("0001-01-01T00:00:00+05:00", False, dt.datetime(1, 1, 1, tzinfo=dt.UTC)),
])
def test_moments(raw: str, end: bool, expected: dt.datetime) -> None:
    assert query.moment(raw, "since", end=end) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "2026-03-17T24:00:00Z", "20260317", "2026-W12-1",
                                 "2026-03-17 09:30:00Z", "2026-03-17T09:30:00", "١٢٣٤-01-01"])
def test_not_rfc_3339(raw: str) -> None:
    with pytest.raises(BadParameter):
        query.moment(raw, "since")


@pytest.mark.parametrize(("raw", "value"), [("1", 1), ("100", 100), ("007", 7), ("20.0", 20)])
def test_whole_numbers(raw: str, value: int) -> None:
    assert query.limit(raw) == value


@pytest.mark.parametrize("raw", ["0", "101", "-1", "1.5", "１", "1e2", " 1", "99999999999"])
def test_not_whole_numbers_in_range(raw: str) -> None:
    with pytest.raises(BadParameter):
        query.limit(raw)


def test_empty_values_count_as_absent() -> None:
    f, limit = query.article_filter({"lang": "", "rubric": "", "limit": ""})
    assert (f.lang, f.rubric, limit) == (None, None, query.DEFAULT_LIMIT)

"""Query parameters readers' tools send, checked: a bad value is a 400 naming the parameter.

Each parser takes the raw string (any string at all) and returns a typed value or raises
`BadParameter`; nothing unchecked reaches SQL, so a NUL byte or a 40-digit number is a 400,
never a database error. An empty value (`?rubric=`) counts as absent: HTML forms, like the ones
on /api/docs, send every field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from aqparat.model import LANGS, Lang
from aqparat.store.articles import ItemFilter, Position
from aqparat.web.errors import BadParameter
from aqparat.web.render import LOCAL_TZ

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
_WHOLE = re.compile(r"0*([0-9]{1,10})(?:\.0*)?", re.ASCII)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# RFC 3339 date-time; T and Z may be lower case (§5.6). Digits past microseconds are dropped.
# A space where the offset's sign goes is a "+" someone forgot to encode as %2B: read it as +.
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                        r"(?:[Zz]|([+ -])(\d{2}):(\d{2}))", re.ASCII)
CURSOR = re.compile(r"(-?[0-9]{1,18})\.([0-9]{1,10})")  # "<µs since 1970-01-01 UTC>.<id>"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EARLIEST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def lang(raw: str) -> Lang:
    if raw not in LANGS:
        raise BadParameter("lang", f"must be one of {', '.join(LANGS)}")
    return raw


def whole(raw: str, name: str, top: int, *, low: int = 1) -> int:
    """An integer parameter from `low` to `top`, as an OpenAPI `integer` may arrive.

    JSON Schema counts 2.0 as an integer, and generic clients (schemathesis among them) write
    it so: accept it, or valid requests would be refused.
    """
    m = _WHOLE.fullmatch(raw)
    if m is None or not low <= int(m[1]) <= top:
        raise BadParameter(name, f"must be a whole number from {low} to {top}")
    return int(m[1])


def limit(raw: str) -> int:
    return whole(raw, "limit", MAX_LIMIT)


def slug(raw: str, name: str = "rubric") -> str:
    if not SLUG.fullmatch(raw):
        raise BadParameter(name, "must be a slug: lower-case latin letters, digits and hyphens")
    return raw


def identifier(raw: str, name: str) -> int:
    return whole(raw, name, MAX_ID)


def _utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC; past either end of the calendar it clamps there (meaning: no bound)."""
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        return _EARLIEST if moment.year == 1 else _LATEST


def _date_time(m: re.Match[str]) -> dt.datetime:
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    micro = int((m[7] or "0")[:6].ljust(6, "0"))
    offset = dt.timedelta(hours=int(m[9] or 0), minutes=int(m[10] or 0))
    tz = dt.timezone(-offset if m[8] == "-" else offset)
    # A leap second (:60) is valid RFC 3339; Python's datetime stops at :59.
    return _utc(dt.datetime(y, mo, d, h, mi, min(s, 59), micro, tzinfo=tz))


def _day(m: re.Match[str], end: bool) -> dt.datetime:
    day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    if end:
        if day == dt.date.max:
            return _LATEST
        day += dt.timedelta(days=1)
    return _utc(dt.datetime.combine(day, dt.time(), LOCAL_TZ))


def moment(raw: str, name: str, *, end: bool = False) -> dt.datetime:
    """An RFC 3339 date or date-time as an aware UTC instant.

    A date alone is a whole day in Asia/Almaty: its start, or with `end` the next day's start,
    so `since=2026-03-17&until=2026-03-17` is that one day.
    """
    try:
        if m := _DATE_TIME.fullmatch(raw):
            return _date_time(m)
        if m := _DATE.fullmatch(raw):
            return _day(m, end)
    except ValueError:
        pass  # 2026-02-30, 25:00, offset +24:00: well-shaped but not a time
    raise BadParameter(name, "must be an RFC 3339 date (2026-03-17) or date-time "
                             "(2026-03-17T09:30:00+05:00)")


def encode_cursor(position: Position) -> str:
    at, item_id = position
    return f"{(at - _EPOCH) // dt.timedelta(microseconds=1)}.{item_id}"


def cursor(raw: str) -> Position:
    """Where the previous page stopped. Any string of the cursor's shape is accepted."""
    m = CURSOR.fullmatch(raw)
    if m is None:
        raise BadParameter("cursor", "is not a cursor: pass `next_cursor` from the previous page")
    try:
        at = _EPOCH + dt.timedelta(microseconds=int(m[1]))
    except OverflowError:
        at = _EARLIEST if m[1].startswith("-") else _LATEST
    item_id = int(m[2])
    if item_id > MAX_ID:
        # "After (at, an id past any)" is "at `at` or before": said with an id PostgreSQL's
        # integer holds (2**31 as a parameter is a 500 there; schemathesis found it).
        return at + dt.timedelta(microseconds=1), 0
    return at, item_id


def optional(params: Mapping[str, str], name: str, parse: Callable[[str], T]) -> T | None:
    raw = params.get(name, "")
    return parse(raw) if raw else None


def article_filter(params: Mapping[str, str]) -> tuple[ItemFilter, int]:
    """The filter and page size `/api/v1/articles` was asked for."""
    f = ItemFilter(
        lang=optional(params, "lang", lang),
        rubric=optional(params, "rubric", slug),
        source_id=optional(params, "source", lambda r: identifier(r, "source")),
        since=optional(params, "since", lambda r: moment(r, "since")),
        until=optional(params, "until", lambda r: moment(r, "until", end=True)),
        after=optional(params, "cursor", cursor),
    )
    return f, optional(params, "limit", limit) or DEFAULT_LIMIT

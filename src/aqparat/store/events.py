"""Queries on events (what items announce) and named entities (whom they name): read side.

`store/mentions.py` writes both with the item. Listings hold only events of shown items and
read those items through `articles.records_by_id`, so an event never outlives its item's
visibility.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.model import NamedEntity
from aqparat.store import articles
from aqparat.store.schema import event, item, item_entity

_CALENDAR_CAP = 2000  # events in the calendar feed: years of announcements at today's rates


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    item_id: int
    position: int  # order within the item: with the item's natural key, a stable identity
    starts_at: dt.datetime  # UTC; local midnight when all_day
    ends_at: dt.datetime | None
    all_day: bool
    until_at: dt.datetime
    place: str | None
    city: str | None
    span_text: str


@dataclass(frozen=True, slots=True)
class Listed:
    """An event with the item that announces it (listings and the calendar)."""

    event: EventRow
    item: articles.ItemRecord


_COLUMNS = (event.c.id, event.c.item_id, event.c.position, event.c.starts_at, event.c.ends_at,
            event.c.all_day, event.c.until_at, event.c.place, event.c.city, event.c.span_text)


def _row(m: sa.RowMapping) -> EventRow:
    return EventRow(*(m[c.name] for c in _COLUMNS))


# An article page's statements, built once (see articles._IN_ORDER).
_OF_ITEM = (sa.select(*_COLUMNS).where(event.c.item_id == sa.bindparam("item_id"))
            .order_by(event.c.position))
_ENTITIES_OF_ITEM = (
    sa.select(item_entity.c.kind, item_entity.c.name, item_entity.c.role, item_entity.c.key,
              item_entity.c.mentions)
    .where(item_entity.c.item_id == sa.bindparam("item_id")).order_by(item_entity.c.position))


def of_item(conn: sa.Connection, item_id: int) -> list[EventRow]:
    """An item's events in the order its text announces them."""
    rows = conn.execute(_OF_ITEM, {"item_id": item_id}).mappings()
    return [_row(m) for m in rows]


def entities_of_item(conn: sa.Connection, item_id: int) -> list[NamedEntity]:
    """An item's named entities in order of first mention."""
    rows = conn.execute(_ENTITIES_OF_ITEM, {"item_id": item_id})
    return [NamedEntity(r.kind, r.name, r.role, r.key, r.mentions) for r in rows]


def _shown(langs: tuple[str, ...] | None) -> list[sa.ColumnElement[bool]]:
    where = [item.c.status == articles.SHOWN]
    if langs is not None:
        where.append(item.c.lang.in_(langs))
    return where


def _with_items(conn: sa.Connection, query: sa.Select[tuple[object, ...]]) -> list[Listed]:
    rows = [_row(m) for m in conn.execute(query).mappings()]
    records = articles.records_by_id(conn, sorted({r.item_id for r in rows}))
    return [Listed(r, records[r.item_id]) for r in rows if r.item_id in records]


def _select(where: list[sa.ColumnElement[bool]]) -> sa.Select[tuple[object, ...]]:
    return sa.select(*_COLUMNS).join(item, item.c.id == event.c.item_id).where(*where)


def count(conn: sa.Connection, now: dt.datetime,
          langs: tuple[str, ...] | None) -> tuple[int, int]:
    """(upcoming, past) events of shown items in `langs` (None: every language)."""
    upcoming = sa.func.sum(sa.case((event.c.until_at >= now, 1), else_=0))
    found = conn.execute(sa.select(upcoming, sa.func.count())
                         .join(item, item.c.id == event.c.item_id)
                         .where(*_shown(langs))).one()
    ahead = int(found[0] or 0)
    return ahead, int(found[1]) - ahead


def upcoming(conn: sa.Connection, now: dt.datetime, langs: tuple[str, ...] | None, *,
             limit: int, offset: int = 0) -> list[Listed]:
    """Events not over at `now` (ongoing ones included), soonest first."""
    query = (_select([*_shown(langs), event.c.until_at >= now])
             .order_by(event.c.starts_at, event.c.id).limit(limit).offset(offset))
    return _with_items(conn, query)


def past(conn: sa.Connection, now: dt.datetime, langs: tuple[str, ...] | None, *,
         limit: int, offset: int = 0) -> list[Listed]:
    """Events over by `now`, most recent first."""
    query = (_select([*_shown(langs), event.c.until_at < now])
             .order_by(event.c.starts_at.desc(), event.c.id.desc()).limit(limit).offset(offset))
    return _with_items(conn, query)


def listing(conn: sa.Connection, now: dt.datetime, langs: tuple[str, ...] | None, *,
            limit: int, offset: int) -> list[Listed]:
    """One page of the events list: upcoming ones first (soonest first), then past ones (most
    recent first), `offset` counted across both."""
    ahead, _ = count(conn, now, langs)
    found = upcoming(conn, now, langs, limit=limit, offset=offset) if offset < ahead else []
    if len(found) < limit:
        found += past(conn, now, langs, limit=limit - len(found), offset=max(0, offset - ahead))
    return found


def calendar(conn: sa.Connection) -> list[Listed]:
    """The latest-starting events of shown items, in every language, in start order (the
    iCalendar feed: calendar apps keep the past, so it stays in the feed up to the cap)."""
    query = (_select(_shown(None)).order_by(event.c.starts_at.desc(), event.c.id.desc())
             .limit(_CALENDAR_CAP))
    return _with_items(conn, query)[::-1]

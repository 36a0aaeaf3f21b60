"""Writes an item's events and named entities (the write side of store/events.py).

Called by `articles.save` in the item's own transaction whenever the item is new or its content
hash changed: the rows are replaced wholesale, so an edit that drops an announcement drops its
event. An unchanged item is never touched, so its event ids (and nothing else) stay put.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from aqparat.model import Article, Event
from aqparat.store.schema import event, item_entity


def until(e: Event) -> dt.datetime:
    """When an event is over: its end, else its start; an all-day event lasts to the end of its
    last day (Almaty midnight plus a day, in absolute time)."""
    last = e.ends_at or e.starts_at
    return last + dt.timedelta(days=1) if e.all_day else last


def _event_row(item_id: int, position: int, e: Event) -> dict[str, object]:
    return {
        "item_id": item_id, "position": position, "starts_at": e.starts_at,
        "ends_at": e.ends_at, "all_day": e.all_day, "until_at": until(e), "place": e.place,
        "city": e.city, "span_start": e.span[0], "span_end": e.span[1], "span_text": e.text,
    }


_DELETE_EVENTS = event.delete().where(event.c.item_id == sa.bindparam("item"))
_DELETE_ENTITIES = item_entity.delete().where(item_entity.c.item_id == sa.bindparam("item"))


def replace(conn: sa.Connection, item_id: int, article: Article) -> None:
    """The item's events and entities become exactly the article's."""
    conn.execute(_DELETE_EVENTS, {"item": item_id})
    conn.execute(_DELETE_ENTITIES, {"item": item_id})
    add(conn, item_id, article)


def add(conn: sa.Connection, item_id: int, article: Article) -> None:
    """The article's events and entities, for an item that has none stored (a new one)."""
    if article.events:
        conn.execute(event.insert(), [_event_row(item_id, n, e)
                                      for n, e in enumerate(article.events)])
    if article.entities:
        conn.execute(item_entity.insert(), [
            {"item_id": item_id, "position": n, "kind": e.kind, "name": e.name,
             "role": e.role, "key": e.key, "mentions": e.mentions}
            for n, e in enumerate(article.entities)])

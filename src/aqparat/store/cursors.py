"""Queries on crawl cursors: where each (source, language) listing stands."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.store.schema import crawl_cursor


@dataclass(frozen=True, slots=True)
class Cursor:
    source_id: int
    lang: str
    high_water: dt.datetime | None = None
    high_water_id: int | None = None
    pass_kind: str | None = None  # backfill | incremental | rescan; None between passes
    pass_page: int = 0  # last page of the current pass stored
    pass_started_at: dt.datetime | None = None
    pass_high_water: dt.datetime | None = None
    pass_high_water_id: int | None = None
    last_complete_at: dt.datetime | None = None
    last_rescan_at: dt.datetime | None = None
    etag: str | None = None
    last_modified: str | None = None

    def replace(self, **changes: object) -> Cursor:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


_FIELDS = [f.name for f in dataclasses.fields(Cursor)]


def load(conn: sa.Connection, source_id: int, lang: str) -> Cursor:
    found = conn.execute(sa.select(crawl_cursor).where(
        crawl_cursor.c.source_id == source_id, crawl_cursor.c.lang == lang)).mappings().first()
    if found is None:
        return Cursor(source_id, lang)
    return Cursor(**{name: found[name] for name in _FIELDS})


def save(conn: sa.Connection, cursor: Cursor) -> None:
    """Insert or update; called inside the page's transaction, so it is the checkpoint."""
    values = {name: getattr(cursor, name) for name in _FIELDS}
    key = (crawl_cursor.c.source_id == cursor.source_id, crawl_cursor.c.lang == cursor.lang)
    updated = conn.execute(crawl_cursor.update().where(*key).values(**values))
    if updated.rowcount == 0:
        conn.execute(crawl_cursor.insert().values(**values))


def for_source(conn: sa.Connection, source_id: int) -> list[Cursor]:
    rows = conn.execute(sa.select(crawl_cursor).where(crawl_cursor.c.source_id == source_id)
                        .order_by(crawl_cursor.c.lang)).mappings()
    return [Cursor(**{name: m[name] for name in _FIELDS}) for m in rows]

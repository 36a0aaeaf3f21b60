"""Queries on the raw-answer archive: gzipped listing pages, replayed with no network."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.store.schema import raw_page, source


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    id: int
    source_id: int
    source_key: str
    lang: str
    page: int
    api: str
    url: str
    fetched_at: dt.datetime
    body: bytes


def save(conn: sa.Connection, *, source_id: int, lang: str, page: int, api: str, url: str,
         status: int, body: bytes, error: str | None = None) -> int:
    inserted = conn.execute(raw_page.insert().values(
        source_id=source_id, lang=lang, page=page, api=api, url=url,
        fetched_at=dt.datetime.now(dt.UTC), http_status=status,
        sha256=hashlib.sha256(body).hexdigest(), body_gz=gzip.compress(body, 6), error=error,
    ).returning(raw_page.c.id))
    return int(inserted.scalar_one())


def discard(conn: sa.Connection, raw_id: int) -> None:
    """A page that changed nothing adds nothing a replay needs (polls re-read page 1 often)."""
    conn.execute(raw_page.delete().where(raw_page.c.id == raw_id))


def pages(engine: sa.Engine, keys: tuple[str, ...] | None = None,
          batch: int = 50, apis: tuple[str, ...] | None = None,
          after: int = 0) -> Iterator[ArchivedPage]:
    """Usable archived pages, oldest first (so later versions of an item win), a batch at a
    time so a large archive is never in memory at once. Each batch is read on a connection
    closed before the caller sees it: a read transaction held open across the caller's writes
    would queue PostgreSQL's locks behind it. `after`: a backfill's checkpoint (a page id)."""
    last = after
    while True:
        query = (sa.select(raw_page, source.c.key)
                 .join(source, source.c.id == raw_page.c.source_id)
                 .where(raw_page.c.id > last, raw_page.c.error.is_(None))
                 .order_by(raw_page.c.id).limit(batch))
        if keys is not None:
            query = query.where(source.c.key.in_(keys))
        if apis is not None:  # gov.kz listings (rest, graphql) or feeds and articles
            query = query.where(raw_page.c.api.in_(apis))
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        if not rows:
            return
        for m in rows:
            yield ArchivedPage(m["id"], m["source_id"], m["key"], m["lang"], m["page"],
                               m["api"], m["url"], m["fetched_at"],
                               gzip.decompress(m["body_gz"]))
        last = rows[-1]["id"]


def count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(raw_page)).scalar_one())


def latest_download(conn: sa.Connection, source_id: int, url: str) -> bytes | None:
    """The newest archived article page at `url` of a feed source, as fetched."""
    body = conn.execute(sa.select(raw_page.c.body_gz).where(
        raw_page.c.source_id == source_id, raw_page.c.url == url, raw_page.c.api == "article",
        raw_page.c.error.is_(None)).order_by(raw_page.c.id.desc()).limit(1)).scalar()
    return gzip.decompress(body) if body is not None else None


def remaining(conn: sa.Connection, after: int, keys: tuple[str, ...] | None = None) -> int:
    """Archived pages past a checkpoint: a progress bar's total."""
    query = (sa.select(sa.func.count()).select_from(raw_page)
             .join(source, source.c.id == raw_page.c.source_id)
             .where(raw_page.c.id > after, raw_page.c.error.is_(None)))
    if keys is not None:
        query = query.where(source.c.key.in_(keys))
    return int(conn.execute(query).scalar_one())

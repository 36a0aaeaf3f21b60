"""Queries for feed and page sources: what the sources file declares, which item keys a
source already has, and a source's address after a permanent redirect.

Their validators and high-water mark live in `crawl_cursor` under the language "*" (a feed
is one document whatever languages its items are in): the collector's table already holds
ETag, Last-Modified and the newest date per (source, language), so no column was added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from aqparat.sourcefile import WebSourceDef
from aqparat.store import slugs, sources
from aqparat.store.chunks import chunks
from aqparat.store.schema import item, source

ANY_LANG = "*"  # crawl_cursor.lang of a feed or index page
WEB_KINDS = ("feed", "page")


def sync_defs(conn: sa.Connection, defs: Sequence[WebSourceDef]) -> int:
    """Add the sources file's sources missing from the store; returns how many."""
    return sum(add(conn, found, "config") is not None for found in defs)


def known_ids(conn: sa.Connection, source_id: int, ids: Iterable[str]) -> set[str]:
    """Which of these external ids the source already has items for (any language)."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    for chunk in chunks(wanted):
        found.update(conn.execute(sa.select(item.c.external_id).where(
            item.c.source_id == source_id, item.c.external_id.in_(chunk))).scalars())
    return found


def rekey(conn: sa.Connection, source_id: int, kind: str, new_key: str) -> bool:
    """Point a source at its new address; False when another source of its kind has it."""
    taken = conn.execute(sa.select(source.c.id).where(
        source.c.kind == kind, source.c.key == new_key, source.c.id != source_id)).first()
    if taken is not None:
        return False
    conn.execute(source.update().where(source.c.id == source_id).values(key=new_key))
    return True


def add(conn: sa.Connection, found: WebSourceDef, origin: str) -> int | None:
    """Insert one source; None when one of its kind already has the URL."""
    exists = conn.execute(sa.select(source.c.id).where(
        source.c.kind == found.kind, source.c.key == found.url)).first()
    if exists is not None:
        return None
    return sources.add(conn, found.url, found.entity(), enabled=found.enabled, origin=origin,
                       kind=found.kind)


def listed_slugs(conn: sa.Connection) -> list[str]:
    """Slugs of every source with a shown item (any kind): the source pages worth listing
    in the sitemap. One index probe per source: item's unique key starts with source_id."""
    shown = sa.select(item.c.id).where(item.c.source_id == source.c.id, item.c.status == "shown")
    return list(conn.execute(sa.select(source.c.slug).where(shown.exists())
                             .order_by(source.c.slug)).scalars())


def set_slug(conn: sa.Connection, source_id: int, slug: str) -> bool:
    """Give a source the slug it had elsewhere (an OPML file's); False when it is taken or
    not a slug, and the source keeps the one it was given."""
    if not slugs.SLUG.fullmatch(slug) or conn.execute(sa.select(source.c.id).where(
            source.c.slug == slug, source.c.id != source_id)).first() is not None:
        return False
    conn.execute(source.update().where(source.c.id == source_id).values(slug=slug))
    return True


def states(conn: sa.Connection, *, keys: tuple[str, ...] | None = None,
           enabled_only: bool = False) -> list[sources.SourceState]:
    return [s for kind in WEB_KINDS
            for s in sources.states(conn, kind, keys=keys, enabled_only=enabled_only)]

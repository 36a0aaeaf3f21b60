"""Queries for region pages and the list of sources: which sources belong to a region
(data/regions.py decides, from each source's declared region or its slug), and every source
grouped for the reader."""

from __future__ import annotations

import sqlalchemy as sa

from aqparat.data import regions
from aqparat.store import sources
from aqparat.store.schema import item, source


def of_source(row: sources.SourceRow) -> regions.Region | None:
    """A source's region: declared, else (gov.kz entities only) what its slug names."""
    return regions.region_of(row.key if row.kind == "govkz" else "", row.region)


def members(conn: sa.Connection, region: regions.Region) -> list[sources.SourceRow]:
    """Sources in the region: declared there, or with no region declared and a slug that
    names it. SQL narrows to the rows whose slug holds one of the region's words; `of_source`
    decides (a slug's first word outranks its last: `astana-karaganda` is Astana's)."""
    named = [sa.or_(source.c.key == word, source.c.key.like(f"{word}-%"),
                    source.c.key.like(f"%-{word}")) for word in region.slugs]
    query = sa.select(*sources.ROW_COLUMNS).where(sa.or_(
        source.c.region == region.key,
        sa.and_(source.c.region.is_(None), source.c.kind == "govkz", sa.or_(*named))))
    rows = [sources.row_from(m) for m in conn.execute(query.order_by(source.c.id)).mappings()]
    return [r for r in rows if (found := of_source(r)) is not None and found.key == region.key]


def in_sources(ids: list[int]) -> list[sa.ColumnElement[bool]]:
    """The condition `articles.listed` takes for the items of these sources."""
    return [item.c.source_id.in_(ids)]


def with_items(conn: sa.Connection) -> set[int]:
    """Ids of the sources that have shown items (the sources list links only those)."""
    found = sa.select(item.c.id).where(item.c.source_id == source.c.id,
                                       item.c.status == "shown").exists()
    return set(conn.execute(sa.select(source.c.id).where(found)).scalars())

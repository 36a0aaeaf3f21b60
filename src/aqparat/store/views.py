"""Queries on view counts: batches added, counts read (the write side is web/views.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aqparat.store.schema import item, item_view


def add(conn: sa.Connection, counts: Mapping[int, int]) -> int:
    """Add a batch of views ({item id: views}) in one statement; returns the items counted.

    An upsert on both engines (`INSERT … ON CONFLICT DO UPDATE`), so two web processes
    flushing at once both land. Ids of items deleted since they were read are dropped first:
    a count has nothing to attach to."""
    wanted = {int(k): int(v) for k, v in counts.items() if v > 0}
    if not wanted:
        return 0
    alive = set(conn.execute(sa.select(item.c.id).where(item.c.id.in_(wanted))).scalars())
    rows = [{"item_id": k, "views": v} for k, v in sorted(wanted.items()) if k in alive]
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(item_view)
    conn.execute(insert.on_conflict_do_update(
        index_elements=[item_view.c.item_id],
        set_={"views": item_view.c.views + insert.excluded.views}), rows)
    return len(rows)


_OF_ITEM = sa.select(item_view.c.views).where(item_view.c.item_id == sa.bindparam("item_id"))


def of_item(conn: sa.Connection, item_id: int) -> int:
    found = conn.execute(_OF_ITEM, {"item_id": item_id})
    return int(found.scalar() or 0)


def of_items(conn: sa.Connection, ids: Iterable[int]) -> dict[int, int]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = conn.execute(sa.select(item_view.c.item_id, item_view.c.views)
                        .where(item_view.c.item_id.in_(wanted)))
    return {int(i): int(v) for i, v in rows}

"""Queries on backfill checkpoints: how far each named `aqparat backfill` run got."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aqparat.store.schema import backfill_checkpoint


@dataclass(frozen=True, slots=True)
class Checkpoint:
    position: int  # the last raw_page id, or how many items were generated, fully stored
    items: int  # items through the pipeline so far


def load(conn: sa.Connection, name: str) -> Checkpoint:
    columns = backfill_checkpoint.c  # `.c.items` would be the collection's own method
    found = conn.execute(sa.select(columns["position"], columns["items"])
                         .where(columns["name"] == name)).first()
    return Checkpoint(int(found[0]), int(found[1])) if found else Checkpoint(0, 0)


def save(conn: sa.Connection, name: str, mark: Checkpoint) -> None:
    """Upsert, in the caller's transaction (the batch's own)."""
    values = {"name": name, "position": mark.position, "items": mark.items,
              "updated_at": dt.datetime.now(dt.UTC)}
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(backfill_checkpoint).values(**values)
    conn.execute(insert.on_conflict_do_update(
        index_elements=[backfill_checkpoint.c.name],
        set_={k: v for k, v in values.items() if k != "name"}))


def reset(conn: sa.Connection, name: str) -> None:
    conn.execute(backfill_checkpoint.delete().where(backfill_checkpoint.c.name == name))

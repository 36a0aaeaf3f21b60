"""Queries on sources: the bodies and feeds items come from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.data import EntityDef
from aqparat.model import Lang
from aqparat.store.schema import fetch_log, source


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    kind: str
    key: str
    names: dict[str, str | None]
    entity_type: str | None
    region: str | None

    def name(self, lang: Lang) -> str:
        return self.names.get(lang) or self.names.get("kk") or self.key


def ensure(conn: sa.Connection, kind: str, key: str, entity: EntityDef | None) -> int:
    """The id of source (kind, key), inserting it first if new; known names fill gaps."""
    found = conn.execute(
        sa.select(source.c.id, source.c.name_kk).where(source.c.kind == kind, source.c.key == key)
    ).first()
    names = {f"name_{lang}": name for lang, name in entity.names.items()} if entity else {}
    extra = {"entity_type": entity.type, "region": entity.region} if entity else {}
    if found is not None:
        if names and found.name_kk is None:
            conn.execute(source.update().where(source.c.id == found.id).values(**names, **extra))
        return int(found.id)
    inserted = conn.execute(source.insert().values(
        kind=kind, key=key, created_at=dt.datetime.now(dt.UTC), **names, **extra,
    ).returning(source.c.id))
    return int(inserted.scalar_one())


def row_from(mapping: sa.RowMapping, prefix: str = "") -> SourceRow:
    return SourceRow(
        id=mapping[f"{prefix}id"], kind=mapping[f"{prefix}kind"], key=mapping[f"{prefix}key"],
        names={lang: mapping[f"{prefix}name_{lang}"] for lang in ("kk", "ru", "en")},
        entity_type=mapping[f"{prefix}entity_type"], region=mapping[f"{prefix}region"],
    )


def log_fetch(conn: sa.Connection, *, target: str, source_id: int | None, started: dt.datetime,
              status: str, counts: tuple[int, int, int] = (0, 0, 0),
              error: str | None = None) -> None:
    new, updated, unchanged = counts
    conn.execute(fetch_log.insert().values(
        source_id=source_id, target=target, started_at=started,
        finished_at=dt.datetime.now(dt.UTC), status=status, items_new=new,
        items_updated=updated, items_unchanged=unchanged, error=error,
    ))

"""Queries on rubrics: the set itself is bundled data, mirrored into the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.data import RubricDef
from aqparat.model import Lang
from aqparat.store.schema import item, item_rubric, rubric


@dataclass(frozen=True, slots=True)
class RubricRow:
    slug: str
    position: int
    names: dict[str, str]

    def name(self, lang: Lang) -> str:
        return self.names[lang]


def sync(conn: sa.Connection, defs: Iterable[RubricDef]) -> None:
    """Insert new rubrics and refresh names and order of known ones (never deletes)."""
    known = set(conn.execute(sa.select(rubric.c.slug)).scalars())
    for d in defs:
        values = {"position": d.position, **{f"name_{lang}": n for lang, n in d.names.items()}}
        if d.slug in known:
            conn.execute(rubric.update().where(rubric.c.slug == d.slug).values(**values))
        else:
            conn.execute(rubric.insert().values(slug=d.slug, **values))


def _row(r: sa.Row[tuple[str, int, str, str, str]]) -> RubricRow:
    return RubricRow(r.slug, r.position, {"kk": r.name_kk, "ru": r.name_ru, "en": r.name_en})


def all_rubrics(conn: sa.Connection) -> list[RubricRow]:
    rows = conn.execute(sa.select(rubric).order_by(rubric.c.position))
    return [_row(r) for r in rows]


def get(conn: sa.Connection, slug: str) -> RubricRow | None:
    found = conn.execute(sa.select(rubric).where(rubric.c.slug == slug)).first()
    return _row(found) if found else None


def with_items(conn: sa.Connection, langs: tuple[str, ...] | None) -> list[RubricRow]:
    """Rubrics that hold at least one shown item (in `langs`, when given), in home-page order.

    Each rubric's newest such item, not EXISTS: PostgreSQL plans an EXISTS as a bitmap scan of
    the rubric's every index entry (450 ms at 1 M items), where the newest-first walk of the
    (rubric_slug, published_at, item_id) index stops at the first shown item (0.7 ms)."""
    newest = (
        sa.select(item_rubric.c.item_id)
        .join(item, item.c.id == item_rubric.c.item_id)
        .where(item_rubric.c.rubric_slug == rubric.c.slug, item.c.status == "shown")
    )
    if langs is not None:
        newest = newest.where(item.c.lang.in_(langs))
    newest = newest.order_by(item_rubric.c.published_at.desc()).limit(1)
    rows = conn.execute(sa.select(rubric).where(newest.scalar_subquery().is_not(None))
                        .order_by(rubric.c.position))
    return [_row(r) for r in rows]

"""Queries on an item's rubric labels: classifier output, editor overrides, explanations.

An item whose labels include one with origin `editor` belongs to the editor: re-collection and
re-classification leave its labels alone, so an override survives both. `news` is kept on
every item whatever the editor chose (`news` holds everything).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa

from aqparat.errors import StoreError
from aqparat.model import Lang, RubricLabel, RubricOrigin
from aqparat.store.fts import index
from aqparat.store.schema import item, item_rubric, rubric, source

NEWS = "news"
EDITOR: RubricOrigin = "editor"


@dataclass(frozen=True, slots=True)
class ItemForClassification:
    id: int
    title: str
    body_text: str
    lang: Lang
    source_kind: str
    source_key: str
    published_at: dt.datetime


def labels(conn: sa.Connection, item_id: int) -> list[RubricLabel]:
    """The item's labels in home-page order (any status: editors see hidden items too)."""
    rows = conn.execute(
        sa.select(item_rubric.c.rubric_slug, item_rubric.c.score, item_rubric.c.origin,
                  item_rubric.c.reason)
        .join(rubric, rubric.c.slug == item_rubric.c.rubric_slug)
        .where(item_rubric.c.item_id == item_id).order_by(rubric.c.position)
    )
    return [RubricLabel(r.rubric_slug, r.score, cast(RubricOrigin, r.origin), r.reason)
            for r in rows]


def is_edited(conn: sa.Connection, item_id: int) -> bool:
    query = sa.select(item_rubric.c.item_id).where(
        item_rubric.c.item_id == item_id, item_rubric.c.origin == EDITOR).exists()
    return bool(conn.execute(sa.select(query)).scalar())


_INSERT = item_rubric.insert()


def _insert(conn: sa.Connection, item_id: int, new: Iterable[RubricLabel],
            published_at: dt.datetime) -> None:
    rows = [{"item_id": item_id, "rubric_slug": label.slug, "score": label.score,
             "origin": label.origin, "reason": label.reason, "published_at": published_at}
            for label in new]
    if rows:  # one statement for all: per-row statements cost more than the rows
        conn.execute(_INSERT, rows)


def replace_classified(conn: sa.Connection, item_id: int, new: Sequence[RubricLabel],
                       published_at: dt.datetime) -> bool:
    """Store a classification unless an editor owns the item; True if its rubric set changed."""
    if is_edited(conn, item_id):
        return False
    stored = labels(conn, item_id)
    if set(stored) == set(new):
        return False  # no write: an unchanged re-read must not bump the page caches' counter
    before = {lbl.slug for lbl in stored}
    conn.execute(item_rubric.delete().where(item_rubric.c.item_id == item_id))
    _insert(conn, item_id, new, published_at)
    changed = before != {lbl.slug for lbl in new}
    if changed:
        index.sync_item(conn, item_id)  # search filters by rubric (store/fts/document.py)
    return changed


def classify_new(conn: sa.Connection, item_id: int, new: Sequence[RubricLabel],
                 published_at: dt.datetime) -> None:
    """`replace_classified` for an item inserted in this transaction: it has no labels yet
    (so no editor's), so there is nothing to read, compare or delete first. Its search
    document is the caller's to write (store/fts/index.sync_new: it carries the rubrics)."""
    _insert(conn, item_id, new, published_at)


def set_by_editor(conn: sa.Connection, item_id: int, slugs: Sequence[str]) -> list[RubricLabel]:
    """Replace the item's labels with the editor's choice (plus `news`)."""
    found = conn.execute(sa.select(item.c.published_at).where(item.c.id == item_id)).first()
    if found is None:
        raise StoreError(f"store: no item {item_id}; `aqparat rubrics explain ID` takes an id "
                         f"from the article URL (/kk/news/ID)")
    known = set(conn.execute(sa.select(rubric.c.slug)).scalars())
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise StoreError(f"store: unknown rubric(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    chosen = [RubricLabel(NEWS, 1.0, "rule", "every item is news")]
    chosen += [RubricLabel(s, 1.0, EDITOR, "set by an editor") for s in dict.fromkeys(slugs)
               if s != NEWS]
    conn.execute(item_rubric.delete().where(item_rubric.c.item_id == item_id))
    _insert(conn, item_id, chosen, found.published_at)
    index.sync_item(conn, item_id)  # search filters by rubric (store/fts/document.py)
    return chosen


def for_classification(conn: sa.Connection, batch: int = 500) -> Iterator[ItemForClassification]:
    """Every item that no editor owns, in id order, read in batches of `batch`."""
    edited = sa.select(item_rubric.c.item_id).where(item_rubric.c.origin == EDITOR)
    last = 0
    while True:
        rows = conn.execute(
            sa.select(item.c.id, item.c.title, item.c.body_text, item.c.lang, item.c.published_at,
                      source.c.kind, source.c.key)
            .join(source, source.c.id == item.c.source_id)
            .where(item.c.id > last, item.c.id.not_in(edited)).order_by(item.c.id).limit(batch)
        ).all()
        if not rows:
            return
        for r in rows:
            yield ItemForClassification(r.id, r.title, r.body_text, r.lang, r.kind, r.key,
                                        r.published_at)
        last = rows[-1].id


def count_unedited(conn: sa.Connection) -> int:
    edited = sa.select(item_rubric.c.item_id).where(item_rubric.c.origin == EDITOR)
    query = sa.select(sa.func.count()).select_from(item).where(item.c.id.not_in(edited))
    return int(conn.execute(query).scalar_one())

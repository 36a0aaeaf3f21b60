"""Keep the index in step with the store, on the caller's connection (so in its transaction),
and rebuild it from scratch.

Only shown items are indexed: hiding an item takes it out, showing it again puts it back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import sqlalchemy as sa

from aqparat.model import Article
from aqparat.store.fts import document, postgres, sqlite
from aqparat.store.schema import item, item_rubric, source

SHOWN = "shown"
BATCH = 2000  # items read and written per round trip while rebuilding

_COLUMNS = (item.c.id, item.c.lang, item.c.title, item.c.lead, item.c.body_text,
            item.c.published_at, item.c.source_id, item.c.status,
            source.c.name_kk, source.c.name_ru, source.c.name_en)


def engine_module(conn: sa.Connection) -> ModuleType:
    return postgres if conn.dialect.name == "postgresql" else sqlite


def _entity(names: sa.RowMapping, lang: str) -> str:
    """The source's name in the item's language only: another language's would stem wrongly."""
    return str(names[f"name_{lang}"] or "")


def _document(row: sa.RowMapping, rubrics: Sequence[str]) -> document.Document:
    texts = (row["title"], row["lead"], row["body_text"], _entity(row, row["lang"]))
    key = document.key(row["published_at"], row["id"])
    return document.build(key, row["lang"], texts, row["source_id"], rubrics)


_RUBRICS = sa.select(item_rubric.c.item_id, item_rubric.c.rubric_slug).where(
    item_rubric.c.item_id.in_(sa.bindparam("ids", expanding=True)))


def _rubrics(conn: sa.Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = conn.execute(_RUBRICS, {"ids": list(ids)})
    for item_id, slug in rows:
        found.setdefault(item_id, []).append(slug)
    return found


def _select() -> sa.Select[tuple[object, ...]]:
    return sa.select(*_COLUMNS).select_from(item.join(source, source.c.id == item.c.source_id))


_ONE = _select().where(item.c.id == sa.bindparam("id"))  # built once: it runs per item


_QUEUE = "aqparat.search.queued"  # conn.info key: the block `queued` holds open


@dataclass
class _Queue:
    """What a `queued` block holds: the documents `sync_new` left for its end, and the terms
    of each source's name in each language (read once a block, not once an item)."""

    docs: list[tuple[int, document.Document]] = field(default_factory=list)
    entity_terms: dict[tuple[int, str], list[str]] = field(default_factory=dict)


@contextlib.contextmanager
def queued(conn: sa.Connection) -> Iterator[None]:
    """Inside the block, new items' documents (`sync_new`) are written when it ends, all in
    one statement, in the same transaction: for a block of many inserts (a backfill batch).

    FTS5 keeps what it is given in memory until its transaction ends, unless a statement opens
    a savepoint first, which every statement with a trigger does (store/changes.py): then it
    writes what it holds as a new segment of the index. Indexed one by one, each new item's
    story insert or update did that, and FTS5's merging of those one-document segments grew
    with the index: 2.5 ms a new story at 9,000 items (bench/backfill.py). An exception
    discards the queue with the transaction. A source renamed inside the block keeps the name
    it had when the block first needed it, until its items are indexed again."""
    queue = _Queue()
    conn.info[_QUEUE] = queue
    try:
        yield
        engine = engine_module(conn)
        engine.remove(conn, [item_id for item_id, _ in queue.docs])  # see sync_new
        engine.add(conn, queue.docs)
    finally:
        conn.info.pop(_QUEUE, None)


def _unqueue(conn: sa.Connection, item_id: int) -> None:
    """Forget a queued document: the item is being indexed again, as it now stands."""
    queue: _Queue | None = conn.info.get(_QUEUE)
    if queue is not None and queue.docs:
        queue.docs[:] = [(i, doc) for i, doc in queue.docs if i != item_id]


def sync_item(conn: sa.Connection, item_id: int) -> None:
    """Make the index agree with item `item_id` as it now stands (new, edited or hidden)."""
    _unqueue(conn, item_id)
    engine = engine_module(conn)
    engine.remove(conn, [item_id])
    row = conn.execute(_ONE, {"id": item_id}).mappings().first()
    if row is not None and row["status"] == SHOWN:
        engine.add(conn, [(item_id, _document(row, _rubrics(conn, [item_id]).get(item_id, [])))])


_NAMES = sa.select(source.c.name_kk, source.c.name_ru, source.c.name_en).where(
    source.c.id == sa.bindparam("id"))


def _entity_terms(conn: sa.Connection, source_id: int, lang: str,
                  queue: _Queue | None) -> list[str]:
    known = queue.entity_terms.get((source_id, lang)) if queue is not None else None
    if known is None:
        names = conn.execute(_NAMES, {"id": source_id}).mappings().one()
        known = document.text_terms(_entity(names, lang), lang)
        if queue is not None:
            queue.entity_terms[source_id, lang] = known
    return known


def sync_new(conn: sa.Connection, item_id: int, article: Article, source_id: int) -> None:
    """`sync_item` for an item just inserted as `article` (shown, its labels the article's),
    without reading it back: its document is made from the article, with the terms the
    pipeline made ahead (model.Prepared) when it did. Inside `queued`, written at its end.

    A new item has no document, unless a deleted item's id was given again: the one it may
    have is removed first, inside `queued` for all its items at once at its end."""
    queue: _Queue | None = conn.info.get(_QUEUE)
    texts = (article.title, article.lead, article.body_text)
    terms = (tuple(found.split() for found in article.prepared.search_terms)
             if article.prepared is not None
             else tuple(document.text_terms(text, article.lang) for text in texts))
    entity = _entity_terms(conn, source_id, article.lang, queue)
    doc = document.from_terms(document.key(article.published_at, item_id), article.lang,
                              (*terms, entity), source_id,
                              [label.slug for label in article.rubrics])
    if queue is not None:
        queue.docs.append((item_id, doc))
    else:
        engine = engine_module(conn)
        engine.remove(conn, [item_id])
        engine.add(conn, [(item_id, doc)])


def _batches(conn: sa.Connection) -> Iterator[list[sa.RowMapping]]:
    """Shown items in id order, BATCH rows read at a time. The status is tested here, not in
    SQL: beside it, SQLite's planner (no statistics) would walk the status index and sort every
    shown item for each batch."""
    last = 0
    while True:
        rows = conn.execute(_select().where(item.c.id > last).order_by(item.c.id)
                            .limit(BATCH)).mappings().all()
        if not rows:
            return
        yield [r for r in rows if r["status"] == SHOWN]
        last = rows[-1]["id"]


def expected(conn: sa.Connection, *, after: int = 0,
             limit: int = BATCH) -> tuple[list[tuple[int, document.Document]], int | None]:
    """The documents the shown items with ids above `after` should have in the index, a
    batch at a time, and the id to continue after (None at the end): `aqparat db check`
    compares them with what the index holds."""
    rows = conn.execute(_select().where(item.c.id > after).order_by(item.c.id)
                        .limit(limit)).mappings().all()
    shown = [r for r in rows if r["status"] == SHOWN]
    rubrics = _rubrics(conn, [r["id"] for r in shown])
    docs = [(r["id"], _document(r, rubrics.get(r["id"], []))) for r in shown]
    return docs, (rows[-1]["id"] if rows else None)


def count_shown(conn: sa.Connection) -> int:
    query = sa.select(sa.func.count()).select_from(item).where(item.c.status == SHOWN)
    return int(conn.execute(query).scalar_one())


def rebuild(conn: sa.Connection, progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every shown item again; `progress(n)` after each batch.

    One transaction (the caller's): readers keep the old index until the new one commits.
    """
    engine = engine_module(conn)
    engine.clear(conn)
    done = 0
    for rows in _batches(conn):
        rubrics = _rubrics(conn, [r["id"] for r in rows])
        engine.load(conn, [(r["id"], _document(r, rubrics.get(r["id"], []))) for r in rows])
        done += len(rows)
        if progress:
            progress(len(rows))
    engine.loaded(conn)
    return done


def backfill(conn: sa.Connection) -> int:
    """Index every shown item if the index is empty but items are not: once, right after
    migration 0003 created the index on a store that already had items. Returns how many."""
    if conn.execute(sa.text("SELECT 1 FROM search_doc LIMIT 1")).first() is not None:
        return 0
    if conn.execute(sa.select(item.c.id).where(item.c.status == SHOWN).limit(1)).first() is None:
        return 0
    return rebuild(conn)

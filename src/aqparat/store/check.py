"""`aqparat db check`: is the store whole? Each check counts what is wrong and names a few.

* the engine's own check (SQLite `quick_check`; PostgreSQL verifies pages as it reads them);
* every foreign key of the schema, checked by query on both engines (SQLite enforces them only
  on connections that ask, and a restored or hand-edited file may hold anything);
* references kept without a foreign key (`item.story_id`, `item.duplicate_of`, `item_band`,
  search rows);
* classification: every item has its labels (`news` at least);
* stories: none without items, none counting a different number of items than it has;
* the search index in step with the items: every shown item indexed and no other, each with
  the document its item gives today (SQLite also runs FTS5's own `integrity-check`).

The checks only read, in one transaction, so they see one consistent state of a live store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.store import schema
from aqparat.store.fts import document, index
from aqparat.store.fts import postgres as fts_postgres

EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    count: int
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = f" (e.g. {', '.join(self.examples)})" if self.examples else ""
        return f"{self.check}: {self.count}{shown}"


def _problem(check: str, found: list[str]) -> list[Problem]:
    return [Problem(check, len(found), tuple(found[:EXAMPLES]))] if found else []


def _tables(conn: sa.Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def engine_check(conn: sa.Connection) -> list[Problem]:
    if conn.dialect.name != "sqlite":
        return []
    rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check")]
    return _problem("sqlite quick_check", [] if rows == ["ok"] else rows)


def _orphans(conn: sa.Connection, fk: sa.ForeignKey) -> list[Problem]:
    child, parent = fk.parent, fk.column
    where = (child.is_not(None), ~sa.exists().where(parent == child))
    count = int(conn.execute(sa.select(sa.func.count()).select_from(child.table)
                             .where(*where)).scalar_one())
    if not count:
        return []
    examples = conn.execute(sa.select(child).where(*where).limit(EXAMPLES)).scalars()
    name = f"{child.table.name}.{child.name} names a missing {parent.table.name}"
    return [Problem(name, count, tuple(str(e) for e in examples))]


def foreign_keys(conn: sa.Connection) -> list[Problem]:
    present = _tables(conn)
    return [p for table in schema.metadata.sorted_tables if table.name in present
            for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name)
            if fk.column.table.name in present for p in _orphans(conn, fk)]


def _ids(conn: sa.Connection, query: sa.Select[tuple[int]]) -> list[str]:
    return [str(i) for i in conn.execute(query).scalars()]


def loose_references(conn: sa.Connection) -> list[Problem]:
    """References the schema keeps without a foreign key (see schema.py for why)."""
    item, present = schema.item, _tables(conn)
    problems: list[Problem] = []
    other = item.alias("other")
    for column in ("duplicate_of", "story_id"):
        if column not in item.c or (column == "story_id" and "story" not in present):
            continue
        target = other.c.id if column == "duplicate_of" else schema.metadata.tables["story"].c.id
        missing = ~sa.exists().where(target == item.c[column])
        problems += _problem(f"item.{column} names no row", _ids(conn, sa.select(item.c.id).where(
            item.c[column].is_not(None), missing).order_by(item.c.id)))
    if "item_band" in present:  # no foreign key: migration 0008 says why
        band = schema.metadata.tables["item_band"]
        gone = ~sa.exists().where(item.c.id == band.c.item_id)
        problems += _problem("item_band.item_id names no item", _ids(conn, sa.select(
            band.c.item_id).where(gone).distinct().order_by(band.c.item_id)))
    return problems


def labels(conn: sa.Connection) -> list[Problem]:
    item, item_rubric = schema.item, schema.item_rubric
    bare = ~sa.exists().where(item_rubric.c.item_id == item.c.id)
    return _problem("items without rubric labels",
                    _ids(conn, sa.select(item.c.id).where(bare).order_by(item.c.id)))


def stories(conn: sa.Connection) -> list[Problem]:
    if "story" not in _tables(conn) or "story_id" not in schema.item.c:
        return []
    story, item = schema.metadata.tables["story"], schema.item
    members = sa.select(sa.func.count()).where(item.c.story_id == story.c.id).scalar_subquery()
    # A story counts its shown reports, or all of them when every one is hidden
    # (store/stories.refresh): a hidden report is a member, not a miscount.
    shown = (sa.select(sa.func.count())
             .where(item.c.story_id == story.c.id, item.c.status == "shown").scalar_subquery())
    counted = sa.case((shown > 0, shown), else_=members)
    empty = _ids(conn, sa.select(story.c.id).where(members == 0).order_by(story.c.id))
    wrong = _ids(conn, sa.select(story.c.id).where(counted != story.c["items"], members > 0)
                 .order_by(story.c.id))
    return _problem("stories without items", empty) + _problem(
        "stories counting the wrong number of items", wrong)


# ── the search index ────────────────────────────────────────────────────────────────────────


def _sqlite_text(doc: document.Document) -> tuple[object, ...]:
    return (doc.key, *(" ".join(terms) for terms in doc.fields), " ".join(doc.meta))


def _stale_sqlite(conn: sa.Connection, docs: list[tuple[int, document.Document]]) -> list[str]:
    stored = {r[0]: tuple(r[1:]) for r in conn.execute(sa.text(
        "SELECT item_id, key, title, lead, body, entity, meta FROM search_doc "
        "WHERE item_id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": [i for i, _ in docs]})}
    return [str(i) for i, doc in docs if stored.get(i) != _sqlite_text(doc)]


def _stale_postgres(conn: sa.Connection, docs: list[tuple[int, document.Document]]) -> list[str]:
    stale = []
    for item_id, doc in docs:
        same = conn.execute(sa.text(
            "SELECT key = :key AND tsv = CAST(:tsv AS tsvector) FROM search_doc "
            "WHERE item_id = :id"), {"id": item_id, "key": doc.key,
                                     "tsv": fts_postgres.tsvector(doc)}).scalar()
        if not same:
            stale.append(str(item_id))
    return stale


def _batches(conn: sa.Connection) -> Iterator[list[tuple[int, document.Document]]]:
    after: int | None = 0
    while after is not None:
        docs, after = index.expected(conn, after=after)
        if docs:
            yield docs


def search_index(conn: sa.Connection) -> list[Problem]:
    item = schema.item
    doc_ids = sa.text("SELECT item_id FROM search_doc")
    indexed = {int(i) for i in conn.execute(doc_ids).scalars()}
    shown = {int(i) for i in conn.execute(sa.select(item.c.id).where(item.c.status == "shown"))
             .scalars()}
    stale_of: Callable[..., list[str]] = (
        _stale_sqlite if conn.dialect.name == "sqlite" else _stale_postgres)
    stale = [i for docs in _batches(conn) for i in stale_of(conn, docs)
             if int(i) in indexed]
    problems = _problem("shown items missing from the search index",
                        [str(i) for i in sorted(shown - indexed)])
    problems += _problem("search index rows of hidden or deleted items",
                         [str(i) for i in sorted(indexed - shown)])
    problems += _problem("search index rows out of date", stale)
    return problems + _fts5(conn)


def _fts5(conn: sa.Connection) -> list[Problem]:
    """FTS5's own check of its index against `search_doc` (rank 1: compare the content)."""
    if conn.dialect.name != "sqlite":
        return []
    try:
        conn.exec_driver_sql(
            "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
    except sa.exc.DatabaseError as exc:
        return [Problem("FTS5 integrity-check", 1, (str(exc.orig)[:200],))]
    return []


CHECKS: tuple[Callable[[sa.Connection], list[Problem]], ...] = (
    engine_check, foreign_keys, loose_references, labels, stories, search_index)


def run(engine: sa.Engine) -> list[Problem]:
    """Every check, in one read transaction; an empty list means the store is whole."""
    with engine.connect() as conn:
        problems = [p for check in CHECKS for p in check(conn)]
        conn.rollback()  # FTS5's integrity-check is an INSERT in form; nothing to keep
    return problems

"""Bulk loading the SQLite search index (issue 10: synthetic stores of millions, bench/synth.py):
stored terms first, one FTS5 'rebuild' after, answers exactly as indexing item by item."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from aqparat.store import check, db, search
from aqparat.store.fts import index
from aqparat.store.fts import sqlite as fts_sqlite
from list_rows import Row, fill

ROWS = [Row(minute=n % 9, lang=("kk", "ru")[n % 2], shown=n % 5 > 0, lead=True,
            source=1 + n % 2, rubric=n % 3 == 0) for n in range(120)]
QUERIES = ["Хабар", "Хабар 7", "Мәтін", "орган", '"Хабар 12"', "Хабар -Мәтін"]


def _answers_in(conn: sa.Connection) -> list[list[int]]:
    return [[h.record.summary.id for h in search.search(conn, q, limit=200).hits]
            for q in QUERIES]


def _answers(engine: sa.Engine) -> list[list[int]]:
    with engine.connect() as conn:
        return _answers_in(conn)


def test_stored_terms_then_one_rebuild_answer_as_item_by_item(tmp_path: Path) -> None:
    engine = db.open_store(f"sqlite:///{tmp_path / 'bulk.db'}", migrate=True)
    with engine.begin() as conn:
        fill(conn, ROWS)
        docs, _ = index.expected(conn, limit=len(ROWS))
        fts_sqlite.clear(conn)
        for doc in docs:  # item by item (`add`), as a crawl indexes what it stores
            fts_sqlite.add(conn, [doc])
    one_by_one = _answers(engine)
    assert any(one_by_one)  # the queries find something: the comparison means something
    with engine.begin() as conn:
        fts_sqlite.clear(conn)
        fts_sqlite.store_terms(conn, docs[:50])  # two batches, as a bulk load writes them
        fts_sqlite.store_terms(conn, docs[50:])
        assert _answers_in(conn) == [[] for _ in QUERIES]  # stored, not yet indexed
        fts_sqlite.index_stored(conn)
    assert _answers(engine) == one_by_one
    assert [p for p in check.run(engine) if "search" in p.check or "FTS5" in p.check] == []
    with engine.connect() as conn:  # the pass's large write buffer is not left to live writes
        kept = conn.execute(sa.text("SELECT v FROM search_fts_config WHERE k = 'hashsize'"))
        assert kept.scalar_one() == 1024 * 1024
    with engine.begin() as conn:  # `aqparat db reindex`: the same bulk pass
        assert index.rebuild(conn) == sum(1 for r in ROWS if r.shown)
    assert _answers(engine) == one_by_one
    engine.dispose()


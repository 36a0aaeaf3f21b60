"""The store's change counter (store/changes.py) on SQLite and PostgreSQL: every write a page
could show moves it, writes that change nothing do not, and its triggers survive migrations."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from aqparat import data
from aqparat.ingest import import_dumps
from aqparat.store import articles, changes, db, sources
from aqparat.store.schema import item, rubric, source

DEMO = sorted(data.DEMO_DIR.glob("*.txt"))


def _counter(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return changes.current(conn).counter


def _moves(engine: sa.Engine, statement: sa.Executable) -> bool:
    before = _counter(engine)
    with engine.begin() as conn:
        conn.execute(statement)
    return _counter(engine) > before


def test_every_trigger_is_there_at_head_even_after_a_table_rebuild(engine: sa.Engine) -> None:
    # Later migrations rebuild tables on SQLite (copy and drop), which drops their triggers:
    # `db.upgrade` puts them back.
    with engine.connect() as conn:
        assert changes.installed(conn) == changes.expected()
    db.downgrade(engine, "0007")
    db.upgrade(engine)
    with engine.connect() as conn:
        assert changes.installed(conn) == changes.expected()


def test_writes_that_pages_show_move_the_counter(engine: sa.Engine) -> None:
    start = _counter(engine)
    assert all(r.ok for r in import_dumps(engine, DEMO, portal="enbekshiqazaq.kz"))
    after_import = _counter(engine)
    assert after_import > start
    with engine.connect() as conn:
        item_id = conn.execute(sa.select(sa.func.min(item.c.id))).scalar_one()
        stamp = changes.current(conn).at
    assert stamp > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with engine.begin() as conn:
        articles.hide(conn, item_id)
    assert _counter(engine) > after_import
    assert _moves(engine, sa.update(rubric).where(rubric.c.slug == "news")
                  .values(name_en="All news"))
    assert _moves(engine, sa.update(source).values(enabled=False))


def test_writes_that_change_nothing_shown_leave_it(engine: sa.Engine) -> None:
    assert all(r.ok for r in import_dumps(engine, DEMO, portal="enbekshiqazaq.kz"))
    before = _counter(engine)
    # The same dumps again: rubrics and source names re-synced with the same values.
    assert all(r.ok for r in import_dumps(engine, DEMO, portal="enbekshiqazaq.kz"))
    assert _counter(engine) == before
    # What a crawl writes on every poll: a source's fetch state.
    with engine.begin() as conn:
        source_id = conn.execute(sa.select(sa.func.min(source.c.id))).scalar_one()
        sources.record_result(conn, source_id, status="ok", error=None, failures=0, tier="hot",
                              rate_per_day=1.5, next_fetch_at=dt.datetime.now(dt.UTC))
    assert _counter(engine) == before
    # Statements that touch no row, or rewrite a row with its own values.
    assert not _moves(engine, sa.update(item).where(item.c.id == -1).values(status="hidden"))
    assert not _moves(engine, sa.delete(item).where(item.c.id == -1))
    assert not _moves(engine, sa.update(item).values(status=item.c.status))

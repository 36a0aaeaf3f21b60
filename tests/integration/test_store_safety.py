"""`aqparat db check` finds what is broken (and nothing in a whole store); `db backup` and
`db restore` round-trip a store on both engines, online, all or nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.errors import StoreError
from aqparat.ingest import import_dumps
from aqparat.store import articles, backup, check, db, stories
from aqparat.store.schema import item, item_rubric, source


@pytest.fixture
def filled(engine: sa.Engine, seed_path: Path) -> sa.Engine:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    return engine


def names(problems: list[check.Problem]) -> set[str]:
    return {p.check for p in problems}


def without_foreign_keys(engine: sa.Engine, sql: str) -> None:
    """Write what the schema would refuse: a restored file or a hand edit can hold it."""
    if engine.dialect.name == "sqlite":
        raw = sqlite3.connect(engine.url.database or "")  # foreign keys off: the default
        with raw:
            raw.execute(sql)
        raw.close()
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("SET session_replication_role = replica")  # FK triggers off
        conn.exec_driver_sql(sql)
        conn.exec_driver_sql("SET session_replication_role = DEFAULT")


def test_a_whole_store_passes(filled: sa.Engine) -> None:
    assert check.run(filled) == []


def test_the_search_index_out_of_step_is_found(filled: sa.Engine) -> None:
    with filled.begin() as conn:
        ids = conn.execute(sa.select(item.c.id).order_by(item.c.id)).scalars().all()
        conn.execute(item.update().where(item.c.id == ids[0]).values(title="Басқа тақырып"))
        conn.execute(item.update().where(item.c.id == ids[1]).values(status="hidden"))
    found = names(check.run(filled))
    assert "search index rows out of date" in found
    assert "search index rows of hidden or deleted items" in found
    with filled.begin() as conn:  # the store's own functions keep the index in step
        articles.unhide(conn, ids[1])
        articles.hide(conn, ids[1])
    assert "search index rows of hidden or deleted items" not in names(check.run(filled))


def test_orphans_and_bare_items_are_found(filled: sa.Engine) -> None:
    without_foreign_keys(filled, "INSERT INTO item_rubric (item_id, rubric_slug, score, origin, "
                                 "reason, published_at) VALUES (999999, 'news', 1, 'rule', '', "
                                 "'2026-01-01 00:00:00')")
    without_foreign_keys(filled, "DELETE FROM item_rubric WHERE item_id = "
                                 "(SELECT min(id) FROM item)")
    problems = check.run(filled)
    found = names(problems)
    assert "item_rubric.item_id names a missing item" in found
    assert "items without rubric labels" in found
    assert "item_band.item_id names no item" not in found
    without_foreign_keys(filled, "INSERT INTO item_band (key, item_id) VALUES (7, 999998)")
    assert "item_band.item_id names no item" in names(check.run(filled))
    orphan = next(p for p in problems if p.check.startswith("item_rubric.item_id"))
    assert orphan.count == 1
    assert orphan.examples == ("999999",)


def test_a_story_with_a_hidden_report_is_counted_right(filled: sa.Engine) -> None:
    """A story counts its shown reports (store/stories.refresh); the check agrees, and still
    finds a story whose count is wrong."""
    with filled.begin() as conn:
        first, second = conn.execute(sa.select(item.c.id, item.c.story_id)
                                     .order_by(item.c.id).limit(2)).all()
        conn.execute(item.update().where(item.c.id == second.id)
                     .values(story_id=first.story_id))
        stories.refresh(conn, first.story_id)
        stories.refresh(conn, second.story_id)
        articles.hide(conn, second.id)
    assert "stories counting the wrong number of items" not in names(check.run(filled))
    story = sa.table("story", sa.column("id"), sa.column("items"))
    with filled.begin() as conn:
        conn.execute(story.update().where(story.c.id == first.story_id).values(items=2))
    assert "stories counting the wrong number of items" in names(check.run(filled))


def test_the_check_command_exits_1_with_a_report(filled: sa.Engine) -> None:
    url = filled.url.render_as_string(hide_password=False)
    runner = CliRunner()
    ok = runner.invoke(cli, ["--database-url", url, "db", "check"])
    assert ok.exit_code == 0, ok.output
    with filled.begin() as conn:
        conn.execute(item.update().values(title="x"))
    bad = runner.invoke(cli, ["--database-url", url, "db", "check"])
    assert bad.exit_code == 1
    assert "problem: search index rows out of date" in bad.output


def snapshot(engine: sa.Engine) -> list[object]:
    with engine.connect() as conn:
        return [conn.execute(sa.select(item.c.id, item.c.title, item.c.status, item.c.content_hash)
                             .order_by(item.c.id)).all(),
                conn.execute(sa.select(item_rubric.c.item_id, item_rubric.c.rubric_slug)
                             .order_by(item_rubric.c.item_id, item_rubric.c.rubric_slug)).all(),
                conn.execute(sa.select(source.c.key).order_by(source.c.id)).all(),
                sorted(conn.execute(sa.text("SELECT item_id FROM search_doc")).scalars())]


def test_backup_and_restore_round_trip(filled: sa.Engine, tmp_path: Path) -> None:
    before = snapshot(filled)
    path = tmp_path / "backup.aqp"
    backup.backup(filled, path)
    with filled.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(item.c.id))).scalar_one()
        articles.hide(conn, first)
        conn.execute(item_rubric.delete().where(item_rubric.c.rubric_slug != "news"))
    assert snapshot(filled) != before
    backup.restore(filled, path)
    assert snapshot(filled) == before
    assert check.run(filled) == []


def test_the_commands_round_trip(filled: sa.Engine, tmp_path: Path) -> None:
    url = filled.url.render_as_string(hide_password=False)
    runner, path = CliRunner(), tmp_path / "cli.backup"
    done = runner.invoke(cli, ["--database-url", url, "db", "backup", str(path)])
    assert done.exit_code == 0, done.output
    assert path.is_file()
    assert not list(tmp_path.glob(".*partial"))
    refused = runner.invoke(cli, ["--database-url", url, "db", "restore", str(path)], input="n\n")
    assert refused.exit_code == 1  # asked, and the answer was no
    done = runner.invoke(cli, ["--database-url", url, "db", "restore", "--yes", str(path)])
    assert done.exit_code == 0, done.output


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(filled: sa.Engine,
                                                                  tmp_path: Path) -> None:
    before = snapshot(filled)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 4096)
    with pytest.raises(StoreError, match="neither"):
        backup.restore(filled, junk)
    other = tmp_path / "other.kind"
    other.write_bytes(b"PGDMP" + b"\x00" * 100 if filled.dialect.name == "sqlite"
                      else b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(StoreError, match="restore it into a store of its kind"):
        backup.restore(filled, other)
    assert snapshot(filled) == before


def test_a_backup_from_newer_code_is_refused(tmp_path: Path) -> None:
    engine = db.open_store(f"sqlite:///{tmp_path / 'a.db'}", migrate=True)
    path = tmp_path / "a.backup"
    backup.backup(engine, path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    raw.close()
    with pytest.raises(StoreError, match="unknown to this code"):
        backup.restore(engine, path)
    engine.dispose()


def test_a_sqlite_backup_is_consistent_while_writes_go_on(tmp_path: Path,
                                                          seed_path: Path) -> None:
    engine = db.open_store(f"sqlite:///{tmp_path / 'live.db'}", migrate=True)
    import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            with engine.begin() as conn:
                ids = conn.execute(sa.select(item.c.id)).scalars().all()
                for item_id in ids:
                    articles.hide(conn, item_id)
                    articles.unhide(conn, item_id)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for n in range(3):
            backup.backup(engine, tmp_path / f"b{n}.db")
    finally:
        stop.set()
        writer.join()
    for n in range(3):
        copy = db.create_engine(f"sqlite:///{tmp_path / f'b{n}.db'}")
        assert check.run(copy) == []
        copy.dispose()
    engine.dispose()


@pytest.mark.postgres
def test_postgres_without_its_tools_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    url = os.environ.get("AQPARAT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("AQPARAT_TEST_POSTGRES_URL is not set")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    engine = db.create_engine(url)
    with pytest.raises(StoreError, match="pg_dump is not on PATH; install"):
        backup.backup(engine, tmp_path / "x.dump")
    engine.dispose()

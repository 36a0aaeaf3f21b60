"""Alembic builds exactly the schema the code declares, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from aqparat.errors import StoreError
from aqparat.store import db, schema


def test_upgrade_builds_the_declared_schema(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": schema.include_name})
        assert compare_metadata(context, schema.metadata) == []
    assert db.current_revision(engine) == db.head_revision()


def test_downgrade_removes_every_table_and_upgrade_restores_them(engine: sa.Engine) -> None:
    db.downgrade(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert set(schema.metadata.tables) <= set(sa.inspect(engine).get_table_names())


def test_serving_refuses_an_unmigrated_store(database_url: str) -> None:
    with pytest.raises(StoreError, match="aqparat db upgrade"):
        db.open_store(database_url, migrate=False)


def test_unknown_database_kind_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        db.create_engine("mysql://root@localhost/x")


def test_upgrading_a_store_that_holds_items_keeps_every_row(database_url: str) -> None:
    # Alembic rebuilds SQLite tables by copy-and-drop; with foreign keys on, the drop of
    # `item` cascaded and emptied item_rubric (seen on 0004 → 0005). Rows made at 0001 must
    # all survive the way to head.
    engine = db.create_engine(database_url)
    try:
        db.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO source (id, kind, key, enabled, created_at) "
                "VALUES (1, 'govkz', 'sci', true, '2026-03-17 00:00:00')"))
            conn.execute(sa.text(
                "INSERT INTO item (id, source_id, external_id, lang, title, lead, body_html,"
                " body_text, published_at, date_only, first_seen, updated_at, content_hash,"
                " status) VALUES (1, 1, '1183442', 'kk', 'Тақырып', 'Мәтін.', '<p>Мәтін.</p>',"
                " 'Мәтін.', '2026-03-16 19:00:00', true, '2026-03-17 00:00:00',"
                " '2026-03-17 00:00:00', 'h', 'shown')"))
            conn.execute(sa.text(
                "INSERT INTO rubric (slug, position, name_kk, name_ru, name_en) "
                "VALUES ('news', 0, 'Жаңалықтар', 'Новости', 'News')"))
            conn.execute(sa.text(
                "INSERT INTO item_rubric (item_id, rubric_slug, score, origin, reason, "
                "published_at) VALUES (1, 'news', 1.0, 'rule', '', '2026-03-16 19:00:00')"))
        db.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM item_rubric")).scalar() == 1
            assert conn.execute(sa.text("SELECT count(*) FROM item")).scalar() == 1
    finally:
        engine.dispose()


def test_a_migration_stopped_halfway_leaves_nothing_behind(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table of an upgrade is made in one transaction: when the upgrade fails after the
    tables are made (here, at the change counter's triggers), none is left, and the next start
    migrates from the beginning. (A crawl killed while it migrated left SQLite's tables behind,
    and every later start failed with "table source already exists".)"""
    from aqparat.store import changes

    engine = db.create_engine(database_url)

    def fails(conn: sa.Connection) -> None:
        raise RuntimeError("stopped halfway")

    monkeypatch.setattr(changes, "install", fails)
    try:
        with pytest.raises(RuntimeError, match="stopped halfway"):
            db.upgrade(engine)
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        assert db.current_revision(engine) is None
        monkeypatch.undo()
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()

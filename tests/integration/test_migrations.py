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

"""Alembic environment: runs on the connection `store.db` hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from aqparat.store.db import create_engine
from aqparat.store.schema import include_name, metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that
        compare_type=True,
        include_name=include_name,  # the search index is not in `metadata` (schema.py)
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the `alembic` command line, pointed at a URL
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url or pass a connection"
    with create_engine(url).begin() as conn:
        _run(conn)

"""Engines and schema revisions for SQLite (WAL) and PostgreSQL, behind one `open_store`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from aqparat.errors import StoreError
from aqparat.store import changes
from aqparat.store.fts import index as fts_index

MIGRATIONS = Path(__file__).parent / "migrations"


def engine_url(database_url: str) -> sa.URL:
    """Accept the URLs operators write and pick the drivers we ship (psycopg 3)."""
    try:
        url = sa.make_url(database_url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"store: database URL {database_url!r} is not a URL: {exc}") from exc
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(f"store: unsupported database {url.drivername!r}; use sqlite:///path.db "
                         f"or postgresql://user@host/db")
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the single writer; NORMAL is durable at checkpoints in WAL mode.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def create_engine(database_url: str) -> sa.Engine:
    url = engine_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _alembic_config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _migrating(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction for migrations. On SQLite, foreign keys are off while it runs: Alembic
    alters a SQLite table by copying it and dropping the original, and with foreign keys on
    that DROP cascades — migration 0005 emptied item_rubric of an existing store that way.
    The PRAGMA only takes effect outside a transaction, so it runs before the first
    statement; the copy keeps every key, which `foreign_key_check` proves before commit.

    On SQLite the transaction is begun explicitly: Python's sqlite3 opens one only before an
    INSERT, UPDATE or DELETE, so a migration's CREATE TABLEs were each committed at once, and a
    process killed halfway left tables without the revision that made them ("table source
    already exists" on every later start). BEGIN IMMEDIATE also takes the write lock first, so
    two processes starting together migrate one after the other."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # end SQLAlchemy's autobegun transaction; the PRAGMA has taken
        try:
            with conn.begin():
                if sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StoreError("store: a migration left rows whose foreign keys point "
                                     "nowhere; nothing was changed")
        finally:
            if sqlite:
                conn.rollback()  # nothing is open after a commit; after an error, end it
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade(engine: sa.Engine, revision: str = "head", *, backfill: bool = True) -> None:
    with _migrating(engine) as conn:
        command.upgrade(_alembic_config(conn), revision)
        if revision == "head" and changes.installed(conn) != changes.expected():
            # SQLite drops triggers with a rebuilt table (changes.py). Only when some are
            # missing: creating triggers locks the watched tables, and every process start
            # passes here.
            changes.install(conn)
        if backfill and revision == "head":
            # Migration 0003 creates the search index empty; a store that already had items
            # gets them indexed here, once, in the same transaction (store/fts/index.py).
            fts_index.backfill(conn)
    if revision == "head":
        analyze(engine)  # every writing command starts here: the statistics stay current


def analyze(engine: sa.Engine) -> None:
    """Statistics for SQLite's planner (PostgreSQL's autovacuum keeps its own). Without them
    it picks the `status` index for "a source's items", walking every shown item instead of
    the source's few (bench/costly.py: 97 ms → 0.2 ms at 20,000 items). `analysis_limit`
    samples each index, so this takes milliseconds at any size."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")


def downgrade(engine: sa.Engine, revision: str) -> None:
    with _migrating(engine) as conn:
        command.downgrade(_alembic_config(conn), revision)


def require_current(engine: sa.Engine) -> None:
    """Refuse to serve a store the code does not match: say which command fixes it."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise StoreError(
            f"store: {engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{current or 'none (empty)'}, this code needs {head}; run `aqparat db upgrade`"
        )


def open_store(database_url: str, *, migrate: bool) -> sa.Engine:
    """An engine on the store, upgraded to the newest schema when `migrate`, else checked."""
    engine = create_engine(database_url)
    try:
        if migrate:
            upgrade(engine)
        else:
            require_current(engine)
    except StoreError:
        engine.dispose()
        raise
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StoreError(f"store: cannot open {engine.url.render_as_string(hide_password=True)}:"
                         f" {exc.orig}") from exc
    return engine

"""`aqparat db analyze` and `aqparat db vacuum`: planner statistics and space back from
deleted rows, on SQLite and PostgreSQL.

Why both matter at size: the list and search queries are only as good as the plan the engine
picks, and SQLite's planner picks from `sqlite_stat1` (store/db.analyze's sampled statistics are
refreshed at every upgrade; this one reads every index). Hidden and re-crawled items leave
free pages behind: SQLite keeps them in the file until VACUUM, PostgreSQL until VACUUM marks
them reusable, and FTS5 / GIN keep a merge backlog that slows every search until optimized.
Run them from a timer (docs/deploy.md); both are safe while the site serves — in WAL mode
readers go on reading while SQLite's VACUUM rewrites the file, though writers wait.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from aqparat.errors import StoreError
from aqparat.store.fts import index


@dataclass(frozen=True, slots=True)
class Done:
    """What a maintenance command did: how long it took, the store's bytes before and after."""

    seconds: float
    bytes_before: int
    bytes_after: int


def size(engine: sa.Engine) -> int:
    """The store's bytes: the SQLite file and its write-ahead log, or the PostgreSQL database."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.is_file())
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_database_size(current_database())"))
                   .scalar_one())


def _autocommit(engine: sa.Engine, statements: list[str], what: str) -> None:
    """Statements that refuse to run inside a transaction (VACUUM on both engines)."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"store: {what} failed on {engine.url.render_as_string()}: "
                         f"{exc.orig}; SQLite's VACUUM needs free disk as large as the "
                         f"store") from exc


def analyze(engine: sa.Engine) -> Done:
    """Full statistics for the planner: every index read, not sampled."""
    before, started = size(engine), time.perf_counter()
    if engine.dialect.name == "sqlite":
        # analysis_limit 0: no sampling. `optimize` then records that the statistics are fresh.
        _autocommit(engine, ["PRAGMA analysis_limit=0", "ANALYZE", "PRAGMA optimize"],
                    "analyze")
    else:
        _autocommit(engine, ["ANALYZE"], "analyze")
    return Done(time.perf_counter() - started, before, size(engine))


def vacuum(engine: sa.Engine) -> Done:
    """Merge the search index, give deleted rows' space back, then refresh statistics."""
    before, started = size(engine), time.perf_counter()
    with engine.begin() as conn:
        index.engine_module(conn).optimize(conn)  # FTS5 'optimize' / GIN pending list
    if engine.dialect.name == "sqlite":
        # VACUUM rewrites the file; the checkpoint then empties the write-ahead log it filled.
        _autocommit(engine, ["VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)",
                             "PRAGMA analysis_limit=0", "ANALYZE"], "vacuum")
    else:
        _autocommit(engine, ["VACUUM (ANALYZE)"], "vacuum")
    return Done(time.perf_counter() - started, before, size(engine))

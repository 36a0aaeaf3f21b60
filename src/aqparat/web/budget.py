"""A ceiling on the database work one web request can cause, whatever its parameters.

Every parameter is already bounded where it is read (page numbers, offsets, limits, query
words, the search's ranked matches), and bench/costly.py measures the most expensive request
those bounds still allow. This is the backstop for the case nobody thought of: past
`web_query_seconds` the database stops the statement and the reader gets a 503 (with
`Retry-After`), the server a log line, and no worker stays busy on one request.

* SQLite: a progress handler, called every few thousand virtual-machine steps, aborts the
  statement once the connection has been out of the pool longer than the budget: the budget
  covers the whole request, since a request checks a connection out once.
* PostgreSQL: `statement_timeout`, set once per connection; a request runs a handful of
  statements (a fixed number, not one per row), so its total stays bounded too.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

STEPS = 4000  # VM steps between checks: microseconds apart, invisible in the cost


def _sqlite_checkout(seconds: float) -> Any:
    def checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        deadline = time.monotonic() + seconds
        dbapi_conn.set_progress_handler(lambda: int(time.monotonic() > deadline), STEPS)

    return checkout


def _sqlite_checkin(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.set_progress_handler(None, 0)  # the next user of the connection may be a CLI


def _postgres_connect(seconds: float) -> Any:
    def connect(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        dbapi_conn.commit()

    return connect


def install(engine: sa.Engine, seconds: float) -> None:
    """Bound every statement this (web) engine runs; 0 or less: no bound."""
    if seconds <= 0:
        return
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "checkout", _sqlite_checkout(seconds))
        sa.event.listen(engine, "checkin", _sqlite_checkin)
    else:
        sa.event.listen(engine, "connect", _postgres_connect(seconds))
        engine.pool.dispose()  # connections made before the listener get it on reconnect


def exceeded(exc: BaseException) -> bool:
    """Whether `exc` is a statement the budget stopped."""
    if not isinstance(exc, sa.exc.OperationalError):
        return False
    orig = exc.orig
    if type(orig).__name__ == "QueryCanceled":  # psycopg: canceling statement due to timeout
        return True
    return "interrupted" in str(orig)

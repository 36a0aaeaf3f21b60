"""The store's change counter: how the web processes learn, cheaply, that a page may be stale.

Every write to a table that pages show (items, their rubrics, stories, events, entities,
rubrics, sources' names) adds one to `store_change` through a database trigger, so no write
path — the pipeline, an operator hiding an item, `aqparat reclassify`, a crawl worker on
another host, a hand-typed SQL statement — can forget it. A web process reads the sum now and
then (web/cache.py); when it moved, its cached pages are dropped.

Why triggers and how they are shaped:

* SQLite: one `FOR EACH ROW` trigger per table and event, bumping slot 0 (SQLite has one
  writer at a time, so one row never contends). A row costs one extra single-row UPDATE.
* PostgreSQL: statement-level triggers (one bump per statement, not per row of a bulk load)
  with transition tables, so a statement that touched no row bumps nothing. The bump goes to
  one of `SLOTS` rows chosen by backend pid: two crawl workers committing at once lock
  different rows instead of queueing on one until the other commits. Readers add the slots.
* An UPDATE bumps only when a watched column really changed (SQLite: a WHEN clause; PostgreSQL:
  new rows EXCEPT old rows). Every import re-syncs the rubric table and its source's names
  with the same values, and a crawl rewrites `source.status`, `next_fetch_at` and its lease
  on every poll: none of that may empty every cache. `item_view` (view counts, written in
  batches) is not watched for the same reason: a cached page shows the count it was rendered
  with until the next real change.

SQLite drops a table's triggers when a batch migration rebuilds it (Alembic's copy-and-drop;
0009 rebuilds `source`), so `install` is idempotent and runs after every upgrade to head
(store/db.py), as well as in migration 0007 that introduced it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.store.schema import store_change

SLOTS = 16  # PostgreSQL: rows the bumps are spread over (one per concurrent writer is plenty)

# table → the columns whose UPDATE changes a page (None: any column).
WATCHED: dict[str, tuple[str, ...] | None] = {
    "item": None,
    "item_rubric": None,
    "item_entity": None,
    "event": None,
    "story": None,
    "rubric": None,
    "source": ("kind", "key", "name_kk", "name_ru", "name_en", "entity_type", "region",
               "enabled"),
}
EVENTS = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True, slots=True)
class Change:
    """Where the store stands: `counter` grows with every committed change; `at` is the time
    of the latest one (a page's Last-Modified)."""

    counter: int
    at: dt.datetime


def current(conn: sa.Connection) -> Change:
    # Through the slot index, not a scan: every bump leaves a dead row version behind on
    # PostgreSQL, and where autovacuum lags (or is off) the 16 rows end up spread over a large
    # file. After a 1,000,000-item load a scan read 175 MB and took 45 ms; the index reads 16
    # rows in 0.08 ms.
    row = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(store_change.c.n), 0),
                                 sa.func.max(store_change.c.changed_at))
                       .where(store_change.c.slot >= 0, store_change.c.slot < SLOTS)).one()
    at = row[1] or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return Change(int(row[0]), at)


# ── the triggers ─────────────────────────────────────────────────────────────────────────────
# An UPDATE bumps only when a watched column really changed: syncing the rubric table or a
# source's names with the same values (every import does) leaves the caches alone.

_SQLITE_BUMP = ("UPDATE store_change SET n = n + 1, "
                "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE slot = 0")


def _sqlite_columns(conn: sa.Connection, table: str) -> tuple[str, ...]:
    return tuple(str(row[1]) for row in conn.exec_driver_sql(f"PRAGMA table_info({table})"))


def _sqlite_statements(conn: sa.Connection) -> list[str]:
    out = []
    for table, watched in WATCHED.items():
        columns = watched or _sqlite_columns(conn, table)
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
        for event in EVENTS:
            when = f" WHEN {changed}" if event == "UPDATE" else ""
            name = f"store_change_{table}_{event.lower()}"
            # Replaced, not kept: a column added since must join the WHEN list.
            out.append(f"DROP TRIGGER IF EXISTS {name}")
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} "
                       f"BEGIN {_SQLITE_BUMP}; END")
    return out


# Statements here are built from the constants above, never from input.
_PG_BUMP = ("UPDATE store_change SET n = n + 1, "  # noqa: S608
            "changed_at = greatest(changed_at, clock_timestamp()) "
            f"WHERE slot = mod(pg_backend_pid(), {SLOTS})")


def _pg_function(name: str, condition: str) -> str:
    # plpgsql resolves the transition tables (rows_new, rows_old) at run time, in the trigger
    # that declares them.
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {condition} THEN {_PG_BUMP}; END IF; RETURN NULL; END $$")


def _pg_statements() -> list[str]:
    out = [_pg_function("store_changed_new", "EXISTS (SELECT FROM rows_new)"),
           _pg_function("store_changed_old", "EXISTS (SELECT FROM rows_old)")]
    for table, watched in WATCHED.items():
        listed = ", ".join(watched) if watched else "*"
        differs = f"EXISTS (SELECT {listed} FROM rows_new EXCEPT ALL SELECT {listed} FROM rows_old)"  # noqa: S608
        out.append(_pg_function(f"store_changed_{table}", differs))
        for event, refs, function in (
                ("INSERT", "NEW TABLE AS rows_new", "store_changed_new"),
                ("UPDATE", "OLD TABLE AS rows_old NEW TABLE AS rows_new", f"store_changed_{table}"),
                ("DELETE", "OLD TABLE AS rows_old", "store_changed_old")):
            out.append(f"CREATE OR REPLACE TRIGGER store_change_{table}_{event.lower()} "
                       f"AFTER {event} ON {table} REFERENCING {refs} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    return out


def install(conn: sa.Connection) -> None:
    """The counter's rows and every trigger; safe to run again (after a table rebuild)."""
    have = {int(slot) for slot in conn.execute(sa.select(store_change.c.slot)).scalars()}
    now = dt.datetime.now(dt.UTC)
    missing = [{"slot": s, "n": 0, "changed_at": now} for s in range(SLOTS) if s not in have]
    if missing:
        conn.execute(store_change.insert(), missing)
    sqlite = conn.dialect.name == "sqlite"
    for statement in _sqlite_statements(conn) if sqlite else _pg_statements():
        conn.exec_driver_sql(statement)


def uninstall(conn: sa.Connection) -> None:
    """Migration 0007's downgrade: triggers (and PostgreSQL's functions) go with the table."""
    if conn.dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS store_change_{table}_"
                                     f"{event.lower()}")
    else:
        for function in ("new", "old", *WATCHED):
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS store_changed_{function}() CASCADE")


def installed(conn: sa.Connection) -> set[str]:
    """The names of the counter's triggers present in the store (a test's check)."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT DISTINCT trigger_name FROM information_schema.triggers"
    return {str(name) for name in conn.exec_driver_sql(query).scalars()
            if str(name).startswith("store_change_")}


def expected() -> set[str]:
    return {f"store_change_{table}_{event.lower()}" for table in WATCHED for event in EVENTS}

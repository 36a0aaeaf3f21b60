"""`aqparat db backup PATH` and `aqparat db restore PATH`: online, consistent, all or nothing.

* SQLite: `VACUUM INTO` copies the store as one read transaction sees it (writers go on, in
  WAL mode nothing waits), compacted; the copy is checked, then renamed into place, so PATH
  never holds half a backup. Restore copies a checked backup into the live file through
  SQLite's backup API, which takes the write lock for the copy: readers see the old store or
  the restored one, never a mixture.
* PostgreSQL: `pg_dump --format=custom` (one snapshot: consistent while the portal runs).
  Restore replays it with `psql --single-transaction` after emptying the schema, in the same
  transaction: a failed restore leaves the store as it was.

A backup carries its schema revision; restoring an older one upgrades it to this code's
revision afterwards, and a backup from newer code is refused.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from aqparat.errors import StoreError
from aqparat.store import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
TOOLS_HINT = "install PostgreSQL's client programs (Debian: apt-get install postgresql-client)"


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"store: cannot read {path}: {exc.strerror or exc}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise StoreError(f"store: {path} is neither a SQLite backup nor a pg_dump custom archive")


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def _known_revision(revision: str | None, path: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    if revision not in {script.revision for script in scripts.walk_revisions()}:
        raise StoreError(f"store: {path} is at schema revision {revision or 'none'}, unknown "
                         f"to this code (at {db.head_revision()}): restore it with the aqparat "
                         f"that made it")


# ── SQLite ──────────────────────────────────────────────────────────────────────────────────


def _sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise StoreError(f"store: {path} fails SQLite's quick_check: not a usable backup")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: {path} is not an aqparat store ({exc})") from exc
    finally:
        conn.close()
    return str(row[0]) if row else None


def backup_sqlite(engine: sa.Engine, path: Path) -> None:
    partial = _partial(path)
    partial.unlink(missing_ok=True)
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM INTO ?", (str(partial),))
    try:
        _known_revision(_sqlite_revision(partial), path)
    except StoreError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def restore_sqlite(engine: sa.Engine, path: Path) -> None:
    _known_revision(_sqlite_revision(path), path)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with engine.connect() as conn:
            target = conn.connection.driver_connection
            assert isinstance(target, sqlite3.Connection)
            target.commit()  # the backup API refuses a destination inside a transaction
            source.backup(target)
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: restoring {path} failed, the store is unchanged: {exc}"
                         ) from exc
    finally:
        source.close()


# ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StoreError(f"store: {name} is not on PATH; {TOOLS_HINT}")
    return found


def libpq_env(url: sa.URL) -> dict[str, str]:
    """Connection settings as libpq's environment: a password never shows in `ps`."""
    pairs = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username,
             "PGPASSWORD": url.password, "PGDATABASE": url.database}
    return {**os.environ, **{k: str(v) for k, v in pairs.items() if v is not None}}


def _run(args: list[str], env: Mapping[str, str], what: str) -> None:
    done = subprocess.run(args, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StoreError(f"store: {what} failed: {done.stderr.strip()[-600:]}")


def backup_postgres(engine: sa.Engine, path: Path) -> None:
    partial = _partial(path)
    env = libpq_env(engine.url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={partial}"], env, "pg_dump")
    os.replace(partial, path)


def _archive_revision(path: Path, env: Mapping[str, str]) -> str | None:
    """The alembic_version row in the archive, read without restoring anything."""
    done = subprocess.run([_tool("pg_restore"), "--data-only", "--table=alembic_version",
                           "--file=-", str(path)], env=dict(env), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise StoreError(f"store: {path} is not a readable pg_dump archive: "
                         f"{done.stderr.strip()[-300:]}")
    lines = done.stdout.split("COPY public.alembic_version", 1)[-1].splitlines()[1:]
    return lines[0].strip() if lines and lines[0].strip() not in ("", "\\.") else None


def restore_postgres(engine: sa.Engine, path: Path) -> None:
    env = libpq_env(engine.url)
    _known_revision(_archive_revision(path, env), path)
    restore = subprocess.Popen([_tool("pg_restore"), "--no-owner", "--no-privileges",
                                "--file=-", str(path)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    psql = subprocess.Popen([_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction",
                             "--set=ON_ERROR_STOP=1", "--file=-"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pipe(restore, psql)


def _pipe(restore: subprocess.Popen[bytes], psql: subprocess.Popen[bytes]) -> None:
    assert restore.stdout is not None
    assert psql.stdin is not None
    with restore, psql:  # closes every pipe, waits for both
        try:
            psql.stdin.write(b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
            shutil.copyfileobj(restore.stdout, psql.stdin, 1 << 20)
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error: its message follows
        errors = [p.stderr.read().decode(errors="replace").strip() if p.stderr else ""
                  for p in (restore, psql)]
        codes = (restore.wait(), psql.wait())
    if any(codes):
        raise StoreError(f"store: restore failed, the store is unchanged: "
                         f"{' '.join(e for e in errors if e)[-600:]}")


# ── both ────────────────────────────────────────────────────────────────────────────────────


def backup(engine: sa.Engine, path: Path) -> None:
    path = path.expanduser().resolve()
    if path.is_dir():
        raise StoreError(f"store: {path} is a directory; give a file name")
    if engine.dialect.name == "sqlite":
        backup_sqlite(engine, path)
    else:
        backup_postgres(engine, path)


def restore(engine: sa.Engine, path: Path) -> None:
    path = path.expanduser().resolve()
    kind = _kind(path)
    if kind != engine.dialect.name:
        raise StoreError(f"store: {path} is a {kind} backup; this store is "
                         f"{engine.dialect.name}: restore it into a store of its kind")
    if kind == "sqlite":
        restore_sqlite(engine, path)
    else:
        restore_postgres(engine, path)
    db.upgrade(engine)  # an older backup is brought to this code's schema

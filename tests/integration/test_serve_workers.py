"""`aqparat serve --workers 2`: a real granian process with two workers on loopback. Both
answer from their own page cache, agree on validators (a 304 from either), send brotli, and
both drop a page once another process changes the store."""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest
import sqlalchemy as sa

from aqparat import data
from aqparat.ingest import import_dumps
from aqparat.store import articles, db
from aqparat.testing.serving import free_port
from aqparat.web.asgi import factory, refresh_statistics

ARTICLE = re.compile(r'href="/kk/news/([0-9]+)"')


@dataclass(frozen=True)
class Got:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, **headers: str) -> Got:
    """One request on its own connection, so the two workers share the requests."""
    request = urllib.request.Request(url, headers={"Connection": "close", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Got(response.status, {k.lower(): v for k, v in response.headers.items()},
                       response.read())
    except urllib.error.HTTPError as error:
        return Got(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass(frozen=True)
class Served:
    base: str
    engine: sa.Engine


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    engine = db.open_store(database_url, migrate=True)
    assert all(r.ok for r in import_dumps(engine, sorted(data.DEMO_DIR.glob("*.txt")),
                                          portal="enbekshiqazaq.kz"))
    port = free_port()
    env = {**os.environ, "AQPARAT_DATABASE_URL": database_url, "AQPARAT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "aqparat", "serve", "--port", str(port),
                             "--workers", "2"], env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(f"{base}/healthz").status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "aqparat serve exited"
            assert time.monotonic() < deadline, "aqparat serve did not answer in 60 s"
            time.sleep(0.2)
        yield Served(base, engine)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)  # a worker still starting is waited for
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            engine.dispose()


def until_both_workers_rendered(url: str, **headers: str) -> list[Got]:
    """Requests from 8 threads until two misses: each worker renders a page once per store
    version (later readers wait for that render), so two misses mean both answered. For up
    to a minute: /healthz answered once the first worker was up, and on a busy machine the
    second one may start many seconds later."""
    seen: list[Got] = []
    misses = 0
    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(8) as pool:
        while misses < 2 and time.monotonic() < deadline:
            got = list(pool.map(lambda _: fetch(url, **headers), range(16)))
            seen += got
            misses += sum(g.headers["x-cache"] == "miss" for g in got)
    if misses == 2:
        return seen
    pytest.fail(f"{url}: {misses} miss(es) in {len(seen)} requests; two workers should make "
                f"exactly two")


def test_two_workers_share_validators_and_drop_pages_after_a_write(served: Served) -> None:
    home = f"{served.base}/kk/"
    seen = until_both_workers_rendered(home)
    assert {g.status for g in seen} == {200}
    assert len({g.headers["etag"] for g in seen}) == 1  # same bytes, same tag, any worker
    first = seen[0]
    with ThreadPoolExecutor(8) as pool:
        again = list(pool.map(lambda _: fetch(home, **{"If-None-Match": first.headers["etag"]}),
                              range(32)))
        since = list(pool.map(lambda _: fetch(home, **{
            "If-Modified-Since": first.headers["last-modified"]}), range(32)))
    assert {g.status for g in again + since} == {304}
    packed = fetch(home, **{"Accept-Encoding": "br"})
    assert packed.headers["content-encoding"] == "br"
    assert brotli.decompress(packed.body) == first.body

    # Another process (this test) hides an item; every worker drops its page within the
    # counter's re-read interval (0.1 s by default).
    found = ARTICLE.search(first.body.decode())
    assert found
    with served.engine.begin() as conn:
        assert articles.hide(conn, int(found[1]))
    time.sleep(0.5)
    after = until_both_workers_rendered(home)
    stale = [g.headers for g in after if found[0] in g.body.decode()]
    assert not stale, (found[0], len(after), stale[:3])
    assert {g.headers["etag"] for g in after}.isdisjoint({first.headers["etag"]})
    assert fetch(f"{served.base}/kk/news/{found[1]}").status == 404


def _statistics(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'sqlite_stat1'").scalar_one()
        if not found:
            return 0
        return int(conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1").scalar_one())


def test_a_worker_starts_while_another_process_holds_the_store(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture
                                                               ) -> None:
    # Two workers start together, each analyzing a large store: the second used to wait out
    # the busy timeout and die, leaving the site a worker short.
    path = tmp_path / "store.db"
    engine = db.open_store(f"sqlite:///{path}", migrate=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout=200")  # the lock below stays: fail fast
    holder = sqlite3.connect(path)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process writing the store
        refresh_statistics(engine)
    finally:
        holder.rollback()
        holder.close()
    assert "planner statistics not refreshed at start" in caplog.text
    assert "database is locked" in caplog.text  # what held it, for the operator
    assert _statistics(engine) == 0
    refresh_statistics(engine)  # the store free again: the statistics are made
    assert _statistics(engine) > 0
    engine.dispose()


def test_a_worker_freezes_what_it_built_before_it_serves(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The program and the application live as long as the worker: a full garbage collection
    must not walk them on every request that triggers one (web/asgi.py)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    db.open_store(url, migrate=True).dispose()
    monkeypatch.setenv("AQPARAT_DATABASE_URL", url)
    monkeypatch.setenv("AQPARAT_CONFIG", str(tmp_path / "absent.toml"))
    gc.unfreeze()
    try:
        app = factory()
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
    assert frozen > 20_000  # the whole program, not a handful of objects
    app.state.engine.dispose()

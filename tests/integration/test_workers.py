"""Crawl workers sharing one store (store/claims.py, crawl/worker.py): two worker processes
against one PostgreSQL and the fake gov.kz fetch every listing page exactly once and store
every item exactly once; a worker killed mid-source is taken over once its lease runs out; a
second worker on a SQLite store is refused with a message saying why."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aqparat import data
from aqparat.errors import LeaseLostError
from aqparat.store import claims, db
from aqparat.store.claims import Lease
from aqparat.store.schema import fetch_log, item, source
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz, Fault
from aqparat.testing.govkz_world import World

PAGE_SIZE = 4
# Seed entities (data/entities.toml), so every worker knows them without an operator step.
SLUGS = ("ardfm", "mfa", "almaty", "sci", "mod", "edu")
NOW = dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def world() -> World:
    return govkz_world.build(govkz_world.load_items(), SLUGS)


@pytest.fixture
def fake(world: World) -> Iterator[FakeGovKz]:
    with FakeGovKz(world) as server:
        yield server


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers share PostgreSQL; SQLite has one writer (tested below)")
    return database_url


@pytest.fixture(autouse=True)
def _no_orphans() -> Iterator[None]:
    """A failed assertion must not leave a worker running (or its pipes open)."""
    yield
    for process in STARTED:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
    STARTED.clear()


STARTED: list[subprocess.Popen[str]] = []


def worker(url: str, fake: FakeGovKz, name: str, *slugs: str, lease: float = 600.0,
           until_idle: bool = True) -> subprocess.Popen[str]:
    # 10 requests/s per worker: slow enough that both workers are busy at the same time.
    env = {**os.environ, "AQPARAT_GOVKZ_BASE_URL": fake.url, "AQPARAT_FETCH_RATE": "10",
           "AQPARAT_FETCH_JITTER": "0", "AQPARAT_GOVKZ_PAGE_SIZE": str(PAGE_SIZE),
           "AQPARAT_FETCH_TIMEOUT": "30", "AQPARAT_LOG_LEVEL": "WARNING"}
    args = [sys.executable, "-m", "aqparat", "--database-url", url, "worker", "--kind",
            "govkz", "--name", name, "--lease", str(lease)]
    args += ["--until-idle"] if until_idle else []
    for slug in slugs:
        args += ["--source", slug]
    process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    STARTED.append(process)
    return process


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return out


def crawled(out: str, name: str) -> int:
    line = next(line for line in out.splitlines() if line.startswith(f"worker {name}:"))
    return int(line.split(": ")[1].split()[0])


def wait_for(predicate: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def expected_pages(world: World, slugs: tuple[str, ...]) -> set[tuple[str, str, int]]:
    """A first crawl reads each listing to its first short page (an empty one after a full
    last page): pages 1 … ⌊n / size⌋ + 1."""
    return {(slug, lang, page) for slug in slugs for lang in govkz_world.LANGS
            for page in range(1, len(world.listing(slug, lang)) // PAGE_SIZE + 2)}


def listing_requests(fake: FakeGovKz) -> Counter[tuple[str, str, int]]:
    return Counter((r["slug"], r["lang"], r["page"]) for r in fake.seen("rest"))


def stored_keys(engine: sa.Engine) -> list[tuple[str, str, str]]:
    query = sa.select(source.c.key, item.c.external_id, item.c.lang).join(
        source, source.c.id == item.c.source_id)
    with engine.connect() as conn:
        return [(k, i, lang) for k, i, lang in conn.execute(query)]


def keys_of(world: World, slugs: tuple[str, ...]) -> set[tuple[str, str, str]]:
    return {k for k in world.expected_keys() if k[0] in slugs}


@pytest.mark.postgres
def test_two_workers_fetch_every_page_once_and_store_every_item_once(
        pg_url: str, fake: FakeGovKz, world: World) -> None:
    db.open_store(pg_url, migrate=True).dispose()  # `aqparat db upgrade`, once, beforehand
    first, second = worker(pg_url, fake, "w1", *SLUGS), worker(pg_url, fake, "w2", *SLUGS)
    out1, out2 = finish(first), finish(second)
    # Both took part, and between them crawled each source once.
    assert crawled(out1, "w1") > 0
    assert crawled(out2, "w2") > 0
    assert crawled(out1, "w1") + crawled(out2, "w2") == len(SLUGS)
    requests = listing_requests(fake)
    assert [page for page, n in requests.items() if n > 1] == []
    assert set(requests) == expected_pages(world, SLUGS)
    engine = db.create_engine(pg_url)
    try:
        keys = stored_keys(engine)
        with engine.connect() as conn:
            logged = Counter(conn.execute(sa.select(fetch_log.c.target)).scalars())
            leftover = conn.execute(sa.select(sa.func.count()).where(
                source.c.claimed_by.is_not(None))).scalar_one()
    finally:
        engine.dispose()
    assert len(keys) == len(set(keys))
    assert set(keys) == keys_of(world, SLUGS)
    assert logged == Counter({f"govkz:{slug}": 1 for slug in SLUGS})
    assert leftover == 0  # every lease released with its result


@pytest.mark.postgres
def test_a_killed_workers_source_is_taken_over_after_its_lease(
        pg_url: str, fake: FakeGovKz, world: World) -> None:
    slug = "ardfm"
    db.open_store(pg_url, migrate=True).dispose()
    fake.add_fault(Fault("stall", slug=slug, lang="kk", page=2, seconds=60))
    victim = worker(pg_url, fake, "victim", slug, lease=4)
    wait_for(lambda: bool(fake.seen("rest", slug=slug, lang="kk", page=2)))
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    engine = db.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            holder, until = conn.execute(sa.select(source.c.claimed_by, source.c.claimed_until)
                                         .where(source.c.key == slug)).one()
        assert holder == "victim"
        fake.clear_faults()
        fake.requests.clear()
        out = finish(worker(pg_url, fake, "heir", slug))
        assert crawled(out, "heir") == 1
        with engine.connect() as conn:
            started = conn.execute(sa.select(fetch_log.c.started_at)).scalar_one()
        keys = stored_keys(engine)
    finally:
        engine.dispose()
    assert started >= until  # it waited for the lease to run out, then took the source over
    kk = sorted(page for s, lang, page in listing_requests(fake) if lang == "kk")
    assert kk[0] == 2  # resumed after the victim's last stored page, not from the start
    assert len(keys) == len(set(keys))
    assert set(keys) == keys_of(world, (slug,))


def test_a_second_worker_on_a_sqlite_store_is_refused(tmp_path: Path, fake: FakeGovKz) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    db.open_store(url, migrate=True).dispose()
    fake.add_fault(Fault("stall", slug="ardfm", lang="kk", page=1, seconds=60))
    first = worker(url, fake, "first", "ardfm")
    try:
        wait_for(lambda: bool(fake.seen("rest", slug="ardfm")))
        second = worker(url, fake, "second", "ardfm")
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 1
        assert "one writer" in err
        assert "PostgreSQL" in err
        assert "one.db" in err
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)


# ── the claims themselves, on both engines ────────────────────────────────────────────────


def _sources(engine: sa.Engine, slugs: tuple[str, ...]) -> dict[str, int]:
    from aqparat.store import sources

    with engine.begin() as conn:
        return {s: sources.add(conn, s, data.entities().get(s), enabled=True, origin="seed")
                for s in slugs}


def test_claims_share_out_due_sources_and_expired_leases_return(engine: sa.Engine) -> None:
    ids = _sources(engine, ("a-one", "b-two"))
    one, two, three = Lease("one", 60), Lease("two", 60), Lease("three", 60)
    with engine.begin() as conn:
        first = claims.next_due(conn, "govkz", one, NOW)
        second = claims.next_due(conn, "govkz", two, NOW)
        assert claims.next_due(conn, "govkz", three, NOW) is None  # both are held
        assert {first, second} == set(ids.values())
        assert claims.held_by_others(conn, "govkz", three, NOW) == NOW + dt.timedelta(
            seconds=60)
    later = NOW + dt.timedelta(seconds=61)
    with engine.begin() as conn:  # both leases ran out: the sources are free again
        assert claims.next_due(conn, "govkz", three, later) == ids["a-one"]
    assert first == ids["a-one"]
    with pytest.raises(LeaseLostError, match="worker one lost its lease"), engine.begin() as conn:
        claims.renew(conn, ids["a-one"], one, later, "govkz a-one")
    with engine.begin() as conn:
        claims.renew(conn, ids["a-one"], three, later, "govkz a-one")  # the holder may
        claims.release(conn, ids["a-one"], one)  # not the holder: no effect
        assert claims.next_due(conn, "govkz", two, later) == ids["b-two"]
        assert claims.next_due(conn, "govkz", one, later) is None
        claims.release(conn, ids["a-one"], three)
        assert claims.next_due(conn, "govkz", one, later) == ids["a-one"]


@pytest.mark.postgres
def test_a_claim_in_progress_is_skipped_not_waited_for(pg_url: str) -> None:
    engine = db.open_store(pg_url, migrate=True)
    try:
        ids = _sources(engine, ("a-one", "b-two"))
        with engine.connect() as holder, engine.connect() as other:
            holder.begin()
            assert claims.next_due(holder, "govkz", Lease("holder"), NOW) == ids["a-one"]
            other.begin()  # without SKIP LOCKED this would wait on the holder's row lock
            other.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            assert claims.next_due(other, "govkz", Lease("other"), NOW) == ids["b-two"]
            other.rollback()
            holder.rollback()
    finally:
        engine.dispose()


def test_a_dead_local_workers_lease_is_not_waited_out(engine: sa.Engine) -> None:
    # `aqparat crawl` killed with SIGKILL, then run again on the same host: the dead
    # process's lease (host:pid) is free at once; a live one's, or another host's, is not.
    from aqparat.crawl.run import claim

    ids = _sources(engine, ("a-one", "b-two"))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host, now = socket.gethostname(), dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        claims.next_due(conn, "govkz", Lease(f"{host}:{gone.pid}"), now)  # a-one
        claims.next_due(conn, "govkz", Lease(f"elsewhere:{gone.pid}"), now)  # b-two
    found = claim(engine, "govkz", Lease("heir"), now, None, force=True, skip=set())
    assert found is not None
    assert found.row.id == ids["a-one"]
    assert claim(engine, "govkz", Lease("heir"), now, None, force=True,
                 skip={ids["a-one"]}) is None  # b-two's holder may be alive elsewhere

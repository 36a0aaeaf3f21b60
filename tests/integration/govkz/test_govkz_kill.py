"""`kill -9` of a crawl in the middle of a page, then a rerun, ends with exactly the items of an
uninterrupted crawl: each page is one transaction holding its items and its checkpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from aqparat.store import db
from aqparat.testing.fake_govkz import FakeGovKz, Fault
from aqparat.testing.govkz_world import ENTITIES, World

Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def crawl_process(database_url: str, fake: FakeGovKz, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AQPARAT_GOVKZ_BASE_URL": fake.url, "AQPARAT_FETCH_RATE": "0",
           "AQPARAT_GOVKZ_PAGE_SIZE": "10", "AQPARAT_FETCH_TIMEOUT": "30",
           "AQPARAT_LOG_LEVEL": "WARNING"}
    args = [sys.executable, "-m", "aqparat", "--database-url", database_url, "crawl", "--once"]
    for slug in ENTITIES:
        args += ["--source", slug]
    return subprocess.Popen(args, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(predicate: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def finish(process: subprocess.Popen[bytes]) -> None:
    assert process.wait(timeout=120) == 0


def items_in(url: str, stored: Stored) -> dict[tuple[str, str, str], str]:
    engine = db.create_engine(url)
    try:
        return stored(engine)
    finally:
        engine.dispose()


@pytest.fixture
def uninterrupted(fake: FakeGovKz, tmp_path: Path, stored: Stored,
                  world: World) -> dict[tuple[str, str, str], str]:
    url = f"sqlite:///{tmp_path / 'whole.db'}"
    finish(crawl_process(url, fake, tmp_path))
    items = items_in(url, stored)
    assert set(items) == world.expected_keys()
    return items


def test_kill_in_the_middle_of_a_page_then_rerun(database_url: str, fake: FakeGovKz,
                                                 tmp_path: Path, stored: Stored,
                                                 uninterrupted: dict[tuple[str, str, str], str]
                                                 ) -> None:
    # The page starts arriving, then stalls: the crawler is inside page 2 when killed.
    fake.add_fault(Fault("stall", slug="ardfm", lang="kk", page=2, seconds=60))
    fake.requests.clear()
    process = crawl_process(database_url, fake, tmp_path)
    wait_for(lambda: bool(fake.seen("rest", slug="ardfm", lang="kk", page=2)))
    kill(process)
    partial = items_in(database_url, stored)
    assert partial
    assert set(partial) < set(uninterrupted)
    fake.clear_faults()
    finish(crawl_process(database_url, fake, tmp_path))
    assert items_in(database_url, stored) == uninterrupted


def test_kills_at_arbitrary_moments_lose_and_double_nothing(
        database_url: str, fake: FakeGovKz, tmp_path: Path, stored: Stored,
        uninterrupted: dict[tuple[str, str, str], str]) -> None:
    # Each victim gets a little further than the last; wherever a kill lands (a request, the
    # pipeline, a half-written transaction), the next run must carry on cleanly.
    for delay in (1.0, 1.6, 2.2, 2.8):
        process = crawl_process(database_url, fake, tmp_path)
        time.sleep(delay)
        if process.poll() is None:
            kill(process)
    finish(crawl_process(database_url, fake, tmp_path))
    assert items_in(database_url, stored) == uninterrupted

"""`aqparat backfill`: the archive (or generated items) through the pipeline in batches, one
transaction and checkpoint per batch — a run killed with SIGKILL resumes after its last
stored batch and ends with exactly the items of an uninterrupted run."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.crawl.backfill import BackfillOptions, Work, batches
from aqparat.crawl.replay import generate
from aqparat.ingest import default_options
from aqparat.model import RawItem
from aqparat.pipeline.run import ALMATY
from aqparat.store import archive, checkpoints, db, schema
from aqparat.testing import synth_items
from aqparat.testing.fake_govkz import FakeGovKz

Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def backfill_process(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AQPARAT_LOG_LEVEL": "WARNING"}
    return subprocess.Popen([sys.executable, "-m", "aqparat", "--database-url", url,
                             "backfill", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def checkpoint(url: str, name: str) -> int:
    engine = db.create_engine(url)
    try:
        with engine.connect() as conn:
            return checkpoints.load(conn, name).position
    except sa.exc.SQLAlchemyError:  # not migrated yet
        return 0
    finally:
        engine.dispose()


def kill_after_first_batch(process: subprocess.Popen[bytes], url: str, name: str) -> int:
    deadline = time.monotonic() + 240
    while (position := checkpoint(url, name)) == 0:
        assert process.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline, "no batch stored in time"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return position


def in_store(url: str, stored: Stored) -> dict[tuple[str, str, str], str]:
    engine = db.create_engine(url)
    try:
        return stored(engine)
    finally:
        engine.dispose()


def forget_items(conn: sa.Connection) -> None:
    """Every item and everything derived from items (rubrics, stories, their index)."""
    for table in reversed(schema.metadata.sorted_tables):
        if "item_id" in table.c or table.name == "story":
            conn.execute(table.delete())
    conn.execute(schema.item.delete())


def test_batches_never_split_a_page() -> None:
    raw = RawItem("govkz", "mfa", "1", "t", "b", "text", synth_items.NEWEST.date(), None, "kk")
    works = [Work(position, 1, "kk", raw) for position in (1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5)]
    cut = list(batches(works, 2))
    assert [w for b in cut for w in b] == works  # nothing lost, nothing doubled, in order
    for before, after in itertools.pairwise(cut):
        assert before[-1].position != after[0].position
        assert len(before) >= 2


def test_killed_archive_backfill_resumes_without_loss_or_duplicates(
        harness: Any, fake: FakeGovKz, stored: Stored, database_url: str) -> None:
    harness.crawl()
    before = stored(harness.engine)
    with harness.engine.begin() as conn:
        pages = archive.count(conn)
        forget_items(conn)
    fake.stop()  # no network from here on
    victim = backfill_process(database_url, "--batch", "5", "--jobs", "1")
    position = kill_after_first_batch(victim, database_url, "archive")
    partial = in_store(database_url, stored)
    assert partial
    assert set(partial) < set(before)
    result = CliRunner().invoke(cli, ["--database-url", database_url, "backfill",
                                      "--batch", "5", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert in_store(database_url, stored) == before
    # The second run read only the pages after the checkpoint, and stored the rest.
    resumed = sum(1 for key in before if key not in partial)
    assert f" {resumed} new" in result.output
    assert checkpoint(database_url, "archive") > position
    assert pages > 0


def test_killed_generated_backfill_resumes_to_the_same_store(
        tmp_path: Path, stored: Stored) -> None:
    whole, killed = f"sqlite:///{tmp_path / 'whole.db'}", f"sqlite:///{tmp_path / 'k.db'}"
    args = ("--generate", "30", "--batch", "5", "--jobs", "1")
    assert backfill_process(whole, *args).wait(timeout=600) == 0
    kill_after_first_batch(backfill_process(killed, *args), killed, "generate:1")
    assert backfill_process(killed, *args).wait(timeout=600) == 0
    expected = in_store(whole, stored)
    assert len(expected) > 24  # a few generated English texts read as Kazakh are dropped
    assert in_store(killed, stored) == expected


def test_a_process_pool_stores_what_one_process_does(tmp_path: Path, stored: Stored) -> None:
    results = []
    for jobs in (1, 2):
        engine = db.open_store(f"sqlite:///{tmp_path / f'j{jobs}.db'}", migrate=True)
        counts = generate(engine, 24, seed=3, base_url="https://www.gov.kz", timezone=ALMATY,
                          pipeline=default_options(),
                          options=BackfillOptions("generate:3", batch=7, jobs=jobs))
        results.append((counts, stored(engine)))
        engine.dispose()
    assert results[0] == results[1]
    assert results[0][0]["new"] == len(results[0][1]) > 20

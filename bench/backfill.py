"""Backfill rate: generated gov.kz items (testing/synth_items.py) through the whole pipeline
into a fresh SQLite store (`crawl.replay.generate`: adapter, text stages, store, search
index, stories, one transaction per batch), with one process and with a pool, against — in
the same run — a bare baseline: the same rows' raw text bulk-inserted with sqlite3. Then
where the time of the one-process run goes, in CPU seconds per stage. Prints items/s,
ratios and the load average (the machine may be shared: compare ratios, not seconds), and
the pool's parent's CPU an item: the parent stores every item, so that bounds a pool's rate
however many cores it has, and it hardly moves with the machine's load.

The stages are timed in one process doing what a pool splits: the text stages
(pipeline.run.process, the pool's workers) with stage 7, `ahead`, the store's pure work done
early (search terms, story description: model.Prepared; only a pool's workers do it); then
the store (always the parent, the pool's serial part): the item's rows (articles.save_row)
and its story (stories.file: index lookups in `decide`, writes in `SqlIndex.file`).

    .venv/bin/python bench/backfill.py [--items 2000] [--batch 500] [--jobs 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aqparat.crawl import backfill, replay
from aqparat.crawl.backfill import BackfillOptions
from aqparat.ingest import default_options
from aqparat.pipeline import run as pipeline_run
from aqparat.pipeline import stories as pipeline_stories
from aqparat.pipeline.run import ALMATY
from aqparat.store import articles, db, story_index
from aqparat.store import stories as store_stories
from aqparat.testing import synth_items

SEED = 7


def full(workdir: Path, items: int, batch: int, jobs: int, tag: str = "", *,
         prepare: bool = False) -> tuple[float, Counter[str]]:
    engine = db.open_store(f"sqlite:///{workdir / f'full{jobs}{tag}.db'}", migrate=True)
    pipeline = dataclasses.replace(default_options(), prepare=prepare)  # a pool sets it itself
    start = time.perf_counter()
    counts = replay.generate(engine, items, seed=SEED, base_url="https://www.gov.kz",
                             timezone=ALMATY, pipeline=pipeline,
                             options=BackfillOptions(f"generate:{SEED}", batch=batch,
                                                     jobs=jobs))
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, counts


def bare(workdir: Path, items: int, batch: int) -> float:
    """The floor: the same items' raw JSON fields bulk-inserted, no pipeline, no index."""
    made = [synth_items.item(SEED, n) for n in range(items)]  # not timed: the input
    conn = sqlite3.connect(workdir / "bare.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, slug TEXT, external_id TEXT, "
                 "lang TEXT, title TEXT, body TEXT, UNIQUE (slug, external_id, lang))")
    start = time.perf_counter()
    for i in range(0, items, batch):
        with conn:
            conn.executemany("INSERT INTO item (slug, external_id, lang, title, body) "
                             "VALUES (?, ?, ?, ?, ?)",
                             [(g.slug, str(g.obj["id"]), g.lang, g.obj["title"], g.obj["body"])
                              for g in made[i: i + batch]])
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


class StageClock:
    """CPU seconds inside a few functions, by wrapping them for one run."""

    def __init__(self) -> None:
        self.cpu: Counter[str] = Counter()
        self.undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)
        self.cpu[label] = 0.0  # listed in the order wrapped (clock_order)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.cpu[label] += time.process_time() - start
        setattr(owner, name, timed)
        self.undo.append(lambda: setattr(owner, name, original))

    def restore(self) -> None:
        for undo in reversed(self.undo):
            undo()


def stages(workdir: Path, items: int, batch: int) -> tuple[float, Counter[str]]:
    clock = StageClock()
    clock.wrap(synth_items, "item", "generate (input, not pipeline)")
    clock.wrap(backfill, "process", "text stages (pipeline.run.process)")
    clock.wrap(pipeline_run.body, "clean_body", "  of which: clean_body")
    clock.wrap(pipeline_run.extraction, "events", "  of which: events")
    clock.wrap(pipeline_run.extraction, "entities", "  of which: entities")
    clock.wrap(pipeline_run.lang, "detect", "  of which: language")
    clock.wrap(pipeline_run, "ahead", "  of which: ahead (search terms, story description)")
    clock.wrap(articles, "save_row", "store: articles.save_row (row, rubrics, search, mentions)")
    clock.wrap(store_stories, "file", "store: stories.file (the story index)")
    clock.wrap(pipeline_stories, "decide", "  of which: decide (index lookups)")
    clock.wrap(story_index.SqlIndex, "file", "  of which: SqlIndex.file (index writes)")
    start = time.process_time()
    try:
        full(workdir, items, batch, 1, "-stages", prepare=True)
    finally:
        clock.restore()
    return time.process_time() - start, clock.cpu


def clock_order(cpu: Counter[str]) -> list[str]:
    """Stages by time, each followed by its parts ("  of which: …", wrapped after it)."""
    groups: list[list[str]] = []
    for label in cpu:  # in the order they were wrapped
        if label.startswith(" ") and groups:
            groups[-1].append(label)
        else:
            groups.append([label])
    groups.sort(key=lambda g: -cpu[g[0]])
    return [label for g in groups for label in [g[0], *sorted(g[1:], key=lambda x: -cpu[x])]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
        base = bare(workdir, args.items, args.batch)
        one, counts = full(workdir, args.items, args.batch, 1)
        before = time.process_time()
        pooled, _ = full(workdir, args.items, args.batch, args.jobs)
        parent = time.process_time() - before
        rate = args.items / base
        print(f"{args.items} generated items, batches of {args.batch}: {dict(counts)}")
        print(f"bare bulk insert (baseline) {rate:10,.0f} items/s")
        for label, seconds in (("pipeline, 1 process", one),
                               (f"pipeline, {args.jobs} processes", pooled)):
            print(f"{label:27} {args.items / seconds:10,.1f} items/s   "
                  f"ratio to baseline {base / seconds:.5f} (1/{seconds / base:,.0f})")
        print(f"pool speed-up {one / pooled:.2f}×")
        # The parent stores every item itself: its CPU an item bounds the pool's rate whatever
        # the cores, and unlike the rate it hardly depends on what else the machine runs.
        print(f"pool's parent (its serial part): {parent / args.items * 1000:.2f} ms of CPU an "
              f"item, so at most {args.items / parent:,.0f} items/s however many cores")
        total, cpu = stages(workdir, args.items, args.batch)
        print(f"where the CPU goes, one process doing the pool's split (workers: text stages "
              f"with stage 7; parent: store) ({total / args.items * 1000:.1f} ms an item):")
        for label in clock_order(cpu):
            seconds = cpu[label]
            print(f"  {label:58} {seconds / args.items * 1000:6.2f} ms  {seconds / total:5.0%}")
        print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

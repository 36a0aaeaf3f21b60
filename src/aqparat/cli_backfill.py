"""`aqparat backfill`: the raw archive, or generated items, through the pipeline in batches,
with a progress bar and a checkpoint per batch (crawl/backfill.py, crawl/replay.py)."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from aqparat.cli_crawl import _settings, pipeline_options, timezone
from aqparat.crawl import replay
from aqparat.crawl.backfill import BackfillOptions
from aqparat.crawl.backfill import Progress as BatchProgress
from aqparat.crawl.run import summary
from aqparat.store import archive, checkpoints, db

console = Console(stderr=True)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[BatchProgress]:
    """A rich bar on a terminal (items, items/s, time left); nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda _n, _counts: None
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn())
    started = time.perf_counter()
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(label, total=total, rate="")
        done = 0

        def advance(n: int, _counts: Counter[str]) -> None:
            nonlocal done
            done += n
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, advance=n, rate=f"{rate:,.0f} items/s")
        yield advance


@click.command("backfill")
@click.option("--source", "keys", multiple=True, metavar="SLUG",
              help="Only these sources' archived pages.")
@click.option("--generate", "count", type=click.IntRange(min=1), default=None,
              help="Instead of the archive: N generated gov.kz items (benchmarks, trials).")
@click.option("--seed", type=click.IntRange(min=0, max=20), default=1, show_default=True,
              help="Which generated items (--generate).")
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Items per transaction (and checkpoint).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for the text stages [default: one per core].")
@click.option("--restart", is_flag=True, help="Forget the checkpoint: from the beginning.")
@click.pass_context
def backfill_cmd(click_ctx: click.Context, keys: tuple[str, ...], count: int | None,
                 seed: int, batch: int, jobs: int | None, restart: bool) -> None:
    """Replay archived raw pages (or generate items) through the pipeline, in batches; a
    killed run resumes after its last stored batch."""
    settings = _settings(click_ctx)
    name = f"generate:{seed}" if count else replay.archive_name(keys or None)
    options = BackfillOptions(name, batch=batch, jobs=jobs or os.cpu_count() or 1,
                              restart=restart)
    base_url, tz = settings.govkz_base_url.rstrip("/"), timezone(settings)
    engine = db.open_store(settings.database_url, migrate=True)
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            after = 0 if restart else checkpoints.load(conn, name).position
            total = (count - min(after, count)) if count else archive.remaining(
                conn, after, keys or None)
        with progress_bar(total, name) as advance:
            if count:
                counts = replay.generate(engine, count, seed=seed, base_url=base_url,
                                         timezone=tz, pipeline=pipeline_options(settings),
                                         options=options, progress=advance)
            else:
                counts = replay.replay(engine, base_url=base_url, timezone=tz,
                                       pipeline=pipeline_options(settings), keys=keys or None,
                                       options=options, progress=advance)
    finally:
        engine.dispose()
    items = sum(counts[k] for k in ("new", "updated", "unchanged", "dropped"))
    seconds = time.perf_counter() - started
    click.echo(f"backfill {name}: {items} item(s) in {seconds:.1f} s "
               f"({items / max(seconds, 1e-9):,.0f} items/s): {summary(counts)}")


def register(group: click.Group) -> None:
    group.add_command(backfill_cmd)

"""Items in bulk through the real pipeline into the store: `aqparat backfill` and `replay`.

Input is a stream of `Work` (an item and the source it belongs to) from the raw archive
(crawl/replay.py) or a generator (testing/synth_items.py). It is cut into batches that never
split one archived page; each batch is one transaction holding its items, their stories and
the run's checkpoint (store/checkpoints.py), so a backfill killed anywhere resumes after its
last committed batch, storing nothing twice. The text stages are CPU-bound and pure, so with
`jobs` > 1 they run in a process pool while the parent stores the previous batch; the workers
then also prepare what the store would work out itself (model.Prepared), so the parent, the
pool's serial part, mostly writes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.crawl import pages
from aqparat.crawl.run import prepare_store
from aqparat.errors import StoreError
from aqparat.model import Lang, Outcome, RawItem
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.store import checkpoints, stories
from aqparat.store.checkpoints import Checkpoint
from aqparat.store.fts import index as search_index

log = logging.getLogger(__name__)

# SQLite's page cache for the connection that stores the batches (2 MiB by default). A batch
# writes more pages than that, and FTS5 merging the batch's documents into the index reads
# many back: at 9,000 items that write took 2.1 ms a document with the default, 0.42 with
# this. Only this process's writer gets it; web workers' readers keep the default.
WRITER_CACHE_KIB = 128 * 1024


@dataclass(frozen=True, slots=True)
class Work:
    """One item to store, and the checkpoint position reached once its batch is stored."""

    position: int  # its archived page's id, or its index + 1 among generated items
    source_id: int
    lang: Lang | None  # gov.kz: the listing's language (another is a missing translation)
    raw: RawItem
    raw_page_id: int | None = None


@dataclass(frozen=True, slots=True)
class BackfillOptions:
    name: str  # the checkpoint's name: "archive", "generate:<seed>"
    batch: int = 500  # items per transaction (a page is never split)
    jobs: int = 1  # processes for the text stages
    restart: bool = False  # forget the checkpoint: everything again


# What a progress display is told after each batch: items in it, and its counts.
Progress = Callable[[int, Counter[str]], None]
Processor = Callable[[list[RawItem]], Callable[[], list[Outcome]]]


def run(engine: sa.Engine, works: Callable[[int], Iterable[Work]], options: BackfillOptions,
        pipeline: PipelineOptions, progress: Progress | None = None) -> Counter[str]:
    """Everything `works(checkpoint)` yields, through the pipeline, a batch a transaction."""
    prepare_store(engine)
    with engine.begin() as conn:
        if options.restart:
            checkpoints.reset(conn, options.name)
        mark = checkpoints.load(conn, options.name)
    counts: Counter[str] = Counter()
    pending: tuple[list[Work], Callable[[], list[Outcome]]] | None = None
    with processor(pipeline, options.jobs) as submit:
        for batch in batches(works(mark.position), options.batch):
            ahead = (batch, submit([w.raw for w in batch]))  # computed while we store
            if pending is not None:
                mark = _store(engine, options.name, mark, pending, pipeline.stories, counts,
                              progress)
            pending = ahead
        if pending is not None:
            _store(engine, options.name, mark, pending, pipeline.stories, counts, progress)
    return counts


def batches(works: Iterable[Work], size: int) -> Iterator[list[Work]]:
    """Runs of about `size` items, cut only where the position changes."""
    batch: list[Work] = []
    for work in works:
        if len(batch) >= size and work.position != batch[-1].position:
            yield batch
            batch = []
        batch.append(work)
    if batch:
        yield batch


def _store(engine: sa.Engine, name: str, mark: Checkpoint,
           pending: tuple[list[Work], Callable[[], list[Outcome]]], dedup: DedupOptions,
           counts: Counter[str], progress: Progress | None) -> Checkpoint:
    batch, outcomes = pending
    done: Counter[str] = Counter()
    mark = Checkpoint(batch[-1].position, mark.items + len(batch))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
            with search_index.queued(conn):  # the batch's documents in one write
                for work, outcome in zip(batch, outcomes(), strict=True):
                    done[save(conn, work, outcome, dedup)] += 1
            checkpoints.save(conn, name, mark)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"store: backfill {name}: batch ending at position {mark.position}: "
                         f"{exc}; the next run resumes after position {mark.position - 1} "
                         f"or earlier") from exc
    counts.update(done)
    if progress is not None:
        progress(len(batch), done)
    return mark


def save(conn: sa.Connection, work: Work, outcome: Outcome, dedup: DedupOptions) -> str:
    """new / updated / unchanged / dropped, as a crawl would have stored the item."""
    if work.lang is not None:  # gov.kz: the crawl's own rules (a missing translation …)
        return pages.save_item(conn, work.source_id, work.lang, work.raw, outcome,
                               work.raw_page_id, dedup)
    art = outcome.article
    if art is None:
        log.info("pipeline: dropped %s", outcome.reason)
        return "dropped"
    return stories.keep(conn, art, work.source_id, dedup, work.raw_page_id)


# ── the text stages, here or in a process pool ───────────────────────────────────────────────


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_OPTIONS: PipelineOptions | None = None


def _init(options: PipelineOptions) -> None:
    global _OPTIONS
    _OPTIONS = options


def _process(raw: RawItem) -> Outcome:
    assert _OPTIONS is not None, "backfill: pool worker used before its initializer ran"
    return process(raw, _OPTIONS)


@contextlib.contextmanager
def processor(options: PipelineOptions, jobs: int) -> Iterator[Processor]:
    """submit(raws) → a function giving their outcomes (waiting for them when pooled)."""
    if jobs <= 1:
        def inline(raws: list[RawItem]) -> Callable[[], list[Outcome]]:
            found = [process(raw, options) for raw in raws]
            return lambda: found
        yield inline
        return
    # A clock a child can unpickle (the default is a lambda). Not fork: the parent holds
    # database connections and threads a forked child must not inherit. A fork server: one
    # fresh interpreter imports the program (the CLI alone is 1.7 s of CPU) and the pipeline
    # once, and each worker is a fork of it, where spawning imported them in every worker.
    # The workers also do the store's pure work (pipeline/run.py stage 7): the parent writes.
    portable = dataclasses.replace(options, clock=_now, prepare=True)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__])  # this module: the pipeline, the workers'
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init,
                             initargs=(portable,)) as pool:
        def pooled(raws: list[RawItem]) -> Callable[[], list[Outcome]]:
            chunk = max(1, len(raws) // (jobs * 4))
            futures = [pool.submit(_process_many, raws[i: i + chunk])
                       for i in range(0, len(raws), chunk)]
            return lambda: [o for f in futures for o in f.result()]
        yield pooled


def _process_many(raws: list[RawItem]) -> list[Outcome]:
    return [_process(raw) for raw in raws]

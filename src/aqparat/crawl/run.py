"""Crawl runs: which sources are due, each one's languages walked page by page, every result
recorded on the source's row (a failed source is data), breakers per source and per run.

Each source is claimed before it is crawled (store/claims.py): a lease renewed with every
stored page and released with its result, so crawl workers sharing one PostgreSQL never
crawl a source twice at once."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa

from aqparat import data
from aqparat.crawl import pages, passes
from aqparat.crawl.passes import PassOptions
from aqparat.errors import LeaseLostError, SourceError, StoreError
from aqparat.fetch import schedule
from aqparat.fetch.client import CircuitBreaker
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.model import Lang
from aqparat.pipeline.run import PipelineOptions
from aqparat.sources import govkz
from aqparat.sources.govkz_api import GovKzApi, where
from aqparat.store import claims, cursors, rubrics, sources
from aqparat.store.claims import Lease
from aqparat.store.sources import SourceState

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    passes: PassOptions
    schedule: ScheduleOptions
    pipeline: PipelineOptions


@dataclass(slots=True)
class SourceReport:
    key: str
    counts: Counter[str] = field(default_factory=Counter)  # new updated unchanged dropped errors
    errors: list[str] = field(default_factory=list)
    langs_ok: int = 0
    status: str = "ok"  # ok | error | suspended | lost (another worker took the source)


class Progress(Protocol):
    def page(self, key: str, lang: str, page: int, counts: Counter[str]) -> None: ...
    def source_done(self, report: SourceReport) -> None: ...


class LogProgress:
    """Plain log lines: what a crawl says when nobody watches a terminal."""

    def page(self, key: str, lang: str, page: int, counts: Counter[str]) -> None:
        log.info("crawl: %s: %s", where(key, lang, page), summary(counts))

    def source_done(self, report: SourceReport) -> None:
        log.info("crawl: %s %s: %s", report.key, report.status, summary(report.counts))


def lost(report: SourceReport, exc: LeaseLostError, progress: Progress) -> SourceReport:
    """The source became another worker's mid-crawl (its lease ran out): that worker records
    the source's state; this one says so and stops."""
    log.warning("%s", exc)
    report.errors.append(str(exc))
    report.status = "lost"
    progress.source_done(report)
    return report


def summary(counts: Counter[str]) -> str:
    return (f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
            f", {counts['dropped']} dropped, {counts['errors']} errors")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def worker_name() -> str:
    """host:pid — unique among the workers sharing a store, and says where to look."""
    return f"{socket.gethostname()}:{os.getpid()}"


def prepare_store(engine: sa.Engine) -> None:
    """Rubrics and known entities into the store, before any item needs them. Workers that
    start together race here; the loser of a unique insert simply tries again."""
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                rubrics.sync(conn, data.rubrics())
                sources.sync_entities(conn, data.entities())
            return
        except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
            if attempt == 2:
                raise StoreError(f"store: cannot add rubrics and entities: {exc}") from exc


def dead_here(names: set[str]) -> frozenset[str]:
    """Default-named workers (host:pid) of this host whose process is gone: killed, their
    leases need not be waited out. (Another host's workers can only be waited out.)"""
    host, dead = socket.gethostname(), set()
    for name in names:
        where_, _, pid = name.rpartition(":")
        if where_ == host and pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                dead.add(name)
            except PermissionError:
                pass  # alive, another user's
    return frozenset(dead)


def claim(engine: sa.Engine, kind: str | tuple[str, ...], lease: Lease, now: dt.datetime,
          keys: tuple[str, ...] | None, *, force: bool, skip: set[int]) -> SourceState | None:
    """The next due source, claimed for this worker (None: nothing left to claim)."""
    with engine.begin() as conn:
        found = claims.next_due(conn, kind, lease, now, keys=keys, force=force,
                                skip=frozenset(skip), dead=dead_here(claims.holders(conn, now)))
        return sources.state_by_id(conn, found) if found is not None else None


class Crawler:
    def __init__(self, engine: sa.Engine, api: GovKzApi, options: CrawlOptions, *,
                 progress: Progress | None = None,
                 now: Callable[[], dt.datetime] = utcnow, lease: Lease | None = None) -> None:
        self.engine, self.api, self.options = engine, api, options
        self.progress = progress or LogProgress()
        self.now = now
        self.lease = lease or Lease(worker_name())

    def prepare(self) -> None:
        prepare_store(self.engine)

    def run_once(self, keys: tuple[str, ...] | None = None, *, force: bool = False,
                 rescan: bool = False) -> list[SourceReport]:
        """Crawl every due source (of `keys`, when given) once; with `force`, due or not."""
        self.prepare()
        run_breaker = CircuitBreaker(self.options.schedule.breaker_failures)
        reports: list[SourceReport] = []
        taken: set[int] = set()
        while (state := claim(self.engine, "govkz", self.lease, self.now(), keys,
                              force=force, skip=taken)) is not None:
            taken.add(state.row.id)
            if run_breaker.open:
                log.error("crawl: %d sources in a row failed completely; gov.kz looks "
                          "unreachable, stopping this run", run_breaker.failures)
                with self.engine.begin() as conn:
                    claims.release(conn, state.row.id, self.lease)
                break
            report = self.crawl_source(state, rescan=rescan)
            reports.append(report)
            run_breaker.success() if report.langs_ok else run_breaker.failure()
        return reports

    def crawl_source(self, state: SourceState, *, rescan: bool = False) -> SourceReport:
        report = SourceReport(state.key)
        breaker = CircuitBreaker(self.options.schedule.breaker_failures, state.failures)
        started, waits = self.now(), []
        for lang in self.api.options.langs:
            if breaker.open:
                report.errors.append(f"crawl: {state.key}: suspended after {breaker.failures}"
                                     f" consecutive failures")
                break
            try:
                self.crawl_lang(state, lang, report, rescan=rescan)
            except LeaseLostError as exc:
                return lost(report, exc, self.progress)
            except SourceError as exc:
                log.error("%s", exc)
                report.errors.append(str(exc))
                waits.append(getattr(exc, "retry_after", None) or 0.0)
                breaker.failure()
            else:
                report.langs_ok += 1
        if not report.errors:
            breaker.success()  # only a clean run closes it: one good language proves little
        report.status = "suspended" if breaker.open else "error" if report.errors else "ok"
        self._record(state, report, breaker.failures, max(waits, default=None), started)
        self.progress.source_done(report)
        return report

    def crawl_lang(self, state: SourceState, lang: Lang, report: SourceReport, *,
                   rescan: bool = False) -> None:
        """One pass over one language's listing, resumed at the checkpoint if interrupted."""
        now = self.now()
        with self.engine.connect() as conn:
            cursor = cursors.load(conn, state.row.id, lang)
        kind = passes.kind_for(cursor, now, self.options.passes, rescan=rescan)
        cursor = passes.begin(cursor, kind, now)
        for _ in range(self.options.passes.max_pages):
            cursor, more = self._page(state, lang, cursor, report, now)
            if not more:
                with self.engine.begin() as conn:
                    claims.renew(conn, state.row.id, self.lease, self.now(),
                                 where(state.key, lang, cursor.pass_page))
                    cursors.save(conn, passes.finish(cursor, now))
                return
        log.warning("crawl: %s: read govkz_max_pages=%d pages in this pass; it goes on next run",
                    where(state.key, lang, cursor.pass_page), self.options.passes.max_pages)

    def _page(self, state: SourceState, lang: Lang, cursor: cursors.Cursor,
              report: SourceReport, now: dt.datetime) -> tuple[cursors.Cursor, bool]:
        """Fetch and store the page after the checkpoint; whether the pass reads on."""
        page = cursor.pass_page + 1
        conditional = cursor.pass_kind == passes.INCREMENTAL and page == 1
        listing = self.api.page(
            state.key, lang, page, ordered=cursor.pass_kind != passes.BACKFILL,
            etag=cursor.etag if conditional else None,
            last_modified=cursor.last_modified if conditional else None)
        if listing.not_modified:
            return cursor, False
        ctx = govkz.ItemContext(state.key, lang, self.api.options.base_url,
                                self.api.options.timezone, where(state.key, lang, page))
        read = pages.read_page(listing.items, ctx, self.options.pipeline)
        target = pages.Target(state.row.id, state.key, lang, page)
        try:
            with self.engine.begin() as conn:
                claims.renew(conn, state.row.id, self.lease, self.now(),
                             where(state.key, lang, page))
                counts, cursor = pages.store_page(conn, target, listing, read, cursor, now)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"store: {where(state.key, lang, page)}: {exc}") from exc
        report.counts.update(counts)
        self.progress.page(state.key, lang, page, counts)
        short = len(listing.items) < self.api.options.page_size
        done = passes.done_after(cursor, read.published, counts["new"], now, self.options.passes)
        return cursor, not (short or done)

    def _record(self, state: SourceState, report: SourceReport, failures: int,
                retry_after: float | None, started: dt.datetime) -> None:
        now = self.now()
        error = "; ".join(report.errors) or None
        counts = (report.counts["new"], report.counts["updated"], report.counts["unchanged"])
        with self.engine.begin() as conn:
            seen = report.langs_ok > 0 or state.last_fetch_at is not None
            rate = sources.observed_rate(conn, state.row.id, now) if seen else None
            tier = schedule.tier_for(state.row.entity_type, rate)
            sources.record_result(
                conn, state.row.id, status=report.status, error=error, failures=failures,
                tier=tier, rate_per_day=rate,
                next_fetch_at=schedule.next_fetch(now, tier, self.options.schedule,
                                                  failures=failures, retry_after=retry_after))
            sources.log_fetch(conn, target=f"govkz:{state.key}", source_id=state.row.id,
                              started=started, status="error" if error else "ok",
                              counts=counts, error=error)
            claims.release(conn, state.row.id, self.lease)

    def run_forever(self, keys: tuple[str, ...] | None = None, *,
                    stop: threading.Event | None = None, longest_sleep: float = 60.0) -> None:
        """Crawl whatever is due, sleep until the next source is, repeat until `stop`."""
        stop = stop or threading.Event()
        while not stop.is_set():
            self.run_once(keys)
            with self.engine.connect() as conn:
                states = sources.states(conn, keys=keys, enabled_only=True)
            rows = [schedule.Due(s.row.id, s.key, s.next_fetch_at) for s in states]
            stop.wait(schedule.seconds_until_next(rows, self.now(), longest_sleep))

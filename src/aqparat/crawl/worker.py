"""A crawl worker: claims due sources, crawls them, repeats — one of any number sharing one
PostgreSQL store from several hosts (docs/deploy.md).

Workers coordinate only through the store: each source is claimed with a lease
(store/claims.py), so no two crawl it at once, and a killed worker's sources are taken over
once its lease runs out. SQLite has a single writer, so one worker per SQLite file: the
second is refused at start with a message saying so (an advisory lock beside the database
file, which the kernel drops when its holder dies, even by SIGKILL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from aqparat.crawl.run import Crawler, SourceReport, utcnow
from aqparat.crawl.web import WebCrawler
from aqparat.errors import StoreError
from aqparat.fetch import schedule
from aqparat.store import claims, sources
from aqparat.store.claims import Lease
from aqparat.store.web_sources import WEB_KINDS

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    keys: tuple[str, ...] | None = None  # only these sources
    until_idle: bool = False  # exit once nothing is due and no other worker holds a source
    longest_sleep: float = 60.0  # seconds between looks at the schedule, at most
    poll: float = 1.0  # while another worker holds a source: how often to look again


@contextlib.contextmanager
def single_writer(engine: sa.Engine) -> Iterator[None]:
    """On a SQLite store, hold `<database>.worker.lock` for as long as the worker runs."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        yield
        return
    path = Path(f"{engine.url.database}.worker.lock")
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreError(
                f"crawl: {engine.url.database} is a SQLite store and crawl worker {holder} "
                f"already runs on it (lock {path}); SQLite has one writer, so run one worker "
                f"per SQLite store, or use PostgreSQL for several (docs/deploy.md)") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Worker:
    """gov.kz entities and/or feed and page sources, claimed under one lease name."""

    def __init__(self, engine: sa.Engine, govkz: Crawler | None, web: WebCrawler | None,
                 options: WorkerOptions, lease: Lease,
                 now: Callable[[], dt.datetime] = utcnow) -> None:
        self.engine, self.govkz, self.web, self.options = engine, govkz, web, options
        self.lease, self.now = lease, now
        self.kinds: tuple[str, ...] = (("govkz",) if govkz else ()) + (WEB_KINDS if web else ())

    def run(self, stop: threading.Event | None = None) -> list[SourceReport]:
        """Claim and crawl until `stop` (or, with `until_idle`, until there is nothing left
        to do: nothing due, no source held by another worker)."""
        stop = stop or threading.Event()
        reports: list[SourceReport] = []
        while not stop.is_set():
            done = self._round()
            reports += done
            wait = self._wait(bool(done))
            if wait is None:
                break
            stop.wait(wait)
        return reports

    def _round(self) -> list[SourceReport]:
        keys = self.options.keys
        found = self.govkz.run_once(keys) if self.govkz else []
        return found + (self.web.run_once(keys) if self.web else [])

    def _wait(self, worked: bool) -> float | None:
        """Seconds until the next look; None when `until_idle` and all is done."""
        now = self.now()
        with self.engine.connect() as conn:
            held = claims.held_by_others(conn, self.kinds, self.lease, now, self.options.keys)
            states = [s for kind in self.kinds
                      for s in sources.states(conn, kind, keys=self.options.keys,
                                              enabled_only=True)]
        if held is not None:  # its worker may finish (nothing to do) or die (take it over)
            return min(self.options.poll, max(0.0, (held - now).total_seconds()))
        if self.options.until_idle:
            return 0.0 if worked else None
        rows = [schedule.Due(s.row.id, s.key, s.next_fetch_at) for s in states]
        return schedule.seconds_until_next(rows, now, self.options.longest_sleep)

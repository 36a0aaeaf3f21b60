"""Feed and page sources: due sources → fetch → adapt → pipeline → store, each result on
the source's row (as the gov.kz collector does: `crawl/run.py`).

* feed: a conditional GET of the feed; a 301/308 moves the source's URL for good (a 302
  does not); a first fetch that finds an HTML page follows its `<link rel="alternate">`
  feed; summary-only items get their page's text (`sources/pages.py`), once: an item already
  stored is not fetched again.
* page: the index page's links that match the source's pattern (sources file), each article
  not yet stored fetched and stored in its own transaction, at most `page_max_articles` a run.

Validators are saved only when a run read everything it found new, so a 304 never hides an
item left for the next run. Sources are claimed as gov.kz entities are (store/claims.py): the
lease is renewed with every stored unit and released with the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from aqparat import data
from aqparat.crawl.pages import aware
from aqparat.crawl.run import (
    Crawler,
    CrawlOptions,
    LogProgress,
    Progress,
    SourceReport,
    claim,
    lost,
    utcnow,
    worker_name,
)
from aqparat.crawl.web_units import Download, Unit, store_unit
from aqparat.errors import LeaseLostError, ParseError, SourceError, StoreError
from aqparat.fetch import schedule
from aqparat.fetch.client import FetchClient
from aqparat.model import RawItem
from aqparat.pipeline.run import ALMATY, process
from aqparat.sourcefile import WebSourceDef
from aqparat.sources import encoding, feeds, links, pages, remote
from aqparat.sources.remote import Fetched
from aqparat.store import claims, cursors, rubrics, sources, web_sources
from aqparat.store.claims import Lease
from aqparat.store.cursors import Cursor
from aqparat.store.sources import SourceState
from aqparat.store.web_sources import ANY_LANG, WEB_KINDS

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WebOptions:
    full_text: feeds.FullText = "auto"
    summary_chars: int = 600  # a feed text shorter than this is a summary
    max_articles: int = 30  # article pages fetched per source and run
    defs: Mapping[str, WebSourceDef] = field(default_factory=dict)  # by URL
    sources_file: str = "sources.toml"  # named in messages


@dataclass(slots=True)
class _Run:
    """One source's run: its cursor as it goes, and whether validators may be saved."""

    state: SourceState
    cursor: Cursor
    complete: bool = True
    moved: str | None = None


class WebCrawler:
    def __init__(self, engine: sa.Engine, client: FetchClient, options: CrawlOptions,
                 web: WebOptions, *, progress: Progress | None = None,
                 now: Callable[[], dt.datetime] = utcnow, lease: Lease | None = None) -> None:
        self.engine, self.client, self.options, self.web = engine, client, options, web
        self.progress = progress or LogProgress()
        self.now = now
        self.lease = lease or Lease(worker_name())

    def states(self, keys: tuple[str, ...] | None = None) -> list[SourceState]:
        with self.engine.connect() as conn:
            return web_sources.states(conn, keys=keys, enabled_only=True)

    def run_once(self, keys: tuple[str, ...] | None = None, *, force: bool = False
                 ) -> list[SourceReport]:
        reports: list[SourceReport] = []
        taken: set[int] = set()
        while (state := claim(self.engine, WEB_KINDS, self.lease, self.now(), keys,
                              force=force, skip=taken)) is not None:
            if not taken:
                self._rubrics()
            taken.add(state.row.id)
            reports.append(self.crawl_source(state))
        return reports

    def _rubrics(self) -> None:
        """Items are classified into these; workers starting together may race to add them."""
        try:
            with self.engine.begin() as conn:
                rubrics.sync(conn, data.rubrics())
        except sa.exc.IntegrityError:
            with self.engine.begin() as conn:
                rubrics.sync(conn, data.rubrics())

    def crawl_source(self, state: SourceState) -> SourceReport:
        report = SourceReport(state.key)
        started, retry_after = self.now(), None
        try:
            run = self._begin(state)
            self._feed(run, report) if state.row.kind == "feed" else self._index(run, report)
        except LeaseLostError as exc:
            return lost(report, exc, self.progress)
        except (SourceError, StoreError) as exc:
            log.error("%s", exc)
            report.errors.append(str(exc))
            retry_after = getattr(exc, "retry_after", None)
        else:
            report.langs_ok = 1
        failures = 0 if not report.errors else state.failures + 1
        breaker = self.options.schedule.breaker_failures
        report.status = ("ok" if not report.errors else
                         "suspended" if 0 < breaker <= failures else "error")
        self._record(state, report, failures, retry_after, started)
        self.progress.source_done(report)
        return report

    def _begin(self, state: SourceState) -> _Run:
        with self.engine.connect() as conn:
            return _Run(state, cursors.load(conn, state.row.id, ANY_LANG))

    # ── feeds ───────────────────────────────────────────────────────────────────────────

    def _feed(self, run: _Run, report: SourceReport) -> None:
        key = run.state.key
        fetched = remote.get(self.client, key, what=f"feed {key}", etag=run.cursor.etag,
                             last_modified=run.cursor.last_modified)
        if fetched.not_modified:
            self._finish(run, report, Unit(), fetched)
            return
        feed, fetched = self._feed_or_discovered(run, fetched)
        for warning in feed.warnings:
            log.warning("feeds: %s: %s", key, warning)
        unit = self._read_feed(run, feed, fetched)
        self._finish(run, report, unit, fetched)

    def _feed_or_discovered(self, run: _Run, fetched: Fetched) -> tuple[feeds.Feed, Fetched]:
        """The feed; on a source's first fetch, an HTML page's announced feed instead."""
        try:
            return feeds.parse_feed(fetched.body, fetched.url, fetched.content_type), fetched
        except ParseError:
            found = self._announced(run, fetched)
            if found is None:
                raise
        log.info("feeds: %s is a page announcing the feed %s; following it", run.state.key,
                 found)
        fetched = remote.get(self.client, found, what=f"feed {found} (announced by "
                                                         f"{run.state.key})")
        run.moved = found  # the page is not the feed: remember the feed
        return feeds.parse_feed(fetched.body, fetched.url, fetched.content_type), fetched

    def _announced(self, run: _Run, fetched: Fetched) -> str | None:
        # Only before a source has ever been read: later, an HTML answer is an error page
        # (whose template may well announce the site's main feed) and must show as one.
        if run.state.status is not None or b"<" not in fetched.body[:2048]:
            return None
        html = encoding.decode(fetched.body, fetched.content_type).text
        found = links.feed_links(html, fetched.url)
        return found[0].url if found and found[0].url != fetched.url else None

    def _read_feed(self, run: _Run, feed: feeds.Feed, fetched: Fetched) -> Unit:
        unit = Unit()
        unit.add_download(Download("feed", fetched.url, fetched.body))
        with self.engine.connect() as conn:
            known = web_sources.known_ids(conn, run.state.row.id,
                                          [e.key for e in feed.entries])
        definition = self.web.defs.get(run.state.key)
        mode = (definition.full_text if definition and definition.full_text
                else self.web.full_text)
        budget = self.web.max_articles
        for entry in feed.entries:
            page: feeds.PageText | None = None
            where = 0
            if feeds.needs_page(entry, mode, self.web.summary_chars):
                if entry.key in known:  # its page was read when it was new
                    unit.counts["unchanged"] += 1
                    continue
                if budget <= 0:
                    run.complete = False
                    continue
                budget -= 1
                page, where = self._article(entry.link or "", unit)
            self._add(unit, feeds.to_raw_item(feed, entry, run.state.key, page), where,
                      f"{feed.url} item {entry.position}")
        return unit

    def _article(self, url: str, unit: Unit) -> tuple[feeds.PageText | None, int]:
        try:
            fetched = remote.get(self.client, url, what=f"article {url}", accept="page")
            article = pages.extract_article(fetched.body, url, fetched.content_type)
        except SourceError as exc:
            log.warning("feeds: full text of %s not read (%s); the feed's summary is kept",
                        url, exc)
            return None, 0
        return pages.page_text(article), unit.add_download(Download("article", url,
                                                                    fetched.body))

    def _add(self, unit: Unit, raw: RawItem | None, where: int, origin: str) -> None:
        if raw is None:
            log.info("feeds: %s has no date, in the feed or on its page; dropped", origin)
            unit.counts["dropped"] += 1
            return
        unit.items.append((raw, process(raw, self.options.pipeline), where))

    # ── page sources ────────────────────────────────────────────────────────────────────

    def _index(self, run: _Run, report: SourceReport) -> None:
        key = run.state.key
        definition = self.web.defs.get(key)
        if definition is None or definition.pattern is None:
            raise SourceError(f"crawl: page source {key} has no link pattern; add it as a "
                              f"[[page]] with `pattern` to {self.web.sources_file}")
        fetched = remote.get(self.client, key, what=f"index {key}", accept="page",
                             etag=run.cursor.etag, last_modified=run.cursor.last_modified)
        if not fetched.not_modified:
            self._articles(run, report, pages.article_links(
                fetched.body, fetched.url, definition.pattern, fetched.content_type))
        self._finish(run, report, Unit(), fetched)

    def _articles(self, run: _Run, report: SourceReport, urls: list[str]) -> None:
        keys = {url: feeds.entry_key(None, url, "", None) for url in urls}
        with self.engine.connect() as conn:
            known = web_sources.known_ids(conn, run.state.row.id, keys.values())
        fresh = [url for url in urls if keys[url] not in known]
        run.complete = len(fresh) <= self.web.max_articles
        failed = 0
        for url in fresh[: self.web.max_articles]:
            unit = self._page_unit(run.state, url)
            failed += unit is None
            if unit is not None:
                self._store(run.state, unit, None, report)
        report.counts["errors"] += failed
        if failed:
            run.complete = False
            if failed == len(fresh[: self.web.max_articles]):
                raise SourceError(f"crawl: {run.state.key}: none of {failed} new article "
                                  f"page(s) could be read; see the log for each")

    def _page_unit(self, state: SourceState, url: str) -> Unit | None:
        try:
            fetched = remote.get(self.client, url, what=f"article {url}", accept="page")
            article = pages.extract_article(fetched.body, url, fetched.content_type)
        except SourceError as exc:
            log.error("%s", exc)
            return None
        unit = Unit()
        where = unit.add_download(Download("article", url, fetched.body))
        self._add(unit, pages.to_raw_item(article, state.key), where, url)
        return unit

    # ── storing and recording ───────────────────────────────────────────────────────────

    def _finish(self, run: _Run, report: SourceReport, unit: Unit, fetched: Fetched) -> None:
        now = self.now()
        cursor = dataclasses.replace(run.cursor, last_complete_at=now)
        if run.complete and not fetched.not_modified:
            cursor = dataclasses.replace(cursor, etag=fetched.etag,
                                         last_modified=fetched.last_modified)
        elif not run.complete:
            cursor = dataclasses.replace(cursor, etag=None, last_modified=None)
        published = [raw.published for raw, _, _ in unit.items]
        newest = max((aware(p, ALMATY) for p in published), default=None)
        if newest is not None and (cursor.high_water is None or newest > cursor.high_water):
            cursor = dataclasses.replace(cursor, high_water=newest)
        run.moved = run.moved or fetched.moved_to
        self._store(run.state, unit, cursor, report, run.moved)

    def _store(self, state: SourceState, unit: Unit, cursor: Cursor | None,
               report: SourceReport, moved: str | None = None) -> None:
        try:
            with self.engine.begin() as conn:
                claims.renew(conn, state.row.id, self.lease, self.now(),
                             f"{state.row.kind} {state.key}")
                counts = store_unit(conn, state.row.id, unit, cursor)
                if moved:
                    self._move(conn, state, moved)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"store: {state.row.kind} {state.key}: {exc}") from exc
        report.counts.update(counts)
        self.progress.page(state.key, ANY_LANG, 1, counts)

    def _move(self, conn: sa.Connection, state: SourceState, new_url: str) -> None:
        if web_sources.rekey(conn, state.row.id, state.row.kind, new_url):
            log.warning("feeds: %s moved permanently to %s; the source now reads the new "
                        "address", state.key, new_url)
        else:
            log.warning("feeds: %s moved permanently to %s, which another source already "
                        "reads; kept the old address", state.key, new_url)

    def _record(self, state: SourceState, report: SourceReport, failures: int,
                retry_after: float | None, started: dt.datetime) -> None:
        now = self.now()
        error = "; ".join(report.errors) or None
        counts = (report.counts["new"], report.counts["updated"], report.counts["unchanged"])
        with self.engine.begin() as conn:
            rate = sources.observed_rate(conn, state.row.id, now) if not error else None
            tier = _tier(state, rate)
            sources.record_result(
                conn, state.row.id, status=report.status, error=error, failures=failures,
                tier=tier, rate_per_day=rate if rate is not None else state.rate_per_day,
                next_fetch_at=schedule.next_fetch(now, tier, self.options.schedule,
                                                  failures=failures, retry_after=retry_after))
            sources.log_fetch(conn, target=f"{state.row.kind}:{state.key}",
                              source_id=state.row.id, started=started,
                              status="error" if error else "ok", counts=counts, error=error)
            claims.release(conn, state.row.id, self.lease)


def _tier(state: SourceState, rate: float | None) -> schedule.Tier:
    """An entity type or an observed rate decides; a feed with neither is polled as warm
    (every few hours): cheaper than hot, and a conditional GET costs the site little."""
    if rate is None and state.row.entity_type is None:
        return "warm"
    return schedule.tier_for(state.row.entity_type, rate)


def run_forever(crawler: Crawler | None, web: WebCrawler | None,
                keys: tuple[str, ...] | None = None, *, stop: threading.Event | None = None,
                longest_sleep: float = 60.0) -> None:
    """gov.kz and/or web sources: crawl what is due, sleep until the next one is."""
    stop = stop or threading.Event()
    engine = web.engine if web is not None else crawler.engine if crawler is not None else None
    if engine is None:
        return
    while not stop.is_set():
        states: list[SourceState] = []
        if crawler is not None:
            crawler.run_once(keys)
            with engine.connect() as conn:
                states += sources.states(conn, keys=keys, enabled_only=True)
        if web is not None:
            web.run_once(keys)
            states += web.states(keys)
        rows = [schedule.Due(s.row.id, s.key, s.next_fetch_at) for s in states]
        stop.wait(schedule.seconds_until_next(rows, utcnow(), longest_sleep))

"""View counts ("N рет көрсетілді") without cookies, personal data or a write per page view.

An article page that a reader's browser asked for adds one to a counter in this process's
memory — no cookie is read or set, nothing about the reader is kept. A background thread adds
the counted views to the store (store/views.py) every `views_flush_seconds`, or sooner once
`views_flush_batch` views are waiting, in one upsert; the application's shutdown writes what is
left, so a restart loses nothing. Several web processes each count their own share: the
upsert adds, it never overwrites.

Not counted: HEAD requests, prefetches and prerenders (`Purpose`/`Sec-Purpose: prefetch`,
`X-Moz: prefetch`), and user agents that crawlerdetect knows as bots. `CountViews` sits in
the middleware stack, around any page cache, so a page served from a cache is counted too.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import sqlalchemy as sa
from crawlerdetect import CrawlerDetect
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aqparat.store import views

log = logging.getLogger(__name__)

# An article page in any edition: /kk/news/42, /kk-Latn/news/42 (web/editions.py).
ARTICLE_PATH = re.compile(r"/(?:kk|ru|en|kk-Latn|kk-Arab)/news/([1-9][0-9]{0,17})")
_PREFETCH = re.compile(r"prefetch|prerender|preview", re.IGNORECASE)
_BOTS = CrawlerDetect()


@dataclass(frozen=True, slots=True)
class FlushOptions:
    every: float = 10.0  # seconds between writes
    batch: int = 1000  # waiting views that wake the writer early


def is_reader(method: str, headers: Headers) -> bool:
    """Whether a request for an article page is a reader's view worth counting."""
    if method != "GET":
        return False
    for name in ("purpose", "sec-purpose", "x-moz", "x-purpose"):
        if _PREFETCH.search(headers.get(name, "")):
            return False
    agent = headers.get("user-agent", "").strip()
    return bool(agent) and not _BOTS.is_crawler(agent[:512])


def viewed(scope: Scope) -> int | None:
    """The article this request adds a view to when it is answered 200 or 304, if any."""
    match = ARTICLE_PATH.fullmatch(scope["path"])
    if match is None or not is_reader(scope["method"], Headers(scope=scope)):
        return None
    return int(match.group(1))


class ViewCounter:
    """Views counted in memory, written to the store in batches by one background thread."""

    def __init__(self, engine: sa.Engine, options: FlushOptions) -> None:
        self.engine = engine
        self.options = options
        self._pending: Counter[int] = Counter()
        self._waiting = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, item_id: int) -> None:
        with self._lock:
            self._pending[item_id] += 1
            self._waiting += 1
            full = self._waiting >= self.options.batch
        if full:
            self._wake.set()

    def pending(self, item_id: int) -> int:
        """Views of an item counted here and not yet written (a page adds them to its count)."""
        with self._lock:
            return self._pending.get(item_id, 0)

    def flush(self) -> int:
        """Write what is waiting, in one transaction; on failure keep it for the next try.
        Returns the views written."""
        with self._lock:
            batch, self._pending, self._waiting = self._pending, Counter(), 0
        if not batch:
            return 0
        try:
            with self.engine.begin() as conn:
                views.add(conn, batch)
        except sa.exc.SQLAlchemyError as exc:
            with self._lock:
                self._pending.update(batch)
                self._waiting += batch.total()
            log.warning("views: cannot write %d counted views (kept for the next try): %s",
                        batch.total(), exc)
            return 0
        return batch.total()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="aqparat-views",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the writer and write what is left (the application's shutdown)."""
        if self._thread is not None:
            self._stop.set()
            self._wake.set()
            self._thread.join()
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.options.every)
            self._wake.clear()
            self.flush()


class CountViews:
    """ASGI middleware: an article page answered (200, or 304 to a browser revalidating its
    copy) to a reader's GET adds one view."""

    def __init__(self, app: ASGIApp, counter: ViewCounter) -> None:
        self.app = app
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        item_id = viewed(scope)
        if item_id is None:
            await self.app(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            # 304: the reader's browser shows its copy again (a conditional GET, web/cache.py).
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                self.counter.record(item_id)
            await send(message)

        await self.app(scope, receive, counting_send)


def count_of(conn: sa.Connection, counter: ViewCounter | None, item_id: int) -> int:
    """An item's views: written ones plus those this process has counted and not yet written."""
    waiting = counter.pending(item_id) if counter is not None else 0
    return views.of_item(conn, item_id) + waiting


@contextlib.asynccontextmanager
async def views_lifespan(app: Starlette) -> AsyncIterator[None]:
    """Start the writer with the application; write what is left when it stops."""
    counter: ViewCounter = app.state.views
    counter.start()
    try:
        yield
    finally:
        await run_in_threadpool(counter.stop)

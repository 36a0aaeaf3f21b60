"""Rendered pages kept in memory, compressed once, dropped when the store changes.

Rendering a page costs ~0.4 ms of CPU and sending cached bytes ~0.03 ms (research/stack.md):
for a news site, whose readers ask for the same few pages, a cache is the largest gain there
is. `PageCache` is the middleware that renders and keeps: whole answers (headers, plain bytes,
brotli and gzip bodies) in an LRU bounded by bytes, keyed by scheme, host, path and the query
with its parameters sorted. The path carries the edition (`/kk-Latn/…`), and the host is in
the key because pages hold absolute URLs built from it.

**Two doors, one shelf.** `PageCache` sits deep in the stack, where every layer has acted on
the request. A stored page needs few of them, and together they cost more than the hit itself:
a cached home page took 107,700 instructions through them all and takes 62,900 through the
front (bench/hit.py under callgrind). So `CacheFront`, just inside the layers that settle who
is asking and for which host (web/guard.py), answers what is on the shelf (`Shelf`: the
counter as last read, the pages kept for it) and sends everything else in. It does itself what
the layers it passes by would have done — the security headers (`security.missing`), a view
of an article (`views.viewed`) — and leaves to them every request where they might answer
otherwise: one with a body or a URL over the limits, a rate-limited path, the API and feeds
(their CORS), and any request while the counter is due for a read.

**Freshness.** Each entry belongs to one value of the store's change counter (store/changes.py:
database triggers bump it on every write a page could show). A value read serves for
`check_seconds` from the moment its read began, and not at all once this process has answered
a POST (so an operator who hides an item sees it gone at once); when the counter has moved,
every entry is dropped. Another process's write is therefore visible within `check_seconds`.
Under traffic the next read begins in the background halfway through (`StoreWatch`), so
requests neither wait for it nor leave the front door while it runs: before, every request
that arrived during a read went through every layer, and taking that away raised a cached
home page's rate by 9-13 % under wrk (two workers, 64 connections, five interleaved runs).

**What is never stored.** Only GET and HEAD answers with status 200 are kept; not an answer that
sets a cookie or says `no-store`/`private`, not one to a request that carries a cookie (its
answer may be someone's own: nothing public reads cookies today, and this keeps it so), and
nothing under /admin/ or the live status page. Those still get ETags, 304s and compression when
they are public 200s; `/admin/` passes through untouched.

Every answer that passes (stored or not) gets `ETag`, `Last-Modified`, `Cache-Control` (the
route's own, else `public, max-age=<max_age>`), `Vary: Accept-Encoding` and a 304 when the
client's copy is current (web/conditional.py).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
import sqlalchemy as sa
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aqparat.config import Settings
from aqparat.store import changes
from aqparat.web import encoding, ratelimit
from aqparat.web.conditional import Answer
from aqparat.web.responses import etag, for_machines
from aqparat.web.security import Limits, missing, refusal
from aqparat.web.views import ViewCounter, viewed

# Passed through untouched: operators' pages, our own hashed files, probes.
PASSED = re.compile(r"/(?:admin|static|healthz|metrics)(?:/.*)?")
# Answered with validators but never stored: what they show changes without a store write.
LIVE = re.compile(r"/[A-Za-z-]+/status")
# Request headers the inner application must not see on a miss: the cache answers them.
_HANDLED = frozenset({b"if-none-match", b"if-modified-since", b"accept-encoding", b"range",
                      b"if-range"})
# Response headers the cache sets itself.
_OWN = frozenset({b"content-length", b"content-encoding", b"etag", b"last-modified", b"vary"})


@dataclass(frozen=True, slots=True)
class CacheOptions:
    max_bytes: int = 32 * 1024 * 1024  # the whole cache, per web process
    check_seconds: float = 0.1  # the longest another process's write stays unseen
    max_age: int = 60  # Cache-Control max-age of pages whose route sets none
    max_entry: int = 2 * 1024 * 1024  # larger answers are sent, not kept


def cache_options(settings: Settings) -> CacheOptions:
    return CacheOptions(max_bytes=settings.page_cache_mb * 1024 * 1024,
                        check_seconds=settings.page_cache_check_seconds,
                        max_age=settings.page_max_age)


class StoreWatch:
    """The store's change counter as this process last read it; re-read when due.

    A value read at time t serves until t + `every`. Once half of that has passed, the next
    request starts the next read in the background (`ahead`) and goes on with the value it
    has: under steady traffic the value never falls due, so no request waits for a read or
    leaves the front door for it (`CacheFront`), and each read still starts at most `every`
    after the one before. Only a read that takes longer than half the interval, an idle
    spell, or a write by this process (`expire`) makes requests wait for one.
    """

    def __init__(self, engine: sa.Engine, every: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.every, self.clock = engine, every, clock
        self.seen: changes.Change | None = None
        self.due = 0.0
        self.reading = asyncio.Lock()
        self.ahead: asyncio.Task[None] | None = None
        # Reads ahead only while the application runs (its lifespan, web/app.py): a read in
        # the background must not outlive it, nor start on a store its owner has closed.
        self.running = False
        self.expired = 0  # how many times `expire` was called: a read begun before is stale

    def fresh(self) -> changes.Change | None:
        """The value last read while it is recent enough (the common case: no await)."""
        now = self.clock()
        if now >= self.due:
            return None
        if self.running and self.ahead is None and now >= self.due - self.every / 2:
            self.ahead = asyncio.get_running_loop().create_task(self._read_ahead())
        return self.seen

    async def now(self) -> changes.Change:
        if self.seen is not None and self.clock() < self.due:
            return self.seen
        # Requests that arrive during the read wait for it rather than use the old value:
        # once a write is older than `every`, no answer predates it.
        async with self.reading:
            if self.seen is None or self.clock() >= self.due:
                return await self._refresh()
            return self.seen

    async def _read_ahead(self) -> None:
        try:
            async with self.reading:
                if self.clock() >= self.due - self.every / 2:  # no request read it meanwhile
                    await self._refresh()
        except sa.exc.SQLAlchemyError:
            pass  # the store is unreachable: the request that finds the value due says so
        finally:
            self.ahead = None

    async def _refresh(self) -> changes.Change:
        """Read the counter. The value serves `every` from when the read began (a write
        committed during the read may be missing from it), and not at all when this process
        wrote meanwhile."""
        started, expired = self.clock(), self.expired
        self.seen = seen = await anyio.to_thread.run_sync(self._read)
        if self.expired == expired:
            self.due = started + self.every
        return seen

    def start(self) -> None:
        """Read ahead from now on: the application runs (its lifespan, web/app.py)."""
        self.running = True

    async def settle(self) -> None:
        """Let a read begun ahead finish, as the process stops: its connection goes back to
        the pool closed, not left open in a thread when the engine is disposed."""
        self.running = False
        if self.ahead is not None:
            await asyncio.gather(self.ahead, return_exceptions=True)

    def _read(self) -> changes.Change:
        with self.engine.connect() as conn:
            return changes.current(conn)

    def expire(self) -> None:
        """Read again on the next request: this process just changed the store."""
        self.expired += 1
        self.due = 0.0


class Pages:
    """Answers by key for one counter value; least recently used go first past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self.bytes = 0
        self.counter = -1
        self.hits = self.misses = 0

    def at(self, counter: int) -> None:
        if counter != self.counter:
            self.entries.clear()
            self.bytes, self.counter = 0, counter

    def get(self, key: tuple[str, ...]) -> Answer | None:
        found = self.hit(key)
        if found is None:
            self.misses += 1
        return found

    def hit(self, key: tuple[str, ...]) -> Answer | None:
        """The entry if there is one; a miss is not counted (the caller may look again)."""
        found = self.entries.get(key)
        if found is not None:
            self.hits += 1
            self.entries.move_to_end(key)
        return found

    def grew(self, key: tuple[str, ...], answer: Answer, added: int) -> None:
        """`answer` made a body for another coding; count it if it is still the entry here."""
        if self.entries.get(key) is answer:
            self.bytes += added
            self._fit()

    def _fit(self) -> None:
        while self.bytes > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= dropped.size

    def put(self, key: tuple[str, ...], counter: int, answer: Answer) -> None:
        if counter != self.counter or answer.size > self.max_bytes:
            return  # rendered before a change this process has since seen
        old = self.entries.pop(key, None)
        self.bytes += answer.size - (old.size if old else 0)
        self.entries[key] = answer
        self._fit()


# The request headers the cache and web/conditional.py read.
_READ = {name.encode(): name for name in ("host", "cookie", "accept-encoding", "if-none-match",
                                          "if-modified-since")}


def request_headers(scope: Scope) -> dict[str, str]:
    """Those of `_READ` the request has (the first of each), found in one pass: this runs on
    every request, and a Starlette `Headers` lookup scans the whole list each time."""
    found: dict[str, str] = {}
    for raw, value in scope["headers"]:
        name = _READ.get(raw)
        if name is not None and name not in found:
            found[name] = value.decode("latin-1")
    return found


def cache_key(scope: Scope, headers: Mapping[str, str]) -> tuple[str, ...]:
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(sorted(pairs, key=lambda kv: kv[0]))  # stable: a list keeps its order
    return (scope.get("scheme", "http"), headers.get("host", ""), scope["path"], query)


def _inner_scope(scope: Scope) -> Scope:
    """The request as the application sees it on a miss: a plain GET, no validators, no
    codings — the cache produces those from the full answer."""
    headers = [(k, v) for k, v in scope["headers"] if k not in _HANDLED]
    return {**scope, "method": "GET", "headers": headers}


def _storable(status: int, headers: Headers) -> bool:
    cache_control = headers.get("cache-control", "").lower()
    return status == 200 and "set-cookie" not in headers and not any(
        word in cache_control for word in ("no-store", "private", "no-cache"))


async def _collect(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    start: Message = {}
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, sending)
    return start, b"".join(chunks)


class Shelf:
    """What `PageCache` and `CacheFront` share in one web process."""

    def __init__(self, engine: sa.Engine, options: CacheOptions) -> None:
        self.options = options
        self.watch = StoreWatch(engine, options.check_seconds)
        self.pages = Pages(options.max_bytes)
        self.rendering: dict[tuple[str, ...], asyncio.Event] = {}
        self.front = 0  # answers CacheFront gave (they count in `pages.hits` too)

    def shares(self, path: str, headers: Mapping[str, str]) -> bool:
        """Whether this GET's answer may be kept and given to anyone who asks."""
        return (self.options.max_bytes > 0 and "cookie" not in headers
                and not LIVE.fullmatch(path))


class CacheFront:
    """Stored pages answered before the edge layers (see the module docstring)."""

    def __init__(self, app: ASGIApp, shelf: Shelf, limits: Limits,
                 rules: Sequence[ratelimit.Rule], counter: ViewCounter) -> None:
        self.app, self.shelf, self.limits = app, shelf, limits
        self.rules, self.counter = tuple(rules), counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._stored(scope) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        answer, key, headers = found
        self.shelf.front += 1
        item_id = viewed(scope)
        own = missing(answer.headers, scope.get("scheme") == "https")
        grew = await answer.send(headers, scope["method"], send, (b"x-cache", b"hit"), *own)
        if grew:
            self.shelf.pages.grew(key, answer, grew)
        if item_id is not None:  # answered 200 or 304, as CountViews counts
            self.counter.record(item_id)

    def _stored(self, scope: Scope) -> tuple[Answer, tuple[str, ...], dict[str, str]] | None:
        method, path = scope["method"], scope["path"]
        change = self.shelf.watch.fresh()
        if change is None or method not in ("GET", "HEAD"):
            return None
        headers = request_headers(scope)
        pages = self.shelf.pages
        pages.at(change.counter)
        key = cache_key(scope, headers)
        # Looked up first: most requests that get this far are for a stored page. (Nothing
        # under PASSED is ever stored.)
        answer = pages.entries.get(key)
        if (answer is None or not self.shelf.shares(path, headers)
                or for_machines(path) or ratelimit.limited(self.rules, method, path)
                or refusal(scope, self.limits) is not None):
            return None
        pages.hit(key)  # counted, and kept as the most recently used
        return answer, key, headers


class PageCache:
    """The middleware that renders and keeps (see the module docstring)."""

    def __init__(self, app: ASGIApp, shelf: Shelf) -> None:
        self.app, self.shelf, self.options = app, shelf, shelf.options
        self.watch, self.pages, self.rendering = shelf.watch, shelf.pages, shelf.rendering

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            try:
                await self.app(scope, receive, send)
            finally:
                if scope["method"] != "OPTIONS":  # an operator's POST changes the store
                    self.watch.expire()
            return
        if PASSED.fullmatch(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        change = self.watch.fresh() or await self.watch.now()
        self.pages.at(change.counter)
        shared = self.shelf.shares(scope["path"], headers)
        key = cache_key(scope, headers)
        answer = (self.pages.get(key) or await self._rendered(key)) if shared else None
        state = b"hit" if answer is not None else b"miss"
        if answer is None:
            answer = await self._render(scope, receive, send, key, change, shared)
        if answer is not None:
            # X-Cache: for operators (and tests) watching the cache.
            grew = await answer.send(headers, scope["method"], send, (b"x-cache", state))
            if grew:  # a coding made for this client: the entry is that much larger now
                self.pages.grew(key, answer, grew)

    async def _rendered(self, key: tuple[str, ...]) -> Answer | None:
        """Not stored: when the same page is being rendered, wait for it (one render for the
        many readers who arrive together after a change)."""
        busy = self.rendering.get(key)
        if busy is None:
            return None
        await busy.wait()
        return self.pages.entries.get(key)

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: tuple[str, ...],
                      change: changes.Change, shared: bool) -> Answer | None:
        done = asyncio.Event()
        if shared:
            self.rendering[key] = done
        try:
            start, body = await _collect(self.app, _inner_scope(scope), receive)
        finally:
            if self.rendering.get(key) is done:
                del self.rendering[key]
            done.set()
        status, headers = start["status"], Headers(raw=start.get("headers", []))
        if not _storable(status, headers) or len(body) > self.options.max_entry:
            await send(start)  # as the application made it: errors, redirects, cookies
            await send({"type": "http.response.body",
                        "body": b"" if scope["method"] == "HEAD" else body})
            return None
        answer = self._answer(headers, body, change)
        if shared:
            self.pages.put(key, change.counter, answer)
        return answer

    def _answer(self, headers: Headers, body: bytes, change: changes.Change) -> Answer:
        content_type = headers.get("content-type", "application/octet-stream")
        kept = [(k, v) for k, v in headers.raw if k not in _OWN]
        if "cache-control" not in headers:
            kept.append((b"cache-control", f"public, max-age={self.options.max_age}".encode()))
        tag = headers.get("etag") or etag(body)
        return Answer(tuple(kept), {"identity": body}, tag.removeprefix("W/").strip('"'),
                      change.at, encoding.compressible(content_type),
                      offered=encoding.offered(body, content_type))

"""Per-client rate limits on the costly paths: search, the JSON API, operator login.

Token buckets, in process: each client (`clients.limit_key`: an IPv4 address, an IPv6 /64)
has a bucket per class holding up to one minute's allowance, refilled continuously; a request
takes a token or is answered `429` with `Retry-After` (whole seconds until a token is back).

Each web worker keeps its own buckets, so with W workers a client can get up to W times the
allowance through: an accepted approximation (docs/security.md), because a shared counter
would put a database write or a new service in front of every search. Buckets live in a
bounded LRU table, so a flood of distinct addresses costs a fixed amount of memory: a bucket
pushed out was one nobody had used for the longest time.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from aqparat.web.clients import limit_key

MAX_CLIENTS = 50_000  # buckets kept per class and worker: ~10 MB at most


@dataclass(frozen=True, slots=True)
class Rate:
    per_minute: float  # refill; also the bucket's size (one minute's allowance as a burst)

    @property
    def capacity(self) -> float:
        return max(1.0, self.per_minute)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class Buckets:
    """One class of limit (search, api, login): a bucket per client key."""

    def __init__(self, rate: Rate, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.rate, self.clock, self.max_clients = rate, clock, max_clients
        self.table: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """0 when the request may go ahead (a token was taken), else seconds to wait."""
        now = self.clock()
        bucket = self._bucket(key, now)
        refill = (now - bucket.at) * self.rate.per_minute / 60
        bucket.tokens, bucket.at = min(self.rate.capacity, bucket.tokens + refill), now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) * 60 / self.rate.per_minute

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self.table.get(key)
        if bucket is None:
            bucket = self.table[key] = _Bucket(self.rate.capacity, now)
            while len(self.table) > self.max_clients:
                self.table.popitem(last=False)
        else:
            self.table.move_to_end(key)
        return bucket


@dataclass(frozen=True, slots=True)
class Rule:
    """Requests that `applies` to are counted in `buckets`."""

    name: str
    applies: Callable[[str, str], bool]  # (method, path) → counted here?
    buckets: Buckets
    # A part of every path `applies` can accept: most requests (pages, feeds) contain none, and
    # a substring test is cheaper than the predicate on every request.
    marker: str


def is_search(_method: str, path: str) -> bool:
    parts = path.strip("/").split("/")
    return (len(parts) == 2 and parts[1] == "search") or path.startswith("/api/v1/search") or (
        path.startswith("/feeds/") and "/search/" in path)


def is_api(_method: str, path: str) -> bool:
    return path.startswith("/api/v1/") and not path.startswith("/api/v1/search")


def is_login(method: str, path: str) -> bool:
    return method == "POST" and path.rstrip("/") == "/admin/login"


def rules(search: float, api: float, login: float) -> list[Rule]:
    return [Rule("search", is_search, Buckets(Rate(search)), "search"),
            Rule("api", is_api, Buckets(Rate(api)), "/api/v1/"),
            Rule("login", is_login, Buckets(Rate(login)), "/admin/login")]


def limited(rules: Sequence[Rule], method: str, path: str) -> Rule | None:
    """The rule that counts this request, if any."""
    for rule in rules:
        if rule.marker in path and rule.applies(method, path):
            return rule
    return None


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


class RateLimit:
    """Answer 429 + Retry-After through the one error handler when a client's bucket is
    empty; `render` is `errors.handle_error` (passed in: errors imports the renderer)."""

    def __init__(self, app: ASGIApp, rules: Sequence[Rule],
                 render: Callable[[Request, Exception], Awaitable[Response]]) -> None:
        self.app, self.rules, self.render = app, tuple(rules), render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wait = self._wait(scope) if scope["type"] == "http" else 0.0
        if not wait:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        exc = HTTPException(429, headers={"Retry-After": retry_after(wait)})
        response = await self.render(request, exc)
        await response(scope, receive, send)

    def _wait(self, scope: Scope) -> float:
        rule = limited(self.rules, scope["method"], scope["path"])
        if rule is None:
            return 0.0
        return rule.buckets.take(limit_key((scope.get("client") or ("", 0))[0]))

"""A polite HTTP client: per-host token bucket with jitter, retries with exponential backoff that
honour Retry-After, a body-size cap, a whole-response deadline, conditional GET, and a circuit
breaker for callers to keep per source.

Retries are this module's own small loop rather than stamina's: the wait must come from the
server's Retry-After when it sends one, every retry must pass through the same host token
bucket, each failure must be visible to the caller's breaker, and tests inject `sleep` to
assert the exact waits without waiting.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2 as httpx

from aqparat.errors import FetchError

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Every limit the client obeys; built once in cli.py from the settings."""

    user_agent: str = "aqparat"
    rate: float = 1.0  # requests per second per host; 0 = no limit (benchmarks only)
    jitter: float = 0.5  # share of the interval added at random, so polls do not align
    timeout: float = 30.0  # connect, or silence between two reads
    deadline: float = 90.0  # the whole response, however slowly it trickles
    max_bytes: int = 32 * 1024 * 1024
    retries: int = 4
    backoff: float = 2.0  # first retry's wait, doubled each time
    backoff_max: float = 300.0  # a longer Retry-After ends the attempt instead

    @property
    def interval(self) -> float:
        return 0.0 if self.rate <= 0 else 1.0 / self.rate


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    # Redirects followed to get here: (status, URL that answered it), first hop first. Feed
    # sources remember a 301/308 (their URL moved for good) and ignore a 302/307.
    redirects: tuple[tuple[int, str], ...] = ()

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Throttle:
    """A token bucket per host holding one token, refilled every `interval` plus jitter."""

    def __init__(self, limits: FetchLimits, clock: Callable[[], float],
                 sleep: Callable[[float], None], rng: Callable[[], float]) -> None:
        self.limits, self.clock, self.sleep, self.rng = limits, clock, sleep, rng
        self._next: dict[str, float] = {}

    def wait(self, host: str) -> None:
        now = self.clock()
        ready = self._next.get(host, now)
        if ready > now:
            self.sleep(ready - now)
            now = ready
        spacing = self.limits.interval * (1 + self.limits.jitter * self.rng())
        self._next[host] = now + spacing


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; one success closes it again."""

    def __init__(self, threshold: int, failures: int = 0) -> None:
        self.threshold = threshold
        self.failures = failures

    @property
    def open(self) -> bool:
        return 0 < self.threshold <= self.failures

    def success(self) -> None:
        self.failures = 0

    def failure(self) -> None:
        self.failures += 1


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Validators from an earlier answer: the server may then say 304 and send nothing."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: a number, or an HTTP date; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class _TransientError(Exception):
    """A failure worth retrying: timeout, broken connection, deadline passed."""


class FetchClient:
    """One cookie session (gov.kz's ticket lives in a cookie) with the limits above."""

    def __init__(self, limits: FetchLimits, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random) -> None:
        self.limits = limits
        self.clock, self.sleep = clock, sleep
        self.throttle = Throttle(limits, clock, sleep, rng)
        self.http = httpx.Client(
            headers={"User-Agent": limits.user_agent},
            timeout=httpx.Timeout(limits.timeout),
            follow_redirects=True,
        )
        self.requests = 0  # sent, retries included: the bench and tests read it

    def __enter__(self) -> FetchClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, url: str, *, what: str,
                headers: Mapping[str, str] | None = None, content: bytes | None = None,
                accept: Callable[[Response], str | None] | None = None) -> Response:
        """The final answer to a request; statuses worth it (429, 5xx) and timeouts retried.

        `what` names the request in messages: "mfa (ru page 3)". `accept` may call a 200
        answer unusable ("sent HTML, not JSON"): that is retried like a 5xx. Any status other
        than 429 and 5xx is returned for the caller to judge; FetchError: retries used up.
        """
        site = _site(url)
        attempt = 0
        while True:
            status: int | None = None
            asked: float | None = None
            try:
                response = self._once(method, url, headers, content, what)
            except _TransientError as exc:
                problem = str(exc)
            else:
                judged = _judge(response, accept)
                if judged is None:
                    return response
                problem, status = judged, response.status
                asked = retry_after(response.header("retry-after"))
            wait = asked if asked is not None else self.limits.backoff * 2**attempt
            self._give_up_or_log(site, problem, what, attempt, wait, status, asked)
            self.sleep(wait)
            attempt += 1

    def _give_up_or_log(self, site: str, problem: str, what: str, attempt: int, wait: float,
                        status: int | None, asked: float | None) -> None:
        if attempt >= self.limits.retries or wait > self.limits.backoff_max:
            tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
            later = f"; it asked us to wait {wait:.0f} s" if asked is not None else ""
            raise FetchError(f"fetch: {site} {problem} for {what}; gave up after {tries}{later}",
                             status=status, retry_after=asked)
        log.warning("fetch: %s %s for %s; retrying in %s s", site, problem, what, f"{wait:g}")

    def _once(self, method: str, url: str, headers: Mapping[str, str] | None,
              content: bytes | None, what: str) -> Response:
        self.throttle.wait(urlsplit(url).netloc)
        self.requests += 1
        started = self.clock()
        try:
            with self.http.stream(method, url, headers=headers, content=content) as answer:
                body = self._read(answer, started, what)
                names = {k.lower(): v for k, v in answer.headers.items()}
                hops = tuple((hop.status_code, str(hop.url)) for hop in answer.history)
                return Response(str(answer.url), answer.status_code, names, body, hops)
        except httpx.TimeoutException as exc:
            raise _TransientError(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _TransientError(f"failed in transit ({type(exc).__name__}: {exc})") from exc

    def _read(self, answer: httpx.Response, started: float, what: str) -> bytes:
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise self._too_big(answer, what)
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > self.limits.max_bytes:
                raise self._too_big(answer, what)
            if self.clock() - started > self.limits.deadline:
                raise _TransientError(f"took longer than {self.limits.deadline:g} s to send")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, answer: httpx.Response, what: str) -> FetchError:
        # The cap counts bytes after Content-Encoding is undone (httpx inflates in bounded
        # pieces), so a small gzip bomb is refused as soon as it inflates past the cap.
        encoding = answer.headers.get("content-encoding", "").strip().lower()
        inflated = (f" once {encoding}-decoded (from {answer.num_bytes_downloaded} bytes "
                    f"received: a decompression bomb?)" if encoding not in ("", "identity")
                    else "")
        return FetchError(f"fetch: {_site(str(answer.url))} sent more than "
                          f"{self.limits.max_bytes} bytes{inflated} for {what} "
                          f"({answer.url}); raise fetch_max_bytes if that is expected",
                          status=answer.status_code)


def _judge(response: Response, accept: Callable[[Response], str | None] | None) -> str | None:
    """Why an answer is worth retrying, or None when it is final."""
    if response.status in RETRY_STATUSES:
        return f"answered {response.status}"
    if response.status == 200 and accept is not None:
        return accept(response)
    return None


def _site(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")

"""The portal's edge: security headers on every answer, and limits on what a request may be.

One middleware wraps the whole application, Starlette's error handler included, so a 500 page
carries the same headers as a home page:

* `Content-Security-Policy`: nothing but our own stylesheet and pages run or load, except
  images, which sources link from their own hosts (gov.kz `/uploads/…`): no script at all
  (the site needs none; JSON-LD is a data block, which CSP does not govern), no plugins, no
  frames in or out, forms only to ourselves, `<base>` refused.
* `X-Content-Type-Options: nosniff`, `Referrer-Policy`, `Permissions-Policy` (every powerful
  feature off), `Cross-Origin-Opener-Policy`, and HSTS only when the request came over TLS
  (directly, or through a trusted proxy: `clients.py`); sent over plain HTTP it would be
  ignored at best and pin a test host at worst.
* A URL longer than `max_url_bytes` is a 414 and a body longer than `max_body_bytes` a 413,
  before any route sees them, so no parser or query ever works on an unbounded input.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: http:",  # sources' images stay on their hosts
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
))
PERMISSIONS = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb", "browsing-topics"))
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS,
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",  # frame-ancestors' predecessor, for browsers without CSP 2
}

Render = Callable[[Request, Exception], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Limits:
    max_url_bytes: int = 4096  # path and query string, as sent (percent-encoded)
    max_body_bytes: int = 64 * 1024  # the largest form an operator posts is a few hundred


Header = tuple[bytes, bytes]


def _raw(headers: dict[str, str]) -> tuple[Header, ...]:
    return tuple((k.encode(), v.encode()) for k, v in headers.items())


_RAW = {False: _raw(HEADERS), True: _raw({**HEADERS, "strict-transport-security": HSTS})}
_NAMES = {https: frozenset(name for name, _ in raw) for https, raw in _RAW.items()}


def missing(headers: Iterable[Header], https: bool) -> tuple[Header, ...]:
    """Ours that `headers` (an answer's, names in lower case as ASGI has them) do not set: a
    header the route set wins. Every answer passes here, a cached page's too (bench/web.py):
    most set none of ours, and take the whole tuple at once."""
    present = {name for name, _ in headers}
    if present.isdisjoint(_NAMES[https]):
        return _RAW[https]
    return tuple(pair for pair in _RAW[https] if pair[0] not in present)


def refusal(scope: Scope, limits: Limits) -> HTTPException | None:
    """The 414 or 413 this request gets before any route sees it; None when within limits."""
    url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(
        scope.get("query_string", b""))
    if url_bytes > limits.max_url_bytes:
        return HTTPException(414, f"URL over {limits.max_url_bytes} bytes")
    length = _declared_length(scope)
    if length is not None and not 0 <= length <= limits.max_body_bytes:
        return BodyTooLarge(limits.max_body_bytes)
    return None


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


def _declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


class Edge:
    """Security headers on every response; 414 and 413 for oversized requests."""

    def __init__(self, app: ASGIApp, limits: Limits, render: Render) -> None:
        self.app, self.limits, self.render = app, limits, render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope, send)
        refused = refusal(scope, self.limits)
        if refused is not None:
            response = await self.render(Request(scope), refused)
            await response(scope, receive, send)
            return
        await self.app(scope, self._counted(receive), send)

    def _with_headers(self, scope: Scope, send: Send) -> Send:
        https = scope.get("scheme") == "https"

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", ())
                message["headers"] = [*headers, *missing(headers, https)]
            await send(message)

        return sending

    def _counted(self, receive: Receive) -> Receive:
        """A body sent without a length (chunked) is counted as it arrives."""
        seen, limit = 0, self.limits.max_body_bytes

        async def receiving() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
            return message

        return receiving

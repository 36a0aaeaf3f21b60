"""Responses for readers' tools (the JSON API, feeds, sitemaps): ETag, Cache-Control, 304, CORS.

The ETag is a hash of the body, so it changes exactly when the bytes do, and every worker
process computes the same one without sharing state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

JSON = "application/json"
MACHINE_PREFIXES = ("/api/", "/feeds/")


def for_machines(path: str) -> bool:
    """Paths whose answers, errors included, are read by programs rather than people."""
    return path == "/api" or path.startswith(MACHINE_PREFIXES)


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str, tag: str) -> bool:
    # GET uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
    offered = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in offered or tag in offered


def cached(request: Request, body: bytes, media_type: str, *, max_age: int, status: int = 200,
           headers: Mapping[str, str] | None = None) -> Response:
    """`body` with its ETag and Cache-Control; 304 and no body when the client has it already.

    Errors carry an ETag too but `no-store`: a 404 now may be a page a minute later.
    """
    tag = etag(body)
    cache = f"public, max-age={max_age}" if status == 200 else "no-store"
    head = {**(headers or {}), "ETag": tag, "Cache-Control": cache}
    if status == 200 and _matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=head)
    return Response(body, status_code=status, media_type=media_type, headers=head)


def send_json(request: Request, data: object, *, max_age: int) -> Response:
    return cached(request, json_bytes(data), JSON, max_age=max_age)


class ReadOnlyCORS:
    """CORS for GET on the API and feeds only: any origin may read them, nothing else changes.

    Pages stay same-origin. `If-None-Match` is not a CORS-safelisted header, so browsers send a
    preflight for conditional requests; Starlette's middleware answers it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                                   allow_headers=["If-None-Match"], expose_headers=["ETag"],
                                   max_age=86400)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and for_machines(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)

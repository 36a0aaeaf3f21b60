"""Static files under content-hashed names: cached by browsers for a year, never stale.

At start-up every file under `static/` is read once, hashed and compressed (they are a few
kilobytes of CSS). Pages link `static_url("site.css")` → `/static/site.3f2a9c1b.css`, served
with `Cache-Control: public, max-age=31536000, immutable`: a changed file has a new name, so a
browser never asks twice and never keeps an old one. The plain name (`/static/site.css`) keeps
working, with a short lifetime, for links made before the hash existed. Both answer
conditional requests and come brotli- or gzip-compressed (web/conditional.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from aqparat.web import encoding
from aqparat.web.conditional import Answer

DIRECTORY = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN = "public, max-age=300"  # the unhashed name: a stylesheet change shows within minutes


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # as stored: "site.css", "icons/rss.svg"
    hashed: str  # "site.3f2a9c1b.css"
    answer: Answer  # with Cache-Control for the plain name
    immutable: Answer


def hashed_name(name: str, digest: str) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{digest[:8]}{path.suffix}"))


def _asset(directory: Path, path: Path) -> Asset:
    body = path.read_bytes()
    name = path.relative_to(directory).as_posix()
    digest = hashlib.sha256(body).hexdigest()
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if encoding.compressible(media):
        media += "; charset=utf-8"
    bodies = encoding.encode(body, media)
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)

    def answer(cache: str) -> Answer:
        return Answer(((b"content-type", media.encode()), (b"cache-control", cache.encode())),
                      bodies, digest[:32], modified, encoding.compressible(media))

    return Asset(name, hashed_name(name, digest), answer(PLAIN), answer(IMMUTABLE))


class StaticAssets:
    """Every file under a directory, by plain and by hashed name."""

    def __init__(self, directory: Path) -> None:
        assets = [_asset(directory, p) for p in sorted(directory.rglob("*")) if p.is_file()]
        self.by_name = {a.name: a for a in assets}
        self.by_hash = {a.hashed: a for a in assets}

    def url(self, name: str) -> str:
        """A file's address for pages: its hashed name (KeyError for a file that is not
        there, so a typo fails the first render, not a reader's stylesheet)."""
        return f"/static/{self.by_name[name].hashed}"

    def answer(self, name: str) -> Answer:
        if name in self.by_hash:
            return self.by_hash[name].immutable
        if name in self.by_name:
            return self.by_name[name].answer
        raise HTTPException(404)


@functools.cache
def bundled() -> StaticAssets:
    """The package's own files, read once per process."""
    return StaticAssets(DIRECTORY)


class _Sent(Response):
    """A response already made by an `Answer` (Starlette's Route wants a Response)."""

    def __init__(self, answer: Answer, request: Request) -> None:
        self.answer, self.request = answer, request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.answer.send(Headers(scope=scope), scope["method"], send)


async def serve(request: Request) -> Response:
    """`/static/{name:path}`."""
    return _Sent(bundled().answer(request.path_params["name"]), request)

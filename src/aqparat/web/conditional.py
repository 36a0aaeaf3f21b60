"""Conditional GET (RFC 9110 §13): one finished answer, in several codings, sent or 304.

Each coding of an answer is a representation with its own strong ETag — `"<hash>"` for the
plain bytes, `"<hash>-br"`, `"<hash>-gzip"` — as a byte-range client needs; revalidation uses
the weak comparison, so a tag of any coding of the same bytes matches. `Last-Modified` is the
time of the store's latest change when the answer was made (store/changes.py): every web
process gives the same one. `If-None-Match` wins over `If-Modified-Since` when both come.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.types import Send

from aqparat.web import encoding

Header = tuple[bytes, bytes]
Raw = tuple[Header, ...]
# Headers a 304 repeats (RFC 9110 §15.4.5); the rest describe a body it does not have.
_KEPT_BY_304 = frozenset({b"cache-control", b"content-location", b"date", b"etag", b"expires",
                          b"vary", b"last-modified"})


def http_date(value: dt.datetime) -> str:
    return email.utils.format_datetime(value.astimezone(dt.UTC).replace(microsecond=0),
                                       usegmt=True)


def _parse_date(text: str) -> dt.datetime | None:
    try:
        found = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _base(tag: str) -> str:
    tag = tag.strip().removeprefix("W/").strip('"')
    for coding in encoding.PREFERENCE:
        tag = tag.removesuffix(f"-{coding}")
    return tag


class Answer:
    """A finished 200 answer: its headers (no length, coding or validators) and its bodies in
    each coding (`identity` always). The headers of each coding are built once, here: a cache
    hit only picks a list."""

    __slots__ = ("_heads", "_kept", "bodies", "headers", "modified", "size", "tag", "vary")

    def __init__(self, headers: Raw, bodies: Mapping[str, bytes], tag: str,
                 modified: dt.datetime, vary: bool) -> None:
        self.headers, self.bodies, self.tag, self.vary = headers, bodies, tag, vary
        self.modified = modified.replace(microsecond=0)  # what an HTTP date can say
        self.size = sum(len(b) for b in bodies.values()) + sum(
            len(k) + len(v) for k, v in headers) + 200
        validators = [(b"last-modified", http_date(modified).encode())]
        if vary:
            validators.append((b"vary", b"Accept-Encoding"))
        kept = [(k, v) for k, v in headers if k in _KEPT_BY_304]
        self._heads: dict[str, list[tuple[bytes, bytes]]] = {}
        self._kept: dict[str, list[tuple[bytes, bytes]]] = {}
        for coding, body in bodies.items():
            own = [(b"etag", self.etag(coding).encode()), *validators]
            self._kept[coding] = [*kept, *own]
            self._heads[coding] = [*headers, *own, (b"content-length", str(len(body)).encode())]
            if coding != "identity":
                self._heads[coding].append((b"content-encoding", coding.encode()))

    def etag(self, coding: str) -> str:
        return f'"{self.tag}"' if coding == "identity" else f'"{self.tag}-{coding}"'

    def fresh_for(self, request: Headers) -> bool:
        """Whether the client's copy is current (answer 304)."""
        if_none_match = request.get("if-none-match")
        if if_none_match is not None:
            offered = {_base(t) for t in if_none_match.split(",")}
            return "*" in offered or self.tag in offered
        if_modified_since = request.get("if-modified-since")
        if if_modified_since is None:
            return False
        since = _parse_date(if_modified_since)
        return since is not None and self.modified <= since

    async def send(self, request: Headers, method: str, send: Send, *extra: Header) -> None:
        """Send it, or a 304; `extra` headers go on either."""
        coding = encoding.choose(request.get("accept-encoding", ""), self.bodies)
        if self.fresh_for(request):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [*self._kept[coding], *extra]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*self._heads[coding], *extra]})
        body = b"" if method == "HEAD" else self.bodies[coding]
        await send({"type": "http.response.body", "body": body})

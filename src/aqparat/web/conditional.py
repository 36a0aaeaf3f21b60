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
from collections.abc import Mapping, Sequence

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
    each coding (`identity` always). A coding in `offered` but not in `bodies` is made from the
    plain bytes when a client first asks for it, then kept: most requests to a page that no
    one asked for before come from clients that take one coding or none. A cache hit only
    picks a body and a header list."""

    __slots__ = ("_kept", "_pending", "_validators", "bodies", "headers", "heads", "modified",
                 "size", "tag", "vary")

    def __init__(self, headers: Raw, bodies: Mapping[str, bytes], tag: str,
                 modified: dt.datetime, vary: bool, *, offered: Sequence[str] = ()) -> None:
        self.headers, self.tag, self.vary = headers, tag, vary
        self.bodies: dict[str, bytes] = dict(bodies)
        self._pending = [c for c in offered if c not in self.bodies]
        self.modified = modified.replace(microsecond=0)  # what an HTTP date can say
        self._validators = [(b"last-modified", http_date(modified).encode())]
        if vary:
            self._validators.append((b"vary", b"Accept-Encoding"))
        self._kept = [(k, v) for k, v in headers if k in _KEPT_BY_304]
        self.heads: dict[str, list[Header]] = {}
        self.size = sum(len(k) + len(v) for k, v in headers) + 200
        for coding, body in self.bodies.items():
            self._add(coding, body)

    def _add(self, coding: str, body: bytes) -> int:
        self.bodies[coding] = body
        heads = [*self.headers, (b"etag", self.etag(coding).encode()), *self._validators,
                 (b"content-length", str(len(body)).encode())]
        if coding != "identity":
            heads.append((b"content-encoding", coding.encode()))
        self.heads[coding] = heads
        added = len(body) + 100
        self.size += added
        return added

    def available(self) -> list[str]:
        return [*self.bodies, *self._pending]

    def made(self, coding: str) -> int:
        """Make `coding`'s body if it is still to be made; the bytes this answer grew by (0 when
        it was made before, or when that coding turned out no smaller: it is then dropped)."""
        if coding in self.bodies or coding not in self._pending:
            return 0
        self._pending.remove(coding)
        data = encoding.compress(self.bodies["identity"], coding)
        return 0 if data is None else self._add(coding, data)

    def etag(self, coding: str) -> str:
        return f'"{self.tag}"' if coding == "identity" else f'"{self.tag}-{coding}"'

    def fresh_for(self, request: Mapping[str, str]) -> bool:
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

    async def send(self, request: Mapping[str, str], method: str, send: Send,
                   *extra: Header) -> int:
        """Send it, or a 304; `extra` headers go on either. Returns the bytes the answer grew
        by making a coding for this client (a cache accounts for them)."""
        accept = request.get("accept-encoding", "")
        coding = encoding.choose(accept, self.available())
        if self.fresh_for(request):  # a tag names its coding: no body needs making for it
            own = [(b"etag", self.etag(coding).encode()), *self._validators]
            await send({"type": "http.response.start", "status": 304,
                        "headers": [*self._kept, *own, *extra]})
            await send({"type": "http.response.body", "body": b""})
            return 0
        grew = 0
        while coding not in self.bodies:  # each turn makes it or drops it from the choice
            grew += self.made(coding)
            coding = encoding.choose(accept, self.available())
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*self.heads[coding], *extra]})
        body = b"" if method == "HEAD" else self.bodies[coding]
        await send({"type": "http.response.body", "body": body})
        return grew

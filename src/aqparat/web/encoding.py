"""Content codings: which answers are compressed, how, and which coding a client gets.

A page is compressed once per coding, when the first client that accepts that coding asks for
it (web/conditional.py; the page cache then keeps it until the store changes). Nothing is
compressed for a client that takes neither coding (a crawler, a health check, wrk). Pages use
fast levels, because every change to the store means compressing again; static files
(web/static_assets.py) are compressed once per process, at the smallest levels.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Collection, Mapping

import brotli

# Pages: made again after every change to the store, so speed counts. On an 18 KB article
# brotli 6 takes 0.4 ms for 4,751 bytes and brotli 9 7.3 ms for 4,691 (1.3 % smaller); gzip 6
# and 9 differ by under 1 % (a 84 KB home page: 2.3 against 3.8 ms).
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# Files under static/: compressed once per process, so the smallest there is.
STATIC_BROTLI_QUALITY = 11
STATIC_GZIP_LEVEL = 9
MIN_BYTES = 256  # below this the coding's own overhead eats the gain
PREFERENCE = ("br", "gzip")  # ours, best first; `identity` always remains
TEXT_TYPES = frozenset({
    "application/json", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/opensearchdescription+xml", "application/javascript", "image/svg+xml",
})


def compressible(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in TEXT_TYPES


def offered(body: bytes, content_type: str) -> tuple[str, ...]:
    """The codings worth trying for this body: ours, when it is text and not tiny."""
    if len(body) < MIN_BYTES or not compressible(content_type):
        return ()
    return PREFERENCE


def compress(body: bytes, coding: str, *, static: bool = False) -> bytes | None:
    """`body` in `coding` (one of PREFERENCE), or None when that is no smaller."""
    if coding == "br":
        data = brotli.compress(body, quality=STATIC_BROTLI_QUALITY if static else BROTLI_QUALITY)
    else:
        data = gzip.compress(body, STATIC_GZIP_LEVEL if static else GZIP_LEVEL, mtime=0)
    return data if len(data) < len(body) else None


def encode(body: bytes, content_type: str) -> dict[str, bytes]:
    """A static file in every coding worth sending, `identity` included, all made now (once per
    process); pages are compressed when a client first asks (web/conditional.py)."""
    out = {"identity": body}
    for coding in offered(body, content_type):
        if (data := compress(body, coding, static=True)) is not None:
            out[coding] = data
    return out


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct values, every request
def _accepted(header: str) -> Mapping[str, float]:
    """`Accept-Encoding` as coding → q (RFC 9110 §12.5.3); malformed weights count as 0."""
    found: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        key, _, value = params.partition("=")
        if key.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
        found[name] = q
    return found


def choose(accept_encoding: str, available: Collection[str]) -> str:
    """The coding to send: the best of ours the client accepts, else identity."""
    accepted = _accepted(accept_encoding)
    for coding in PREFERENCE:
        if coding in available and accepted.get(coding, accepted.get("*", 0.0)) > 0:
            return coding
    return "identity"

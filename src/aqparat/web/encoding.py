"""Content codings: which answers are compressed, how, and which coding a client gets.

A page is compressed once, when it enters the page cache (web/cache.py), and a stylesheet once
per process (web/static_assets.py), so the levels favour size over speed more than a
per-request compressor could: brotli 9 and gzip 9 cost ~2 ms for a 30 KB page, paid once.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping

import brotli

BROTLI_QUALITY = 9
GZIP_LEVEL = 9
MIN_BYTES = 256  # below this the coding's own overhead eats the gain
PREFERENCE = ("br", "gzip")  # ours, best first; `identity` always remains
TEXT_TYPES = frozenset({
    "application/json", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/opensearchdescription+xml", "application/javascript", "image/svg+xml",
})


def compressible(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in TEXT_TYPES


def encode(body: bytes, content_type: str) -> dict[str, bytes]:
    """The body in every coding worth sending, `identity` included."""
    out = {"identity": body}
    if len(body) < MIN_BYTES or not compressible(content_type):
        return out
    for coding, data in (("br", brotli.compress(body, quality=BROTLI_QUALITY)),
                         ("gzip", gzip.compress(body, GZIP_LEVEL, mtime=0))):
        if len(data) < len(body):
            out[coding] = data
    return out


def _accepted(header: str) -> dict[str, float]:
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


def choose(accept_encoding: str, available: Mapping[str, bytes]) -> str:
    """The coding to send: the best of ours the client accepts, else identity."""
    accepted = _accepted(accept_encoding)
    for coding in PREFERENCE:
        if coding in available and accepted.get(coding, accepted.get("*", 0.0)) > 0:
            return coding
    return "identity"

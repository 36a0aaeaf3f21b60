"""Stable item keys and content fingerprints."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from aqparat.model import RawItem


def external_id(raw: RawItem) -> str:
    """The source's own id; for items without one, a hash of what identifies them.

    A dump item with no source line has no id: title + date stand for it, so re-importing the
    same dump finds the same row instead of adding a copy.
    """
    if raw.external_id:
        return raw.external_id
    published = raw.published.isoformat()
    digest = hashlib.sha256(f"{raw.title.strip()}\n{published}".encode()).hexdigest()
    return f"h:{digest[:24]}"


def content_hash(title: str, body_text: str, published: dt.datetime) -> str:
    """Changes when what a reader sees changes; equal for a re-collected identical item."""
    payload = f"{title}\n{published.isoformat()}\n{body_text}"
    return hashlib.sha256(payload.encode()).hexdigest()


_WORDS = re.compile(r"[^\W_]+")


def text_fingerprint(title: str, body_text: str) -> str:
    """Equal for the same text however it was spaced, cased or punctuated: a re-post with the
    same words (another title, a different source) and a re-collected item share it.

    The body alone decides (a re-poster often retitles); the title stands in when there is no
    body. Kazakh letter lookalikes were already unified by stage 1 (text/chars.py)."""
    words = _WORDS.findall((body_text or title).casefold())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()

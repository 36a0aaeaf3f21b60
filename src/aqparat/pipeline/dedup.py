"""Near duplicates: MinHash signatures over stemmed shingles, banded for LSH lookup.

An item's text is cut into sentences; sentences its source has already published in earlier
items (an embassy's sign-off, a press office's contact block) are boilerplate and left out
(`Index.boilerplate`, counted per source in the store). What remains becomes content terms
(text/stem.py: stemmed, Kazakh stop words dropped), then word 3-shingles (research
kazakh-nlp.md §13: 3-word shingles at Jaccard 0.5 found 13 of 15 edited pairs, 0 false), then a
128-value MinHash signature (rensa: docs/stories.md has its measurement against datasketch),
cut into 32 bands of 4 values. Two items whose true Jaccard is 0.5 share a band with
probability 1 − (1 − 0.5⁴)³² = 0.87; at 0.3, 0.23: candidates are then verified on the
signature's estimate, the items' numbers and, for short items, their titles and events.

Short items (a 40-word announcement) have too few shingles for that: one changed sentence
halves their Jaccard (research: 0.30 after light edits). Their title and the event they
announce (day, time, city) decide instead.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import rensa

from aqparat.model import Event, Lang
from aqparat.pipeline import facts
from aqparat.text import stem


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """Thresholds of duplicate and story detection; each default's origin is in
    docs/stories.md (the precision/recall curves of tests/quality/dedup)."""

    near: float = 0.6  # estimated Jaccard from which two texts are near duplicates
    short_near: float = 0.7  # the same when either text is short: templates look alike
    title: float = 0.5  # title-term Jaccard from which two short items with one event match
    short_terms: int = 60  # items with fewer content terms are "short"
    numbers: float = 0.9  # numbers' agreement below which look-alike texts are different
    story_facts: int = 3  # shared facts (numbers, dates, names) that make one story
    story_days: float = 7.0  # how far apart two reports of one story may be published
    common_fact: int = 40  # a fact in more reports of the window says nothing: ignored
    boilerplate: int = 2  # a sentence in this many earlier items of a source is boilerplate
    num_perm: int = 128
    bands: int = 32
    seed: int = 20261129  # fixed forever: stored signatures must stay comparable

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


SHINGLE = 3
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(\d]|[^\W\d_])|\n+")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, and its key: what the source's boilerplate counts are kept by."""

    text: str
    key: int


def units(body_text: str) -> list[Unit]:
    """Sentences of a body (paragraphs split at sentence ends), each with a stable key."""
    return list(_units(body_text))


# Story assignment asks twice per item (boilerplate lookup, then its profile).
@functools.lru_cache(maxsize=8)
def _units(body_text: str) -> tuple[Unit, ...]:
    found = []
    for part in _SENTENCE_END.split(body_text):
        words = _WORDS.findall(part.casefold())
        if words:
            found.append(Unit(part.strip(), facts.key_hash(" ".join(words))))
    return tuple(found)


def kept_text(found: Iterable[Unit], boilerplate: Collection[int] = ()) -> str:
    """The sentences of `found` that are not `boilerplate`, joined by spaces."""
    return " ".join(u.text for u in found if u.key not in boilerplate)


def shingles_terms(text: str, lang: Lang) -> list[str]:
    """The words shingles are made of: stemmed, lower-cased, Kazakh stop words dropped."""
    return stem.content_terms(text, lang)


def shingles(terms: Sequence[str], size: int = SHINGLE) -> list[str]:
    """Word `size`-shingles; a text shorter than one shingle is its own single shingle."""
    if len(terms) <= size:
        return [" ".join(terms)] if terms else []
    return [" ".join(terms[i:i + size]) for i in range(len(terms) - size + 1)]


def signature(items: Iterable[str], options: DedupOptions) -> bytes:
    """The MinHash signature of a shingle set: `num_perm` little-endian uint32 values."""
    minhash = rensa.RMinHash(num_perm=options.num_perm, seed=options.seed)
    minhash.update(list(items))
    return struct.pack(f"<{options.num_perm}I", *minhash.digest())


def bands(sig: bytes, options: DedupOptions) -> list[int]:
    """One index key per band: items sharing any key are near-duplicate candidates."""
    width = options.rows * 4
    return [_band_key(n, sig[n * width:(n + 1) * width]) for n in range(options.bands)]


def _band_key(n: int, chunk: bytes) -> int:
    digest = hashlib.blake2b(chunk, digest_size=8, person=b"band%d" % n).digest()
    return int.from_bytes(digest, "little", signed=True)


def similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two signatures estimate: the share of equal values."""
    n = len(a) // 4
    if n == 0 or len(b) != len(a):
        return 0.0
    left, right = struct.unpack(f"<{n}I", a), struct.unpack(f"<{n}I", b)
    return float(sum(x == y for x, y in zip(left, right, strict=True))) / n


def title_terms(title: str, lang: Lang) -> frozenset[str]:
    return frozenset(stem.content_terms(title, lang))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def event_key(events: Sequence[Event]) -> str | None:
    """The first announced event as day, time and city: what a short announcement is about."""
    if not events:
        return None
    first = events[0]
    when = first.starts_at.date().isoformat() if first.all_day else first.starts_at.isoformat()
    return f"{when}|{first.city or ''}"

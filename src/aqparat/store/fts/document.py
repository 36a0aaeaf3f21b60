"""An item as the index holds it: terms per field, filter tokens, and its ordering key."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from aqparat.errors import StoreError
from aqparat.model import Lang
from aqparat.text import stem

FIELDS = ("title", "lead", "body", "entity")
# Terms kept per field. PostgreSQL clamps positions at 16,383; the fields (and a gap after
# each) must fit below that together, or phrases near a long body's end would match on one
# engine and not the other. 15,000 body terms is about 40 pages of text.
CAPS = {"title": 256, "lead": 512, "body": 15_000, "entity": 64}
# PostgreSQL keeps the first 256 positions of a lexeme and drops the rest; FTS5 gets a filler
# in their place, so a phrase through a dropped position fails on both engines alike.
MAX_OCCURRENCES = 256
FILLER = "·"  # a token no query term can equal: query terms are letters and digits only

# The key orders the index newest first: seconds since 2000 (UTC) above 31 bits of item id
# (ids are 32-bit signed integers on PostgreSQL). FTS5 walks its rowids in key order, which
# makes "the newest N matches" cheap, and a date range is a key range.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ID_BITS = 31
ID_SPAN = 1 << ID_BITS
MIN_SECONDS, MAX_SECONDS = -(2**31), 2**32 - 1  # 1931 to 2136; keys stay within 64 bits


@dataclass(frozen=True, slots=True)
class Document:
    key: int
    fields: tuple[tuple[str, ...], ...]  # terms of title, lead, body, entity, in FIELDS order
    meta: tuple[str, ...]  # filter tokens: language, source, rubrics


def _seconds(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(seconds=1)


def key(published_at: dt.datetime, item_id: int) -> int:
    seconds = _seconds(published_at)
    if not (MIN_SECONDS <= seconds <= MAX_SECONDS and 0 < item_id < ID_SPAN):
        raise StoreError(f"store: item {item_id} (published {published_at:%Y-%m-%d}) is "
                         f"outside the search index's key range")
    return seconds * ID_SPAN + item_id


def item_id_of(k: int) -> int:
    return k % ID_SPAN


def key_range(since: dt.datetime | None, until: dt.datetime | None) -> tuple[int, int]:
    """Keys of items published in [since, until); no bound means the index's end."""
    lo = max(MIN_SECONDS, _seconds(since)) if since else MIN_SECONDS
    hi = min(MAX_SECONDS + 1, _seconds(until)) if until else MAX_SECONDS + 1
    return lo * ID_SPAN, hi * ID_SPAN - 1


def text_terms(text: str, lang: str) -> list[str]:
    """A text's index terms in the item's language (the query side uses the same function)."""
    return stem.index_terms(text, cast(Lang, lang))


def _cap_occurrences(fields: Sequence[list[str]]) -> tuple[tuple[str, ...], ...]:
    if max(Counter(itertools.chain(*fields)).values(), default=0) <= MAX_OCCURRENCES:
        return tuple(map(tuple, fields))  # the usual case, counted at C speed
    seen: Counter[str] = Counter()
    capped = []
    for terms in fields:
        out = []
        for term in terms:
            seen[term] += 1
            out.append(term if seen[term] <= MAX_OCCURRENCES else FILLER)
        capped.append(tuple(out))
    return tuple(capped)


def lang_token(lang: str) -> str:
    return f"l{lang}"


def source_token(source_id: int) -> str:
    return f"s{source_id}"


def rubric_token(slug: str) -> str:
    # Hex: a slug's hyphen would split the token under FTS5's tokenizer.
    return f"r{slug.encode().hex()}"


def build(k: int, lang: str, texts: Sequence[str], source_id: int,
          rubrics: Iterable[str]) -> Document:
    """`texts` are the plain title, lead, body and entity name, in FIELDS order."""
    return from_terms(k, lang, [text_terms(text, lang) for text in texts], source_id, rubrics)


def from_terms(k: int, lang: str, terms: Sequence[Sequence[str]], source_id: int,
               rubrics: Iterable[str]) -> Document:
    """`build` from the fields' `text_terms`, when they were worked out ahead (an item's title,
    lead and body terms are made by the pipeline: model.Prepared)."""
    fields = [list(found[:CAPS[name]]) for name, found in zip(FIELDS, terms, strict=True)]
    meta = (lang_token(lang), source_token(source_id), *sorted(map(rubric_token, set(rubrics))))
    return Document(k, _cap_occurrences(fields), meta)

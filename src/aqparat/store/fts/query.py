"""The reader's query language, parsed into terms both engines compile the same way.

Three things are syntax: whitespace separates words, `"…"` makes a phrase, and a leading `-`
excludes a word or phrase. Everything else is text: it goes through the same term function as
the documents (`document.text_terms`), which keeps letters and digits only, so `NEAR`, `*`,
`:`, `^`, quotes inside words or a NUL byte can never reach an engine as an operator. The
engines then quote every term they are given (`sqlite.py`, `postgres.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from aqparat.store.fts.document import text_terms

# A query's cost grows with its clauses; these bounds keep the slowest query near the typical
# one and are far beyond what readers type (the longest seed headline is 17 words).
MAX_CHARS = 300
MAX_CLAUSES = 12
MAX_PHRASE_TERMS = 12
KAZAKH_LETTERS = frozenset("әғқңөұүһі")

Terms = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """A word or phrase as typed, and its terms in each language it was read in."""

    text: str
    negated: bool
    by_lang: tuple[tuple[str, Terms], ...]

    @property
    def variants(self) -> tuple[Terms, ...]:
        """The distinct term sequences: a document matches the clause through any of them."""
        return tuple(dict.fromkeys(terms for _, terms in self.by_lang if terms))


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    clauses: tuple[Clause, ...]
    truncated: bool = False  # some of the text was past MAX_CHARS or MAX_CLAUSES

    @property
    def positives(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negatives(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    @property
    def empty(self) -> bool:
        """Nothing to look for: only exclusions, stop words or punctuation were typed."""
        return not self.positives

    def stems(self, lang: str) -> frozenset[str]:
        """The terms to highlight in a text of `lang`."""
        return frozenset(t for c in self.positives for code, terms in c.by_lang
                         if code == lang for t in terms)


@dataclass(frozen=True, slots=True)
class Scope:
    """Where to look: filter tokens (all groups must match, any token within a group) and a
    key range (`document.key_range`)."""

    tokens: tuple[tuple[str, ...], ...]
    lo: int
    hi: int


class Evidence(NamedTuple):
    """One match as an engine returns it: which positive clauses (bit i: `positives[i]`) it
    has in its title and in its lead. Both engines answer these from the same terms, so
    the ranking built on them (`store/search.py`) is the same on both."""

    key: int
    title: int = 0
    lead: int = 0


@dataclass(frozen=True, slots=True)
class Found:
    matches: list[Evidence]  # the newest `cap` matches, newest first
    counts: tuple[int, ...]  # per positive clause: its matches anywhere, counted up to `cap`


def _phrase_end(text: str, start: int) -> int:
    end = text.find('"', start)
    return len(text) if end < 0 else end


def pieces(text: str) -> list[tuple[str, bool]]:
    """(text, negated) for each word or quoted phrase, in order."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        i += negated
        if text[i] == '"':
            end = _phrase_end(text, i + 1)
            out.append((text[i + 1:end], negated))
            i = end + 1
            continue
        j = i + 1
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        out.append((text[i:j], negated))
        i = j
    return out


def _readings(text: str, langs: Sequence[str]) -> Sequence[str]:
    """The languages to read `text` in: a word with a letter only Kazakh has is not Russian
    (nor English), so it is read as Kazakh alone — one variant fewer for the engine to merge."""
    if "kk" in langs and not KAZAKH_LETTERS.isdisjoint(text.lower()):
        return ("kk",)
    return langs


def _clause(text: str, negated: bool, langs: Sequence[str]) -> Clause:
    by_lang = tuple((lang, tuple(text_terms(text, lang)[:MAX_PHRASE_TERMS]))
                    for lang in _readings(text, langs))
    return Clause(text, negated, by_lang)


def parse(text: str, langs: Sequence[str]) -> Query:
    """The query `text` read in each of `langs` (a word may be Kazakh, Russian or English)."""
    head = text[:MAX_CHARS]
    clauses = [c for piece, negated in pieces(head)
               if (c := _clause(piece, negated, langs)).variants]
    truncated = len(text) > MAX_CHARS or len(clauses) > MAX_CLAUSES
    return Query(text, tuple(clauses[:MAX_CLAUSES]), truncated)

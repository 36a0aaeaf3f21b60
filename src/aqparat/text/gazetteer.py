"""The bundled gazetteer (``data/gazetteer.toml``): places and state bodies, matched by stems.

A name is found in text when the text has the same sequence of word keys
(:func:`aqparat.text.stem.stem` in the text's language), so every case form of every word
matches: ``Ақмола облысының`` is ``Ақмола облысы``, ``Костанае`` is ``Костанай``. Names in all
three languages are looked for in any text, because texts quote each other's names. The
longest name wins where several start at the same word (``Алматы облысы`` over ``Алматы``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple

from aqparat.model import LANGS, Lang
from aqparat.text.stem import stem

Kind = Literal["country", "city", "region", "body"]
WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a stable key, its kind and its name in each language."""

    key: str
    kind: Kind
    names: dict[Lang, str]


class Word(NamedTuple):
    """A word of a text: where it is, as written, and its search key. (A named tuple: texts
    are cut into these by the thousand, and a frozen dataclass costs twice as much to make.)"""

    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A gazetteer name found in text: the entry and the words ``first`` to ``last`` it spans."""

    entry: Place
    first: int
    last: int


def words(text: str, lang: Lang) -> list[Word]:
    """Every word of ``text`` with its key (hyphenated words kept whole, keyed as one)."""
    # `tuple.__new__` makes the same named tuple without the Python-level `Word.__new__`.
    new = tuple.__new__
    return [new(Word, (m.start(), m.end(), word, stem(word, lang)))
            for m in WORD.finditer(text) for word in (m.group(),)]


@cache
def entries() -> tuple[Place, ...]:
    raw = (resources.files("aqparat.data") / "gazetteer.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    places = [Place(e["key"], e["kind"], {lang: e[lang] for lang in LANGS})
              for e in data.get("place", [])]
    bodies = [Place(e["key"], "body", {lang: e[lang] for lang in LANGS})
              for e in data.get("body", [])]
    return (*places, *bodies)


# Russian case forms of a one-word name, because Snowball does not always give them the
# nominative's key (Костанай → костана, Костаная → костан).
_RU_FORMS = {"й": ("я", "ю", "е", "ем"), "а": ("ы", "е", "у", "ой"), "": ("а", "у", "е", "ом")}


def _forms(name: str, lang: Lang) -> list[str]:
    if lang != "ru" or " " in name:
        return [name]
    ending = name[-1] if name[-1] in "йа" else ""
    base = name[: len(name) - len(ending)]
    return [name, *(base + e for e in _RU_FORMS[ending])]


@cache
def _index(lang: Lang) -> dict[tuple[str, ...], Place]:
    table: dict[tuple[str, ...], Place] = {}
    for entry in entries():
        for name in entry.names.values():
            for form in _forms(name, lang):
                table.setdefault(tuple(w.key for w in words(form, lang)), entry)
    return table


@cache
def _by_first_word(lang: Lang) -> dict[str, tuple[int, ...]]:
    """First word key → the lengths of the names starting with it, longest first."""
    sizes: dict[str, set[int]] = {}
    for key in _index(lang):
        sizes.setdefault(key[0], set()).add(len(key))
    return {first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()}


def find(found: list[Word], lang: Lang, kinds: Iterable[Kind] | None = None) -> list[Hit]:
    """Gazetteer names among ``found`` words, left to right, longest first, no overlaps."""
    wanted = set(kinds) if kinds is not None else None
    firsts = _by_first_word(lang)
    hits: list[Hit] = []
    i = 0
    while i < len(found):
        # Most words start no name: tested here, not by a call for each word of the text.
        hit = _hit_at(found, i, lang, wanted) if found[i].key in firsts else None
        if hit:
            hits.append(hit)
        i = hit.last + 1 if hit else i + 1
    return hits


def _hit_at(found: list[Word], i: int, lang: Lang, wanted: set[Kind] | None) -> Hit | None:
    table = _index(lang)
    for size in _by_first_word(lang)[found[i].key]:
        if i + size > len(found):
            continue
        entry = table.get(tuple(w.key for w in found[i : i + size]))
        if entry and (wanted is None or entry.kind in wanted):
            return Hit(entry, i, i + size - 1)
    return None

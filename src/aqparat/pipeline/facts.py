"""What an item states, in keys that two reports of one event share whatever their language.

A ministry's Russian release and an akimat's Kazakh re-post have almost no words in common, but
the same numbers (`87,15`, `12 482 613`), the same dates (15 March, whether written
`15 наурызда` or `15 марта`), the same people (`Ержан Біржанов` / `Ержан Биржанов`) and the
same known bodies and places (gazetteer keys are language-free). Those are the facts; each
becomes a 64-bit key the store can index (store/stories.py).

Pure functions: no I/O, no settings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from aqparat.model import Lang
from aqparat.text import dates, entities

# Kazakh letters folded to the Russian letter a Russian text writes for them, so a name
# spelled in either language gives one key ("Біржанов" and "Биржанов").
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
                     r"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
# Years are dates' business, and 1–99 are too common (days, counts, list numbers) to say
# which event a text is about; a decimal (87,15) always says something, and so does a
# document number (№ 53), which no translation changes.
_PLAIN_YEARS = range(1900, 2101)
_DOCUMENT_NUMBER = re.compile(r"№\s*(\d+)")
# Names in guillemets (companies, funds, programmes) are rarely translated: «Фридом Финанс» is
# written so in Kazakh, Russian and English releases alike.
_QUOTED = re.compile(r"«([^«»]{3,80})»")
_PARENTHESES = re.compile(r"\([^()]*\)")
# The country itself is named by nearly every release: it tells no two events apart.
_TOO_COMMON = frozenset({"e:kazakhstan"})


@dataclass(frozen=True, slots=True)
class Facts:
    numbers: frozenset[str]  # every number, normalised ("12482613", "87.15"): for agreement
    keys: frozenset[str]  # distinctive facts, "n:…", "d:…", "e:…": for story matching


def number_value(raw: str) -> str:
    """`12 482 613` → `12482613`, `87,15` → `87.15`."""
    return re.sub(r"[ \u00a0\u202f]", "", raw).replace(",", ".")


# Where a `_NUMBER` match can start: a digit after no word character, "." or ",". Scanning for
# that is quick; `_NUMBER` itself opens with a look-behind, so the engine tries it everywhere.
_NUMBER_START = re.compile(r"\d(?<![\w.,]\d)")


def _number_matches(text: str) -> list[str]:
    """`[m.group() for m in _NUMBER.finditer(text)]`, tried only where a number can start."""
    found, resume = [], 0
    for start in _NUMBER_START.finditer(text):
        if start.start() >= resume and (m := _NUMBER.match(text, start.start())):
            found.append(m.group())
            resume = m.end()
    return found


def numbers(text: str) -> frozenset[str]:
    return frozenset(number_value(raw) for raw in _number_matches(text))


def _distinctive(number: str) -> bool:
    if "." in number:
        return True
    return len(number) >= 3 and int(number) not in _PLAIN_YEARS


def fold(name: str) -> str:
    return " ".join(name.casefold().translate(_FOLD).split())


class Named(Protocol):
    """A name found in a text: text/entities.py's `Entity`, or model.NamedEntity (the same
    findings, one per name)."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str | None: ...


def _entity_keys(found: Iterable[Named]) -> set[str]:
    """People and known bodies and places. An unknown body's name is left out: the rules
    find generic ones too ("Правлением Агентства"), which every release of a body repeats."""
    return {f"e:{e.key}" if e.key else f"e:{fold(e.name)}" for e in found
            if e.key or e.kind == "person"}


def _quoted_keys(text: str) -> set[str]:
    names = (fold(_PARENTHESES.sub(" ", m.group(1))) for m in _QUOTED.finditer(text))
    return {f"q:{name}" for name in names if any(ch.isalpha() for ch in name)}


def _document_keys(text: str) -> set[str]:
    return {f"n:№{m.group(1)}" for m in _DOCUMENT_NUMBER.finditer(text)}


def _date_keys(text: str, lang: Lang, anchor: dt.date | None) -> set[str]:
    return {f"d:{m.day.isoformat()}" for m in dates.find_dates(text, lang, anchor)
            if m.precision == "day"}


def text_of(title: str, sentences: str) -> str:
    """The text an item's facts are taken from: its title, then its body's sentences (those
    left once its source's boilerplate is cut, joined by spaces: pipeline/dedup.kept_text)."""
    return f"{title}\n{sentences}"


def extract(text: str, lang: Lang, published: dt.date | None = None,
            named: Iterable[Named] | None = None) -> Facts:
    """The facts of `text` (already stripped of its source's boilerplate); `named`: the names
    text/entities.py finds in `text`, when they were already looked for."""
    found = numbers(text)
    keys = {f"n:{n}" for n in found if _distinctive(n)}
    people_and_places = entities.extract_entities(text, lang) if named is None else named
    keys |= _entity_keys(people_and_places) | _date_keys(text, lang, published)
    keys |= _quoted_keys(text) | _document_keys(text)
    return Facts(found, frozenset(keys - _TOO_COMMON))


def key_hash(value: str) -> int:
    """A stable signed 64-bit key (a BIGINT on both engines) for an indexed string."""
    digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def agreement(a: frozenset[str], b: frozenset[str]) -> float | None:
    """The share of the fewer numbers that the other text also has; None when either text
    has fewer than two.

    Two akimats' monthly reports fill one template with different numbers: their words
    agree, their numbers do not; nor do two licences granted by two orders (№ 66, № 67). A
    re-post keeps the numbers it copies, whatever it trims or appends (a contact block adds
    a phone number), so the smaller set is measured against the other, not the union."""
    if len(a) < 2 or len(b) < 2:
        return None
    return len(a & b) / min(len(a), len(b))

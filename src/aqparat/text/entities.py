"""Named entities in press texts: people (with their role), state bodies and places.

Rules plus a gazetteer (research note §10: rules found every person on the seed page, natasha
invents people in Kazakh):

* **person** — a role noun followed by two or three capitalised words
  (``вице-министрі Ержан Біржанов``, ``председатель Правления Иван Петров``); or a first name
  and a surname with a Kazakh/Russian surname ending (``Олег Копыловтың``); or a surname and
  initials (``Байгабулов О. К.``). The name stops before a gazetteer place or body, so
  ``Ержан Біржанов Ақмола облысының`` gives ``Ержан Біржанов``. A case ending on the last word
  is removed in ``name`` (``Копыловтың`` → ``Копылов``).
* **place** and **body** — names from ``data/gazetteer.toml`` matched word by word after suffix
  stripping, with their stable ``key``; plus unknown bodies: capitalised words ending in a
  body word (``министрлігі``, ``комитеті``, ``агенттігі``, ``әкімдігі``, ``комиссиясы`` …),
  whose ``key`` is None.

Returns frozen :class:`Entity` values, left to right; spans index the input text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from aqparat.model import Lang
from aqparat.text import gazetteer
from aqparat.text.gazetteer import Word
from aqparat.text.stem import stem

EntityKind = Literal["person", "body", "place"]


@dataclass(frozen=True, slots=True)
class Entity:
    """``name`` is the canonical form (nominative); ``text[start:end]`` is how it was written."""

    kind: EntityKind
    name: str
    start: int
    end: int
    role: str | None = None
    key: str | None = None


# Role nouns in the nominative; compared by search key, so every case form counts.
_ROLES = {
    "kk": "министр вице-министр хатшы орынбасар директор төраға басшы әкім елші сарапшы мүше "
          "депутат президент премьер-министр бастық өкіл спикер",
    "ru": "министр вице-министр председатель заместитель директор аким посол депутат глава "
          "руководитель президент премьер-министр секретарь спикер член",
    "en": "minister vice-minister chairman deputy director akim ambassador secretary general "
          "president head spokesperson",
}
_SURNAME = re.compile(
    r"[А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(?:ов|ев|ин|ова|ева|ина|ұлы|қызы|ская|ский)"
    r"(?:[а-яәғқңөұүһі]{0,5})$"
)
_INITIALS = re.compile(r"\s*[А-ЯӘҒҚҢӨҰҮҺІA-Z]\.(?:\s?[А-ЯӘҒҚҢӨҰҮҺІA-Z]\.)?")
_BODY_HEADS = {
    "kk": "министрлігі комитеті агенттігі әкімдігі мәслихаты департаменті комиссиясы "
          "ассамблеясы палатасы прокуратурасы соты",
    "ru": "министерство комитет агентство акимат маслихат департамент комиссия ассамблея "
          "палата прокуратура суд",
    "en": "ministry committee agency akimat maslikhat department commission assembly chamber "
          "court",
}
_CONNECTORS = frozenset({"және", "мен", "и", "по", "of", "and", "for", "the", "ҚР", "РК"})
_MAX_NAME = 3
# Words a role may be followed by before the name: "заместитель директора департамента
# методологии … Агентства Ерлан Сеилов".
_MAX_ROLE_TAIL = 8


@cache
def _keys(table: str, lang: Lang) -> frozenset[str]:
    words = (_ROLES if table == "roles" else _BODY_HEADS)[lang].split()
    return frozenset(stem(w, lang) for w in words)


def extract_entities(text: str, lang: Lang) -> list[Entity]:
    """People, bodies and places in ``text`` (see the module docstring)."""
    found = gazetteer.words(text, lang)
    known = gazetteer.find(found, lang)
    taken = {i for hit in known for i in range(hit.first, hit.last + 1)}
    entities = [_from_hit(found, hit, lang) for hit in known]
    entities += _bodies(found, lang, taken)
    entities += _people(text, found, lang, taken)
    return sorted(entities, key=lambda e: (e.start, -e.end))


def _from_hit(found: list[Word], hit: gazetteer.Hit, lang: Lang) -> Entity:
    kind: EntityKind = "body" if hit.entry.kind == "body" else "place"
    return Entity(kind, hit.entry.names[lang], found[hit.first].start, found[hit.last].end,
                  key=hit.entry.key)


# --- people ------------------------------------------------------------------------------


def _is_name_word(word: Word) -> bool:
    return word.text[:1].isupper() and not word.text.isupper() and word.text not in _CONNECTORS


def _canonical(word: str, lang: Lang) -> str:
    """The written word without its case ending: the surface prefix as long as its key."""
    key = stem(word, lang)
    if lang == "kk" and word.lower().startswith(key[:-1]) and len(key) < len(word):
        return word[: len(key)]
    return word


def _name_after(text: str, found: list[Word], i: int, taken: set[int]) -> list[Word]:
    """Up to three capitalised words from ``i`` on, stopping at gazetteer names and at any
    punctuation between words."""
    name: list[Word] = []
    for j in range(i, min(i + _MAX_NAME, len(found))):
        if j in taken or not _is_name_word(found[j]):
            break
        if text[(name[-1].end if name else found[i - 1].end if i else 0):found[j].start].strip():
            break
        name.append(found[j])
    return name


def _person(text: str, name: list[Word], lang: Lang, role: str | None) -> Entity:
    parts = [w.text for w in name[:-1]] + [_canonical(name[-1].text, lang)]
    return Entity("person", " ".join(parts), name[0].start, name[-1].end, role=role)


def _people(text: str, found: list[Word], lang: Lang, taken: set[int]) -> list[Entity]:
    roles = _keys("roles", lang)
    people: list[Entity] = []
    used: set[int] = set(taken)
    for i, word in enumerate(found):
        # Most words are neither a role nor a name: tested here, not by two calls for each.
        if i in used or (word.key not in roles and not _is_name_word(word)):
            continue
        person = _role_person(text, found, i, lang, roles, used) or _surname_person(
            text, found, i, lang, used)
        if person:
            people.append(person)
    return people


def _role_tail(text: str, found: list[Word], i: int, lang: Lang) -> int:
    """Index of the first word after role ``i`` that may start the name."""
    j = i + 1
    skippable = _keys("roles", lang) | _keys("heads", lang)
    while j < len(found) and j - i <= _MAX_ROLE_TAIL:
        if text[found[j - 1].end : found[j].start].strip():
            break
        word = found[j]
        if _is_name_word(word) and word.key not in skippable and j + 1 < len(found) \
                and _is_name_word(found[j + 1]) and found[j + 1].key not in skippable:
            return j
        j += 1
    return i + 1


def _role_person(text: str, found: list[Word], i: int, lang: Lang, roles: frozenset[str],
                 used: set[int]) -> Entity | None:
    if found[i].key not in roles or i + 1 >= len(found):
        return None
    start = _role_tail(text, found, i, lang)
    name = _name_after(text, found, start, used)
    if len(name) < 2:
        return None
    used.update(range(start, start + len(name)))
    return _person(text, name, lang, found[i].text)


def _surname_person(text: str, found: list[Word], i: int, lang: Lang,
                    used: set[int]) -> Entity | None:
    word = found[i]
    if not _is_name_word(word):
        return None
    if _SURNAME.match(word.text) and _INITIALS.match(text, word.end):
        initials = _INITIALS.match(text, word.end)
        assert initials is not None
        used.add(i)
        name = f"{_canonical(word.text, lang)} {initials.group().strip()}"
        return Entity("person", name, word.start, initials.end())
    nxt = i + 1
    if nxt < len(found) and nxt not in used and _is_name_word(found[nxt]) \
            and _SURNAME.match(found[nxt].text) and found[nxt].start - word.end == 1:
        used.update((i, nxt))
        return _person(text, [word, found[nxt]], lang, None)
    return None


# --- unknown bodies ----------------------------------------------------------------------


def _bodies(found: list[Word], lang: Lang, taken: set[int]) -> list[Entity]:
    heads = _keys("heads", lang)
    bodies = []
    for i, word in enumerate(found):
        if i in taken or word.key not in heads or (word.text[:1].isupper() and i == 0):
            continue
        first = _extend_left(found, i, taken, lang)
        if first < i and any(_is_name_word(w) for w in found[first:i]):
            taken.update(range(first, i + 1))
            bodies.append(Entity("body", " ".join(w.text for w in found[first:i + 1]),
                                 found[first].start, word.end))
    return bodies


def _extend_left(found: list[Word], i: int, taken: set[int], lang: Lang) -> int:
    """Start of the body name ending at word ``i``: capitalised words, connectors, and up to
    two lower-case words between capitalised ones (``Ғылым және жоғары білім министрлігі``)."""
    first, gap = i, 0
    for j in range(i - 1, max(-1, i - 8), -1):
        word = found[j]
        if j in taken or found[j + 1].start - word.end > 1 or word.key in _keys("roles", lang):
            break
        if _is_name_word(word) or word.text in _CONNECTORS or word.text.isupper():
            first, gap = j, 0
        elif gap < 2:
            gap += 1
        else:
            break
    return first

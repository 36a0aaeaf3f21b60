"""Kazakh in three scripts: Cyrillic → the 2021 Latin alphabet, → Arabic script (tote), and
Latin → Cyrillic for "did you mean" in search.

The letter tables are pinned in ``data/translit-kk.toml``; this module only applies them.

**Latin (2021).** Every native letter has one Latin letter (``і`` → ``ı``, ``и``/``й`` →
``i``, ``ы`` → ``y``, ``ұ`` → ``ū``, ``ү`` → ``ü``, ``ң`` → ``ñ``, ``ғ`` → ``ğ``, ``ш`` →
``ş``, ``қ`` → ``q``, ``х``/``һ`` → ``h``). Casing is Turkish-style: ``i`` ↔ ``İ`` and
``ı`` ↔ ``I`` (Python's ``str.upper``/``lower`` get both wrong), so use :func:`latin_upper` and
:func:`latin_lower`, never the ``str`` methods, on Kazakh Latin.

**Policy for letters of Russian loans**, which the 2021 alphabet leaves open:
``ц`` → ``ts``, ``ч`` → ``ch``, ``щ`` → ``şş``, ``ё`` → ``io``, ``ю`` → ``iu``, ``я`` →
``ia``, ``ъ``/``ь`` → nothing, ``э`` → ``e``. Why: each is spelled with letters the alphabet
already has (no ``c``/``ç`` of earlier drafts, no apostrophes), ``ю``/``я``/``ё`` are written as
the ``й`` + vowel they are pronounced as, which is also how Kazakh speech adapts them; and
``ts``/``ch`` keep loans and names recognisable (``konstitutsiia``, ``Chichek``) where the
spoken ``s``/``ş`` would merge them with native words. A capital gives a title-case digraph
before lower case (``Ts``, ``Ia``) and an upper-case one in an all-caps word (``TS``).

**Arabic (tote).** One letter per Cyrillic letter from the table; the front vowels ``ә ө ү і``
share their letters with ``а о ұ ы``, so a word containing one of them gets the high hamza
``ٴ`` (U+0674) in front — unless it contains ``е``, ``к``, ``г`` or ``э``, which already mark it
as front. ``, ; ?`` become ``، ؛ ؟``. Pages set ``dir="rtl" lang="kk-Arab"``.

**Back to Cyrillic** is a best guess, because ``i`` is ``и`` or ``й``, ``h`` is ``х`` or ``һ``,
``ts`` is ``ц`` or ``тс``, and ``ё`` comes back as ``ио``: :func:`to_cyrillic` picks the usual
reading (``й`` after a vowel, ``ц`` only word-initially or before ``i``), and
:func:`cyrillic_candidates` lists the readings a search can try.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from itertools import product
from typing import Literal

Script = Literal["Latn", "Arab"]

HAMZA = "\u0674"
_FRONT_ONLY = frozenset("әөүі")  # front vowels with no letter of their own in tote
_FRONT_MARKERS = frozenset("екгэ")  # letters that already show a word is front
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]+")
_LATIN_WORD = re.compile(r"[A-Za-zÄäĞğÑñÖöŞşŪūÜüİı]+")
_UPPER = {"i": "İ", "ı": "I"}
_LOWER = {"İ": "i", "I": "ı"}
_VOWELS_LATIN = frozenset("aäeıioöuūüy")


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = (resources.files("aqparat.data") / "translit-kk.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def latin_upper(text: str) -> str:
    """Upper case for Kazakh Latin: ``i`` → ``İ``, ``ı`` → ``I``."""
    return "".join(_UPPER.get(ch) or ch.upper() for ch in text)


def latin_lower(text: str) -> str:
    """Lower case for Kazakh Latin: ``İ`` → ``i``, ``I`` → ``ı``."""
    return "".join(_LOWER.get(ch) or ch.lower() for ch in text)


# --- Cyrillic → Latin ----------------------------------------------------------------------


def _latin_letter(word: str, i: int) -> str:
    ch = word[i]
    out = _tables()["latin"].get(ch.lower(), ch)
    if ch == ch.lower() or not out:
        return out
    all_caps = word.isupper() and len(word) > 1
    if all_caps or len(out) == 1:
        return latin_upper(out)
    return latin_upper(out[0]) + out[1:]


@cache
def _latin_table() -> dict[int, str]:
    return str.maketrans(_tables()["latin"])


def _latin_word(m: re.Match[str]) -> str:
    word = m.group()
    if word.islower():  # most words: one C-level pass
        return word.translate(_latin_table())
    return "".join(_latin_letter(word, i) for i in range(len(word)))


def to_latin(text: str) -> str:
    """Kazakh Cyrillic in ``text`` → the 2021 Latin alphabet; everything else unchanged."""
    return _CYRILLIC_WORD.sub(_latin_word, text)


# --- Cyrillic → Arabic ---------------------------------------------------------------------


@cache
def _arabic_table() -> dict[int, str]:
    return str.maketrans(_tables()["arabic"])


def _arabic_word(m: re.Match[str]) -> str:
    word = m.group().lower()
    letters = word.translate(_arabic_table())
    front = _FRONT_ONLY & set(word) and not _FRONT_MARKERS & set(word)
    return HAMZA + letters if front and letters else letters


def to_arabic(text: str) -> str:
    """Kazakh Cyrillic in ``text`` → Arabic script (tote), with Arabic punctuation."""
    punctuation = str.maketrans(_tables()["arabic_punctuation"])
    return _CYRILLIC_WORD.sub(_arabic_word, text).translate(punctuation)


def transliterate(text: str, script: Script) -> str:
    """``to_latin`` or ``to_arabic`` by the script subtag of ``kk-Latn`` / ``kk-Arab``."""
    return to_latin(text) if script == "Latn" else to_arabic(text)


# --- Latin → Cyrillic ----------------------------------------------------------------------

_SINGLE = {
    "a": "а", "ä": "ә", "b": "б", "v": "в", "g": "г", "ğ": "ғ", "d": "д", "e": "е", "j": "ж",
    "z": "з", "k": "к", "q": "қ", "l": "л", "m": "м", "n": "н", "ñ": "ң", "o": "о", "ö": "ө",
    "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "f": "ф", "h": "х",
    "ş": "ш", "y": "ы", "ı": "і", "i": "и",
}
_DIGRAPHS = {"şş": "щ", "ch": "ч", "ia": "я", "iu": "ю"}
# Each ambiguous reading: (Latin, usual Cyrillic, other Cyrillic); two-letter ones first, so
# "io" is still whole when its turn comes.
_ALTERNATIVES = (("ts", "тс", "ц"), ("io", "ио", "ё"), ("i", "и", "й"), ("h", "х", "һ"))


def _i_reading(word: str, i: int) -> str:
    """``й`` after a vowel other than i (``bai``, ``oiyn``: Kazakh has no two vowels in a
    row, so there it is a consonant), else ``и``."""
    return "й" if i > 0 and word[i - 1] in _VOWELS_LATIN and word[i - 1] != "i" else "и"


def _next_letter(word: str, i: int) -> tuple[str, int]:
    """The Cyrillic for ``word[i:]``'s first Latin letter (or digraph), and its length."""
    pair = word[i : i + 2]
    if pair == "ts" and (i == 0 or word[i + 2 : i + 3] == "i"):
        return "ц", 2
    if pair in _DIGRAPHS:
        return _DIGRAPHS[pair], 2
    if word[i] == "i":
        return _i_reading(word, i), 1
    return _SINGLE.get(word[i], word[i]), 1


def _cyrillic_word(word: str) -> str:
    lower, out, i = latin_lower(word), [], 0
    while i < len(lower):
        letter, size = _next_letter(lower, i)
        out.append(letter)
        i += size
    return _recase("".join(out), word)


def _recase(cyrillic: str, latin: str) -> str:
    if len(latin) > 1 and latin == latin_upper(latin):
        return cyrillic.upper()
    return cyrillic[:1].upper() + cyrillic[1:] if latin[:1] != latin_lower(latin[:1]) else cyrillic


def to_cyrillic(text: str) -> str:
    """Kazakh Latin (2021) in ``text`` → Cyrillic, best guess (see the module docstring)."""
    return _LATIN_WORD.sub(lambda m: _cyrillic_word(m.group()), text)


def cyrillic_candidates(word: str, limit: int = 8) -> list[str]:
    """Cyrillic readings of one Latin word, the :func:`to_cyrillic` guess first."""
    best = _cyrillic_word(word)
    lower = latin_lower(word)
    choices = [(alt, usual, other) for alt, usual, other in _ALTERNATIVES if alt in lower]
    found = [best]
    for picks in product((0, 1), repeat=len(choices)):
        variant = lower
        for (alt, usual, other), pick in zip(choices, picks, strict=True):
            variant = variant.replace(alt, f"\x00{(usual, other)[pick]}\x01")
        candidate = _recase(_cyrillic_marked(variant), word)
        if candidate not in found:
            found.append(candidate)
        if len(found) >= limit:
            break
    return found


def _cyrillic_marked(variant: str) -> str:
    """A Latin word whose ambiguous parts were already replaced between \\x00 and \\x01."""
    parts = re.split(r"\x00([^\x01]*)\x01", variant)
    return "".join(p if n % 2 else _cyrillic_word(p) for n, p in enumerate(parts))

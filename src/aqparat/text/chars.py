"""Character-level repairs that :func:`aqparat.text.normalize.normalize` deliberately leaves out.

``normalize()`` is the canonical whitespace/Unicode form and never changes a letter. This module
changes letters, so it is a separate, opt-in step (:func:`normalize_text` chains them):

* **lookalikes** — per token (a run of letters; each part of a hyphenated word on its own), a
  Latin ``i a e o p c x y h`` … inside a Cyrillic word becomes the Cyrillic letter
  (``Бiржанов`` → ``Біржанов``), and the reverse inside a Latin word. A token is judged by its
  *unambiguous* letters (ones with no lookalike in the other script, such as ``қ`` or ``L``):
  only a token whose unambiguous letters all belong to one script is rewritten, so
  ``SCO-ның``, ``ALEM`` and ``iPhone`` stay as they are. Latin ``ə ɵ`` and Bashkir ``ҡ ӊ ҥ``
  become ``ә ө қ ң`` in Cyrillic words. The research note (``kazakh-nlp.md`` §1) measured this
  approach at 16 of 17 noisy cases; the miss, ``Kазақстан``, is a Latin ``K`` that stands for
  ``Қ``, which no character map can know.
* **mojibake** — UTF-8 read as cp1251 or Latin-1 is undone with ftfy's ``fix_encoding``, only
  when ftfy's own badness check fires, so clean text is never touched.
* **punctuation** — dash variants and a spaced hyphen between words become `` – ``; U+2010/2011
  become ``-``; for kk/ru, curly double quotes become ``« »`` (the press style of both languages).

Every function is idempotent and never raises on any ``str``.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.badness

from aqparat.model import Lang
from aqparat.text.normalize import normalize

# Latin (and IPA) letters that pass for Cyrillic ones, and the Cyrillic letter meant.
_TO_CYRILLIC = str.maketrans({
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "h": "һ",
    "k": "к",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "У",
    "ə": "ә", "Ə": "Ә", "ɵ": "ө", "Ɵ": "Ө",
})
# Letters of neighbouring Cyrillic alphabets typed for Kazakh ones (Bashkir ҡ, Chuvash/Yakut ң).
_KAZAKH_VARIANTS = str.maketrans({"ҡ": "қ", "Ҡ": "Қ", "ӊ": "ң", "Ӊ": "Ң", "ҥ": "ң", "Ҥ": "Ң"})
_TO_LATIN = str.maketrans({
    "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "і": "i", "һ": "h",
    "к": "k",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K", "М": "M", "О": "O",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y",
})
_LATIN_LOOKALIKES = frozenset(chr(c) for c in _TO_CYRILLIC)
_CYRILLIC_LOOKALIKES = frozenset(chr(c) for c in _TO_LATIN)

# Only tokens that mix scripts (or carry a variant letter) are worth a Python call: a clean
# page is scanned by the regex engine alone.
_LETTERS = r"[^\W\d_]"
# The look-behind anchors each try at a token's first letter (otherwise a long word is rescanned
# from every position: quadratic time).
_MIXED_TOKEN = re.compile(
    rf"(?<!{_LETTERS})(?:(?={_LETTERS}*[\u0400-\u04ff])(?={_LETTERS}*[A-Za-zəɵƏƟ])"
    rf"|(?={_LETTERS}*[ҡҠӊӉҥҤ])){_LETTERS}+"
)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isascii() or ch in "əɵƏƟ"


def _fix_token(token: str) -> str:
    """One run of letters in a single script, when its unambiguous letters agree."""
    strong_cyrillic = any(_is_cyrillic(c) and c not in _CYRILLIC_LOOKALIKES for c in token)
    strong_latin = any(_is_latin(c) and c not in _LATIN_LOOKALIKES for c in token)
    if strong_cyrillic and not strong_latin:
        return token.translate(_TO_CYRILLIC).translate(_KAZAKH_VARIANTS)
    if strong_latin and not strong_cyrillic:
        return token.translate(_TO_LATIN)
    if not strong_latin and not strong_cyrillic:
        # Only lookalikes (``Снеp``): the script with more letters wins; Cyrillic on a tie,
        # because this site's text is Cyrillic.
        latin = sum(_is_latin(c) for c in token)
        return token.translate(_TO_LATIN if latin > len(token) - latin else _TO_CYRILLIC)
    return token.translate(_KAZAKH_VARIANTS)


# Every token `_MIXED_TOKEN` takes holds a letter of the first class below, and a character of
# the Cyrillic block in it or straight after it (the look-ahead also accepts the block's few
# non-letters, such as U+0483). So the pattern is tried only at the start of tokens next to a
# hit of the class rarer in the text (their starts found backwards in the reversed text), not
# at every position: a clean page is a few quick scans.
_LATIN_OR_VARIANT = re.compile(r"[A-Za-zəɵƏƟҡҠӊӉҥҤ]")
_CYRILLIC_BLOCK = re.compile("[\u0400-\u04ff]")
_LETTER_RUN = re.compile(rf"{_LETTERS}*")


def _rarer(text: str) -> re.Pattern[str] | None:
    """The class of the two fewer in `text`'s start (None: one is missing, nothing to do)."""
    if _CYRILLIC_BLOCK.search(text) is None or _LATIN_OR_VARIANT.search(text) is None:
        return None
    head = text[:400]
    latin = len(_LATIN_OR_VARIANT.findall(head))
    return _LATIN_OR_VARIANT if latin <= len(_CYRILLIC_BLOCK.findall(head)) else _CYRILLIC_BLOCK


def fix_lookalikes(text: str) -> str:
    """Latin/Cyrillic lookalike letters repaired per token (see the module docstring)."""
    rarer = _rarer(text)
    if rarer is None:
        return text
    pieces: list[str] = []
    copied = judged = 0  # text before `copied` is in `pieces`; tokens before `judged` are done
    backwards = text[::-1]
    for hit in rarer.finditer(text):
        if hit.start() < judged:
            continue  # inside the token just judged
        before = _LETTER_RUN.match(backwards, len(text) - hit.start())
        start = hit.start() - (before.end() - before.start() if before else 0)
        if start < judged:
            continue  # a non-letter after the token just judged
        token = _MIXED_TOKEN.match(text, start)
        after = _LETTER_RUN.match(text, hit.start())
        judged = token.end() if token else after.end() if after else hit.end()
        if token is not None:
            pieces += [text[copied:start], _fix_token(token.group())]
            copied = token.end()
    return "".join([*pieces, text[copied:]]) if pieces else text


# ftfy's badness test (`ftfy.badness.is_bad`) is one large regex tried at every position of a
# text. Each of its matches holds a character of these categories (or the Ђ of cp1251's "вЂ")
# and is at most `_MOJIBAKE_SPAN` characters long (ftfy 6.3's pattern, which
# tests/unit/test_text_chars.py pins), so only the stretches around them are tested; a clean
# Cyrillic paragraph has a few « » at most.
_MOJIBAKE_SIGNS = re.compile("[" + "".join(
    chars for name, chars in ftfy.badness.MOJIBAKE_CATEGORIES.items()
    if name not in ("common", "lower_common", "upper_common")) + "Ђ]")
_MOJIBAKE_SPAN = 7


def _stretches(text: str) -> list[tuple[int, int]]:
    """Merged spans of `text` that hold every possible badness match."""
    spans: list[tuple[int, int]] = []
    for m in _MOJIBAKE_SIGNS.finditer(text):
        lo, hi = max(0, m.start() - _MOJIBAKE_SPAN + 1), m.start() + _MOJIBAKE_SPAN
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def looks_bad(text: str) -> bool:
    """`ftfy.badness.is_bad(text)`, tested only where a match can be."""
    return any(ftfy.badness.BADNESS_RE.search(text, lo, hi) for lo, hi in _stretches(text))


def fix_mojibake(text: str) -> str:
    """UTF-8 that was decoded as cp1251 or Latin-1, restored; anything else unchanged."""
    if not looks_bad(text):
        return text
    return str(ftfy.fix_encoding(text))


_DASHES = "\u2012\u2013\u2014\u2015\u2212"
# A dash with a space on both sides (or a bare hyphen used as one) is a sentence dash.
_SPACED_DASH = re.compile(rf"(?<=[^\s{_DASHES}-]) [-{_DASHES}]{{1,2}} (?=[^\s{_DASHES}-])")
_SPACE_DASH = re.compile(rf" [-{_DASHES}]")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_CURLY_PAIR = re.compile(r"[“„‟]([^“”„‟\"«»\n]{0,400}?)[”“]")


def unify_punctuation(text: str, lang: Lang | None = None) -> str:
    """Dashes and (for kk/ru) double quotes in one house style; see the module docstring."""
    if "\u2010" in text or "\u2011" in text:
        text = text.translate(_HYPHENS)
    if _SPACE_DASH.search(text) is not None:  # what every _SPACED_DASH match holds
        text = _SPACED_DASH.sub(" – ", text)
    if lang in ("kk", "ru"):
        text = _CURLY_PAIR.sub(r"«\1»", text)
    return text


def normalize_text(text: str, lang: Lang | None = None) -> str:
    """The full canonical text: ``normalize()``, mojibake, lookalikes, punctuation; idempotent."""
    text = fix_mojibake(normalize(text))
    return normalize(unify_punctuation(fix_lookalikes(text), lang))

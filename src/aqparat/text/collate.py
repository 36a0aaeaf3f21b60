"""Alphabetical order as readers of each language expect it, for lists of names.

Python orders strings by code point, which puts Kazakh's own letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І, added
to Cyrillic late) after Я or, for І, before А, and Russian Ё after Я. `sort_key` ranks letters
by the alphabet instead. Written here because the library that knows CLDR's tailorings (PyICU)
needs the ICU C library and headers, which this project does not otherwise install; for
sorting names, the alphabets below are the whole of what is needed.
"""

from __future__ import annotations

# Kazakh Cyrillic (the 42 letters), Russian's letters among them; then Kazakh Latin (2021)
# with English's c, w, x. Digits come before letters, spaces and punctuation before both.
_KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LATIN = "aäbcdefgğhiıjklmnñoöpqrsştuūüvwxyz"
_RANK = ({d: 10 + int(d) for d in "0123456789"}
         | {ch: 100 + n for n, ch in enumerate(_KAZAKH)}
         | {ch: 200 + n for n, ch in enumerate(_LATIN)})
_RANK["ı"] = _RANK["i"]  # kk-Latn writes İ/i; a dotless ı is a typing slip for i
_OTHER = 1000  # letters of other scripts: after ours, by code point


def _rank(ch: str) -> int:
    found = _RANK.get(ch)
    if found is not None:
        return found
    return _OTHER + ord(ch) if ch.isalnum() else 0


def sort_key(name: str) -> tuple[tuple[int, ...], str]:
    """Letters by alphabet, ignoring case, then the name itself, so that names equal but for
    case still have one order."""
    return tuple(_rank(ch) for ch in name.casefold()), name

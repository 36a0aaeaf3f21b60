"""Lost breaks that :mod:`aqparat.text.normalize` does not recover yet: glued list items.

``normalize.recover_paragraphs`` finds breaks after sentence ends, ``)``, times and camel glue.
Measured on real gov.kz items glued the portal's way (``tests/fixtures/text/paragraphs.jsonl``),
its misses are mostly lists: a ``<li>`` or ``<p>`` that ends in ``;`` or ``:`` runs straight
into the next one (``обязательств;ответственности``, ``предусматривает:1)сокращение``,
``являются:-документы``), and a heading with no final stop glued to a Russian one-letter
preposition (``ценных бумагВ соответствии``). Both are safe to split because clean prose always
has a space after ``;`` or ``:`` that follows a word, and a lower-case word never ends in a
capital letter followed by a space.

:func:`paragraphs` is ``clean_paragraphs`` plus these rules; it keeps that function's
guarantees: idempotent on its own output joined by blank lines, and no non-space character is
ever lost or reordered.
"""

from __future__ import annotations

import re
from itertools import pairwise

from aqparat.text.normalize import clean_paragraphs, has_link_start, recover_paragraphs

# ";" or ":" after a word (or a closing quote/bracket) directly followed by the next item. A
# digit before ":" is a time or a ratio (11:30, 1:2); "/" after it is a URL scheme.
_LIST_GLUE = re.compile(r"(?<=[^\W\d_][;:]|[»)\]][;:])(?=[^\s/.,;:!?»)\]…])")
# "бумагВ соответствии": a lower-case word run into a capitalised one-letter Russian word.
_PREPOSITION_GLUE = re.compile(r"(?<=[а-яё]{3})(?=[ВСКОУАИЯ] [а-яё])")
_PREPOSITION_HINT = re.compile(r"[ВСКОУАИЯ] [а-яё]")  # inside every _PREPOSITION_GLUE match
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+|[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)


def _cuts(paragraph: str) -> list[int]:
    # Each pattern is tried at every position, so it runs only when what every one of its
    # matches holds is there: most paragraphs have no link, ";" or ":", or glued preposition.
    spans = ([m.span() for m in _PROTECTED.finditer(paragraph)]
             if "@" in paragraph or has_link_start(paragraph) else [])
    patterns = [_LIST_GLUE] if ";" in paragraph or ":" in paragraph else []
    if _PREPOSITION_HINT.search(paragraph):
        patterns.append(_PREPOSITION_GLUE)
    found = (m.start() for pattern in patterns for m in pattern.finditer(paragraph))
    return sorted(p for p in found if 0 < p < len(paragraph)
                  and not any(a <= p <= b for a, b in spans))


def split_list_glue(paragraph: str) -> list[str]:
    """One paragraph cut at glued list items and glued one-letter prepositions."""
    cuts = [0, *_cuts(paragraph), len(paragraph)]
    pieces = (paragraph[a:b].strip() for a, b in pairwise(cuts))
    return [piece for piece in pieces if piece]


def _settled(piece: str) -> list[str]:
    """A piece cut at list glue, judged again on its own: ``normalize``'s rules see some breaks
    only at a piece's start (``сөз:11:30Сөз`` → ``11:30Сөз`` → ``11:30`` | ``Сөз``); without
    this second look, running ``paragraphs`` on its own output would split further."""
    parts = recover_paragraphs(piece)
    if parts == [piece]:
        return parts
    return [q for p in parts for cut in split_list_glue(p) for q in _settled(cut)]


def paragraphs(title: str, body: str) -> list[str]:
    """Paragraphs of a glued ``body``: ``clean_paragraphs(title, body)``, then list glue split.

    A paragraph list glue leaves whole is settled already: it is ``recover_paragraphs``'s own
    output, which that function, being idempotent, gives back unchanged. Most paragraphs are
    such; judging them again was a sixth of this function's time."""
    out: list[str] = []
    for p in clean_paragraphs(title, body):
        pieces = split_list_glue(p)
        out += pieces if pieces == [p] else [q for piece in pieces for q in _settled(piece)]
    return out

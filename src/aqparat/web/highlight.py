"""Search snippets: a window of an item's stored plain text around the query's words, escaped,
with each matching word wrapped in `<mark>` after escaping.

Only plain text goes in (title, lead, body text: never the body's HTML), every piece of it is
escaped, and the only markup added is our own `<mark>`, so a source's HTML can never get
through, however it is written. A word matches when it gives one of the query's terms in the
item's language (`document.text_terms`, the function the index uses), so `референдум` marks
`референдумда`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

from aqparat.store.fts.document import text_terms

WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 36  # about two lines of the result list
MAX_CHARS = 20_000  # a body longer than this is searched for a snippet in its start only
ELLIPSIS = "…"


def _marks(text: str, stems: frozenset[str], lang: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of `text` that gives a query term."""
    for m in WORD.finditer(text):
        if not stems.isdisjoint(text_terms(m.group(), lang)):
            yield m.start(), m.end()


def _render(text: str, marks: list[tuple[int, int]]) -> Markup:
    out, at = [], 0
    for start, end in marks:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def highlight(text: str, stems: frozenset[str], lang: str) -> Markup:
    """All of `text`, escaped, its matching words marked (titles)."""
    return _render(text, list(_marks(text, stems, lang)))


def _best_start(words: list[re.Match[str]], hits: list[bool]) -> int:
    """The first word of the window of SNIPPET_WORDS words with the most matches."""
    if len(words) <= SNIPPET_WORDS:
        return 0
    best, best_at = sum(hits[:SNIPPET_WORDS]), 0
    current = best
    for i in range(1, len(words) - SNIPPET_WORDS + 1):
        current += hits[i + SNIPPET_WORDS - 1] - hits[i - 1]
        if current > best:
            best, best_at = current, i
    first_hit = next((i for i in range(best_at, best_at + SNIPPET_WORDS) if hits[i]), best_at)
    return max(0, first_hit - 3)  # a little context before the first match


def snippet(text: str, stems: frozenset[str], lang: str) -> Markup:
    """The most matching SNIPPET_WORDS-word window of `text`, escaped and marked."""
    head = " ".join(text[:MAX_CHARS].split())
    words = list(WORD.finditer(head))
    if not words:
        return Markup("")
    hits = [not stems.isdisjoint(text_terms(w.group(), lang)) for w in words]
    first = _best_start(words, hits)
    last = min(len(words), first + SNIPPET_WORDS) - 1
    start = words[first].start() if first else 0
    end = words[last].end() if last < len(words) - 1 else len(head)
    piece = head[start:end]
    marks = [(w.start() - start, w.end() - start)
             for w, hit in zip(words[first:last + 1], hits[first:last + 1], strict=True) if hit]
    body = _render(piece, marks)
    before = ELLIPSIS + " " if start else ""
    after = " " + ELLIPSIS if end < len(head) else ""
    return escape(before) + body + escape(after)

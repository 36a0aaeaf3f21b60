"""Stage 1 of pipeline/run.py: a RawItem's title and body as clean paragraphs and safe HTML.

Every text goes through `text.chars.normalize_text` (Unicode, mojibake, Latin/Cyrillic
lookalikes, dashes and quotes) and loses tool residue (`text.residue`: unrendered Markdown, a
translator's counter, labels and buttons; a paragraph that is only residue goes). A title in
ALL CAPS is put in sentence case, acronyms kept (`text.titles`). A plain-text body then has
its lost breaks recovered by `text.paragraphs.paragraphs`. An HTML body keeps its markup's
paragraphs (they are the truth the gold set is scored against): inside each, the same repairs
run and glued breaks are recovered, but two markup paragraphs are never merged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from aqparat.model import Lang, RawItem
from aqparat.text import chars, markup, normalize, paragraphs, residue, sanitize, titles

# Languages whose quotes chars.unify_punctuation rewrites as « »: a text cleaned with a hint
# outside this set must be cleaned again once the language is known to be inside it.
_GUILLEMET_LANGS = frozenset({"kk", "ru"})


@dataclass(frozen=True, slots=True)
class Body:
    paragraphs: tuple[str, ...]
    html: str  # sanitized

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def has_media(body: Body, image_url: str | None) -> bool:
    """Whether an item without text still has something to show: a picture of its own or
    in the body. (A video is kept as a link paragraph by the sanitizer, so it is text.)"""
    return bool(image_url) or sanitize.first_image(body.html) is not None


def style_differs(hint: Lang | None, language: Lang) -> bool:
    """Whether text cleaned for `hint` would come out differently for `language`."""
    return (hint in _GUILLEMET_LANGS) != (language in _GUILLEMET_LANGS)


def clean_title(title: str, hint: Lang | None) -> str:
    # Each repair can expose work for another ("**Â** 0": the asterisks hid mojibake from
    # ftfy), so the steps repeat until nothing changes; titles are short, three rounds is
    # more than any title has needed.
    for _ in range(3):
        text = residue.clean_inline(chars.normalize_text(title, hint))
        cleaned = titles.sentence_case(" ".join(text.split()), hint)
        if cleaned == title:
            break
        title = cleaned
    return title


def clean_body(title: str, raw: RawItem, hint: Lang | None) -> Body:
    """Paragraphs and sanitized HTML; a leading copy of `title` is dropped from either kind."""
    if raw.body_format == "text":
        text = residue.clean_text(chars.normalize_text(raw.body, hint))
        found = [p for p in paragraphs.paragraphs(title, text) if not residue.is_residue(p)]
        return Body(tuple(found), sanitize.paragraphs_to_html(found))
    blocks = [refined for b in sanitize.html_blocks(raw.body, raw.base_url)
              if (refined := _refine(b, hint)).paragraphs or "<img" in refined.html]
    first = "\n\n".join(blocks[0].paragraphs) if blocks else ""
    if first and not paragraphs.paragraphs(title, first):
        blocks = blocks[1:]
    return Body(tuple(p for b in blocks for p in b.paragraphs), "".join(b.html for b in blocks))


def _repair_node(text: str, hint: Lang | None) -> str:
    """normalize_text for one HTML text node, minus its whitespace trimming: the spaces at a
    node's edges are what separate words across tags."""
    text = normalize.strip_invisible(unicodedata.normalize("NFC", text))
    text = chars.fix_lookalikes(chars.fix_mojibake(text))
    return residue.clean_inline(chars.unify_punctuation(text, hint))


def _is_bare_paragraph(html: str) -> bool:
    return html.startswith("<p>") and html.count("<") == 2  # <p>text</p>, no inline markup


def _refine(block: sanitize.Block, hint: Lang | None) -> sanitize.Block:
    """A markup block with its text repaired; glued breaks inside a paragraph are recovered
    (not inside a table row, whose cells are joined by " | "). A bare `<p>` that splits
    becomes several `<p>`; any other block keeps its markup, so its HTML stays one block."""
    cleaned = [line for p in block.paragraphs
               if (line := residue.clean_inline(chars.normalize_text(p, hint)))
               and not residue.is_residue(line)]
    pieces = cleaned if block.html.startswith("<table") else [
        piece for p in cleaned for piece in paragraphs.paragraphs("", p)
        if not residue.is_residue(piece)]  # "Перевод:Мәтін" is residue only once split
    if pieces != cleaned and _is_bare_paragraph(block.html):
        return sanitize.Block(sanitize.paragraphs_to_html(pieces), tuple(pieces))
    html = markup.map_text(block.html, lambda node: _repair_node(node, hint))
    return sanitize.Block(html, tuple(pieces))

"""trafilatura's body tree (its own XML: head, p, list/item, quote, table/row/cell) → the
paragraphs a reader sees and simple HTML for the pipeline.

Read from the tree rather than from trafilatura's text output: the text output prefixes list
items with "- " and loses which lines were headings, and the pipeline keeps a body's markup
paragraphs as they are (pipeline/body.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

_HEADS = {"h1", "h2"}


@dataclass(frozen=True, slots=True)
class Body:
    paragraphs: tuple[str, ...]
    html: str


def _text(node: Any) -> str:
    return " ".join("".join(node.itertext()).split())


def _lines(node: Any) -> list[str]:
    """A paragraph's text cut at its line breaks (<br> in the page, <lb/> here): old CMSs
    write a whole body as one block with <br><br> between paragraphs. gov.kz bodies are
    read the same way (text/sanitize.py)."""
    pieces = [node.text or ""]
    for child in node:
        if str(child.tag) == "lb":
            pieces.append(child.tail or "")
        else:
            pieces[-1] += "".join(child.itertext()) + (child.tail or "")
    return [t for t in (" ".join(p.split()) for p in pieces) if t]


def _p(text: str, tag: str = "p") -> str:
    return f"<{tag}>{escape(text, quote=False)}</{tag}>"


def _block(node: Any) -> tuple[list[str], str]:
    """One element → its paragraphs and its HTML; a container is read child by child."""
    tag = str(node.tag)
    if tag == "div":
        found = [_block(child) for child in node]
        return [p for ps, _ in found for p in ps], "".join(h for _, h in found)
    if tag == "p":
        lines = _lines(node)
        return lines, "".join(_p(t) for t in lines)
    if tag == "list":
        items = [t for t in (_text(i) for i in node.iter("item")) if t]
        html = "".join(_p(t, "li") for t in items)
        return items, f"<ul>{html}</ul>" if items else ""
    if tag == "table":
        return _table(node)
    text = _text(node)
    if not text:
        return [], ""
    if tag == "head":
        level = "h3" if str(node.get("rend", "")) in _HEADS else "h4"
        return [text], _p(text, level)
    if tag == "quote":
        return [text], f"<blockquote>{_p(text)}</blockquote>"
    return [text], _p(text)


def _table(node: Any) -> tuple[list[str], str]:
    rows = [[_text(c) for c in row.iter("cell")] for row in node.iter("row")]
    rows = [r for r in rows if any(r)]
    lines = [" | ".join(c for c in r if c) for r in rows]
    cells = ("".join(_p(c, "td") for c in r) for r in rows)
    return lines, "<table>" + "".join(f"<tr>{c}</tr>" for c in cells) + "</table>"


def read(body: Any, title: str) -> Body:
    """The body's blocks in order; a leading heading equal to `title` is the headline."""
    paragraphs: list[str] = []
    parts: list[str] = []
    for node in body if body is not None else []:
        found, html = _block(node)
        if not paragraphs and str(node.tag) == "head" and found == [title]:
            continue
        paragraphs += found
        parts.append(html)
    return Body(tuple(paragraphs), "".join(parts))

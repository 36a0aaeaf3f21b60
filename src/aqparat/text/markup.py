"""Change the text of sanitized HTML and nothing else: tags, attributes and URLs pass through.

Used where a text repair or a transliteration must reach a body kept as HTML. The input is our
own sanitized HTML (nh3's output, well formed), so a tokenizer is enough: no tree is built.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser


class _TextMapper(HTMLParser):
    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.fn = fn
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(self.fn(data), quote=False))


def map_text(html: str, fn: Callable[[str], str]) -> str:
    """``html`` with every text node replaced by ``fn(text)`` (escaped again on the way out).

    ``fn`` sees one text node at a time, unescaped; it must not trim whitespace, which is what
    separates words across tags (``<b>Астана</b> қаласы``).
    """
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<") == 2:
        # The common block, a bare paragraph: its one text node is all between the tags (the
        # parser, converting character references, hands over exactly `unescape` of it).
        inner = html[3:-4]
        return f"<p>{escape(fn(unescape(inner)), quote=False)}</p>" if inner else html
    mapper = _TextMapper(fn)
    mapper.feed(html)
    mapper.close()
    return "".join(mapper.out)

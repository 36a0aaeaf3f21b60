"""Allow-list HTML cleaning (nh3) and plain paragraphs → HTML.

Source HTML is untrusted. Only these survive, everything else (scripts, styles, event handlers,
classes, fonts) is dropped: headings h2–h4, p, br, strong/b, em/i, u, s, sub, sup, blockquote,
ul/ol/li, table parts, a (http/https/mailto; rel="noopener noreferrer nofollow" added), img
(http/https only, with alt/width/height); `lang` and `title` on any of them. docs/security.md
lists it with the reasons.

Whole bodies (gov.kz gives full HTML documents) go through :func:`clean_html` and are cut into
:class:`Block` s by :func:`html_blocks`: the pipeline keeps their HTML and reads their
paragraphs as the body text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3

from aqparat.text.normalize import normalize

ALLOWED_TAGS = frozenset({
    "h2", "h3", "h4", "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
})
ALLOWED_ATTRIBUTES = {
    # On every allowed tag: nh3's own default, written out so the allow-list is all here
    # (docs/security.md). Text only: the editions read `lang` to know what to transliterate.
    "*": {"lang", "title"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


# What a page adds to every body picture when it renders one: it loads when a reader scrolls to
# it (a long gallery costs nothing until seen), set by nh3 itself.
LAZY_IMAGES = {"img": {"loading": "lazy", "decoding": "async"}}
# A picture the source gave no text for gets alt="": we cannot say what it shows, and a screen
# reader then skips it instead of reading out its file name. nh3 escapes "<" inside attribute
# values, so in its output "<img" starts a tag and nowhere else: the insertion is at a tag's
# start, before any attribute, and cannot land inside a value.
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)")


def sanitize_html(html: str, *, for_page: bool = False) -> str:
    """The allow-list applied. `for_page` (rendering, not storing) adds LAZY_IMAGES and an
    empty alt where a picture has none."""
    attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    if for_page:
        attributes["img"] |= set(LAZY_IMAGES["img"])
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        set_tag_attribute_values=LAZY_IMAGES if for_page else None,
    )
    return _IMG_WITHOUT_ALT.sub('<img alt=""', clean) if for_page else clean


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs → `<p>` elements, every character escaped."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)


# --- whole HTML bodies (gov.kz news; govkz.md §2.2 and §6) ------------------------------

# TinyMCE's "full page" output wraps every gov.kz body in <!DOCTYPE><html><head></head><body>.
_HEAD = re.compile(r"<head\b.*?</head\s*>", re.IGNORECASE | re.DOTALL)
_IFRAME = re.compile(
    r"<iframe\b(?P<attrs>[^>]*)>(?:.*?</iframe\s*>)?", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_YOUTUBE_ID = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:youtube(?:-nocookie)?\.com/embed/|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{6,20})", re.IGNORECASE)
# Containers that only group paragraphs: each becomes a paragraph so their texts never glue.
_AS_PARAGRAPH = re.compile(
    r"<(/?)(?:div|section|article|center|header|footer|main|aside|figure|figcaption)\b[^>]*>",
    re.IGNORECASE)
_H1 = re.compile(r"<(/?)h1\b[^>]*>", re.IGNORECASE)
_H56 = re.compile(r"<(/?)h[56]\b[^>]*>", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")  # lone halves: no encoder accepts them
_IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"', re.IGNORECASE)

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table"})
_BREAKING = frozenset({*BLOCK_TAGS, "li", "tr", "thead", "tbody"})
_VOID = frozenset({"br", "img"})


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block of a body: its sanitized HTML and the paragraphs a reader sees."""

    html: str
    paragraphs: tuple[str, ...]


def youtube_link(src: str) -> str | None:
    """The watch URL of a YouTube embed URL; None for any other frame."""
    match = _YOUTUBE_ID.match(src.strip())
    return f"https://www.youtube.com/watch?v={match['id']}" if match else None


def _frame_to_link(match: re.Match[str]) -> str:
    src = _SRC.search(match["attrs"])
    url = youtube_link(next(g for g in src.groups() if g is not None)) if src else None
    # Other frames (maps, forms, trackers) are dropped: we cannot vouch for what they load.
    return f'<p><a href="{url}">{url}</a></p>' if url else ""


def _absolute(base_url: str | None) -> Callable[[str, str, str], str | None]:
    def fix(_tag: str, attr: str, value: str) -> str | None:
        if attr not in {"href", "src"}:
            return value
        if value.startswith("//"):
            return f"https:{value}"
        if base_url and value.startswith("/"):
            return urljoin(base_url, value)
        return value

    return fix


def clean_html(html: str, base_url: str | None = None) -> str:
    """A whole HTML body → sanitized HTML: wrapper gone, YouTube frames as links, root-relative
    links and images (gov.kz `/uploads/…`) absolute against `base_url`, allow-list applied."""
    html = _SURROGATE.sub("\ufffd", _HEAD.sub("", html))
    html = _IFRAME.sub(_frame_to_link, html)
    html = _AS_PARAGRAPH.sub(r"<\1p>", html)
    html = _H56.sub(r"<\1h4>", _H1.sub(r"<\1h2>", html))
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_absolute(base_url),
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def first_image(html: str) -> str | None:
    """The first web image of sanitized HTML (gov.kz: the picture when there is no heropic)."""
    for src in _IMG_SRC.findall(html):
        url = unescape(src)
        if url.startswith(("https://", "http://")):
            return url
    return None


def html_blocks(html: str, base_url: str | None = None) -> list[Block]:
    """A body's blocks in order; blocks with neither text nor an image are left out.

    Loose inline text between blocks becomes a paragraph of its own; list items and table rows
    are paragraphs of their block (cells joined by " | ").
    """
    tree = _parse(clean_html(html, base_url))
    blocks: list[Block] = []
    run: list[_Node | str] = []
    for child in [*tree.children, None]:
        if child is None or (isinstance(child, _Node) and child.tag in BLOCK_TAGS):
            if run:
                blocks.append(_block(_Node("p", [], run)))
                run = []
            if child is not None:
                blocks.append(_block(child))
        else:
            run.append(child)
    return [b for b in blocks if b.paragraphs or "<img" in b.html]


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: list[tuple[str, str | None]]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """nh3's output is well formed, so a plain stack rebuilds its tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if any(n.tag == tag for n in self.stack[1:]):
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _block(node: _Node) -> Block:
    lines = _text(node).split("\n")
    cells = ([normalize(c) for c in line.split("\t")] for line in lines)
    paragraphs = tuple(p for p in (" | ".join(c for c in row if c) for row in cells) if p)
    return Block(_serialize(node), paragraphs)


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node.replace("\n", " ").replace("\t", " ")
    if node.tag == "br":
        return "\n"
    inner = "".join(_text(c) for c in node.children)
    if node.tag in _BREAKING:
        return f"\n{inner}\n"
    return f"{inner}\t" if node.tag in {"td", "th"} else inner


def _serialize(node: _Node | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {k}="{escape(v or "")}"' for k, v in node.attrs)
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    inner = "".join(_serialize(c) for c in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"

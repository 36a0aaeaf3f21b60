"""OPML 2.0 (http://opml.org/spec2.opml) in and out: the list of feed and page sources.

Out: `<head>` with title, dateCreated (RFC 822) and docs; one `<outline>` per source, every
one with `text` (the spec requires it). A feed is `type="rss"` with `xmlUrl`; a page source
is `type="link"` with `url` and, as our own attribute, `aqparatPattern` (the spec allows
other attributes); both carry `aqparatSlug`, the name of the source's page on the portal, so
another aqparat importing the file gives it the same URLs (store/slugs.py). In: every
outline with an `xmlUrl` is a feed and every `type="link"` with `aqparatPattern` a page
source, at any depth (readers nest feeds in folders).

OPML files come from other programs and people: the standard library's expat refuses entity
expansion bombs and never loads external entities, so parsing one is safe.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from aqparat.errors import ParseError

SPEC = "http://opml.org/spec2.opml"
PATTERN_ATTR = "aqparatPattern"
SLUG_ATTR = "aqparatSlug"


@dataclass(frozen=True, slots=True)
class OpmlSource:
    kind: Literal["feed", "page"]
    url: str
    title: str
    pattern: str | None = None  # page sources
    slug: str | None = None  # its page's name on the portal that wrote the file


def read(data: bytes, where: str) -> list[OpmlSource]:
    """Feed and page sources in an OPML document, in document order, each URL once."""
    try:
        root = ET.fromstring(data)  # noqa: S314 - see the module docstring
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ParseError("opml", where, line, f"not well-formed XML ({exc})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise ParseError("opml", where, None, f"not OPML: the root is <{root.tag}>, expected "
                                              f"<opml> with a <body>")
    found: dict[str, OpmlSource] = {}
    for outline in root.iter("outline"):
        source = _source(outline.attrib)
        if source is not None and source.url not in found:
            found[source.url] = source
    return list(found.values())


def _source(attrs: dict[str, str]) -> OpmlSource | None:
    title = (attrs.get("title") or attrs.get("text") or "").strip()
    slug = attrs.get(SLUG_ATTR, "").strip() or None
    xml_url = attrs.get("xmlUrl", "").strip()
    if xml_url.startswith(("http://", "https://")):
        return OpmlSource("feed", xml_url, title, slug=slug)
    url, pattern = attrs.get("url", "").strip(), attrs.get(PATTERN_ATTR)
    if attrs.get("type") == "link" and pattern and url.startswith(("http://", "https://")):
        return OpmlSource("page", url, title, pattern, slug)
    return None


def write(sources: Iterable[OpmlSource], *, title: str, created: dt.datetime) -> bytes:
    """An OPML 2.0 document, UTF-8, sources in the order given."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        created.astimezone(dt.UTC), usegmt=True)
    ET.SubElement(head, "docs").text = SPEC
    body = ET.SubElement(root, "body")
    for source in sources:
        ET.SubElement(body, "outline", _attributes(source))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _attributes(source: OpmlSource) -> dict[str, str]:
    text = source.title or source.url
    ours = {SLUG_ATTR: source.slug} if source.slug else {}
    if source.kind == "feed":
        return {"type": "rss", "text": text, "title": text, "xmlUrl": source.url, **ours}
    return {"type": "link", "text": text, "title": text, "url": source.url,
            PATTERN_ATTR: source.pattern or "", **ours}

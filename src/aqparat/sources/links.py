"""Links in an HTML page: feed autodiscovery (`<link rel="alternate">`) and an index page's
article links. The standard library's tolerant parser is enough: we read attributes, not
structure, and it does not raise on broken markup (the one place where it does is mended
below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

FEED_TYPES = {
    "application/rss+xml": "rss", "application/atom+xml": "atom",
    "application/rdf+xml": "rdf", "application/xml": "xml", "text/xml": "xml",
}


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str
    type: str  # rss | atom | rdf | xml
    title: str


@dataclass(slots=True)
class _Found:
    base: str | None = None
    anchors: list[str] = field(default_factory=list)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # href, type, title


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = _Found()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "").strip() for k, v in attrs}
        href = values.get("href", "")
        if tag == "base" and href and self.found.base is None:
            self.found.base = href
        elif tag == "a" and href:
            self.found.anchors.append(href)
        elif tag == "link" and href and "alternate" in values.get("rel", "").lower().split():
            kind = values.get("type", "").lower().split(";")[0].strip()
            self.found.feeds.append((href, kind, values.get("title", "")))

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            # Before Python 3.13 a "<![" that opens no known section ("<![0") raises here.
            # HTML reads it as a bogus comment up to the next ">", and so do we.
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1


def _scan(html: str) -> _Found:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def absolute(base_url: str, href: str) -> str | None:
    """`href` made absolute against the page, fragment dropped; None unless http(s)."""
    try:
        url = urldefrag(urljoin(base_url, href.strip()))[0]
        scheme = urlsplit(url).scheme
    except ValueError:  # a malformed bracketed host, for one
        return None
    return url if scheme in ("http", "https") else None


def _base(found: _Found, page_url: str) -> str:
    return absolute(page_url, found.base) or page_url if found.base else page_url


def feed_links(html: str, page_url: str) -> list[FeedLink]:
    """Feeds a page announces, in the page's order (a site's main feed comes first)."""
    found = _scan(html)
    base = _base(found, page_url)
    links: dict[str, FeedLink] = {}
    for href, kind, title in found.feeds:
        url = absolute(base, href)
        if url and kind in FEED_TYPES and url not in links:
            links[url] = FeedLink(url, FEED_TYPES[kind], title)
    return list(links.values())


def matching_links(html: str, page_url: str, pattern: re.Pattern[str]) -> list[str]:
    """Absolute article URLs on an index page that `pattern` finds (re.search), once each,
    in the page's order, never the page itself."""
    found = _scan(html)
    base = _base(found, page_url)
    urls: dict[str, None] = {}
    for href in found.anchors:
        url = absolute(base, href)
        if url and url != page_url and pattern.search(url):
            urls[url] = None
    return list(urls)

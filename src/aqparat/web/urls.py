"""Where things live: absolute URLs, and which pages have feeds.

A page and its feeds share a path, so one can be derived from the other:
`/kk/rubric/news` ↔ `/feeds/kk/rubric/news/rss.xml` and `…/atom.xml`; a story's
(`/{lang}/story/{id}`) likewise. Search's feeds carry its query (pages/search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request

FeedFormat = Literal["rss", "atom"]
FEED_FORMATS: tuple[FeedFormat, ...] = ("rss", "atom")
FEED_MEDIA_TYPES: dict[FeedFormat, str] = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
}
FEED_NAMES: dict[FeedFormat, str] = {"rss": "RSS", "atom": "Atom"}

# Pages that have feeds: an edition's home, a rubric, a source (by its slug), a story.
_PAGES_WITH_FEEDS = re.compile(
    r"/(?:kk|ru|en)/(?:(?:rubric/[a-z0-9-]+|source/[A-Za-z0-9._-]+|story/[1-9][0-9]{0,9}))?")

_SCRIPT_EDITION = re.compile(r"^/kk-(?:Latn|Arab)/")


@dataclass(frozen=True, slots=True)
class FeedLink:
    format: FeedFormat
    href: str  # site-relative

    @property
    def media_type(self) -> str:
        return FEED_MEDIA_TYPES[self.format]

    @property
    def name(self) -> str:
        return FEED_NAMES[self.format]


def site_url(request: Request) -> str:
    """The site's absolute root, without the trailing slash: `public_url`, or an allowed Host
    (web/public.py settled the scope before any route runs)."""
    return str(request.base_url).rstrip("/")


def feed_path(page_path: str, fmt: FeedFormat) -> str:
    return f"/feeds{page_path.rstrip('/')}/{fmt}.xml"


def page_path(lang: str, key: str) -> str:
    """The page a feed mirrors; `key` is "" for the home page, else "rubric/news" and the like."""
    return f"/{lang}/{key}" if key else f"/{lang}/"


def feed_links(path: str) -> list[FeedLink]:
    """The feeds of the page at `path` (none for pages without feeds). A script edition's
    page (/kk-Latn/…, /kk-Arab/…) has its Kazakh page's feeds: a feed is text, not script."""
    path = _SCRIPT_EDITION.sub("/kk/", path, count=1)
    if not _PAGES_WITH_FEEDS.fullmatch(path):
        return []
    return [FeedLink(fmt, feed_path(path, fmt)) for fmt in FEED_FORMATS]


def article_path(lang: str, item_id: int) -> str:
    return f"/{lang}/news/{item_id}"


def story_path(lang: str, story_id: int) -> str:
    return f"/{lang}/story/{story_id}"

"""gov.kz, the government portal: for now only its news-details URLs.

Every state body publishes at
``https://www.gov.kz/memleket/entities/<slug>/press/news/details/<id>?lang=<kk|ru|en>``;
the slug names the body and the id is the news item's number, shared by its language versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from aqparat.model import LANGS, Lang

HOSTS = frozenset({"gov.kz", "www.gov.kz"})

_SLUG = re.compile(r"[A-Za-z0-9_.-]+")
_NEWS_ID = re.compile(r"[0-9]+")
_DETAILS_PATH = re.compile(
    r"/memleket/entities/(?P<slug>[A-Za-z0-9_.-]+)/press/news/details/(?P<id>[0-9]+)/?"
)
# A dict rather than a membership test so mypy sees a Lang, not a str, come out.
_LANG_BY_CODE: dict[str, Lang] = {lang: lang for lang in LANGS}


@dataclass(frozen=True, slots=True)
class NewsRef:
    """One gov.kz news item as its URL names it."""

    slug: str
    news_id: str
    lang: Lang | None


def parse_news_url(url: str) -> NewsRef | None:
    """The news item a gov.kz news-details URL points at; None for any other URL."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # urlsplit rejects e.g. a bad IPv6 bracket: not a gov.kz URL either
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in HOSTS:
        return None
    match = _DETAILS_PATH.fullmatch(parts.path)
    if match is None:
        return None
    return NewsRef(match["slug"], match["id"], _lang_of(parts.query))


def _lang_of(query: str) -> Lang | None:
    codes = parse_qs(query).get("lang", [])
    return _LANG_BY_CODE.get(codes[0].lower()) if codes else None


def news_url(slug: str, news_id: str, lang: Lang) -> str:
    """The canonical URL of one language version of a gov.kz news item."""
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"not a gov.kz entity slug: {slug!r}")
    if not _NEWS_ID.fullmatch(news_id):
        raise ValueError(f"not a gov.kz news id: {news_id!r}")
    if lang not in LANGS:
        raise ValueError(f"not a portal language: {lang!r}")
    return f"https://www.gov.kz/memleket/entities/{slug}/press/news/details/{news_id}?lang={lang}"

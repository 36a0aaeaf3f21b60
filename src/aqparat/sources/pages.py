"""HTML pages → articles: one article page → title, date, paragraphs, image, language (main
text by trafilatura), and one index page → the article URLs a source's pattern picks.

Why trafilatura: the best maintained extractor in the measured field (../shared/research/
peers.md §2: F1 0.958 on the ScrapingHub set, 0.924 on its own) and 14/14 paragraphs with no
chrome on our gov.kz-like page (stack.md §3); `bench/pages.py` scores it on our kk/ru/en
fixture pages. Its thresholds are lowered (`_CONFIG`): a press release of two short
paragraphs is still an article; `favor_precision` keeps a "read also" box out of the body
(precision 0.96 → 0.98 on the fixtures, recall unchanged at 1.0).

Dates, first found wins: the page's own markup (article:published_time, datePublished,
<time datetime>); the first date in the lines under the headline, read by our kk/ru/en date
grammar (htmldate knows no Kazakh month names); htmldate's pick last, since on portal pages
it can take a sidebar's date (../shared/research/peers.md §3, complaint 14).
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import logging
import re
from dataclasses import dataclass
from typing import Any

import trafilatura
from trafilatura.settings import use_config

from aqparat.errors import ParseError
from aqparat.model import Lang, RawItem
from aqparat.sources import article_body, encoding, links
from aqparat.sources.feeds import PageText, entry_key, lang_code
from aqparat.text import dates, lang

log = logging.getLogger(__name__)

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")  # default 250 drops short releases
_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", "20")
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # it would use SIGALRM: not in a worker
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "extensive_search": False,
                "original_date": True}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.I)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.I | re.S)
_NEAR_HEADLINE = 400  # characters of text under the h1 where a date line is looked for
_DECLARED = tuple(re.compile(p, re.I | re.S) for p in (
    r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|"
    r"pubdate|publish[-_]date)[\"'][^>]+content=[\"']([^\"']+)",
    r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]+(?:property|name|itemprop)=[\"']"
    r"(?:article:published_time|datePublished)[\"']",
    r"\"datePublished\"\s*:\s*\"([^\"]+)\"",
    r"<time\b[^>]*\bdatetime=[\"']([^\"']+)",
))


@dataclass(frozen=True, slots=True)
class PageArticle:
    url: str
    title: str
    published: dt.date | dt.datetime | None
    published_raw: str | None
    paragraphs: tuple[str, ...]
    html: str  # the same blocks as simple HTML (p, h3, ul/li, blockquote, table)
    image_url: str | None
    lang: Lang | None  # the page's <html lang>, else the text's


def extract_article(body: bytes, url: str, content_type: str | None = None) -> PageArticle:
    """The article on a page; ParseError("pages", url, …) when there is none."""
    html = encoding.decode(body, content_type).text
    doc = _extract(html, url)
    title = " ".join(str(doc.title or "").split())
    text = article_body.read(doc.body, title)
    if not text.paragraphs:
        raise ParseError("pages", url, None, "no article text found (a list, a form or a "
                                             "script-built page?)")
    published, raw = _published(doc.date, html)
    return PageArticle(url, title, published, raw, text.paragraphs, text.html,
                       _image(doc.image, url),
                       lang_code(_first(_HTML_LANG, html)) or _detect(text.paragraphs))


def _extract(html: str, url: str) -> Any:
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=True, date_extraction_params=_DATE_PARAMS, config=_CONFIG)
    except Exception as exc:  # lxml and htmldate may raise anything on hostile markup
        raise ParseError("pages", url, None, f"unreadable HTML ({type(exc).__name__}: {exc})"
                         ) from exc
    if doc is None or isinstance(doc, dict):
        raise ParseError("pages", url, None, "no article text found (empty, or boilerplate "
                                             "only)")
    return doc


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text[:65536])
    return match[1] if match else None


def _detect(paragraphs: tuple[str, ...]) -> Lang:
    return lang.detect(" ".join(paragraphs)[:2000])


def _image(value: object, url: str) -> str | None:
    return links.absolute(url, value) if isinstance(value, str) and value.strip() else None


When = tuple[dt.date | dt.datetime | None, str | None]


def _published(found: object, html: str) -> When:
    """The page's own markup first (meta, <time>, JSON-LD), then the line under the headline,
    then htmldate's pick, which can be a sidebar's date (../shared/research/peers.md §3.14)."""
    declared = _declared_date(html)
    if declared is not None:
        return declared
    under = _date_under_headline(html)
    if under[0] is not None:
        return under
    if isinstance(found, str) and found:
        return _iso(found), found[:64]
    return None, None


def _declared_date(html: str) -> When | None:
    for pattern in _DECLARED:
        raw = _first(pattern, html)
        value = _iso(raw) if raw else None
        if value is not None and raw is not None:
            return value, raw[:64]
    return None


def _iso(value: str) -> dt.date | dt.datetime | None:
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if when.tzinfo is None and when.time() == dt.time():
        return when.date()  # a day only
    return when


def _date_under_headline(html: str) -> When:
    match = _H1.search(html)
    if match is None:
        return None, None
    after = htmllib.unescape(_TAGS.sub(" ", html[match.end(): match.end() + 8 * _NEAR_HEADLINE]))
    near = " ".join(after.split())[:_NEAR_HEADLINE]
    for code in ("kk", "ru", "en"):
        found = dates.parse_date(near, code)
        if found is not None and found.precision == "day":
            raw = near[found.start: found.end]
            return found.starts_at or found.day, raw[:64]
    return None, None


def article_links(body: bytes, url: str, pattern: re.Pattern[str],
                  content_type: str | None = None) -> list[str]:
    """Article URLs on an index page, in page order, that `pattern` matches."""
    return links.matching_links(encoding.decode(body, content_type).text, url, pattern)


def page_text(article: PageArticle) -> PageText:
    return PageText(article.paragraphs, article.html, article.published,
                    article.published_raw, article.image_url, article.lang)


def to_raw_item(article: PageArticle, source_key: str) -> RawItem | None:
    """A RawItem keyed by the article's URL; None without a date (the caller drops it)."""
    if article.published is None:
        return None
    return RawItem(
        source_kind="page", source_key=source_key,
        external_id=entry_key(None, article.url, article.title, None),
        title=article.title, body=article.html,
        body_format="html", published=article.published, source_url=article.url,
        declared_lang=article.lang, origin=article.url, base_url=article.url,
        image_url=article.image_url, published_raw=article.published_raw)

"""`/sitemap.xml` (an index), the sitemaps it lists, and `/robots.txt` pointing at it.

`/sitemaps/pages.xml` holds the home, rubric and source pages (sources by slug);
`/sitemaps/news-YYYY-MM.xml` the articles published that (UTC) month. Every page exists in the
three interface languages, so each URL lists its kk/ru/en versions as hreflang alternates (the
protocol's `xhtml:link`). A month past
PART_ITEMS items continues in `news-YYYY-MM-2.xml` and so on: 15,000 items × 3 languages is
45,000 URLs, under the protocol's 50,000 per file.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import LANGS
from aqparat.store import articles, rubrics, web_sources
from aqparat.web.feeds import rfc3339
from aqparat.web.pages import engine, renderer
from aqparat.web.responses import cached
from aqparat.web.urls import site_url

PART_ITEMS = 15_000
MAX_AGE = 3600
XML = "application/xml; charset=utf-8"
_NEWS = re.compile(r"news-(\d{4})-(\d{2})(?:-([1-9]\d{0,3}))?")


@dataclass(frozen=True, slots=True)
class Page:
    """One page in all its languages: `pattern` has a `{lang}` placeholder."""

    pattern: str
    lastmod: str | None = None

    def path(self, lang: str) -> str:
        return self.pattern.format(lang=lang)


def part_name(month: str, part: int) -> str:
    return f"news-{month}" if part == 1 else f"news-{month}-{part}"


def _xml(request: Request, template: str, **context: object) -> Response:
    xml = renderer(request).env.get_template(template).render(site=site_url(request), **context)
    return cached(request, xml.encode(), XML, max_age=MAX_AGE)


MONTHS_TTL = 600.0  # seconds a worker reuses the month counts (the answer says max-age=3600)


def _months(request: Request) -> list[articles.Month]:
    """Items per month, computed at most every MONTHS_TTL seconds per worker: the count reads
    every shown item (1.2 s at 200,000 items, bench/costly.py), and anyone may ask for it."""
    state, now = request.app.state, time.monotonic()
    cached_at, found = getattr(state, "sitemap_months", (-MONTHS_TTL, []))
    if now - cached_at >= MONTHS_TTL:
        with engine(request).connect() as conn:
            found = articles.months(conn)
        state.sitemap_months = (now, found)
    return list(found)


def sitemap_index(request: Request) -> Response:
    months = _months(request)
    parts = [("pages", None)] + [
        (part_name(m.month, n), rfc3339(m.last_updated))
        for m in months for n in range(1, -(-m.items // PART_ITEMS) + 1)
    ]
    return _xml(request, "sitemaps/index.xml", parts=parts)


def _pages(request: Request) -> list[Page]:
    with engine(request).connect() as conn:
        rubric_slugs = [r.slug for r in rubrics.with_items(conn, None)]
        source_slugs = web_sources.listed_slugs(conn)
    return [Page("/{lang}/"), *(Page(f"/{{lang}}/rubric/{slug}") for slug in rubric_slugs),
            *(Page(f"/{{lang}}/source/{slug}") for slug in source_slugs)]


def _news(request: Request, m: re.Match[str]) -> list[Page]:
    year, month, part = int(m[1]), int(m[2]), int(m[3] or 1)
    if not 1 <= month <= 12:
        raise HTTPException(404)
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    with engine(request).connect() as conn:
        stamps = articles.stamps_between(conn, start, end, limit=PART_ITEMS,
                                         offset=(part - 1) * PART_ITEMS)
    if part > 1 and not stamps:
        raise HTTPException(404)
    return [Page(f"/{{lang}}/news/{item_id}", rfc3339(updated)) for item_id, updated in stamps]


def sitemap(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "pages":
        return _xml(request, "sitemaps/urlset.xml", pages=_pages(request), langs=LANGS)
    if (m := _NEWS.fullmatch(name)) is None or not 1 <= int(m[1]) <= 9998:
        raise HTTPException(404)
    return _xml(request, "sitemaps/urlset.xml", pages=_news(request, m), langs=LANGS)


def robots(request: Request) -> Response:
    # The JSON API is for programs; search engines get the pages and the sitemaps.
    text = f"User-agent: *\nDisallow: /api/v1/\n\nSitemap: {site_url(request)}/sitemap.xml\n"
    return cached(request, text.encode(), "text/plain; charset=utf-8", max_age=MAX_AGE)

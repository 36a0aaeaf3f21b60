"""`/{lang}/source/{slug}?page=N`: what one source (a gov.kz entity, a feed, a site) published,
newest first; `slug` is the source's own (store/slugs.py), never its URL."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, sources, stories
from aqparat.store import regions as store_regions
from aqparat.web.pages import edition_lang, engine, path_key, renderer, settings
from aqparat.web.pages.paging import listing, window
from aqparat.web.pages.sources_list import type_key, type_of


def source_page(request: Request) -> Response:
    lang = edition_lang(request)
    win = window(request, settings(request).page_size)
    with engine(request).connect() as conn:
        row = sources.by_slug(conn, path_key(request, "slug"))
        if row is None:
            raise HTTPException(404)
        found = listing(
            request, win, ("source", row.id),
            lambda limit, offset, before: stories.with_others(conn, articles.in_source(
                conn, row.id, limit=limit, offset=offset, before=before)),
            lambda up_to: articles.count_in_source(conn, row.id, up_to=up_to))
    base = f"/{lang}/source/{row.slug}"
    return renderer(request).page(
        request, "source.html", lang, source=row, region=store_regions.of_source(row),
        source_type=type_of(row), type_key=type_key,
        items=found.items, page=found.page, pages=found.pages, total=found.total,
        more=found.more, page_url=found.page_url(base),
        older=found.older and f"{base}?before={found.older}",
    )

"""`/{lang}/region/{slug}?page=N`: the items of every source in an oblast or a city of
republican significance (store/regions.py decides membership), newest first, one per story."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.data import regions
from aqparat.store import articles, stories
from aqparat.store import regions as store_regions
from aqparat.web.pages import edition_lang, edition_langs, engine, path_key, renderer, settings
from aqparat.web.pages.paging import listing, window


def region_page(request: Request) -> Response:
    lang = edition_lang(request)
    win = window(request, settings(request).page_size)
    region = regions.by_slug(path_key(request, "slug"))
    if region is None:
        raise HTTPException(404)
    with engine(request).connect() as conn:
        members = store_regions.members(conn, region)
        where = store_regions.in_sources([m.id for m in members])
        langs, fallback = edition_langs(conn, lang)
        found = listing(
            request, win, ("region", region.slug, langs),
            lambda limit, offset, before: stories.with_others(conn, articles.listed(
                conn, where, langs, limit=limit, offset=offset, before=before)),
            lambda up_to: articles.count_listed(conn, where, langs, up_to=up_to))
    base = f"/{lang}/region/{region.slug}"
    return renderer(request).page(
        request, "region.html", lang, region=region, members=members, items=found.items,
        page=found.page, pages=found.pages, total=found.total, more=found.more,
        fallback=fallback, page_url=found.page_url(base),
        older=found.older and f"{base}?before={found.older}")

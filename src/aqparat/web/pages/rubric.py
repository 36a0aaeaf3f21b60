"""`/{lang}/rubric/{slug}`: a rubric's items, newest first, a page at a time (web/pages/paging.py:
numbered pages, then `?before=` keyset pages)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, rubrics, stories
from aqparat.web.pages import (
    edition_lang,
    edition_langs,
    engine,
    path_key,
    renderer,
    settings,
)
from aqparat.web.pages.paging import MAX_PAGE, listing, window

__all__ = ["MAX_PAGE", "rubric_page"]


def rubric_page(request: Request) -> Response:
    lang = edition_lang(request)
    win = window(request, settings(request).page_size)
    with engine(request).connect() as conn:
        rubric = rubrics.get(conn, path_key(request, "slug"))
        if rubric is None:
            raise HTTPException(404)
        langs, fallback = edition_langs(conn, lang)
        found = listing(
            request, win, ("rubric", rubric.slug, langs),
            lambda limit, offset, before: stories.with_others(conn, articles.in_rubric(
                conn, rubric.slug, langs, limit=limit, offset=offset, before=before)),
            lambda up_to: articles.count_in_rubric(conn, rubric.slug, langs, up_to=up_to))
    base = f"/{lang}/rubric/{rubric.slug}"
    return renderer(request).page(
        request, "rubric.html", lang, rubric=rubric, items=found.items, page=found.page,
        pages=found.pages, total=found.total, more=found.more, fallback=fallback,
        page_url=found.page_url(base), older=found.older and f"{base}?before={found.older}",
    )

"""`/{lang}/source/{slug}?page=N`: what one source (a gov.kz entity) published, newest first."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, sources
from aqparat.web.pages import edition_lang, engine, path_key, renderer, settings
from aqparat.web.pages.rubric import listable, page_count, page_number, shown_total


def source_page(request: Request) -> Response:
    lang = edition_lang(request)
    page = page_number(request)
    size = settings(request).page_size
    with engine(request).connect() as conn:
        row = sources.by_key(conn, path_key(request, "slug"))
        if row is None:
            raise HTTPException(404)
        total, more = shown_total(articles.count_in_source(
            conn, row.id, up_to=listable(size) + 1), size)
        pages = page_count(total, size)
        if page > pages:
            raise HTTPException(404)
        items = articles.in_source(conn, row.id, limit=size, offset=(page - 1) * size)
    base = f"/{lang}/source/{row.key}"
    return renderer(request).page(
        request, "source.html", lang, source=row, items=items, page=page, pages=pages,
        total=total, more=more, page_url=lambda n: base if n == 1 else f"{base}?page={n}",
    )

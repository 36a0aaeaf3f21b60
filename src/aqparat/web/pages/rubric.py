"""`/{lang}/rubric/{slug}?page=N`: a rubric's items, newest first, a page at a time."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, rubrics
from aqparat.web.pages import edition_lang, edition_langs, engine, renderer, settings

MAX_PAGE = 100_000  # beyond any real archive; keeps OFFSET arithmetic bounded


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPException(400, f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def rubric_page(request: Request) -> Response:
    lang = edition_lang(request)
    page = page_number(request)
    size = settings(request).page_size
    with engine(request).connect() as conn:
        rubric = rubrics.get(conn, request.path_params["slug"])
        if rubric is None:
            raise HTTPException(404)
        langs, fallback = edition_langs(conn, lang)
        total = articles.count_in_rubric(conn, rubric.slug, langs)
        pages = max(1, -(-total // size))
        if page > pages:
            raise HTTPException(404)
        items = articles.in_rubric(conn, rubric.slug, langs, limit=size, offset=(page - 1) * size)
    base = f"/{lang}/rubric/{rubric.slug}"
    return renderer(request).page(
        request, "rubric.html", lang, rubric=rubric, items=items, page=page, pages=pages,
        total=total, fallback=fallback,
        page_url=lambda n: base if n == 1 else f"{base}?page={n}",
    )

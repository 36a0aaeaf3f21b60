"""`/{lang}/rubric/{slug}?page=N`: a rubric's items, newest first, a page at a time."""

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

# A list pages through its newest 500 pages (10,000 items at 20 a page): a deeper page costs
# its whole OFFSET (bench/costly.py), and what is older is reached by a search with dates,
# the API's cursor and the sitemaps.
MAX_PAGE = 500


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPException(400, f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def page_count(total: int, size: int) -> int:
    """Pages a list of `total` items shows: at least one, at most MAX_PAGE."""
    return min(MAX_PAGE, max(1, -(-total // size)))


def listable(size: int) -> int:
    """The most items a list pages through; counts stop one past it (count(up_to=…))."""
    return MAX_PAGE * size


def shown_total(counted: int, size: int) -> tuple[int, bool]:
    """A count made with `up_to=listable(size) + 1` → the number to show, and whether the
    list goes on past it ("10 000+")."""
    return min(counted, listable(size)), counted > listable(size)


def rubric_page(request: Request) -> Response:
    lang = edition_lang(request)
    page = page_number(request)
    size = settings(request).page_size
    with engine(request).connect() as conn:
        rubric = rubrics.get(conn, path_key(request, "slug"))
        if rubric is None:
            raise HTTPException(404)
        langs, fallback = edition_langs(conn, lang)
        total, more = shown_total(articles.count_in_rubric(
            conn, rubric.slug, langs, up_to=listable(size) + 1), size)
        pages = page_count(total, size)
        if page > pages:
            raise HTTPException(404)
        items = stories.with_others(conn, articles.in_rubric(
            conn, rubric.slug, langs, limit=size, offset=(page - 1) * size))
    base = f"/{lang}/rubric/{rubric.slug}"
    return renderer(request).page(
        request, "rubric.html", lang, rubric=rubric, items=items, page=page, pages=pages,
        total=total, more=more, fallback=fallback,
        page_url=lambda n: base if n == 1 else f"{base}?page={n}",
    )

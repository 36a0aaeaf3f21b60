"""`/{lang}/news/{id}`: one item: title, date, paragraphs, source, entity, rubrics."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles
from aqparat.web.pages import edition_lang, engine, renderer


def article_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        item = articles.get(conn, request.path_params["item_id"])
    if item is None:
        raise HTTPException(404)
    return renderer(request).page(request, "article.html", lang, item=item)

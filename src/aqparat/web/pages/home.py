"""`/{lang}/`: one block per rubric that has items, each with its newest items."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, rubrics, stories
from aqparat.web.pages import edition_lang, edition_langs, engine, renderer, settings


@dataclass(frozen=True, slots=True)
class Block:
    rubric: rubrics.RubricRow
    items: list[articles.ItemSummary]


def home(request: Request) -> Response:
    lang = edition_lang(request)
    limit = settings(request).home_items
    with engine(request).connect() as conn:
        langs, fallback = edition_langs(conn, lang)
        blocks = [Block(r, stories.with_others(conn, articles.in_rubric(conn, r.slug, langs,
                                                                        limit=limit)))
                  for r in rubrics.with_items(conn, langs)]
    return renderer(request).page(request, "home.html", lang, blocks=blocks, fallback=fallback)

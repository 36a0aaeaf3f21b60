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
        shown = rubrics.with_items(conn, langs)
        newest = articles.newest_in_rubrics(conn, [r.slug for r in shown], langs, limit=limit)
        # "+N sources" for every teaser on the page at once
        counted = {s.id: s for s in stories.with_others(
            conn, [s for items in newest.values() for s in items])}
        blocks = [Block(r, [counted[s.id] for s in newest[r.slug]]) for r in shown]
    return renderer(request).page(request, "home.html", lang, blocks=blocks, fallback=fallback)

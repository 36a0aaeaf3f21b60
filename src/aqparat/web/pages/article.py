"""`/{lang}/news/{id}`: one item: title, date, paragraphs, events it announces, source, entity,
rubrics, and the people, bodies and places it names (each a link to a search for it)."""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles, events, stories
from aqparat.web import jsonld
from aqparat.web.pages import edition_lang, engine, path_id, renderer
from aqparat.web.pages.events import view
from aqparat.web.urls import site_url


def article_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        item = articles.get(conn, path_id(request, "item_id"))
        if item is None:
            raise HTTPException(404)
        announced = events.of_item(conn, item.summary.id)
        named = events.entities_of_item(conn, item.summary.id)
        story = stories.get(conn, item.summary.story_id) if item.summary.story_id else None
        others = stories.other_versions(conn, item)
    ld = jsonld.script_json(jsonld.news_article(item, lang, site_url(request)))
    now = dt.datetime.now(dt.UTC)
    return renderer(request).page(
        request, "article.html", lang, item=item, ld=ld,
        og_locale=jsonld.OG_LOCALES[item.summary.lang], text_lang=item.summary.lang,
        events=[view(e, lang, now) for e in announced],
        story_size=len(story.reports) if story else 1, other_versions=others,
        entities={kind: [n for n in named if n.kind == kind]
                  for kind in ("person", "body", "place")})

"""`/{lang}/story/{id}`: every report of one event, oldest first, each with its source and
date; reports repeating another's text are listed under it ("the same text was published
by …"), so a text appears once with every source."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import stories
from aqparat.web.pages import edition_lang, engine, path_id, renderer


def story_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        story = stories.get(conn, path_id(request, "story_id"))
    if story is None:
        raise HTTPException(404)
    return renderer(request).page(request, "story.html", lang, story=story)

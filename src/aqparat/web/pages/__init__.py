"""One module per page family; each computes its data once, then renders it."""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from starlette.exceptions import HTTPException
from starlette.requests import Request

from aqparat.config import Settings
from aqparat.model import LANGS, Lang
from aqparat.store import articles
from aqparat.web.render import Renderer


def edition_lang(request: Request) -> Lang:
    lang = request.path_params.get("lang")
    if lang not in LANGS:
        raise HTTPException(404)
    return cast(Lang, lang)


def edition_langs(conn: sa.Connection, lang: Lang) -> tuple[tuple[str, ...] | None, bool]:
    """Which item languages an edition lists, and whether it fell back to all of them.

    An edition shows items written in its language. Until there are any, it shows the others,
    labelled with their language, and says so: never a Russian body passed off as English.
    """
    if articles.has_lang(conn, lang):
        return (lang,), False
    return None, True


def engine(request: Request) -> sa.Engine:
    return cast(sa.Engine, request.app.state.engine)


def settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def renderer(request: Request) -> Renderer:
    return cast(Renderer, request.app.state.renderer)

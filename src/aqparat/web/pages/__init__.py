"""One module per page family; each computes its data once, then renders it.

Every page under `/{lang}/` starts with `edition_lang` (or `edition`): the first path segment
names an `Edition` — `kk`, `ru`, `en`, or Kazakh in another script, `kk-Latn`, `kk-Arab`. A page
family computes its data in the edition's interface language; `Renderer.page` writes it in the
edition's script (web/editions.py), so no page family needs to know scripts exist.
"""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from starlette.exceptions import HTTPException
from starlette.requests import Request

from aqparat.config import Settings
from aqparat.model import Lang
from aqparat.store import articles
from aqparat.web.editions import Edition, from_segment
from aqparat.web.render import Renderer


def edition(request: Request) -> Edition:
    """The edition the path's first segment names; 404 for anything else."""
    found = from_segment(request.path_params.get("lang"))
    if found is None:
        raise HTTPException(404)
    return found


MAX_KEY = 512  # longest source key (a feed URL) the store holds
MAX_ID = 2**63 - 1  # both engines' integer ceiling


def path_key(request: Request, name: str) -> str:
    """A slug or key from the path; 404 for what no row can have (control characters such as
    NUL, which PostgreSQL refuses outright, or more characters than the column holds)."""
    value = str(request.path_params[name])
    if len(value) > MAX_KEY or not value.isprintable():
        raise HTTPException(404)
    return value


def path_id(request: Request, name: str) -> int:
    """A numeric id from the path; 404 past the engines' integer range instead of a 500."""
    value = int(request.path_params[name])
    if value > MAX_ID:
        raise HTTPException(404)
    return value


def edition_lang(request: Request) -> Lang:
    """The interface language of the request's edition (`kk` for `kk-Latn` and `kk-Arab`)."""
    return edition(request).lang


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

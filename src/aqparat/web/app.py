"""The Starlette application and its route table, in one readable list."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from aqparat.config import Settings
from aqparat.web.errors import handle_error
from aqparat.web.pages.article import article_page
from aqparat.web.pages.home import home
from aqparat.web.pages.rubric import rubric_page
from aqparat.web.render import Renderer

STATIC = Path(__file__).parent / "static"


def root(_request: Request) -> Response:
    return RedirectResponse("/kk/", status_code=302)


def healthz(request: Request) -> Response:
    with request.app.state.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return PlainTextResponse("ok")


ROUTES = [
    Route("/", root),
    Route("/healthz", healthz),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
    Route("/{lang}/", home),
    Route("/{lang}/rubric/{slug}", rubric_page),
    Route("/{lang}/news/{item_id:int}", article_page),
]


def create_app(settings: Settings, engine: sa.Engine) -> Starlette:
    app = Starlette(
        routes=ROUTES,
        exception_handlers={HTTPException: handle_error, Exception: handle_error},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.renderer = Renderer()
    return app

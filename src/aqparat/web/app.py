"""The Starlette application and its route table, in one readable list."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from aqparat.config import Settings
from aqparat.web import api, apidocs, feeds, ical, sitemap, static_assets
from aqparat.web.admin import ROUTES as ADMIN_ROUTES
from aqparat.web.cache import PageCache, Shelf, cache_options
from aqparat.web.clients import TrustedProxies
from aqparat.web.errors import handle_error
from aqparat.web.guard import GuardedApp
from aqparat.web.pages import archive, region, search, sources_list
from aqparat.web.pages.article import article_page
from aqparat.web.pages.events import events_page
from aqparat.web.pages.home import home
from aqparat.web.pages.rubric import rubric_page
from aqparat.web.pages.source import source_page
from aqparat.web.pages.status import status_page
from aqparat.web.pages.story import story_page
from aqparat.web.public import SiteRoot
from aqparat.web.render import Renderer
from aqparat.web.responses import ReadOnlyCORS
from aqparat.web.views import CountViews, FlushOptions, ViewCounter, views_lifespan


def root(_request: Request) -> Response:
    return RedirectResponse("/kk/", status_code=302)


def healthz(request: Request) -> Response:
    with request.app.state.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return PlainTextResponse("ok")


ROUTES = [
    Route("/", root),
    Route("/healthz", healthz),
    Route("/static/{name:path}", static_assets.serve),  # hashed names (static_assets.py)
    # Readers' tools: feeds mirror their pages' paths (urls.py); /api is openapi.py's list.
    Route("/feeds/events.ics", ical.events_calendar),
    Route("/feeds/{lang}/{fmt}.xml", feeds.home_feed),
    Route("/feeds/{lang}/rubric/{slug}/{fmt}.xml", feeds.rubric_feed),
    Route("/feeds/{lang}/source/{slug}/{fmt}.xml", feeds.source_feed),
    Route("/feeds/{lang}/search/{fmt}.xml", feeds.search_feed),
    Route("/feeds/{lang}/story/{story_id:int}/{fmt}.xml", feeds.story_feed),
    Route("/api/v1/articles", api.list_articles),
    Route("/api/v1/articles/{id:int}", api.get_article),
    Route("/api/v1/rubrics", api.list_rubrics),
    Route("/api/v1/sources", api.list_sources),
    Route("/api/v1/search", api.search_articles),
    Route("/api/v1/stories", api.list_stories),
    Route("/api/v1/stories/{id:int}", api.get_story),
    Route("/api/v1/events", api.list_events),
    Route("/api/openapi.json", apidocs.openapi_json),
    Route("/api/docs", apidocs.api_docs),
    Route("/sitemap.xml", sitemap.sitemap_index),
    Route("/sitemaps/{name}.xml", sitemap.sitemap),
    Route("/robots.txt", sitemap.robots),
    Route("/opensearch.xml", search.opensearch),
    # Operators (web/admin/): before /{lang}/, which would take "admin" for an edition.
    *ADMIN_ROUTES,
    Route("/{lang}/", home),
    Route("/{lang}/rubric/{slug}", rubric_page),
    Route("/{lang}/news/{item_id:int}", article_page),
    Route("/{lang}/story/{story_id:int}", story_page),
    Route("/{lang}/source/{slug}", source_page),
    Route("/{lang}/status", status_page),
    Route("/{lang}/events", events_page),
    Route("/{lang}/search", search.search_page),
    Route("/{lang}/archive/", archive.latest_page),
    Route("/{lang}/archive/{year:int}/{month:int}", archive.month_page),
    Route("/{lang}/archive/{year:int}/{month:int}/{day:int}", archive.day_page),
    Route("/{lang}/region/{slug}", region.region_page),
    Route("/{lang}/sources", sources_list.sources_page),
]


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """The view counter's writer runs with the application (views.py); a change counter read
    still running when the application stops is let finish (cache.py)."""
    async with views_lifespan(app):
        app.state.shelf.watch.start()
        try:
            yield
        finally:
            await app.state.shelf.watch.settle()


def create_app(settings: Settings, engine: sa.Engine) -> Starlette:
    TrustedProxies.parse(settings.trusted_proxies)  # a typo fails here, not on a request
    SiteRoot.parse(settings.public_url, settings.allowed_hosts)  # likewise
    counter = ViewCounter(engine, FlushOptions(settings.views_flush_seconds,
                                               settings.views_flush_batch))
    shelf = Shelf(engine, cache_options(settings))  # PageCache's, and CacheFront's (guard.py)
    # GuardedApp (web/guard.py): headers, size limits and rate limits around everything.
    app = GuardedApp(
        routes=ROUTES,
        # CountViews first (outermost): a page answered from any cache is still counted.
        middleware=[Middleware(CountViews, counter=counter), Middleware(ReadOnlyCORS),
                    # Inside CORS and the view counter: both act on cached answers too.
                    Middleware(PageCache, shelf=shelf)],
        lifespan=lifespan,
        # OperationalError: a statement the query budget stopped is a 503 (web/budget.py).
        exception_handlers={HTTPException: handle_error, sa.exc.OperationalError: handle_error,
                            Exception: handle_error},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.renderer = Renderer()
    app.state.views = counter
    app.state.shelf = shelf
    return app

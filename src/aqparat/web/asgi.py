"""Entry point for granian workers: settings from the environment, store checked, app built."""

from __future__ import annotations

from starlette.applications import Starlette

from aqparat import config
from aqparat.log import setup_logging
from aqparat.store.db import analyze, open_store
from aqparat.web import budget
from aqparat.web.app import create_app


def factory() -> Starlette:
    settings = config.load()
    setup_logging(settings.log_level)
    engine = open_store(settings.database_url, migrate=False)
    analyze(engine)  # the planner's statistics as the store is now (store/db.py)
    budget.install(engine, settings.web_query_seconds)  # no request holds a worker for long
    return create_app(settings, engine)

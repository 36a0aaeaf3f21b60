"""Entry point for granian workers: settings from the environment, store checked, app built."""

from __future__ import annotations

from starlette.applications import Starlette

from aqparat import config
from aqparat.log import setup_logging
from aqparat.store.db import open_store
from aqparat.web.app import create_app


def factory() -> Starlette:
    settings = config.load()
    setup_logging(settings.log_level)
    return create_app(settings, open_store(settings.database_url, migrate=False))

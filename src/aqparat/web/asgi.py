"""Entry point for granian workers: settings from the environment, store checked, app built."""

from __future__ import annotations

import gc
import logging

import sqlalchemy as sa
from starlette.applications import Starlette

from aqparat import config
from aqparat.log import setup_logging
from aqparat.store.db import analyze, open_store
from aqparat.web import budget
from aqparat.web.app import create_app

log = logging.getLogger(__name__)


def refresh_statistics(engine: sa.Engine) -> None:
    """The planner's statistics as the store is now (store/db.py), if the store lets us.

    Every worker does this as it starts, and on a large SQLite store ANALYZE is slow: 12.5 s at
    1,000,000 items with the file out of the OS's cache. A second worker analyzing at the same
    time, or a crawl writing, then holds the store past the busy timeout. A worker that failed
    here would never serve, so it serves with the statistics already stored instead.
    """
    try:
        analyze(engine)
    except sa.exc.OperationalError as exc:
        log.warning("store: planner statistics not refreshed at start, another process holds "
                    "the store (%s); serving with the statistics it has", exc.orig)


def freeze_built_objects() -> None:
    """Take what the worker has built so far out of the garbage collector's sight.

    The program and the application are about 89,000 tracked objects that live as long as the
    worker. Python's full collection walks every one of them: measured in a worker at
    1,000,000 items, a request that happened to trigger one took 46 to 115 ms more (one in a
    few hundred requests: the tail of p99). Frozen, the same collection took 3 to 9 ms.
    Garbage is collected first, so nothing dead is kept."""
    gc.collect()
    gc.freeze()


def factory() -> Starlette:
    settings = config.load()
    setup_logging(settings.log_level)
    engine = open_store(settings.database_url, migrate=False)
    refresh_statistics(engine)
    budget.install(engine, settings.web_query_seconds)  # no request holds a worker for long
    app = create_app(settings, engine)
    freeze_built_objects()
    return app

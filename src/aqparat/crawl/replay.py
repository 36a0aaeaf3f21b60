"""`aqparat replay`: the archived raw pages through today's adapter and pipeline into the
store, with no network: how a pipeline fix reaches items already collected."""

from __future__ import annotations

import logging
from collections import Counter
from typing import cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from aqparat import data
from aqparat.crawl import pages
from aqparat.errors import ParseError
from aqparat.model import Lang
from aqparat.pipeline.run import PipelineOptions
from aqparat.sources import govkz
from aqparat.sources.govkz_api import where
from aqparat.store import archive, rubrics

log = logging.getLogger(__name__)


def replay(engine: sa.Engine, *, base_url: str, timezone: ZoneInfo, pipeline: PipelineOptions,
           keys: tuple[str, ...] | None = None) -> Counter[str]:
    """Every usable archived page, oldest first, one transaction per page."""
    counts: Counter[str] = Counter()
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())
    # Feed and article pages (api feed, article) are not gov.kz listings.
    for page in archive.pages(engine, keys, apis=("rest", "graphql")):
        counts["pages"] += 1
        counts.update(_replay_page(engine, page, base_url, timezone, pipeline))
    return counts


def _replay_page(engine: sa.Engine, page: archive.ArchivedPage, base_url: str,
                 timezone: ZoneInfo, pipeline: PipelineOptions) -> Counter[str]:
    label = f"{where(page.source_key, page.lang, page.page)} (archived #{page.id})"
    try:
        objects = govkz.listing_items(page.body, label)
    except ParseError as exc:
        log.error("%s", exc)
        return Counter(errors=1)
    lang = cast(Lang, page.lang)
    read = pages.read_page(objects, govkz.ItemContext(page.source_key, lang, base_url,
                                                      timezone, label), pipeline)
    counts: Counter[str] = Counter(errors=read.errors)
    with engine.begin() as conn:
        for raw, outcome in read.items:
            counts[pages.save_item(conn, page.source_id, lang, raw, outcome, page.id,
                                   read.dedup)] += 1
    return counts

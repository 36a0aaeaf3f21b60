"""One listing page into the store: adapt its items, run the pipeline, save them, archive the
raw answer and checkpoint the cursor, all in one transaction. A page lands whole or not at
all, so a crawl killed anywhere resumes at the next page with nothing lost or doubled.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from aqparat.crawl import passes
from aqparat.errors import ParseError
from aqparat.model import Lang, Outcome, RawItem
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.sources import govkz
from aqparat.sources.govkz_api import Listing, where
from aqparat.store import archive, cursors, sources, stories
from aqparat.store.cursors import Cursor
from aqparat.store.fts import index as search_index

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageInput:
    """Everything read from one page, before any SQL."""

    items: list[tuple[RawItem, Outcome]]
    published: list[dt.datetime]
    ids: list[int]
    mentioned: set[str]
    errors: int
    dedup: DedupOptions = field(default_factory=DedupOptions)  # story assignment on save


def aware(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time(), tzinfo=tz)


def read_page(objects: list[object], ctx: govkz.ItemContext,
              options: PipelineOptions) -> PageInput:
    """Adapt and process every item; an unusable item is logged and counted, never fatal."""
    items: list[tuple[RawItem, Outcome]] = []
    mentioned: set[str] = set()
    errors = 0
    for position, obj in enumerate(objects, 1):
        mentioned |= govkz.mentioned_slugs(obj)
        try:
            raw = govkz.to_raw_item(obj, ctx, position)
        except ParseError as exc:
            log.error("%s", exc)
            errors += 1
            continue
        items.append((raw, process(raw, options)))
    published = [aware(raw.published, ctx.timezone) for raw, _ in items]
    ids = [int(raw.external_id) for raw, _ in items if raw.external_id]
    return PageInput(items, published, ids, mentioned - {ctx.slug}, errors, options.stories)


def save_item(conn: sa.Connection, source_id: int, lang: Lang, raw: RawItem,
              outcome: Outcome, raw_page_id: int | None,
              dedup: DedupOptions | None = None) -> str:
    art = outcome.article
    if art is None:
        log.info("pipeline: dropped %s", outcome.reason)
        return "dropped"
    if art.lang != lang:
        # gov.kz answered the `lang` listing with another language's text: a translation
        # that does not exist yet. Its own language's listing carries the real one.
        log.info("govkz: %s: asked for %s, the text is %s: no %s translation yet; skipped",
                 raw.origin, lang, art.lang, lang)
        return "dropped"
    # Its story is filed in the page's transaction.
    return stories.keep(conn, art, source_id, dedup or DedupOptions(), raw_page_id)


@dataclass(frozen=True, slots=True)
class Target:
    """The page being stored: which source, language and page number."""

    source_id: int
    slug: str
    lang: Lang
    page: int


def store_page(conn: sa.Connection, target: Target, listing: Listing, read: PageInput,
               cursor: Cursor, now: dt.datetime) -> tuple[Counter[str], Cursor]:
    """Save a page's items, archive its answer if it changed anything, checkpoint."""
    raw_id = archive.save(conn, source_id=target.source_id, lang=target.lang,
                          page=target.page, api=listing.api, url=listing.url,
                          status=listing.status, body=listing.body)
    counts: Counter[str] = Counter(errors=read.errors)
    with search_index.queued(conn):  # the page's documents in one write
        for raw, outcome in read.items:
            counts[save_item(conn, target.source_id, target.lang, raw, outcome, raw_id,
                             read.dedup)] += 1
    if not counts["new"] and not counts["updated"]:
        archive.discard(conn, raw_id)
    fresh = sources.discover(conn, read.mentioned)
    if fresh:
        log.info("govkz: %s names unknown entities %s: added as disabled candidates",
                 where(target.slug, target.lang, target.page), ", ".join(fresh))
    cursor = passes.checkpoint(cursor, target.page, read.published, read.ids, now)
    if target.page == 1 and listing.api == "rest":
        cursor = cursor.replace(etag=listing.etag, last_modified=listing.last_modified)
    cursors.save(conn, cursor)
    return counts, cursor

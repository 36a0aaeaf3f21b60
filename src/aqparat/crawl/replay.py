"""`aqparat replay` and `aqparat backfill`: archived raw pages (or generated items) through
today's adapters and pipeline into the store, with no network — how a pipeline fix reaches
items already collected, and how a new store is filled in bulk.

Archived pages are read oldest first (later versions of an item win): gov.kz listings
(`rest`, `graphql`) through the gov.kz adapter; a feed (`feed`) through the feed reader, each
entry with the text of its article page when that page was archived too; a page source's
articles (`article`) through the article extractor. The batching, checkpoints and process
pool are crawl/backfill.py's.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from aqparat.crawl import backfill
from aqparat.crawl.backfill import BackfillOptions, Progress, Work
from aqparat.errors import ParseError, SourceError
from aqparat.model import Lang, RawItem
from aqparat.pipeline.run import PipelineOptions
from aqparat.sources import feeds, govkz
from aqparat.sources import pages as page_sources
from aqparat.sources.govkz_api import where
from aqparat.store import archive, sources
from aqparat.testing import synth_items

log = logging.getLogger(__name__)


def replay(engine: sa.Engine, *, base_url: str, timezone: ZoneInfo, pipeline: PipelineOptions,
           keys: tuple[str, ...] | None = None, options: BackfillOptions | None = None,
           progress: Progress | None = None) -> Counter[str]:
    """Every usable archived page (of `keys`' sources), from the checkpoint on; `pages` in
    the result counts the pages read."""
    options = options or BackfillOptions(archive_name(keys), restart=True)
    counts: Counter[str] = Counter()
    works = ArchiveWorks(engine, base_url, timezone, keys, counts)
    counts.update(backfill.run(engine, works, options, pipeline, progress))
    return counts


def archive_name(keys: tuple[str, ...] | None) -> str:
    return "archive" if not keys else ("archive:" + ",".join(sorted(keys)))[:64]


def generate(engine: sa.Engine, count: int, *, seed: int, base_url: str, timezone: ZoneInfo,
             pipeline: PipelineOptions, options: BackfillOptions,
             progress: Progress | None = None) -> Counter[str]:
    """`count` generated gov.kz items (testing/synth_items.py), resumable like the archive."""
    backfill_ids: dict[str, int] = {}

    def works(after: int) -> Iterator[Work]:
        if not backfill_ids:
            with engine.connect() as conn:
                backfill_ids.update({s.key: s.row.id for s in sources.states(conn)})
        for n in range(after, count):
            made = synth_items.item(seed, n)
            ctx = govkz.ItemContext(made.slug, made.lang, base_url, timezone,
                                    f"generated item {n} (seed {seed})")
            yield Work(n + 1, backfill_ids[made.slug], made.lang,
                       govkz.to_raw_item(made.obj, ctx, 1))

    return backfill.run(engine, works, options, pipeline, progress)


class ArchiveWorks:
    """works(after): the items of every archived page past `after`, oldest page first."""

    def __init__(self, engine: sa.Engine, base_url: str, timezone: ZoneInfo,
                 keys: tuple[str, ...] | None, counts: Counter[str]) -> None:
        self.engine, self.base_url, self.timezone = engine, base_url, timezone
        self.keys, self.counts = keys, counts
        self.kinds: dict[int, str] = {}

    def __call__(self, after: int) -> Iterator[Work]:
        for page in archive.pages(self.engine, self.keys, after=after):
            self.counts["pages"] += 1
            yield from self._page(page)

    def _kind(self, source_id: int) -> str:
        if source_id not in self.kinds:
            with self.engine.connect() as conn:
                found = sources.get(conn, source_id)
            self.kinds[source_id] = found.kind if found is not None else "govkz"
        return self.kinds[source_id]

    def _page(self, page: archive.ArchivedPage) -> Iterator[Work]:
        read: Callable[[archive.ArchivedPage], list[Work]] = (
            self._listing if page.api in ("rest", "graphql") else
            self._feed if page.api == "feed" else self._article)
        try:
            yield from read(page)
        except SourceError as exc:
            log.error("%s (archived #%d)", exc, page.id)
            self.counts["errors"] += 1

    def _listing(self, page: archive.ArchivedPage) -> list[Work]:
        label = f"{where(page.source_key, page.lang, page.page)} (archived #{page.id})"
        lang = cast(Lang, page.lang)
        ctx = govkz.ItemContext(page.source_key, lang, self.base_url, self.timezone, label)
        works: list[Work] = []
        for position, obj in enumerate(govkz.listing_items(page.body, label), 1):
            try:
                raw = govkz.to_raw_item(obj, ctx, position)
            except ParseError as exc:
                log.error("%s", exc)
                self.counts["errors"] += 1
                continue
            works.append(Work(page.id, page.source_id, lang, raw, page.id))
        return works

    def _feed(self, page: archive.ArchivedPage) -> list[Work]:
        feed = feeds.parse_feed(page.body, page.url)
        works: list[Work] = []
        for entry in feed.entries:
            text = self._page_text(page.source_id, entry.link)
            raw = feeds.to_raw_item(feed, entry, page.source_key, text)
            self._add(works, page, raw)
        return works

    def _page_text(self, source_id: int, url: str | None) -> feeds.PageText | None:
        """The article page a feed entry's text was read from, if it was archived."""
        if not url:
            return None
        with self.engine.connect() as conn:
            body = archive.latest_download(conn, source_id, url)
        if body is None:
            return None
        return page_sources.page_text(page_sources.extract_article(body, url))

    def _article(self, page: archive.ArchivedPage) -> list[Work]:
        if self._kind(page.source_id) != "page":
            return []  # a feed's article pages are read with their feed entries
        article = page_sources.extract_article(page.body, page.url)
        works: list[Work] = []
        self._add(works, page, page_sources.to_raw_item(article, page.source_key))
        return works

    def _add(self, works: list[Work], page: archive.ArchivedPage, raw: RawItem | None) -> None:
        if raw is None:
            log.info("replay: an item of %s (archived #%d) has no date; dropped", page.url,
                     page.id)
            self.counts["dropped"] += 1
            return
        works.append(Work(page.id, page.source_id, None, raw, page.id))

"""One unit of a feed or page source into the store in one transaction: the downloads it
was read from (gzipped into the raw archive; kept only when they changed an item), its items
through the pipeline's outcome, and the source's cursor. A unit lands whole or not at all.

A feed is one unit (the feed and the article pages fetched for its summary-only items); a
page source stores one unit per article, so a run killed half-way keeps what it stored and
the next run skips those articles as known.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from aqparat.model import Outcome, RawItem
from aqparat.pipeline.dedup import DedupOptions
from aqparat.store import archive, cursors, stories
from aqparat.store.fts import index as search_index
from aqparat.store.web_sources import ANY_LANG

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Download:
    api: str  # feed | article: raw_page.api
    url: str
    body: bytes
    status: int = 200


@dataclass(slots=True)
class Unit:
    downloads: list[Download] = field(default_factory=list)
    items: list[tuple[RawItem, Outcome, int]] = field(default_factory=list)  # download index
    counts: Counter[str] = field(default_factory=Counter)  # dropped / unchanged / errors seen

    def add_download(self, download: Download) -> int:
        self.downloads.append(download)
        return len(self.downloads) - 1


def store_unit(conn: sa.Connection, source_id: int, unit: Unit,
               cursor: cursors.Cursor | None, dedup: DedupOptions | None = None) -> Counter[str]:
    """Archive, save items, discard archives no changed item points at, checkpoint."""
    ids = [archive.save(conn, source_id=source_id, lang=ANY_LANG, page=n, api=d.api, url=d.url,
                        status=d.status, body=d.body)
           for n, d in enumerate(unit.downloads, 1)]
    counts = Counter(unit.counts)
    used: set[int] = set()
    with search_index.queued(conn):  # the unit's documents in one write
        for _raw, outcome, where in unit.items:
            if outcome.article is None:
                log.info("pipeline: dropped %s", outcome.reason)
                counts["dropped"] += 1
                continue
            # Its story is filed in the unit's transaction (as gov.kz pages do).
            result = stories.keep(conn, outcome.article, source_id, dedup or DedupOptions(),
                                  ids[where] if ids else None)
            counts[result] += 1
            if result != "unchanged":
                used.add(where)
    if used and unit.downloads and unit.downloads[0].api == "feed":
        used.add(0)  # the feed names the entries its article pages belong to: replay needs it
    for n, raw_id in enumerate(ids):
        if n not in used:
            archive.discard(conn, raw_id)
    if cursor is not None:
        cursors.save(conn, cursor)
    return counts

"""`aqparat stories rebuild`: file every stored item in its story again, from scratch, wired
store ↔ pipeline (like reclassify.py).

Items are filed in publication order, as a backfill would have brought them oldest first, in
one transaction: readers see the old stories until the new ones are complete, and a failure
leaves the old ones in place. Needed after a change of thresholds or rules, or once after
migration 0005 for the items stored before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa

from aqparat.pipeline import stories as pipeline_stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.store import articles, stories
from aqparat.store.story_index import SqlIndex

Progress = Callable[[int], None]  # called with the number of items just filed
BATCH = 500


def count_items(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return articles.count_items(conn)


def rebuild(engine: sa.Engine, options: DedupOptions,
            progress: Progress | None = None) -> Counter[str]:
    """Every item filed again; how many by each rule (pipeline/stories.py), and `stories`."""
    counts: Counter[str] = Counter()
    with engine.begin() as conn:
        stories.reset(conn)
        index = SqlIndex(conn, options)
        after = None
        while batch := stories.stored_reports(conn, after=after, limit=BATCH):
            for report in batch:
                _, found = pipeline_stories.assign(index, report, options)
                counts[found.how] += 1
            after = (batch[-1].published_at, batch[-1].item_id)
            if progress is not None:
                progress(len(batch))
        counts["stories"] = stories.count(conn)
    return counts

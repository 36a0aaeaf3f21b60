"""`aqparat replay`/`backfill` read feed and page sources' archive too: a summary feed's items
come back with the text of their archived article pages, a page source's articles from their
pages — the same rows a crawl stored, with no network."""

from __future__ import annotations

import sqlalchemy as sa

from aqparat.crawl.replay import replay
from aqparat.ingest import default_options
from aqparat.pipeline.run import ALMATY
from aqparat.store import schema
from aqparat.testing.fake_feeds import FakeFeeds
from aqparat.testing.web_harness import ARTICLE, Web

COLUMNS = ("source_key", "external_id", "lang", "title", "body_text", "content_hash")


def snapshot(web: Web) -> list[tuple[object, ...]]:
    return sorted(tuple(row[c] for c in COLUMNS) for row in web.items())


def forget_items(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if "item_id" in table.c or table.name == "story":
                conn.execute(table.delete())
        conn.execute(schema.item.delete())


def test_feeds_and_pages_are_rebuilt_from_the_archive(web: Web, fake: FakeFeeds) -> None:
    web.add("feed", "/feeds/rss20-summary.xml")  # summary-only: texts from article pages
    web.add("page", "/news/", pattern=ARTICLE)
    web.crawl()
    before = snapshot(web)
    assert len(before) == 10
    assert any("субсидирование части затрат на удобрения;" in str(r[4]) for r in before)
    forget_items(web.engine)
    fake.requests.clear()
    counts = replay(web.engine, base_url="https://www.gov.kz", timezone=ALMATY,
                    pipeline=default_options())
    assert fake.requests == []  # offline
    assert counts["new"] == len(before)
    assert snapshot(web) == before

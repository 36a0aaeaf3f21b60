"""Raw pages are archived gzipped; `replay` rebuilds the items from them with no network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from aqparat.crawl.replay import replay
from aqparat.ingest import default_options
from aqparat.store import archive
from aqparat.store.schema import item, item_band, item_rubric, raw_page
from aqparat.testing.fake_govkz import FakeGovKz

Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def test_replay_rebuilds_the_items_offline(harness: Any, fake: FakeGovKz,
                                           stored: Stored) -> None:
    harness.crawl()
    before = stored(harness.engine)
    with harness.engine.begin() as conn:
        pages = archive.count(conn)
        # 3 entities × 3 languages × 3 pages; a page whose items were all dropped (fallback
        # texts) adds nothing a replay needs and is not kept.
        assert 24 <= pages <= 27
        conn.execute(item_rubric.delete())
        conn.execute(item_band.delete())  # no foreign key to cascade (schema.py says why)
        conn.execute(item.delete())
    fake.stop()  # no network from here on
    counts = replay(harness.engine, base_url="https://www.gov.kz",
                    timezone=harness.options().timezone, pipeline=default_options())
    assert counts["pages"] == pages
    assert counts["new"] == len(before)
    assert stored(harness.engine) == before


def test_pages_that_change_nothing_are_not_archived(harness: Any) -> None:
    harness.crawl(("mfa",))
    with harness.engine.connect() as conn:
        first = archive.count(conn)
    harness.crawl(("mfa",), rescan=True)  # re-reads pages, all unchanged
    with harness.engine.connect() as conn:
        assert archive.count(conn) == first
        bodies = conn.execute(sa.select(raw_page.c.body_gz)).scalars().all()
    assert all(body[:2] == b"\x1f\x8b" for body in bodies)  # gzip

"""A web crawler on the fake feeds, retries recorded instead of slept: what the feed and
page tests drive (tests/integration/feeds)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from aqparat.crawl.passes import PassOptions
from aqparat.crawl.run import CrawlOptions, SourceReport
from aqparat.crawl.web import WebCrawler, WebOptions
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.ingest import default_options
from aqparat.sourcefile import WebSourceDef
from aqparat.store import sources, web_sources
from aqparat.store.schema import item, source
from aqparat.testing.fake_feeds import FakeFeeds

ARTICLE = re.compile(r"/articles/[a-z0-9-]+$")  # the fake index page's article links


@dataclass
class Web:
    engine: sa.Engine
    fake: FakeFeeds
    waits: list[float] = field(default_factory=list)
    limits: FetchLimits = field(default_factory=lambda: FetchLimits(
        user_agent="aqparat/test (+mailto:test@example.invalid)", rate=0, timeout=2.0,
        deadline=10.0, retries=1, backoff=1.0))
    web: WebOptions = field(default_factory=WebOptions)
    clients: list[FetchClient] = field(default_factory=list)
    # True: the client's clock stands still but for its own sleeps, so its waits are exact.
    manual_clock: bool = False
    now: float = 0.0

    def add(self, kind: str, path: str, **options: Any) -> str:
        url = f"{self.fake.url}{path}"
        definition = WebSourceDef(kind, url, {}, **options)  # type: ignore[arg-type]
        with self.engine.begin() as conn:
            web_sources.add(conn, definition, "operator")
        self.web = dataclasses.replace(self.web, defs={**self.web.defs, url: definition})
        return url

    def crawler(self) -> WebCrawler:
        if self.manual_clock:
            client = FetchClient(self.limits, sleep=self._advance, clock=lambda: self.now)
        else:
            client = FetchClient(self.limits, sleep=self.waits.append)
        self.clients.append(client)
        schedule = ScheduleOptions(intervals={"hot": dt.timedelta(hours=1),
                                              "warm": dt.timedelta(hours=4),
                                              "cold": dt.timedelta(days=1)})
        return WebCrawler(self.engine, client, CrawlOptions(PassOptions(), schedule,
                                                            default_options()), self.web)

    def _advance(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def crawl(self) -> dict[str, SourceReport]:
        return {r.key: r for r in self.crawler().run_once(force=True)}

    def items(self) -> list[sa.RowMapping]:
        query = (sa.select(item, source.c.key.label("source_key"))
                 .join(source, source.c.id == item.c.source_id).order_by(item.c.id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).mappings())

    def state(self, url: str) -> sources.SourceState:
        with self.engine.connect() as conn:
            return next(s for s in web_sources.states(conn) if s.key == url)

    def close(self) -> None:
        for client in self.clients:
            client.close()

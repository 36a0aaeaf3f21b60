"""The fake gov.kz on 127.0.0.1 and a crawler pointed at it, with politeness waits recorded
instead of slept (the retry and Retry-After values are asserted, never waited for)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from aqparat.crawl.passes import PassOptions
from aqparat.crawl.run import Crawler, CrawlOptions
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.ingest import default_options
from aqparat.sources.govkz_api import GovKzApi, GovKzOptions
from aqparat.store.schema import item, source
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz
from aqparat.testing.govkz_world import World

ENTITIES = govkz_world.ENTITIES
PAGE_SIZE = 10  # 24 items per entity and language: pages of 10, 10, 4


@pytest.fixture
def world() -> World:
    return govkz_world.build(govkz_world.load_items())


@pytest.fixture
def fake(world: World) -> Iterator[FakeGovKz]:
    with FakeGovKz(world) as server:
        yield server


@dataclass
class Harness:
    """A crawler on the fake, remembering what it would have slept."""

    engine: sa.Engine
    fake: FakeGovKz
    waits: list[float] = field(default_factory=list)
    limits: FetchLimits = field(default_factory=lambda: FetchLimits(
        user_agent="aqparat/test (+mailto:test@example.invalid)", rate=0, timeout=0.5,
        deadline=1.5, retries=3, backoff=1.0, backoff_max=60.0))
    govkz: GovKzOptions | None = None
    passes: PassOptions = field(default_factory=PassOptions)
    breaker_failures: int = 5
    clients: list[FetchClient] = field(default_factory=list)
    apis: list[GovKzApi] = field(default_factory=list)

    def options(self, **changes: Any) -> GovKzOptions:
        base = self.govkz or GovKzOptions(base_url=self.fake.url, page_size=PAGE_SIZE)
        return dataclasses.replace(base, **changes)

    def crawler(self, now: Callable[[], dt.datetime] | None = None) -> Crawler:
        client = FetchClient(self.limits, sleep=self.waits.append)
        self.clients.append(client)
        api = GovKzApi(client, self.options())
        self.apis.append(api)
        schedule = ScheduleOptions(
            intervals={"hot": dt.timedelta(hours=1), "warm": dt.timedelta(hours=4),
                       "cold": dt.timedelta(days=1)},
            breaker_failures=self.breaker_failures)
        options = CrawlOptions(self.passes, schedule, default_options())
        return Crawler(self.engine, api, options, **({"now": now} if now else {}))

    def crawl(self, keys: tuple[str, ...] = ENTITIES, **kwargs: Any) -> dict[str, Any]:
        reports = self.crawler().run_once(keys, **{"force": True, **kwargs})
        return {r.key: r for r in reports}

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def harness(engine: sa.Engine, fake: FakeGovKz) -> Iterator[Harness]:
    h = Harness(engine, fake)
    yield h
    h.close()


Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def _stored(engine: sa.Engine) -> dict[tuple[str, str, str], str]:
    query = sa.select(source.c.key, item.c.external_id, item.c.lang, item.c.content_hash
                      ).join(source, source.c.id == item.c.source_id)
    with engine.connect() as conn:
        return {(k, i, lang): h for k, i, lang, h in conn.execute(query)}


@pytest.fixture
def stored() -> Stored:
    """(slug, id, lang) → content hash of every stored item."""
    return _stored

"""The fake feeds on 127.0.0.1 (one per session, routes reset per test) and the harness."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from aqparat.testing.fake_feeds import FakeFeeds, default_routes
from aqparat.testing.web_harness import Web


@pytest.fixture(scope="session")
def fake_feeds() -> Iterator[FakeFeeds]:
    with FakeFeeds() as server:
        yield server


@pytest.fixture
def fake(fake_feeds: FakeFeeds) -> FakeFeeds:
    """The session's fake with its routes as built, and an empty request log."""
    with fake_feeds.lock:
        fake_feeds.requests.clear()
        fake_feeds.flaky.clear()
    fake_feeds.routes = default_routes()
    return fake_feeds


@pytest.fixture
def web(engine: sa.Engine, fake: FakeFeeds) -> Iterator[Web]:
    harness = Web(engine, fake)
    yield harness
    harness.close()

"""`aqparat crawl` without --once: the loop crawls what is due, sleeps, stops when told; a run
whose sources fail one after another stops early instead of hammering a dead host."""

from __future__ import annotations

import threading
import time
from typing import Any

from aqparat.store import sources
from aqparat.testing.fake_govkz import FakeGovKz, Fault


def test_loop_crawls_then_waits_for_the_schedule(harness: Any, fake: FakeGovKz) -> None:
    crawler = harness.crawler()
    stop = threading.Event()
    loop = threading.Thread(target=crawler.run_forever, args=(("mfa",),),
                            kwargs={"stop": stop, "longest_sleep": 0.05})
    loop.start()
    deadline = time.monotonic() + 60
    while not fake.seen("rest", slug="mfa", lang="en") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # many more turns of the loop: nothing is due, so nothing is asked
    stop.set()
    loop.join(timeout=30)
    assert not loop.is_alive()
    with harness.engine.connect() as conn:
        state = sources.state(conn, "mfa")
    assert state is not None
    assert state.status == "ok"
    assert len(fake.seen("ticket")) == 1
    assert len(fake.seen("rest", slug="mfa", lang="ru")) == 3  # one pass, not one per turn


def test_a_run_stops_when_source_after_source_fails(harness: Any, fake: FakeGovKz) -> None:
    harness.govkz = harness.options(graphql=False, langs=("ru",))
    harness.breaker_failures = 2
    fake.add_fault(Fault("status", status=403, times=-1))
    reports = harness.crawl(("almaty", "ardfm", "mfa"))  # in order: keys sort
    assert list(reports) == ["almaty", "ardfm"]  # mfa was never tried
    assert not fake.seen("rest", slug="mfa")

"""The pure parts of fetch/: the per-host token bucket, Retry-After, the breaker, the schedule,
and the crawl-pass rules."""

from __future__ import annotations

import datetime as dt

import pytest

from aqparat.crawl import passes
from aqparat.crawl.passes import PassOptions
from aqparat.fetch import schedule
from aqparat.fetch.client import CircuitBreaker, FetchLimits, Throttle, retry_after
from aqparat.store.cursors import Cursor

NOW = dt.datetime(2026, 3, 17, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.t = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.t += seconds


def test_token_bucket_spaces_requests_per_host_with_jitter() -> None:
    clock = Clock()
    throttle = Throttle(FetchLimits(rate=1.0, jitter=0.5), clock, clock.sleep, lambda: 1.0)
    for _ in range(3):
        throttle.wait("www.gov.kz")
    throttle.wait("other.kz")  # another host has its own bucket
    assert clock.slept == [1.5, 1.5]


def test_no_rate_means_no_waiting() -> None:
    clock = Clock()
    throttle = Throttle(FetchLimits(rate=0), clock, clock.sleep, lambda: 1.0)
    for _ in range(5):
        throttle.wait("www.gov.kz")
    assert clock.slept == []


@pytest.mark.parametrize(("header", "seconds"), [
    ("30", 30.0), (" 7 ", 7.0), ("Tue, 17 Mar 2026 12:01:00 GMT", 60.0),
    ("Tue, 17 Mar 2026 11:00:00 GMT", 0.0), ("soon", None), (None, None), ("", None)])
def test_retry_after_takes_seconds_or_a_date(header: str | None, seconds: float | None) -> None:
    assert retry_after(header, now=NOW) == seconds


def test_breaker_opens_after_n_failures_and_a_success_closes_it() -> None:
    breaker = CircuitBreaker(3, failures=1)
    breaker.failure()
    assert not breaker.open
    breaker.failure()
    assert breaker.open
    breaker.success()
    assert not breaker.open
    assert not CircuitBreaker(0, failures=99).open  # 0 disables it


@pytest.mark.parametrize(("kind", "rate", "tier"), [
    ("ministry", None, "hot"), ("city_akimat", None, "hot"), ("embassy", None, "warm"),
    ("district_akimat", None, "cold"), (None, None, "cold"), ("district_akimat", 5.0, "hot"),
    ("ministry", 0.5, "warm"), ("ministry", 0.0, "cold")])
def test_tiers_start_from_the_type_and_follow_the_observed_rate(
        kind: str | None, rate: float | None, tier: str) -> None:
    assert schedule.tier_for(kind, rate) == tier


OPTIONS = schedule.ScheduleOptions(
    intervals={"hot": dt.timedelta(hours=1), "warm": dt.timedelta(hours=4), "cold": DAY},
    breaker_cooldown=dt.timedelta(hours=1), breaker_failures=3)


def test_next_fetch_uses_the_tier_then_the_breakers_growing_cooldown() -> None:
    assert schedule.next_fetch(NOW, "warm", OPTIONS) == NOW + dt.timedelta(hours=4)
    assert schedule.next_fetch(NOW, "warm", OPTIONS, failures=3) == NOW + dt.timedelta(hours=1)
    assert schedule.next_fetch(NOW, "warm", OPTIONS, failures=5) == NOW + dt.timedelta(hours=4)
    assert schedule.next_fetch(NOW, "hot", OPTIONS, failures=99) == NOW + dt.timedelta(hours=32)
    assert schedule.next_fetch(NOW, "hot", OPTIONS, retry_after=7200) == NOW + 2 * (DAY / 24)


def test_due_sources_never_fetched_first_then_longest_overdue() -> None:
    rows = [schedule.Due(1, "b", NOW - DAY), schedule.Due(2, "a", None),
            schedule.Due(3, "c", NOW + DAY), schedule.Due(4, "d", NOW - 2 * DAY)]
    assert [d.key for d in schedule.due(rows, NOW)] == ["a", "d", "b"]
    assert schedule.seconds_until_next(rows[2:3], NOW, 60) == 60
    assert schedule.seconds_until_next([schedule.Due(5, "e", NOW + dt.timedelta(seconds=9))],
                                       NOW, 60) == 9


P = PassOptions(overlap=3 * DAY, rescan_window=7 * DAY, rescan_every=DAY)


def test_pass_kinds() -> None:
    fresh = Cursor(1, "ru")
    assert passes.kind_for(fresh, NOW, P) == passes.BACKFILL
    done = fresh.replace(last_complete_at=NOW, last_rescan_at=NOW - dt.timedelta(hours=2))
    assert passes.kind_for(done, NOW, P) == passes.INCREMENTAL
    assert passes.kind_for(done, NOW, P, rescan=True) == passes.RESCAN
    assert passes.kind_for(done.replace(last_rescan_at=NOW - DAY), NOW, P) == passes.RESCAN
    resumed = done.replace(pass_kind=passes.BACKFILL, pass_page=4)
    assert passes.kind_for(resumed, NOW, P) == passes.BACKFILL
    assert passes.begin(resumed, passes.BACKFILL, NOW).pass_page == 4


def test_checkpoint_ignores_dates_in_the_future_and_finish_folds_in() -> None:
    cursor = passes.begin(Cursor(1, "ru", high_water=NOW - 9 * DAY), passes.RESCAN, NOW)
    cursor = passes.checkpoint(cursor, 1, [NOW - 2 * DAY, NOW + 300 * DAY], [5, 9], NOW)
    assert (cursor.pass_page, cursor.pass_high_water, cursor.pass_high_water_id) == (
        1, NOW - 2 * DAY, 9)
    done = passes.finish(cursor, NOW)
    assert (done.high_water, done.high_water_id, done.pass_kind, done.pass_page) == (
        NOW - 2 * DAY, 9, None, 0)
    assert done.last_rescan_at == NOW == done.last_complete_at


def test_stop_rules() -> None:
    incremental = Cursor(1, "ru", high_water=NOW - DAY, pass_kind=passes.INCREMENTAL)
    old = [NOW - 5 * DAY, NOW - 6 * DAY]
    assert passes.done_after(incremental, old, new=0, now=NOW, options=P)
    assert not passes.done_after(incremental, old, new=1, now=NOW, options=P)  # something new
    assert not passes.done_after(incremental, [NOW - 2 * DAY], new=0, now=NOW, options=P)
    rescan = incremental.replace(pass_kind=passes.RESCAN)
    assert not passes.done_after(rescan, old, new=0, now=NOW, options=P)
    assert passes.done_after(rescan, [NOW - 9 * DAY], new=0, now=NOW, options=P)
    backfill = incremental.replace(pass_kind=passes.BACKFILL)
    assert not passes.done_after(backfill, [NOW - 900 * DAY], new=0, now=NOW, options=P)

"""Every fault the issue lists, against the fake gov.kz: each ends in the right stored result
or a clear logged error naming source, page and problem; never a crashed crawl, never a lost
or doubled item."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from aqparat.store import sources
from aqparat.testing.fake_govkz import FakeGovKz, Fault
from aqparat.testing.govkz_world import World

Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def expected(world: World, *slugs: str) -> set[tuple[str, str, str]]:
    return {k for k in world.expected_keys() if k[0] in slugs}


def state(harness: Any, slug: str) -> sources.SourceState:
    with harness.engine.connect() as conn:
        found = sources.state(conn, slug)
    assert found is not None
    return found


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(harness: Any, fake: FakeGovKz, world: World,
                                 stored: Stored, status: int) -> None:
    fake.add_fault(Fault("status", slug="mfa", lang="ru", page=2, status=status,
                         retry_after="7"))
    reports = harness.crawl(("mfa",))
    assert reports["mfa"].status == "ok"
    assert harness.waits == [7.0]
    assert set(stored(harness.engine)) == expected(world, "mfa")


@pytest.mark.parametrize("status", [500, 504])
def test_server_errors_with_html_bodies_back_off_exponentially(
        harness: Any, fake: FakeGovKz, world: World, stored: Stored, status: int,
        caplog: pytest.LogCaptureFixture) -> None:
    fake.add_fault(Fault("status", slug="mfa", lang="kk", page=1, status=status, times=2))
    with caplog.at_level(logging.WARNING):
        reports = harness.crawl(("mfa",))
    assert reports["mfa"].status == "ok"
    assert harness.waits == [1.0, 2.0]
    assert f"fetch: 127.0.0.1 answered {status} for mfa (kk page 1); retrying in 1 s" \
        in caplog.messages
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_rest_that_keeps_failing_falls_back_to_graphql(
        harness: Any, fake: FakeGovKz, world: World, stored: Stored,
        caplog: pytest.LogCaptureFixture) -> None:
    fake.add_fault(Fault("status", slug="mfa", lang="ru", page=2, status=504, times=-1))
    with caplog.at_level(logging.WARNING):
        reports = harness.crawl(("mfa",))
    assert reports["mfa"].status == "ok"
    assert fake.seen("graphql", status=200)
    assert any("REST failed for mfa (ru page 2)" in m and "trying GraphQL" in m
               for m in caplog.messages)
    assert set(stored(harness.engine)) == expected(world, "mfa")  # string ids included


def test_page_failing_everywhere_is_logged_and_resumed_next_run(
        harness: Any, fake: FakeGovKz, world: World, stored: Stored,
        caplog: pytest.LogCaptureFixture) -> None:
    fake.add_fault(Fault("status", slug="mfa", lang="ru", page=2, status=504, times=-1))
    fake.add_fault(Fault("status", slug="mfa", lang="ru", page=2, status=504, times=-1,
                         api="graphql"))
    with caplog.at_level(logging.ERROR):
        reports = harness.crawl(("mfa", "ardfm"))
    assert reports["ardfm"].status == "ok"  # the other source is untouched
    assert reports["mfa"].status == "error"
    [error] = reports["mfa"].errors
    assert error.startswith("govkz: mfa (ru page 2): REST failed (fetch: 127.0.0.1 answered "
                            "504 for mfa (ru page 2); gave up after 4 attempts)")
    assert error in caplog.messages
    mfa_state = state(harness, "mfa")
    assert (mfa_state.status, mfa_state.failures, mfa_state.last_error) == ("error", 1, error)
    partial = set(stored(harness.engine))
    assert partial < expected(world, "mfa", "ardfm")  # ru page 1 is in, the rest waits
    fake.clear_faults()
    fake.requests.clear()
    harness.crawl(("mfa",))
    assert set(stored(harness.engine)) == expected(world, "mfa", "ardfm")
    assert {r["page"] for r in fake.seen("rest", lang="ru")} == {2, 3}  # resumed, not redone
    assert state(harness, "mfa").failures == 0


@pytest.mark.parametrize("status", [401, 403])
def test_refusals_are_not_retried_and_name_the_page(harness: Any, fake: FakeGovKz,
                                                    status: int) -> None:
    harness.govkz = harness.options(graphql=False)
    fake.add_fault(Fault("status", slug="mfa", lang="en", page=1, status=status, times=-1))
    reports = harness.crawl(("mfa",))
    assert harness.waits == []
    assert reports["mfa"].errors == [f"fetch: gov.kz answered {status} for mfa (en page 1)"]
    assert reports["mfa"].counts["new"] > 0  # kk and ru went through


def test_truncated_json_is_retried(harness: Any, fake: FakeGovKz, world: World,
                                   stored: Stored) -> None:
    fake.add_fault(Fault("truncated", slug="mfa", lang="ru", page=1))
    assert harness.crawl(("mfa",))["mfa"].status == "ok"
    assert harness.waits == [1.0]
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_html_instead_of_json_is_retried(harness: Any, fake: FakeGovKz, world: World,
                                         stored: Stored) -> None:
    fake.add_fault(Fault("html", slug="mfa", lang="kk", page=3))
    assert harness.crawl(("mfa",))["mfa"].status == "ok"
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_object_instead_of_array_is_a_clear_error(harness: Any, fake: FakeGovKz) -> None:
    harness.govkz = harness.options(graphql=False)
    fake.add_fault(Fault("object", slug="mfa", lang="ru", page=1, times=-1))
    reports = harness.crawl(("mfa",))
    assert reports["mfa"].errors == [
        "govkz: mfa (ru page 1): expected a JSON array of news items, got an object "
        "(keys: error, timestamp)"]


@pytest.mark.parametrize("kind", ["stall", "trickle"])
def test_a_page_that_never_ends_times_out_and_is_retried(
        harness: Any, fake: FakeGovKz, world: World, stored: Stored, kind: str) -> None:
    fake.add_fault(Fault(kind, slug="mfa", lang="ru", page=1, seconds=10))
    assert harness.crawl(("mfa",))["mfa"].status == "ok"
    assert harness.waits == [1.0]
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_a_page_that_never_ends_anywhere_gives_up_with_a_reason(harness: Any,
                                                                fake: FakeGovKz) -> None:
    harness.govkz = harness.options(graphql=False)
    harness.limits = dataclasses.replace(harness.limits, retries=1)
    fake.add_fault(Fault("trickle", slug="mfa", lang="kk", page=1, seconds=10, times=-1))
    [error] = harness.crawl(("mfa",))["mfa"].errors
    assert error == ("fetch: 127.0.0.1 took longer than 1.5 s to send for mfa (kk page 1); "
                     "gave up after 2 attempts")


def test_ticket_expiring_mid_crawl_is_renewed(harness: Any, fake: FakeGovKz, world: World,
                                              stored: Stored) -> None:
    fake.add_fault(Fault("expire_ticket", slug="mfa", lang="kk", page=2))
    assert harness.crawl(("mfa",))["mfa"].status == "ok"
    assert len(fake.seen("ticket")) == 2
    assert [r["status"] for r in fake.seen("rest", lang="kk", page=2)] == [400, 200]
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_ids_as_strings_are_the_same_items(harness: Any, fake: FakeGovKz, world: World,
                                           stored: Stored) -> None:
    harness.crawl(("mfa",))
    before = stored(harness.engine)
    fake.add_fault(Fault("string_ids", slug="mfa", times=-1))
    harness.crawl(("mfa",), rescan=True)
    assert stored(harness.engine) == before == {
        k: v for k, v in before.items() if k in expected(world, "mfa")}


def test_graphql_out_of_order_is_not_trusted_for_incremental_passes(
        harness: Any, fake: FakeGovKz, world: World, stored: Stored) -> None:
    harness.crawl(("mfa",))
    fake.graphql_sorts = False  # ARDFM-SYNC saw `_sort` ignored (govkz.md §1.4)
    fake.add_fault(Fault("status", slug="mfa", status=500, times=-1))
    reports = harness.crawl(("mfa",), rescan=True)
    assert all("GraphQL ignored created_date:DESC" in e for e in reports["mfa"].errors)
    assert set(stored(harness.engine)) == expected(world, "mfa")


def test_breaker_suspends_a_source_that_keeps_failing(harness: Any, fake: FakeGovKz) -> None:
    harness.govkz = harness.options(graphql=False)
    harness.breaker_failures = 2
    fake.add_fault(Fault("status", slug="mfa", status=403, times=-1))
    report = harness.crawl(("mfa",))["mfa"]
    assert report.status == "suspended"
    assert report.errors[-1] == "crawl: mfa: suspended after 2 consecutive failures"
    assert {r["lang"] for r in fake.seen("rest")} == {"kk", "ru"}  # en never asked
    found = state(harness, "mfa")
    assert found.status == "suspended"
    assert found.failures == 2
    assert found.last_fetch_at is not None
    assert found.next_fetch_at is not None
    assert found.next_fetch_at - found.last_fetch_at > sa_timedelta(minutes=59)


def test_hash_headers_satisfy_a_server_that_wants_them(harness: Any, fake: FakeGovKz,
                                                       world: World, stored: Stored) -> None:
    fake.require_hash = True
    harness.govkz = harness.options(hash_headers=True, langs=("ru",))
    assert harness.crawl(("mfa",))["mfa"].status == "ok"
    assert all(r["token"] and r["hash"].startswith("$2a$10$") for r in fake.seen("rest"))
    assert set(stored(harness.engine)) == {
        k for k in expected(world, "mfa") if k[2] == "ru"}


def test_without_hash_headers_such_a_server_refuses(harness: Any, fake: FakeGovKz) -> None:
    fake.require_hash = True
    harness.govkz = harness.options(graphql=False, langs=("ru",))
    [error] = harness.crawl(("mfa",))["mfa"].errors
    assert error == ("fetch: gov.kz answered 400 (notAllowed, even with a fresh ticket) for "
                     "mfa (ru page 1)")


def sa_timedelta(**kwargs: float) -> Any:
    import datetime as dt

    return dt.timedelta(**kwargs)

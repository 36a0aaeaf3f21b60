"""A crawl of the fake gov.kz stores every language version once, and later runs are
incremental: new items found, edits and moved dates picked up, nothing doubled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from aqparat.store import articles, sources
from aqparat.store.schema import item, source
from aqparat.testing.fake_govkz import FakeGovKz
from aqparat.testing.govkz_world import World

Stored = Callable[[sa.Engine], dict[tuple[str, str, str], str]]


def _row(engine: sa.Engine, slug: str, news_id: int, lang: str) -> Any:
    query = (sa.select(item).join(source, source.c.id == item.c.source_id)
             .where(source.c.key == slug, item.c.external_id == str(news_id),
                    item.c.lang == lang))
    with engine.connect() as conn:
        return conn.execute(query).mappings().one()


def test_full_crawl_stores_every_version_once(harness: Any, world: World, stored: Stored,
                                               fake: FakeGovKz) -> None:
    reports = harness.crawl()
    assert all(r.status == "ok" for r in reports.values()), reports
    assert set(stored(harness.engine)) == world.expected_keys()
    assert len(fake.seen("ticket")) == 1  # one session, one ticket
    first = fake.requests[0]
    assert first["api"] == "ticket"  # the ticket comes before any listing
    listings = fake.seen("rest")
    assert all(r["status"] == 200 for r in listings)
    # 24 items in pages of 10: a short third page ends each listing, no fourth request.
    assert {r["page"] for r in listings} == {1, 2, 3}
    assert all("memleket/entities" in r["referer"] and "mailto:" in r["user-agent"]
               for r in listings)


def test_language_versions_are_linked_and_fallbacks_skipped(harness: Any, world: World) -> None:
    harness.crawl()
    news = next(n for n in world.news.values() if set(n.texts) == {"kk", "ru", "en"}
                and n.texts["kk"]["body"] != n.texts["ru"]["body"])
    row = _row(harness.engine, news.slug, news.id, "ru")
    with harness.engine.connect() as conn:
        view = articles.get(conn, row["id"])
    assert view is not None
    assert [v.lang for v in view.versions] == ["kk", "en"]
    fallback = next(n for n in world.news.values()
                    if n.texts["kk"]["body"] == n.texts["ru"]["body"])
    keys = {(k[1], k[2]) for k in world.expected_keys()}
    assert (str(fallback.id), "kk") not in keys
    assert (str(fallback.id), "ru") in keys


def test_item_shapes_are_read_as_govkz_md_says(harness: Any, world: World) -> None:
    harness.crawl()
    no_body = next(n for n in world.news.values() if n.texts["ru"]["body"] is None)
    row = _row(harness.engine, no_body.slug, no_body.id, "ru")
    assert row["body_text"]  # the short description stands in
    pictured = next(n for n in world.news.values() if n.heropic)
    row = _row(harness.engine, pictured.slug, pictured.id, "ru")
    assert row["image_url"] == "https://www.gov.kz" + str(pictured.heropic).replace(
        "https://www.gov.kz", "") or row["image_url"].endswith(str(pictured.heropic))
    assert row["published_raw"] == pictured.created_date
    midnight = next(n for n in world.news.values() if n.created_date.endswith("T00:00:00Z"))
    assert _row(harness.engine, midnight.slug, midnight.id, "ru")["date_only"] is True
    framed = next(n for n in world.news.values() if "youtube" in str(n.texts["ru"]["body"]))
    html = _row(harness.engine, framed.slug, framed.id, "ru")["body_html"]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in html
    assert "<iframe" not in html
    assert "style=" not in html
    assert "align=" not in html


def test_wall_time_is_read_in_almaty(harness: Any, world: World) -> None:
    harness.crawl()
    timed = next(n for n in world.news.values() if not n.created_date.endswith("T00:00:00Z"))
    row = _row(harness.engine, timed.slug, timed.id, "ru")
    local = row["published_at"].astimezone(dt.timezone(dt.timedelta(hours=6)))
    # 2020–2021: Almaty was UTC+6, so the wall time reads back unchanged at +06:00.
    assert local.strftime("%Y-%m-%dT%H:%M:%SZ") == timed.created_date


def test_discovered_slugs_become_disabled_candidates(harness: Any) -> None:
    harness.crawl()
    with harness.engine.connect() as conn:
        candidate = sources.state(conn, "ardfm-geneva")
        known = sources.state(conn, "karaganda-transport")
    assert candidate is not None
    assert not candidate.enabled
    assert candidate.origin == "discovered"
    assert known is not None
    assert known.origin == "seed"


def test_second_run_asks_conditionally_and_changes_nothing(harness: Any, stored: Stored,
                                                           fake: FakeGovKz) -> None:
    harness.crawl()
    before = stored(harness.engine)
    fake.requests.clear()
    reports = harness.crawl()
    assert stored(harness.engine) == before
    assert sum(r.counts["new"] + r.counts["updated"] for r in reports.values()) == 0
    listings = fake.seen("rest")
    assert listings
    assert all(r["status"] == 304 and r["page"] == 1 for r in listings)


def test_new_item_is_found_without_reading_every_page(harness: Any, world: World,
                                                      stored: Stored, fake: FakeGovKz) -> None:
    harness.crawl()
    newest = world.listing("mfa", "ru")[0]
    world.news[999_001] = type(newest)(
        999_001, "mfa", "2021-12-01T10:00:00Z", None, "mfa",
        {lang: dict(newest.texts["ru"], title=f"Жаңа хабар {lang}") for lang in ("ru",)})
    fake.requests.clear()
    reports = harness.crawl(("mfa",))
    assert reports["mfa"].counts["new"] == 1
    assert ("mfa", "999001", "ru") in stored(harness.engine)
    # Page 1 held something new, so page 2 is read; it holds only old, known items: stop.
    assert {r["page"] for r in fake.seen("rest", lang="ru")} == {1, 2}


def test_edit_after_collection_updates_in_place_on_rescan(harness: Any, world: World,
                                                         stored: Stored) -> None:
    harness.crawl()
    newest = world.listing("ardfm", "ru")[0]
    before = stored(harness.engine)
    world.edit(newest.id, "ru", title="Исправленный заголовок новости агентства")
    reports = harness.crawl(("ardfm",), rescan=True)
    after = stored(harness.engine)
    assert set(after) == set(before)  # no duplicate
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {("ardfm", str(newest.id), "ru")}
    assert reports["ardfm"].counts["updated"] == 1
    assert _row(harness.engine, "ardfm", newest.id, "ru")["title"].startswith("Исправленный")


def test_date_moved_backwards_updates_the_item(harness: Any, world: World,
                                               stored: Stored) -> None:
    harness.crawl()
    second = world.listing("almaty", "ru")[1]
    moved = (dt.datetime.fromisoformat(second.created_date.rstrip("Z"))
             - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    world.redate(second.id, moved)
    harness.crawl(("almaty",), rescan=True)
    assert len(stored(harness.engine)) == len(world.expected_keys())
    assert _row(harness.engine, "almaty", second.id, "ru")["published_raw"] == moved


def test_source_rows_record_the_result(harness: Any) -> None:
    harness.crawl()
    with harness.engine.connect() as conn:
        state = sources.state(conn, "mfa")
        last = sources.last_fetches(conn, [state.row.id] if state else [])
    assert state is not None
    assert state.status == "ok"
    assert state.failures == 0
    assert state.last_error is None
    assert state.next_fetch_at is not None
    assert state.last_fetch_at is not None
    assert state.tier == "cold"  # 2020–2021 items: nothing published in the last 30 days
    assert last[state.row.id].counts[0] > 0

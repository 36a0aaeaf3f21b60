"""Feed and page sources end to end against the fake feeds on 127.0.0.1: items, raw archive,
cursor and the source's row, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re

import sqlalchemy as sa

from aqparat.store import check, cursors
from aqparat.store.schema import raw_page
from aqparat.store.web_sources import ANY_LANG
from aqparat.testing.fake_feeds import LAST_MODIFIED, FakeFeeds
from aqparat.testing.web_harness import ARTICLE, Web


def _archived(web: Web) -> list[tuple[str, str]]:
    with web.engine.connect() as conn:
        return [(r.api, r.url) for r in conn.execute(sa.select(raw_page.c.api, raw_page.c.url)
                                                      .order_by(raw_page.c.id))]


def test_a_full_feed_lands_then_a_304_changes_nothing(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/feeds/rss20-full.xml")
    first = web.crawl()[url]
    assert (first.status, first.counts["new"]) == ("ok", 8)
    items = web.items()
    assert {i["lang"] for i in items} == {"kk", "ru"}
    assert {i["external_id"] for i in items} >= {"aqp-ru-akorda-award", "aqp-kk-akorda-meeting"}
    award = next(i for i in items if i["external_id"] == "aqp-ru-akorda-award")
    assert award["source_url"] == f"{fake.url}/articles/ru-akorda-award"
    assert award["image_url"] == "https://img.example.kz/ru-akorda-award.jpg"
    assert award["body_text"].startswith("В Акорде состоялась церемония")
    assert _archived(web) == [("feed", url)]
    with web.engine.connect() as conn:  # each item's search document written, and current
        assert check.search_index(conn) == []
    again = web.crawl()[url]
    assert (again.status, sum(again.counts.values())) == ("ok", 0)
    polls = fake.seen("/feeds/rss20-full.xml")
    assert [p["status"] for p in polls] == [200, 304]
    assert polls[1]["if-none-match"]  # the stored ETag went out
    state = web.state(url)
    # Its items are months old: an observed rate of 0 a day makes it cold.
    assert (state.status, state.failures, state.tier) == ("ok", 0, "cold")
    assert state.next_fetch_at is not None


def test_atom_rss10_and_rss091_read_alike(web: Web) -> None:
    atom = web.add("feed", "/feeds/atom10.xml")
    rdf = web.add("feed", "/feeds/rss10.rdf")
    old = web.add("feed", "/feeds/rss091.xml")
    reports = web.crawl()
    assert {k: (r.status, r.counts["new"]) for k, r in reports.items()} == {
        atom: ("ok", 4), rdf: ("ok", 4), old: ("ok", 2)}
    langs = {i["source_key"]: i["lang"] for i in web.items()}
    assert (langs[atom], langs[rdf], langs[old]) == ("en", "kk", "kk")
    # RSS 0.91 items carry no date: each came from its page's date line.
    dates = sorted(i["published_raw"] for i in web.items() if i["source_key"] == old)
    assert dates == ["17 наурыз 2026 ж., 14:05", "2026-02-03T11:30:00+05:00"]


def test_a_summary_feed_gets_its_text_from_the_pages_once(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/feeds/rss20-summary.xml")
    assert web.crawl()[url].counts["new"] == 4
    harvest = next(i for i in web.items() if i["external_id"] == "aqp-ru-government-harvest")
    assert "субсидирование части затрат на удобрения;" in harvest["body_text"]
    assert "Последние новости" not in harvest["body_text"]  # no sidebar
    assert len([a for a, _ in _archived(web) if a == "article"]) == 4
    fake.routes["/feeds/rss20-summary.xml"].body += b"\n"  # new ETag: a full read again
    again = web.crawl()[url]
    assert (again.status, again.counts["unchanged"]) == ("ok", 4)
    assert len(fake.seen("/articles/ru-government-harvest")) == 1  # not fetched twice


def test_a_summary_feed_whose_page_fails_keeps_the_summary(web: Web, fake: FakeFeeds) -> None:
    del fake.routes["/articles/ru-akorda-award"]
    url = web.add("feed", "/feeds/rss20-summary.xml")
    report = web.crawl()[url]
    assert (report.status, report.counts["new"]) == ("ok", 4)
    award = next(i for i in web.items() if i["external_id"] == "aqp-ru-akorda-award")
    assert award["body_text"].endswith("…")


def test_301_moves_the_source_and_the_next_poll_is_a_304(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/moved.xml")
    assert web.crawl()[url].counts["new"] == 8
    new_url = f"{fake.url}/feeds/rss20-full.xml"
    assert web.state(new_url).key == new_url  # the source row now holds the new address
    report = web.crawl()[new_url]
    assert (report.status, sum(report.counts.values())) == ("ok", 0)
    assert [p["status"] for p in fake.seen("/moved.xml")] == [301]
    assert [p["status"] for p in fake.seen("/feeds/rss20-full.xml")] == [200, 304]


def test_302_is_followed_but_not_remembered(web: Web) -> None:
    url = web.add("feed", "/temporary.xml")
    assert web.crawl()[url].counts["new"] == 8
    assert web.state(url).key == url


def test_a_301_then_302_chain_remembers_the_301s_target(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/chain.xml")
    assert web.crawl()[url].status == "ok"
    assert [s.key for s in web.crawler().states()] == [f"{fake.url}/temporary.xml"]


def test_a_move_onto_a_known_feed_keeps_the_old_address(web: Web, fake: FakeFeeds) -> None:
    web.add("feed", "/feeds/rss20-full.xml")
    url = web.add("feed", "/moved.xml")
    assert web.crawl()[url].status == "ok"
    assert web.state(url).key == url


def test_windows_1251_served_as_utf8_is_read_as_cyrillic(web: Web) -> None:
    url = web.add("feed", "/feeds/cp1251.xml")
    assert web.crawl()[url].counts["new"] == 2
    titles = {i["title"] for i in web.items()}
    assert "Глава государства вручил государственные награды деятелям культуры" in titles


def test_an_html_error_page_is_an_error_on_the_source_row(web: Web) -> None:
    url = web.add("feed", "/feeds/error.xml")
    web.crawl()  # a first fetch may look for an announced feed; there is none
    report = web.crawl()[url]
    assert report.status == "error"
    state = web.state(url)
    assert state.failures == 2
    assert state.last_error == (
        f"feeds: {url}:5: not RSS or Atom: an HTML page titled '503 Service Temporarily "
        f"Unavailable' (an error page, or a site whose feed has moved?)")
    assert web.items() == []


def test_malformed_xml_keeps_what_can_be_read(web: Web) -> None:
    url = web.add("feed", "/feeds/malformed.xml")
    report = web.crawl()[url]
    assert (report.status, report.counts["new"]) == ("ok", 2)


def test_unreadable_bytes_are_an_error(web: Web) -> None:
    url = web.add("feed", "/feeds/broken.xml")
    assert web.crawl()[url].status == "error"
    assert "not RSS or Atom" in (web.state(url).last_error or "")


def test_duplicate_guids_keep_the_first_item(web: Web) -> None:
    url = web.add("feed", "/feeds/duplicates.xml")
    assert web.crawl()[url].counts["new"] == 2
    same = next(i for i in web.items() if i["external_id"] == "same-guid")
    assert same["title"] == "Новая редакция новости"


def test_items_without_guid_are_keyed_by_link_then_hash(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/feeds/no-guid.xml", full_text="never")
    assert web.crawl()[url].counts["new"] == 2
    keys = sorted(i["external_id"] for i in web.items())
    assert keys[0].startswith("h:")
    assert keys[1] == f"{fake.url}/x/by-link"
    fake.routes["/feeds/no-guid.xml"].body += b" "
    assert web.crawl()[url].counts["unchanged"] == 2  # same keys on a second read


def test_a_site_page_leads_to_its_announced_feed(web: Web, fake: FakeFeeds) -> None:
    url = web.add("feed", "/site/")
    assert web.crawl()[url].counts["new"] == 8
    feed_url = f"{fake.url}/feeds/rss20-full.xml"
    assert web.state(feed_url).status == "ok"


def test_a_gzip_bomb_is_refused_naming_the_url(web: Web) -> None:
    url = web.add("feed", "/bomb.xml")
    report = web.crawl()[url]
    assert report.status == "error"
    error = web.state(url).last_error or ""
    assert re.search(r"sent more than 33554432 bytes once gzip-decoded \(from \d+ bytes "
                     r"received: a decompression bomb\?\)", error), error
    assert url in error


def test_oversized_bodies_are_refused_declared_or_not(web: Web) -> None:
    declared = web.add("feed", "/huge.xml")
    streamed = web.add("feed", "/huge-stream.xml")
    web.crawl()
    for url in (declared, streamed):
        error = web.state(url).last_error or ""
        assert f"sent more than 33554432 bytes for feed {url} ({url})" in error, error


def test_an_index_page_gives_new_articles_each_once(web: Web, fake: FakeFeeds) -> None:
    url = web.add("page", "/news/", pattern=ARTICLE)
    report = web.crawl()[url]
    assert (report.status, report.counts["new"]) == ("ok", 6)
    items = web.items()
    assert {i["lang"] for i in items} == {"kk", "ru"}
    assert all(i["source_url"].startswith(f"{fake.url}/articles/") for i in items)
    assert [a for a, _ in _archived(web)] == ["article"] * 6
    fake.routes["/news/"].body += b"\n"
    again = web.crawl()[url]
    assert sum(again.counts.values()) == 0
    assert all(len(fake.seen(f"/articles/{i['source_url'].rsplit('/', 1)[1]}")) == 1
               for i in items)


def test_an_index_read_in_parts_never_hides_the_rest_behind_a_304(web: Web) -> None:
    import dataclasses

    web.web = dataclasses.replace(web.web, max_articles=4)
    url = web.add("page", "/news/", pattern=ARTICLE)
    assert web.crawl()[url].counts["new"] == 4
    with web.engine.connect() as conn:
        cursor = cursors.load(conn, web.state(url).row.id, ANY_LANG)
    assert cursor.etag is None  # so the next poll reads the index again
    assert web.crawl()[url].counts["new"] == 2


def test_a_page_source_without_a_pattern_says_where_to_add_it(web: Web) -> None:
    url = web.add("page", "/news/")
    assert web.crawl()[url].status == "error"
    assert web.state(url).last_error == (
        f"crawl: page source {url} has no link pattern; add it as a [[page]] with `pattern` "
        f"to sources.toml")


def test_a_missing_article_is_counted_and_the_rest_stored(web: Web, fake: FakeFeeds) -> None:
    del fake.routes["/articles/kk-akorda-meeting"]
    url = web.add("page", "/news/", pattern=ARTICLE)
    report = web.crawl()[url]
    assert (report.status, report.counts["new"], report.counts["errors"]) == ("ok", 5, 1)


def test_last_modified_alone_is_stored_and_sent_back(web: Web, fake: FakeFeeds) -> None:
    fake.routes["/feeds/rss20-full.xml"].etag = False  # a server without ETags
    url = web.add("feed", "/feeds/rss20-full.xml")
    assert web.crawl()[url].counts["new"] == 8
    again = web.crawl()[url]
    assert (again.status, sum(again.counts.values())) == ("ok", 0)
    polls = fake.seen("/feeds/rss20-full.xml")
    assert [(p["status"], p["if-none-match"]) for p in polls] == [(200, None), (304, None)]
    assert [p["if-modified-since"] for p in polls] == [None, LAST_MODIFIED]


def test_a_busy_feed_is_retried_after_its_retry_after(web: Web, fake: FakeFeeds) -> None:
    fake.flaky["/feeds/rss20-full.xml"] = 1
    url = web.add("feed", "/feeds/rss20-full.xml")
    assert web.crawl()[url].counts["new"] == 8
    assert [p["status"] for p in fake.seen("/feeds/rss20-full.xml")] == [503, 200]
    assert web.waits == [3.0]  # the server's Retry-After, not our own backoff


def test_one_host_is_polled_politely_feed_and_pages_alike(web: Web, fake: FakeFeeds) -> None:
    web.limits = dataclasses.replace(web.limits, rate=2.0, jitter=0.0)
    web.manual_clock = True  # time passes only in the client's sleeps
    url = web.add("feed", "/feeds/rss20-summary.xml")  # the feed, then its 4 articles' pages
    assert web.crawl()[url].counts["new"] == 4
    assert len(fake.requests) == 5
    assert web.waits == [0.5] * 4  # 2 requests a second to one host, whatever they fetch

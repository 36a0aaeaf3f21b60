"""Feed and page sources have a page and feeds of their own, under a slug that outlives a move
(store/slugs.py), against the fake feeds on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import feedparser
import pytest
from starlette.testclient import TestClient

from aqparat import config
from aqparat.store import sources
from aqparat.testing.fake_feeds import Answer, FakeFeeds
from aqparat.testing.web_harness import ARTICLE, Web
from aqparat.web.app import create_app

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(web: Web) -> Iterator[TestClient]:
    settings = config.load(env={}, database_url="unused", public_url="https://aqparat.example")
    with TestClient(create_app(settings, web.engine)) as client:
        yield client


def _titles(web: Web, url: str, lang: str) -> set[str]:
    return {i["title"] for i in web.items() if i["source_key"] == url and i["lang"] == lang}


def test_a_feed_sources_page_and_feeds_list_its_items(web: Web, site: TestClient) -> None:
    url = web.add("feed", "/feeds/rss20-full.xml")
    assert web.crawl()[url].status == "ok"
    slug = web.state(url).row.slug
    assert slug == "127-0-0-1-feeds-rss20-full"
    for lang in ("kk", "ru"):
        wanted = _titles(web, url, lang)
        assert wanted
        page = site.get(f"/{lang}/source/{slug}")
        assert page.status_code == 200
        assert all(t in page.text for t in wanted)
        assert f'href="/feeds/{lang}/source/{slug}/rss.xml"' in page.text  # rel=alternate
        for fmt in ("rss", "atom"):
            answer = site.get(f"/feeds/{lang}/source/{slug}/{fmt}.xml")
            assert answer.status_code == 200
            feed = feedparser.parse(answer.content)
            assert feed.bozo == 0
            assert {e.title for e in feed.entries} == wanted
            assert feed.feed.link == f"https://aqparat.example/{lang}/source/{slug}"


def test_a_page_sources_page_lists_the_articles_its_index_led_to(web: Web,
                                                                 site: TestClient) -> None:
    url = web.add("page", "/news/", pattern=ARTICLE)
    assert web.crawl()[url].counts["new"] == 6
    slug = web.state(url).row.slug
    assert slug == "127-0-0-1-news"
    for lang in ("kk", "ru"):
        page = site.get(f"/{lang}/source/{slug}")
        assert page.status_code == 200
        assert all(t in page.text for t in _titles(web, url, lang))
        feed = feedparser.parse(site.get(f"/feeds/{lang}/source/{slug}/rss.xml").content)
        assert {e.title for e in feed.entries} == _titles(web, url, lang)


def test_slugs_are_in_the_api_the_sitemap_and_item_pages(web: Web, site: TestClient) -> None:
    url = web.add("feed", "/feeds/atom10.xml")
    web.crawl()
    slug = web.state(url).row.slug
    listed = {s["key"]: s for s in site.get("/api/v1/sources").json()["data"]}
    assert listed[url]["slug"] == slug
    assert listed[url]["page"] == f"https://aqparat.example/kk/source/{slug}"
    assert site.get(listed[url]["page"].removeprefix("https://aqparat.example")).status_code \
        == 200
    pages = ET.fromstring(site.get("/sitemaps/pages.xml").content)  # noqa: S314 (ours)
    locs = {loc.text for loc in pages.iter(f"{SM}loc")}
    assert {f"https://aqparat.example/{lang}/source/{slug}" for lang in ("kk", "ru", "en")} \
        <= locs
    item_id = web.items()[0]["id"]
    assert f'href="/en/source/{slug}"' in site.get(f"/en/news/{item_id}").text


def _entry_ids(site: TestClient, path: str) -> list[str]:
    return [e.id for e in feedparser.parse(site.get(path).content).entries]


def test_a_feed_that_moves_keeps_its_slug_page_and_entry_ids(web: Web, fake: FakeFeeds,
                                                             site: TestClient) -> None:
    url = web.add("feed", "/feeds/rss20-full.xml")
    assert web.crawl()[url].counts["new"] == 8
    slug = web.state(url).row.slug
    feeds = [f"/feeds/{lang}/source/{slug}/atom.xml" for lang in ("kk", "ru")]
    feeds.append("/feeds/kk/atom.xml")
    ids = [_entry_ids(site, path) for path in feeds]
    assert all(ids)
    # The site moves its feed: a 301 to the new address, which serves the same document.
    fake.routes["/feeds/v2/rss.xml"] = fake.routes["/feeds/rss20-full.xml"]
    fake.routes["/feeds/rss20-full.xml"] = Answer(301, headers={"Location": "/feeds/v2/rss.xml"},
                                                  validators=False)
    new_url = f"{fake.url}/feeds/v2/rss.xml"
    assert web.crawl()[url].status == "ok"
    moved = web.state(new_url)  # the row holds the new address, and its slug
    assert moved.row.slug == slug
    assert [_entry_ids(site, path) for path in feeds] == ids  # readers see no new entries
    assert site.get(f"/kk/source/{slug}").status_code == 200


def test_a_feed_that_moved_before_its_first_read_keeps_its_slug(web: Web, fake: FakeFeeds,
                                                                site: TestClient) -> None:
    url = web.add("feed", "/moved.xml")
    assert web.state(url).row.slug == "127-0-0-1-moved"
    assert web.crawl()[url].counts["new"] == 8
    moved = web.state(f"{fake.url}/feeds/rss20-full.xml")
    assert moved.row.slug == "127-0-0-1-moved"
    assert len(_entry_ids(site, "/feeds/kk/source/127-0-0-1-moved/rss.xml")) \
        == len(_titles(web, moved.key, "kk")) > 0


def test_sources_that_would_share_a_slug_get_their_own(web: Web, site: TestClient) -> None:
    first = web.add("feed", "/feeds/rss20-full.xml")
    second = web.add("feed", "/feeds/rss20-full.rss")  # same host and path but the ending
    third = web.add("page", "/feeds/rss20-full.html", pattern=r"/articles/")
    slugs = [web.state(u).row.slug for u in (first, second, third)]
    assert slugs == ["127-0-0-1-feeds-rss20-full", "127-0-0-1-feeds-rss20-full-2",
                     "127-0-0-1-feeds-rss20-full-3"]
    with web.engine.connect() as conn:
        assert [sources.by_slug(conn, s).key for s in slugs] == [  # type: ignore[union-attr]
            first, second, third]
    assert all(site.get(f"/ru/source/{s}").status_code == 200 for s in slugs)


@pytest.mark.parametrize("slug", ["127-0-0-1-nothing", "a/b", "%00", "x" * 200])
def test_unknown_slugs_are_404(site: TestClient, slug: str) -> None:
    assert site.get(f"/kk/source/{slug}").status_code == 404
    assert site.get(f"/feeds/kk/source/{slug}/rss.xml").status_code == 404

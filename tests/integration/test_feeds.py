"""RSS 2.0 and Atom feeds, checked against the formats' rules and by feedparser (SQLite and PG)."""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
RFC_822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                     r"Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})")
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
GENEVA = "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183541?lang=kk"
FEED_PAGES = ["/feeds/kk/{fmt}.xml", "/feeds/kk/rubric/news/{fmt}.xml",
              "/feeds/kk/rubric/society/{fmt}.xml", "/feeds/kk/source/mfa-geneva/{fmt}.xml",
              "/feeds/ru/{fmt}.xml", "/feeds/en/rubric/news/{fmt}.xml",
              "/feeds/kk/story/1/{fmt}.xml", "/feeds/kk/search/{fmt}.xml?q=Женева"]


@pytest.fixture
def app(engine: sa.Engine, seed_path: Path) -> Starlette:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    return create_app(config.load(env={}, database_url="unused"), engine)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def fetch(client: TestClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if "/atom.xml" in path else "rss20")
    return ET.fromstring(response.content)  # noqa: S314  (our own output; raises if malformed)


def text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    assert found is not None, f"<{tag}> missing"
    assert found.text, f"<{tag}> empty"
    return found.text


def check_rss(root: ET.Element) -> list[ET.Element]:
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    [channel] = root.findall("channel")
    for tag in ("title", "link", "description"):
        text(channel, tag)
    assert RFC_822.fullmatch(text(channel, "lastBuildDate"))
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href", "").startswith("http://testserver/")
    items = channel.findall("item")
    for item in items:
        text(item, "title")
        assert text(item, "link").startswith("http://testserver/kk/news/")
        stamp = text(item, "pubDate")
        assert RFC_822.fullmatch(stamp)
        assert email.utils.parsedate_to_datetime(stamp)
        guid = item.find("guid")
        assert guid is not None
        assert guid.get("isPermaLink") == "false"
        assert "<p>" in text(item, CONTENT)
    guids = [text(item, "guid") for item in items]
    assert len(guids) == len(set(guids))
    return items


def check_atom(root: ET.Element) -> list[ET.Element]:
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title"):
        text(root, f"{ATOM}{tag}")
    assert RFC_3339.fullmatch(text(root, f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for tag in ("id", "title"):
            text(entry, f"{ATOM}{tag}")
        for tag in ("updated", "published"):
            assert RFC_3339.fullmatch(text(entry, f"{ATOM}{tag}"))
        [alternate] = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert alternate.get("href", "").startswith("http://testserver/kk/news/")
        content = entry.find(f"{ATOM}content")
        assert content is not None
        assert content.get("type") == "html"
        assert "<p>" in (content.text or "")
    ids = [text(entry, f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
    return entries


@pytest.mark.parametrize("path", FEED_PAGES)
def test_rss_feeds_follow_the_rss_2_rules(client: TestClient, path: str) -> None:
    check_rss(fetch(client, path.format(fmt="rss")))


@pytest.mark.parametrize("path", FEED_PAGES)
def test_atom_feeds_follow_rfc_4287(client: TestClient, path: str) -> None:
    check_atom(fetch(client, path.format(fmt="atom")))


def test_home_feed_holds_every_kazakh_item_in_full_with_its_source(client: TestClient) -> None:
    items = check_rss(fetch(client, "/feeds/kk/rss.xml"))
    assert len(items) == 5
    geneva = next(i for i in items if (s := i.find("source")) is not None
                  and s.get("url") == GENEVA)
    assert "Женевадағы" in text(geneva, "source")
    assert "Жалпы 12 482 613 азамат" in text(geneva, CONTENT)
    entries = check_atom(fetch(client, "/feeds/kk/atom.xml"))
    via = [e.find(f"{ATOM}link[@rel='via']") for e in entries]
    assert GENEVA in {link.get("href") for link in via if link is not None}


def test_a_feed_holds_only_its_languages_items(client: TestClient) -> None:
    assert check_rss(fetch(client, "/feeds/ru/rss.xml")) == []  # the seed is all Kazakh
    assert check_atom(fetch(client, "/feeds/en/atom.xml")) == []


def test_rubric_and_source_feeds_are_narrowed(client: TestClient) -> None:
    source = check_rss(fetch(client, "/feeds/kk/source/mfa-geneva/rss.xml"))
    assert 0 < len(source) < 5
    rubric = check_rss(fetch(client, "/feeds/kk/rubric/sport/rss.xml"))
    assert rubric == []


def test_entry_ids_are_stable_across_formats_requests_and_hosts(app: Starlette,
                                                                engine: sa.Engine) -> None:
    elsewhere = create_app(config.load(env={}, database_url="unused",
                                       public_url="https://aqparat.example"), engine)
    with TestClient(app) as here, TestClient(elsewhere) as there:
        rss = [text(i, "guid") for i in check_rss(fetch(here, "/feeds/kk/rss.xml"))]
        atom_here = fetch(here, "/feeds/kk/atom.xml").findall(f"{ATOM}entry/{ATOM}id")
        atom_there = there.get("/feeds/kk/atom.xml").text
    assert rss == [e.text for e in atom_here]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", guid) for guid in rss)
    assert all(guid in atom_there for guid in rss)
    assert "https://aqparat.example/kk/news/" in atom_there


@pytest.mark.parametrize("path", [
    "/feeds/kk/rubric/nothing/rss.xml", "/feeds/kk/json.xml", "/feeds/xx/rss.xml",
    "/feeds/kk/source/999/atom.xml", "/feeds/kk/rubric/%00/rss.xml",
    "/feeds/kk/source/%00/rss.xml", "/feeds/kk/source/mfa%20geneva/rss.xml",
])
def test_missing_feeds_are_404_in_the_json_envelope(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_feeds_have_etags_and_answer_304(client: TestClient) -> None:
    first = client.get("/feeds/kk/atom.xml")
    assert first.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get("/feeds/kk/atom.xml", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


# ── pages announce their feeds ──────────────────────────────────────────────────────────────

ALTERNATE = re.compile(r'<link rel="alternate" type="application/(rss|atom)\+xml" '
                       r'title="[^"]+" href="([^"]+)">')


@pytest.mark.parametrize(("page", "feed"), [
    ("/kk/", "/feeds/kk/"), ("/ru/", "/feeds/ru/"),
    ("/kk/rubric/society", "/feeds/kk/rubric/society/"),
    ("/en/rubric/news?page=1", "/feeds/en/rubric/news/"),
    ("/ru/source/mfa-geneva", "/feeds/ru/source/mfa-geneva/"),
    ("/kk/story/1", "/feeds/kk/story/1/"),
    ("/kk-Latn/rubric/society", "/feeds/kk/rubric/society/"), ("/kk-Arab/", "/feeds/kk/"),
])
def test_pages_with_feeds_link_them(client: TestClient, page: str, feed: str) -> None:
    html = client.get(page).text
    links = dict(ALTERNATE.findall(html))
    assert links == {"rss": f"{feed}rss.xml", "atom": f"{feed}atom.xml"}
    for href in links.values():
        assert client.get(href).status_code == 200
        assert f'<a href="{href}"' in html  # visible in the footer too


@pytest.mark.parametrize("page", ["/kk/news/1", "/kk/rubric/nothing", "/api/docs"])
def test_pages_without_feeds_link_none(client: TestClient, page: str) -> None:
    assert not ALTERNATE.search(client.get(page).text)

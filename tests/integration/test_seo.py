"""Sitemaps, robots.txt, Open Graph and JSON-LD on article pages, the API reference page."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.web.app import create_app
from aqparat.web.openapi import SCHEMA

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
HOSTILE = '</script><script>alert("x")</script> & <!-- жаңалық'


def client_for(engine: sa.Engine, dump: Path) -> TestClient:
    [report] = import_dumps(engine, [dump], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    return TestClient(create_app(config.load(env={}, database_url="unused"), engine))


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    with client_for(engine, seed_path) as c:
        yield c


def xml(client: TestClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314  (our own output)


def assert_valid_html5(page: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def test_robots_points_at_the_sitemap(client: TestClient) -> None:
    robots = client.get("/robots.txt")
    assert robots.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text.splitlines()
    assert "User-agent: *" in robots.text


def test_sitemap_index_lists_pages_and_each_month(client: TestClient) -> None:
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    locs = [e.text for e in index.iter(f"{SM}loc")]
    assert locs == ["http://testserver/sitemaps/pages.xml",
                    "http://testserver/sitemaps/news-2026-03.xml"]
    for stamp in index.iter(f"{SM}lastmod"):
        assert W3C_DATETIME.fullmatch(stamp.text or "")
    for loc in locs:
        assert client.get(loc).status_code == 200


def alternates(url: ET.Element) -> dict[str, str]:
    return {link.get("hreflang", ""): link.get("href", "")
            for link in url.findall(f"{XHTML}link[@rel='alternate']")}


def test_month_sitemap_lists_each_article_in_three_languages(client: TestClient) -> None:
    urlset = xml(client, "/sitemaps/news-2026-03.xml")
    urls = urlset.findall(f"{SM}url")
    assert len(urls) == 5 * 3
    locs = {u.findtext(f"{SM}loc") for u in urls}
    assert len(locs) == 15
    for url in urls:
        loc = url.findtext(f"{SM}loc") or ""
        langs = alternates(url)
        assert set(langs) == {"kk", "ru", "en"}
        assert loc in langs.values()  # every page lists itself among its alternates
        assert langs["ru"] == re.sub(r"/(kk|ru|en)/", "/ru/", loc)
        assert W3C_DATETIME.fullmatch(url.findtext(f"{SM}lastmod") or "")
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_pages_sitemap_has_homes_and_rubrics(client: TestClient) -> None:
    locs = {u.findtext(f"{SM}loc") for u in xml(client, "/sitemaps/pages.xml")}
    assert {"http://testserver/kk/", "http://testserver/ru/", "http://testserver/en/",
            "http://testserver/kk/rubric/news"} <= locs


@pytest.mark.parametrize("name", ["news-2026-13", "news-2026-03-2", "news-0000-01", "other",
                                  "news-2026-3"])
def test_unknown_sitemaps_are_404(client: TestClient, name: str) -> None:
    assert client.get(f"/sitemaps/{name}.xml").status_code == 404


def test_a_month_without_items_is_an_empty_sitemap(client: TestClient) -> None:
    assert xml(client, "/sitemaps/news-2020-01.xml").findall(f"{SM}url") == []


# ── article metadata ────────────────────────────────────────────────────────────────────────


def first_article(client: TestClient, lang: str = "kk") -> str:
    link = re.search(rf'href="(/{lang}/news/\d+)"', client.get(f"/{lang}/").text)
    assert link is not None
    return link[1]


def meta(page: str, prop: str) -> str:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', page)
    assert found is not None, prop
    return html.unescape(found[1])


def json_ld(page: str) -> dict[str, object]:
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data: dict[str, object] = json.loads(script)
    return data


def test_article_page_has_open_graph_and_news_article_json_ld(client: TestClient) -> None:
    path = first_article(client, "ru")
    page = client.get(path).text
    assert_valid_html5(page)
    title = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert title is not None
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == html.unescape(title[1])
    assert meta(page, "og:url") == f"http://testserver{path}"
    assert meta(page, "og:locale") == "kk_KZ"  # the text is Kazakh, the interface Russian
    assert f'<link rel="canonical" href="http://testserver{path}">' in page
    ld = json_ld(page)
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == html.unescape(title[1])
    assert ld["inLanguage"] == "kk"
    assert str(ld["datePublished"]).startswith("2026-03-17T")
    assert ld["url"] == f"http://testserver{path}"
    assert "Новости" in ld["articleSection"]  # type: ignore[operator]


def test_json_ld_cannot_be_closed_by_a_title(engine: sa.Engine, tmp_path: Path) -> None:
    dump = tmp_path / "hostile.txt"
    dump.write_text(f"Жаңалықтар\nҚосымша\n{HOSTILE}\n17.03.2026\nМәтін осында.\n",
                    encoding="utf-8")
    with client_for(engine, dump) as c:
        page = c.get(first_article(c)).text
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert not {"<", ">", "&"} & set(script)
    assert "<script>alert" not in page
    assert_valid_html5(page)
    assert json.loads(script)["headline"] == HOSTILE.strip()


# ── the API reference page ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("lang", "heading"), [("kk", "API анықтамасы"),
                                               ("ru", "Справочник API"),
                                               ("en", "API reference")])
def test_api_docs_page_documents_every_path_without_javascript(
        client: TestClient, lang: str, heading: str) -> None:
    response = client.get(f"/api/docs?lang={lang}")
    page = response.text
    assert_valid_html5(page)
    assert f'<html lang="{lang}">' in page
    assert f'<h1 class="page-title">{heading}</h1>' in page
    assert "<script" not in page
    for path in SCHEMA["paths"]:
        assert f"<code>GET {path}</code>" in page
    assert '<form method="get" action="/api/v1/articles"' in page
    assert re.search(r'<a href="/api/v1/articles/\d+">', page)
    assert 'hreflang="ru" href="/api/docs?lang=ru"' in page
    assert response.headers["etag"]


def test_api_docs_form_fields_reach_the_api_as_sent(client: TestClient) -> None:
    # A GET form sends every field, the empty ones included: the API reads those as absent.
    empty = "lang=&rubric=&source=&since=&until=&limit=&cursor="
    assert len(client.get(f"/api/v1/articles?{empty}").json()["data"]) == 5

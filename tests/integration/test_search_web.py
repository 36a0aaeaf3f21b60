"""The search page, its JSON API and feed, and the OpenSearch description, through an ASGI
client on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import feedparser
import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.web.app import create_app
from search_corpus import Doc, store

DOCS = [
    Doc("ref", "Қазақстан Ұлттық референдумда жаңа Конституцияны қолдады",
        "Орталық референдум комиссиясының мәліметі бойынша сайлаушылар белсенді болды. "
        "Референдумның нәтижесі заңды деп танылды.", day=dt.date(2026, 3, 17),
        rubrics=("news", "politics")),
    Doc("minister", "Вице-министр Ержан Біржанов тұрғындармен кездеседі",
        "Біржановтың кездесуі Көкшетау қаласында өтеді.", day=dt.date(2026, 3, 15),
        source="kgd", rubrics=("news", "economy")),
    Doc("hostile", "<script>alert(1)</script> Көкшетау жаңалығы",
        "Мәтін <img src=x onerror=alert(1)> Көкшетау туралы.", day=dt.date(2026, 3, 10)),
    Doc("ru", "Казахстан одобрил новую Конституцию на референдуме",
        "Участники референдума поддержали Конституцию.", lang="ru", day=dt.date(2026, 3, 16)),
]


@pytest.fixture
def client(engine: sa.Engine) -> Iterator[TestClient]:
    store(engine, DOCS)
    settings = config.load(env={}, database_url="unused", page_size=2)
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


def valid_html5(html: str) -> str:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return html


def results(html: str) -> list[str]:
    return re.findall(r'<h2 class="teaser-title"><a href="(/\w\w/news/\d+)">', html)


def test_empty_search_explains_the_query_language(client: TestClient) -> None:
    html = valid_html5(client.get("/kk/search").text)
    assert "Қалай іздеу керек" in html
    assert 'name="q" value=""' in html
    assert "референдум -Қостанай" in html


def test_results_are_highlighted_in_every_form(client: TestClient) -> None:
    html = valid_html5(client.get("/kk/search?q=референдум").text)
    assert len(results(html)) == 2  # page_size=2: the kk and the ru item
    assert "<mark>референдумда</mark>" in html  # the kk title
    assert "<mark>Референдумның</mark>" in html or "<mark>референдум</mark>" in html
    assert "<mark>референдуме</mark>" in html  # the ru title, read with the Russian stemmer
    assert "Табылды: 2" in html


def test_source_html_never_reaches_the_page(client: TestClient) -> None:
    html = valid_html5(client.get("/kk/search?q=Көкшетау").text)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Көкшетау</mark>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("q", ['<mark>"', "</mark><script>", "a&b <b>", "\u0000", "NEAR(*:)"])
def test_hostile_queries_are_text(client: TestClient, q: str) -> None:
    response = client.get("/kk/search", params={"q": q})
    assert response.status_code == 200
    html = valid_html5(response.text)
    assert "<script>" not in html
    assert "<b>" not in html


@pytest.mark.parametrize(("typed", "found"), [("Bırjanov", 1), ("referendumda", 2),
                                               ("Kökşetau", 2)])
def test_latin_typed_kazakh_is_read_back_into_cyrillic(client: TestClient, typed: str,
                                                       found: int) -> None:
    html = valid_html5(client.get("/kk/search", params={"q": typed}).text)
    assert f"«{typed}» бойынша ештеңе табылмады" in html
    assert len(results(html)) == found


def test_a_latin_query_that_finds_something_is_offered_its_cyrillic_reading(
        engine: sa.Engine, client: TestClient) -> None:
    store(engine, [Doc("en", "Referendum observers praise turnout", lang="en")])
    html = valid_html5(client.get("/kk/search?q=referendum").text)
    assert len(results(html)) == 1
    assert 'Мұны іздедіңіз бе: <a href="/kk/search?q=' in html


def test_filters_narrow_and_are_kept_in_the_form(client: TestClient) -> None:
    html = valid_html5(client.get("/ru/search?q=референдум&language=ru").text)
    assert len(results(html)) == 1
    assert '<option value="ru" selected>' in html
    html = valid_html5(client.get("/en/search?q=Конституция&rubric=politics").text)
    assert len(results(html)) == 1
    assert '<option value="politics" selected>' in html
    html = valid_html5(client.get("/kk/search?q=Конституция&from=2026-03-17&to=2026-03-17").text)
    assert len(results(html)) == 1
    assert 'name="from" value="2026-03-17"' in html
    assert 'name="to" value="2026-03-17"' in html


def test_pages_and_the_language_switch_keep_the_query(client: TestClient) -> None:
    html = client.get("/kk/search?q=Көкшетау").text
    assert 'href="/kk/search?q=%D0%9A%D3%A9%D0%BA%D1%88%D0%B5%D1%82%D0%B0%D1%83&amp;page=2"' \
        not in html  # two results, two a page: one page
    assert 'href="/ru/search?q=%D0%9A%D3%A9%D0%BA%D1%88%D0%B5%D1%82%D0%B0%D1%83"' in html
    assert client.get("/kk/search?q=Көкшетау&page=2").status_code == 404


@pytest.mark.parametrize("query", ["page=0", "rubric=No!", "language=xx", "from=2026-13-01",
                                   "source=abc", "sort=random"])
def test_bad_parameters_are_refused_in_the_readers_language(client: TestClient,
                                                            query: str) -> None:
    response = client.get(f"/ru/search?q=референдум&{query}")
    assert response.status_code == 400
    assert "Неверный запрос" in valid_html5(response.text)


def test_every_page_links_the_opensearch_description(client: TestClient) -> None:
    for path in ("/kk/", "/ru/search?q=x"):
        html = client.get(path).text
        lang = path[1:3]
        assert (f'<link rel="search" type="application/opensearchdescription+xml" '
                f'title="Ақпарат" href="/opensearch.xml?lang={lang}">') in html
        assert f'<form class="site-search" role="search" action="/{lang}/search"' in html


def test_opensearch_description(client: TestClient) -> None:
    response = client.get("/opensearch.xml?lang=ru")
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own output)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"] == "http://testserver/ru/search?q={searchTerms}"
    assert root.findtext("os:ShortName", namespaces=ns) == "Ақпарат"
    assert client.get("/opensearch.xml?lang=xx").status_code == 400


def test_search_api(client: TestClient) -> None:
    body = client.get("/api/v1/search?q=референдум&limit=1").json()
    assert body["total"] == 2
    assert body["capped"] is False
    assert len(body["data"]) == 1
    assert body["data"][0]["article"]["lang"] in {"kk", "ru"}
    assert body["next"].endswith("offset=1")
    second = client.get(body["next"]).json()
    assert second["next"] is None
    assert {body["data"][0]["article"]["id"], second["data"][0]["article"]["id"]} == {
        h["article"]["id"] for h in client.get("/api/v1/search?q=референдум").json()["data"]}
    missing = client.get("/api/v1/search")
    assert missing.status_code == 400
    assert missing.json()["error"]["message"].startswith("q:")


def test_search_feed_holds_the_feed_languages_matches(client: TestClient) -> None:
    response = client.get("/feeds/kk/search/atom.xml?q=референдум")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [DOCS[0].title]
    assert feed.feed.title.startswith("Іздеу: референдум")
    html = client.get("/kk/search?q=референдум").text
    assert 'href="/feeds/kk/search/atom.xml?q=%D1%80' in html


def test_a_long_query_says_which_words_were_used(client: TestClient) -> None:
    html = valid_html5(client.get("/en/search", params={"q": " ".join(["Көкшетау"] * 30)}).text)
    assert "Only the first 12 words of the query were used." in html

"""The portal through an ASGI client on a real store holding the seed page (SQLite and PG)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.web.app import create_app

SEED_TITLES = [
    "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді",
    "Қазақстан Ұлттық референдумда жаңа Конституцияны 87,15% қолдаумен мақұлдады",
    "Наурыз Қостанайда жүректерді біріктірді",
]


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    settings = config.load(env={}, database_url="unused", page_size=2)
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


def assert_valid_html5(html: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)  # raises ParseError on any HTML5 parse error


def article_links(html: str, lang: str) -> list[str]:
    return re.findall(rf'href="(/{lang}/news/\d+)"', html)


def test_root_redirects_to_kazakh_home(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["location"] == "/kk/"


def _block(html: str, slug: str) -> str:
    return html.split(f'id="rubric-{slug}"', 1)[1].split("</section>", 1)[0]


def test_home_blocks_hold_only_their_own_items(client: TestClient) -> None:
    html = client.get("/kk/").text
    assert_valid_html5(html)
    assert '<html lang="kk">' in html
    for name, slug in (("Жаңалықтар", "news"), ("Саясат", "politics"), ("Аймақтар", "regions")):
        assert f'<a href="/kk/rubric/{slug}">{name}</a>' in html
        assert re.search(rf'<a class="more" href="/kk/rubric/{slug}"[^>]*>Қосымша</a>', html)
    assert all(f">{title}</a>" in _block(html, "news") for title in SEED_TITLES)
    politics = _block(html, "politics")
    assert SEED_TITLES[1] in politics
    assert SEED_TITLES[0] not in politics
    assert SEED_TITLES[2] not in politics
    society = _block(html, "society")  # the portal printed Қоғам for all five; one belongs
    assert SEED_TITLES[2] in society
    assert SEED_TITLES[1] not in society
    assert len(set(article_links(html, "kk"))) == 5
    assert "17 наурыз 2026" in html


def test_home_leads_are_teasers_not_bodies(client: TestClient) -> None:
    html = client.get("/kk/").text
    leads = re.findall(r'<p class="lead">(.*?)</p>', html, flags=re.S)
    assert leads
    assert all(len(lead) <= 230 for lead in leads)


@pytest.mark.parametrize(("lang", "more", "note"), [
    ("ru", "Подробнее", "Новостей на русском языке пока нет"),
    ("en", "More", "No news in English yet"),
])
def test_other_editions_speak_their_language_and_say_they_fall_back(
        client: TestClient, lang: str, more: str, note: str) -> None:
    html = client.get(f"/{lang}/").text
    assert_valid_html5(html)
    assert f'<html lang="{lang}">' in html
    assert f">{more}</a>" in html
    assert note in html
    assert 'lang="kk"' in html  # the Kazakh items are marked as Kazakh


def test_rubric_page_paginates_newest_first(client: TestClient) -> None:
    first = client.get("/kk/rubric/news")
    assert first.status_code == 200
    assert_valid_html5(first.text)
    assert "<h1" in first.text
    assert "Жаңалықтар" in first.text
    assert len(article_links(first.text, "kk")) == 2  # page_size=2 in this fixture
    assert 'href="/kk/rubric/news?page=3"' in first.text
    pages = [first.text, *(client.get(f"/kk/rubric/news?page={n}").text for n in (2, 3))]
    seen = [link for page in pages for link in article_links(page, "kk")]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("query", ["?page=0", "?page=abc", "?page=-1", "?page=99999999999"])
def test_bad_page_numbers_are_refused_in_the_readers_language(client: TestClient,
                                                              query: str) -> None:
    response = client.get(f"/ru/rubric/news{query}")
    assert response.status_code == 400
    assert "Неверный запрос" in response.text


def test_page_past_the_end_is_not_found(client: TestClient) -> None:
    assert client.get("/kk/rubric/news?page=4").status_code == 404


def test_article_page_shows_paragraphs_source_entity_and_rubrics(client: TestClient) -> None:
    home = client.get("/kk/").text
    link = next(href for href in article_links(home, "kk")
                if f"{SEED_TITLES[1]}</a>" in home.split(f'href="{href}"', 1)[1][:300])
    html = client.get(link).text
    assert_valid_html5(html)
    assert f"<h1>{SEED_TITLES[1]}</h1>" in html
    assert "17 наурыз 2026" in html
    body = html.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert body.count("<p>") >= 4
    assert "<p>Жалпы 12 482 613 азамат" in body
    url = "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183541?lang=kk"
    assert f'<a href="{url}" rel="nofollow noopener">' in html
    assert "Ақпарат көзі" in html
    assert "Женевадағы" in html  # the entity's Kazakh name
    assert '<a href="/kk/rubric/news">Жаңалықтар</a>' in html
    assert '<a href="/kk/rubric/politics">Саясат</a>' in html
    assert '<a href="/kk/rubric/society">' not in html


def test_article_page_in_english_interface_keeps_the_kazakh_text_marked(
        client: TestClient) -> None:
    link = article_links(client.get("/en/").text, "en")[0]
    html = client.get(link).text
    assert '<article class="article" lang="kk">' in html
    assert ">Source :<" in html.replace("</span>", "<")


@pytest.mark.parametrize(("path", "text"), [
    ("/kk/nothing-here", "Бет табылмады"),
    ("/ru/news/999999", "Страница не найдена"),
    ("/en/rubric/no-such-rubric", "Page not found"),
    ("/xx/", "Бет табылмады"),
])
def test_not_found_page_speaks_the_readers_language(client: TestClient, path: str,
                                                    text: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.text
    assert_valid_html5(response.text)


def test_titles_from_sources_are_escaped(engine: sa.Engine, tmp_path: Path) -> None:
    dump = tmp_path / "hostile.txt"
    dump.write_text("Жаңалықтар\nҚосымша\n<script>alert(1)</script> жаңалық\n17.03.2026\n"
                    "Мәтін <img src=x onerror=alert(1)> осында.\n", encoding="utf-8")
    [report] = import_dumps(engine, [dump], portal="p")
    assert report.ok, report.error
    settings = config.load(env={}, database_url="unused")
    with TestClient(create_app(settings, engine)) as c:
        home = c.get("/kk/").text
        article = c.get(article_links(home, "kk")[0]).text
    for html in (home, article):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; жаңалық" in article


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").text == "ok"


@pytest.mark.parametrize("path", [
    "/kk/rubric/%00", "/kk/source/%00", "/kk/rubric/" + "x" * 600,
    "/kk/news/99999999999999999999999",
])
def test_impossible_keys_are_not_found_on_every_engine(client: TestClient, path: str) -> None:
    # PostgreSQL refuses NUL in text and integers past 2**63: the page must say 404, not 500.
    assert client.get(path).status_code == 404

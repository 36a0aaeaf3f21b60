"""Script editions: /kk-Latn/… and /kk-Arab/… are the Kazakh pages in Latin and Arabic script,
for every page family, through an ASGI client on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.store.schema import item
from aqparat.text.translit import to_arabic, to_latin
from aqparat.web.app import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dumps"
MEETING = "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді"
ROAD = "В районе отремонтировали дорогу"
SOURCE_URL = "https://www.gov.kz/memleket/entities/kgd-akmola/press/news/details/1183538?lang=kk"


def assert_valid_html5(html: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    reports = import_dumps(engine, [seed_path, FIXTURES / "ru_basic.txt"], portal="portal.kz")
    assert all(r.ok for r in reports), [r.error for r in reports]
    settings = config.load(env={}, database_url="unused", page_size=2)
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


def item_id(engine: sa.Engine, title: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(item.c.id).where(item.c.title == title)).scalar_one())


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def page_paths(engine: sa.Engine) -> list[str]:
    """One page of every family under /{lang}/ (search: the page a named entity links to)."""
    return ["", "rubric/news", f"news/{item_id(engine, MEETING)}", "events",
            "source/kgd-akmola", "status", f"search?q={quote('Көкшетау')}"]


@pytest.mark.parametrize(("tag", "opening"), [
    ("kk-Latn", '<html lang="kk-Latn">'),
    ("kk-Arab", '<html lang="kk-Arab" dir="rtl">'),
])
def test_every_page_family_has_both_script_editions(
        client: TestClient, engine: sa.Engine, tag: str, opening: str) -> None:
    for path in page_paths(engine):
        response = client.get(f"/{tag}/{path}")
        assert response.status_code == 200, path
        assert_valid_html5(response.text)
        assert opening in response.text, path
        # Every site link in the page body stays in the edition.
        assert not re.search(r'(?:href|action)="/kk/', main(response.text)), path


@pytest.mark.parametrize(("tag", "write"), [("kk-Latn", to_latin), ("kk-Arab", to_arabic)])
def test_titles_leads_and_interface_are_transliterated(client: TestClient, tag: str,
                                                       write: object) -> None:
    assert callable(write)
    html = client.get(f"/{tag}/").text
    assert f">{write(MEETING)}</a>" in html
    assert f">{write('Жаңалықтар')}</a>" in html  # a rubric name, from the catalogue
    assert MEETING not in html
    assert f'href="/{tag}/rubric/news"' in html


def test_latin_article_keeps_markup_urls_and_search_links(client: TestClient,
                                                          engine: sa.Engine) -> None:
    html = client.get(f"/kk-Latn/news/{item_id(engine, MEETING)}").text
    assert f"<h1>{to_latin(MEETING)}</h1>" in html
    assert "<title>QR Qarjy vitse-ministrı Erjan Bırjanov" in html
    assert "2026 jylğy 18 nauryz, 11:30" in html  # the event, in Latin letters
    assert "Kökşetau q., Nazarbaev dañğyly 2/5" in html
    assert f'<a href="{SOURCE_URL}" rel="nofollow noopener">{SOURCE_URL}</a>' in html
    person = quote("Ержан Біржанов")
    assert f'<a href="/kk-Latn/search?q={person}"' in html  # the stored (Cyrillic) name
    assert ">Erjan Bırjanov</a>" in html
    assert '"headline": "ҚР Қаржы' in html  # JSON-LD describes the original, untouched
    assert '<link rel="canonical" href="http://testserver/kk-Latn/news/' in html


def test_arabic_article_keeps_its_source_url_readable(client: TestClient,
                                                      engine: sa.Engine) -> None:
    html = client.get(f"/kk-Arab/news/{item_id(engine, MEETING)}").text
    assert f"<h1>{to_arabic(MEETING)}</h1>" in html
    assert f">{SOURCE_URL}</a>" in html  # no Arabic question mark inside a URL
    assert f'<a href="{SOURCE_URL}"' in html


def test_russian_items_are_shown_untouched_with_their_own_lang(client: TestClient,
                                                               engine: sa.Engine) -> None:
    road = item_id(engine, ROAD)
    latin = client.get(f"/kk-Latn/news/{road}").text
    assert_valid_html5(latin)
    assert '<article class="article" lang="ru">' in latin
    assert f"<h1>{ROAD}</h1>" in latin
    assert f"<title>{ROAD} · " in latin  # the item's own title is not Kazakh: kept
    arabic = client.get(f"/kk-Arab/news/{road}").text
    assert '<article class="article" lang="ru" dir="ltr">' in arabic
    assert f"<h1>{ROAD}</h1>" in arabic
    assert to_arabic("Ақпарат көзі") in arabic  # the interface around it is tote


def test_script_switch_offers_the_same_page_in_each_script(client: TestClient,
                                                            engine: sa.Engine) -> None:
    path = f"news/{item_id(engine, MEETING)}"
    html = client.get(f"/kk-Latn/{path}").text
    switch = html.split('<ul class="langs scripts">', 1)[1].split("</ul>", 1)[0]
    assert f'<a href="/kk/{path}" lang="kk-Cyrl" hreflang="kk-Cyrl">Кирилл</a>' in switch
    assert (f'<a href="/kk-Latn/{path}" lang="kk-Latn" hreflang="kk-Latn" '
            f'aria-current="page">Latyn</a>') in switch
    assert f'<a href="/kk-Arab/{path}" lang="kk-Arab" hreflang="kk-Arab" dir="rtl">توتە</a>' \
        in switch
    for tag in ("kk", "kk-Latn", "kk-Arab"):
        assert f'<link rel="alternate" hreflang="{tag}" href="/{tag}/{path}">' in html
    assert '<ul class="langs scripts">' in client.get("/kk/").text
    assert '<ul class="langs scripts">' not in client.get("/ru/").text


def test_search_keeps_its_query_across_the_script_switch(client: TestClient) -> None:
    html = client.get(f"/kk/search?q={quote('Астана')}").text
    assert f'href="/kk-Latn/search?q={quote("Астана")}"' in html


@pytest.mark.parametrize(("path", "text"), [
    ("/kk-Latn/nothing-here", to_latin("Бет табылмады")),
    ("/kk-Arab/news/999999", to_arabic("Бет табылмады")),
])
def test_error_pages_speak_the_editions_script(client: TestClient, path: str, text: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert_valid_html5(response.text)
    assert text in response.text
    assert f'<html lang="{path.split("/")[1]}"' in response.text


@pytest.mark.parametrize("path", ["/ru-Latn/", "/kk-Cyrl/", "/kk-latn/", "/en-Arab/events"])
def test_only_kazakh_has_script_editions(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_cyrillic_editions_are_unchanged(client: TestClient) -> None:
    html = client.get("/kk/").text
    assert '<html lang="kk">' in html
    assert f">{MEETING}</a>" in html
    assert '<html lang="ru">' in client.get("/ru/").text
    assert '<html lang="en">' in client.get("/en/").text

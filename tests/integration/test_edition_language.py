"""Text in the wrong language on an edition (research/anchor-site.md §3.5): a Russian body is
never shown on /en/ as if it were English. Through an ASGI client on SQLite and PostgreSQL.

An edition lists items in its own language; until it has any, it lists the others and says so
(web/pages/__init__.py `edition_langs`). Either way, every item whose language is not the
page's carries its own `lang` (so a screen reader switches voice and the script editions leave
it alone) and a visible label naming its language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.store.schema import item
from aqparat.web.app import create_app
from aqparat.web.i18n import catalogue, lang_name

DUMPS = Path(__file__).parents[1] / "fixtures" / "dumps"
LIST_PAGES = ["", "rubric/news", "search?q=%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D1%83"]


def _client(engine: sa.Engine, dumps: list[Path]) -> TestClient:
    reports = import_dumps(engine, dumps, portal="portal.kz")
    assert all(r.ok for r in reports), [r.error for r in reports]
    settings = config.load(env={}, database_url="unused", page_size=50)
    return TestClient(create_app(settings, engine), follow_redirects=False)


@pytest.fixture
def kk_and_ru(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    """Kazakh and Russian items, no English one."""
    with _client(engine, [seed_path, DUMPS / "ru_basic.txt"]) as client:
        yield client


def _languages(engine: sa.Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {int(i): str(lang) for i, lang in conn.execute(sa.select(item.c.id, item.c.lang))}


def _tree(html: str) -> Element:
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    return tree


def _shown_items(page: Element) -> list[tuple[int, Element]]:
    """(item id, the element that holds it) for every item a list page shows in <main>."""
    main = page.find(".//main")
    assert main is not None
    found = []
    for holder in main.iter():
        classes = holder.get("class", "").split()
        if holder.tag not in ("article", "li") or not {"teaser", "result"} & set(classes):
            continue
        link = next((a for a in holder.iter("a") if "/news/" in a.get("href", "")), None)
        if link is not None:
            found.append((int(link.get("href", "").rsplit("/", 1)[1]), holder))
    return found


def _check_labelled(holder: Element, item_lang: str, edition: str) -> None:
    """The rule: an item in another language says so, in markup and in words."""
    if item_lang == edition:
        assert holder.get("lang") in (None, edition)
        return
    assert holder.get("lang") == item_lang
    badges = [b for b in holder.iter("span") if "badge" in b.get("class", "")]
    assert [b.text for b in badges] == [lang_name(item_lang)]
    assert badges[0].get("lang") == item_lang


@pytest.mark.parametrize("edition", ["kk", "ru", "en"])
def test_every_listed_item_is_in_the_edition_language_or_labelled(
        kk_and_ru: TestClient, engine: sa.Engine, edition: str) -> None:
    langs = _languages(engine)
    for path in LIST_PAGES:
        response = kk_and_ru.get(f"/{edition}/{path}")
        assert response.status_code == 200, path
        shown = _shown_items(_tree(response.text))
        if path == "":
            assert shown, f"/{edition}/ lists nothing"
        for item_id, holder in shown:
            _check_labelled(holder, langs[item_id], edition)
        foreign = {langs[i] for i, _ in shown} - {edition}
        # kk and ru have items of their own: nothing foreign on their home or rubric pages.
        if edition != "en" and not path.startswith("search"):
            assert not foreign, (edition, path)


def test_english_edition_without_english_items_falls_back_visibly(kk_and_ru: TestClient,
                                                                  engine: sa.Engine) -> None:
    html = kk_and_ru.get("/en/").text
    assert catalogue("en")["fallback_note"] in html
    shown = _shown_items(_tree(html))
    assert {_languages(engine)[i] for i, _ in shown} == {"kk", "ru"}
    assert 'lang="en"' in html.split("<html", 1)[1].split(">", 1)[0]


def test_a_russian_article_on_the_english_edition_is_marked_russian(kk_and_ru: TestClient,
                                                                    engine: sa.Engine) -> None:
    ru_id = next(i for i, lang in _languages(engine).items() if lang == "ru")
    page = _tree(kk_and_ru.get(f"/en/news/{ru_id}").text)
    article = page.find(".//main//article")
    assert article is not None
    assert article.get("lang") == "ru"
    h1 = article.find(".//h1")
    assert h1 is not None
    assert h1.text
    assert any("а" <= ch <= "я" for ch in h1.text.lower())  # shown as written
    badges = [b for b in article.iter("span") if "badge" in b.get("class", "")]
    assert [(b.text, b.get("lang")) for b in badges] == [(lang_name("ru"), "ru")]
    # The interface around it stays English, marked so.
    source = next(p for p in article.iter("p") if "source" in p.get("class", ""))
    assert source.get("lang") == "en"


def test_once_english_items_exist_the_english_edition_lists_only_them(
        engine: sa.Engine, seed_path: Path) -> None:
    with _client(engine, [seed_path, DUMPS / "ru_basic.txt", DUMPS / "en_basic.txt"]) as client:
        html = client.get("/en/rubric/news").text
        assert catalogue("en")["fallback_note"] not in html
        langs = _languages(engine)
        shown = _shown_items(_tree(html))
        assert shown
        assert {langs[i] for i, _ in shown} == {"en"}
        for _, holder in shown:
            assert holder.get("lang") is None

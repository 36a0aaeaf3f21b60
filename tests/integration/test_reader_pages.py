"""The reader's pages (issue 9) on a real store, SQLite and PostgreSQL: gov.kz items go through
the real pipeline and store, pages through the real application (ASGI client).

Proves: region membership (declared and read from the slug), the archive's calendar of Almaty
days, related items (shared names in the same rubric, then the same source), *Ақпарат көзі* in
the page's language, teasers with thumbnails, the article's extras, the sources list, and view
counts written in batches and kept across a restart."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import test_stories as one_story
from starlette.testclient import TestClient
from test_web import assert_valid_html5

from aqparat import config, data
from aqparat.ingest import ImportReport, default_options, import_dumps, store_items
from aqparat.model import Lang, RawItem
from aqparat.store import articles, item_rubrics, related, rubrics, sources
from aqparat.store import views as store_views
from aqparat.store.schema import item, item_view
from aqparat.text import collate
from aqparat.web.app import create_app
from aqparat.web.plural import counted

ALMATY = ZoneInfo("Asia/Almaty")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PERSON = "Ержан Біржанов"

# (source slug, gov.kz id, lang, Almaty time, title, body, rubrics set by an editor, image)
ITEMS: list[tuple[str, str, Lang, tuple[int, int, int, int, int], str, str, list[str], bool]] = [
    ("mfa", "100", "kk", (2026, 3, 17, 11, 30), "Біржанов Көкшетауда тұрғындармен кездесті",
     "Көкшетау қаласында ҚР Қаржы вице-министрі Ержан Біржанов тұрғындармен кездесу өткізді. "
     "Кездесуде салық саясаты мен бюджет жоспары талқыланды.", ["news", "politics"], True),
    ("mfa", "100", "ru", (2026, 3, 17, 11, 30), "Биржанов встретился с жителями Кокшетау",
     "В городе Кокшетау вице-министр финансов Ержан Бижанов провёл встречу с жителями. "
     "Обсуждались налоговая политика и план бюджета.", ["news", "politics"], True),
    ("mfa", "101", "kk", (2026, 3, 10, 10, 0), "Вице-министр шетелдік серіктестерді қабылдады",
     "Астанада вице-министр Ержан Біржанов шетелдік серіктестермен келіссөз жүргізді. "
     "Тараптар ынтымақтастықтың жаңа бағыттарын қарастырды.", ["news", "politics"], False),
    ("edu", "400", "kk", (2026, 3, 12, 9, 0), "Мектептерге жаңа оқулықтар жеткізілді",
     "Ержан Біржанов мектептерге оқулық жеткізу барысын тексерді. Оқушылар жаңа оқу "
     "құралдарын алды.", ["news", "society"], False),
    ("economy", "500", "kk", (2026, 3, 15, 16, 0), "Көкшетауда инвестициялық форум өтті",
     "Көкшетау қаласында өткен форумда Ержан Біржанов инвесторлармен сөйлесті. Форумға "
     "елу компания қатысты.", ["news", "politics"], False),
    ("mfa", "102", "kk", (2026, 3, 1, 12, 0), "Сыртқы істер министрлігінде брифинг өтті",
     "Министрлік өкілі апталық брифингте халықаралық күн тәртібіне тоқталды.",
     ["news", "politics"], False),
    ("mfa", "103", "kk", (2026, 3, 20, 12, 0), "Дипломатиялық қызметкерлер марапатталды",
     "Мерекелік шарада үздік дипломаттар құрмет грамоталарымен марапатталды.",
     ["news", "politics"], False),
    ("akmola-kokshetau", "200", "kk", (2026, 3, 18, 0, 30), "Қалада жол жөндеу басталды",
     "Қала әкімдігінің хабарлауынша, орталық көшелерде жол жөндеу жұмыстары басталды.",
     ["news", "regions"], False),
    ("kgd-akmola", "201", "kk", (2026, 3, 5, 15, 0), "Салық төлеушілерге арналған семинар",
     "Департамент мамандары кәсіпкерлерге электрондық декларация тапсыру тәртібін түсіндірді.",
     ["news", "economy"], False),
    ("karaganda-enbek", "300", "kk", (2026, 2, 10, 10, 0), "Жұмыс жәрмеңкесі өтті",
     "Жәрмеңкеде жұмыс берушілер үш жүзден астам бос орын ұсынды.", ["news", "society"],
     False),
]


@dataclass
class World:
    engine: sa.Engine
    ids: dict[tuple[str, str, str], int]  # (slug, gov.kz id, lang) → item id

    def id(self, slug: str, news_id: str, lang: str = "kk") -> int:
        return self.ids[(slug, news_id, lang)]

    def app(self, **settings: Any) -> TestClient:
        values: dict[str, Any] = {"page_size": 20, **settings}
        app = create_app(config.load(env={}, database_url="unused", **values), self.engine)
        return TestClient(app, follow_redirects=False, headers={"user-agent": BROWSER})


def _raw(slug: str, news_id: str, lang: Lang, at: tuple[int, int, int, int, int], title: str,
         body: str, image: bool) -> RawItem:
    url = f"https://www.gov.kz/memleket/entities/{slug}/press/news/details/{news_id}?lang={lang}"
    picture = f"https://www.gov.kz/uploads/2026/3/17/{news_id}_original.jpg" if image else None
    return RawItem("govkz", slug, news_id, title, body, "text",
                   dt.datetime(*at, tzinfo=ALMATY), url, lang,
                   image_url=picture)


def build_world(engine: sa.Engine) -> World:
    """ITEMS through the pipeline into the store, with the known entities as a crawl adds
    them, and each item's rubrics set by an editor (the classifier is not under test)."""
    options = default_options()
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())
        sources.sync_entities(conn, data.entities())
        store_items(conn, [_raw(s, n, lang, at, t, b, img)
                           for s, n, lang, at, t, b, _, img in ITEMS], options,
                    ImportReport("test"))
        ids = {(s, n, lang): i for s, n, lang, i in conn.execute(sa.text(
            "SELECT source.key, item.external_id, item.lang, item.id FROM item "
            "JOIN source ON source.id = item.source_id"))}
        for s, n, lang, *_, labels, _img in ITEMS:
            item_rubrics.set_by_editor(conn, ids[(s, n, lang)], labels)
    assert len(ids) == len(ITEMS)
    return World(engine, ids)


@pytest.fixture
def world(engine: sa.Engine) -> World:
    return build_world(engine)


def _titles(html: str) -> set[str]:
    """The titles of ITEMS that the page links."""
    return {entry[4] for entry in ITEMS if f">{entry[4]}</a>" in html}


# ── regions ─────────────────────────────────────────────────────────────────────────────────


def test_region_page_lists_items_of_every_entity_in_the_region(world: World) -> None:
    with world.app() as client:
        page = client.get("/kk/region/akmola")
        assert page.status_code == 200
        assert_valid_html5(page.text)
        assert "<h1 class=\"page-title\">Ақмола облысы</h1>" in page.text
        # kgd-akmola is placed by entities.toml, akmola-kokshetau by its slug alone.
        assert _titles(page.text) == {"Қалада жол жөндеу басталды",
                                      "Салық төлеушілерге арналған семинар"}
        assert 'href="/kk/source/kgd-akmola"' in page.text
        assert 'href="/kk/source/akmola-kokshetau"' in page.text
        assert _titles(client.get("/kk/region/karaganda").text) == {"Жұмыс жәрмеңкесі өтті"}
        # The Russian edition lists Russian items only (it has some): none from Karaganda.
        karaganda = client.get("/ru/region/karaganda").text
        assert "Карагандинская область" in karaganda
        assert _titles(karaganda) == set()
        assert client.get("/kk/region/atlantis").status_code == 404


def test_sources_list_groups_by_type_and_region(world: World) -> None:
    with world.app() as client:
        html = client.get("/kk/sources").text
    assert_valid_html5(html)
    ministries = html.split('id="type-ministry"', 1)[1].split("</section>", 1)[0]
    assert 'href="/kk/source/mfa"' in ministries
    assert 'href="/kk/source/kgd-akmola"' not in ministries
    departments = html.split('id="type-department"', 1)[1].split("</section>", 1)[0]
    # Within a type, a region heading links to its page, and its sources follow it.
    akmola = departments.split('href="/kk/region/akmola"', 1)[1]
    assert 'href="/kk/source/kgd-akmola"' in akmola.split("<h3>", 1)[0]
    # A source known but without items is listed, not linked.
    assert ">Қазақстан Республикасы Қорғаныс министрлігі<" in html
    assert 'href="/kk/source/mod"' not in html
    # In Kazakh alphabetical order: "… Әділет …" near the top, "… Ішкі істер …" near the end
    # (code-point order puts І before А and Ә after Я).
    names = [re.sub(r"<[^>]+>", "", li).strip()
             for li in re.findall(r"<li>(.*?)</li>", ministries)]
    assert names == sorted(names, key=collate.sort_key) != sorted(names)


def test_source_page_names_type_and_region(world: World) -> None:
    with world.app() as client:
        html = client.get("/ru/source/kgd-akmola").text
    assert_valid_html5(html)
    assert "Управление, департамент" in html
    assert '<a href="/ru/region/akmola">Акмолинская область</a>' in html
    assert "Салық төлеушілерге арналған семинар" in html


# ── archive ─────────────────────────────────────────────────────────────────────────────────


def _calendar(html: str) -> str:
    return html.split('<table class="calendar">', 1)[1].split("</table>", 1)[0]


def test_archive_day_lists_that_almaty_day_beside_a_calendar_of_the_month(world: World) -> None:
    with world.app() as client:
        page = client.get("/kk/archive/2026/03/18")
        assert page.status_code == 200
        html = page.text
        assert_valid_html5(html)
        # 00:30 in Almaty on the 18th is the 17th in UTC: the archive goes by Almaty days.
        assert _titles(html) == {"Қалада жол жөндеу басталды"}
        assert "Мұрағат: 2026 жылғы 18 наурыз" in html
        cal = _calendar(html)
        linked = {int(d) for d in re.findall(r'href="/kk/archive/2026/03/(\d\d)"', cal)}
        assert linked == {1, 5, 10, 12, 15, 17, 18, 20}
        assert re.search(r'aria-current="date">18<', cal)
        assert '<span class="no-items">2</span>' in cal
        assert '<th scope="col"><abbr title="дүйсенбі">дс</abbr></th>' in cal
        # Previous month: the nearest earlier day with items; nothing after March.
        assert 'rel="prev" href="/kk/archive/2026/02/10"' in html
        assert 'rel="next"' not in html
        assert _titles(client.get("/kk/archive/2026/03/17").text) == {
            "Біржанов Көкшетауда тұрғындармен кездесті"}
        empty = client.get("/kk/archive/2026/03/02")
        assert empty.status_code == 200
        assert "Бұл күні жаңалық жоқ." in empty.text


def test_archive_month_latest_and_impossible_dates(world: World) -> None:
    with world.app() as client:
        month = client.get("/en/archive/2026/02")
        assert month.status_code == 200
        assert "Archive: February 2026" in month.text
        assert _titles(month.text) == {"Жұмыс жәрмеңкесі өтті"}  # shown, labelled Kazakh
        assert 'rel="next" href="/en/archive/2026/03/01"' in month.text
        latest = client.get("/kk/archive/")
        assert latest.status_code == 302
        assert latest.headers["location"] == "/kk/archive/2026/03/20"
        for path in ("/kk/archive/2026/02/30", "/kk/archive/2026/13", "/kk/archive/0/01/01"):
            assert client.get(path).status_code == 404, path


# ── article extras ──────────────────────────────────────────────────────────────────────────


def test_related_items_share_names_and_rubric_then_source(world: World) -> None:
    with world.engine.connect() as conn:
        view = articles.get(conn, world.id("mfa", "100"))
        assert view is not None
        found = [s.id for s in related.related(conn, view, ("kk",), limit=5)]
    # economy/500 shares two names (Біржанов, Көкшетау), mfa/101 one; edu/400 names Біржанов
    # but is in another rubric; then mfa's earlier items; never a later one, nor itself.
    assert found == [world.id("economy", "500"), world.id("mfa", "101"),
                     world.id("mfa", "102")]
    with world.app() as client:
        html = client.get(f"/kk/news/{world.id('mfa', '100')}").text
    section = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    positions = [section.index(t) for t in ("Көкшетауда инвестициялық форум өтті",
                                             "Вице-министр шетелдік серіктестерді қабылдады")]
    assert positions == sorted(positions)
    assert "Мектептерге жаңа оқулықтар жеткізілді" not in section


def test_source_link_follows_the_page_language(world: World) -> None:
    kk_id = world.id("mfa", "100")
    base = "https://www.gov.kz/memleket/entities/mfa/press/news/details/100?lang="
    with world.app() as client:
        for lang in ("kk", "ru"):
            html = client.get(f"/{lang}/news/{kk_id}").text
            source = html.split('<p class="source"', 1)[1].split("</p>", 1)[0]
            assert f'href="{base}{lang}"' in source
        # No English version on gov.kz: the link stays on the item's own language.
        english = client.get(f"/en/news/{kk_id}").text.split('<p class="source"', 1)[1]
        assert f'href="{base}kk"' in english.split("</p>", 1)[0]


def test_article_page_has_the_readers_extras(world: World) -> None:
    kk_id = world.id("mfa", "100")
    with world.app() as client:
        html = client.get(f"/kk/news/{kk_id}").text
        ru = client.get(f"/ru/news/{world.id('akmola-kokshetau', '200')}").text
    assert_valid_html5(html)
    assert '<a href="/kk/rubric/politics">Саясат</a></nav>' in html  # home › rubric
    assert 'class="label" href="/kk/rubric/politics"' in html
    assert ">2026 жылғы 17 наурыз, 11:30</time>" in html
    assert "1 мин оқу" in html
    hero = re.search(r'<figure class="hero"><img ([^>]*)><figcaption[^>]*>([^<]*)<', html)
    assert hero is not None
    assert 'width="1200" height="675" loading="lazy"' in hero.group(1)
    assert hero.group(2) == "Сурет: Қазақстан Республикасы Сыртқы істер министрлігі"
    page_url = f"http%3A%2F%2Ftestserver%2Fkk%2Fnews%2F{kk_id}"
    for network in ("https://t.me/share/url?url=", "https://wa.me/?text=",
                    "https://www.facebook.com/sharer/sharer.php?u=",
                    "https://x.com/intent/post?url=", "https://vk.com/share.php?url="):
        assert re.search(re.escape(network) + r"[^\"]*" + page_url, html), network
    assert "mailto:?subject=" in html
    assert "<script src" not in html  # no third-party script for sharing
    # Tags: the entity and, for a regional body, its region.
    assert '<a href="/ru/region/akmola">Акмолинская область</a>' in ru
    assert 'href="/ru/source/akmola-kokshetau"' in ru
    assert "2026 г., 00:30" in ru


def test_teasers_carry_thumbnail_entity_and_first_sentences(world: World) -> None:
    with world.app() as client:
        html = client.get("/kk/rubric/politics").text
    teaser = html.split("Біржанов Көкшетауда тұрғындармен кездесті", 1)[1].split("</article>")[0]
    thumb = re.search(r'<img class="thumb" ([^>]*)>', teaser)
    assert thumb is not None
    assert all(a in thumb.group(1) for a in ('width="160"', 'height="90"', 'loading="lazy"',
                                             'alt=""'))
    assert 'href="/kk/source/mfa"' in teaser
    assert '<p class="lead">Көкшетау қаласында' in teaser
    # Items without a picture get no empty image.
    other = html.split("Дипломатиялық қызметкерлер марапатталды", 1)[1].split("</article>")[0]
    assert "<img" not in other
    # Search results are teasers too.
    with world.app() as client:
        found = client.get("/kk/search", params={"q": "Біржанов тұрғындармен"}).text
    result = found.split('<ol class="results">', 1)[1].split("</article>", 1)[0]
    assert '<img class="thumb"' in result
    assert 'href="/kk/source/mfa"' in result


# ── view counts ─────────────────────────────────────────────────────────────────────────────


def _stored_views(engine: sa.Engine, item_id: int) -> int:
    with engine.connect() as conn:
        return store_views.of_item(conn, item_id)


def _table_rows(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(item_view)).scalar_one())


def test_views_are_counted_in_memory_written_in_a_batch_and_survive_restart(
        world: World) -> None:
    item_id = world.id("mfa", "100")
    path = f"/kk/news/{item_id}"
    with world.app(views_flush_seconds=3600, views_flush_batch=1000) as client:
        for _ in range(4):
            assert client.get(path).status_code == 200
        # Not counted: bots, HEAD, prefetches, another page, a missing article.
        client.get(path, headers={"user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
        client.get(path, headers={"user-agent": ""})
        client.head(path)
        client.get(path, headers={"sec-purpose": "prefetch"})
        client.get(path, headers={"purpose": "prefetch"})
        client.get("/kk/news/999999")
        client.get("/kk/")
        assert _table_rows(world.engine) == 0  # nothing written per view
        seen = 4
        # A browser showing its copy again after a conditional GET is a view too.
        tag = client.get(path).headers.get("etag")
        seen += 1
        if tag is not None:  # the page cache (web/cache.py) answers 304 for a current copy
            again = client.get(path, headers={"if-none-match": tag})
            assert again.status_code == 304
            seen += 1
        # The page adds this process's unwritten views. (A query makes it a page the page
        # cache, web/cache.py, has not kept: a cached page shows the count it was made with.)
        html = client.get(f"{path}?fresh=1").text
        assert f"{seen} рет көрсетілді" in html
        ru = client.get(f"/ru/news/{item_id}").text
        assert counted("ru", "views", seen + 1) in ru  # "N просмотров"
    # Shutdown wrote the batch: the reader views, nothing else.
    assert _stored_views(world.engine, item_id) == seen + 2
    with world.app() as client:  # a restarted process reads them back
        assert f"{seen + 2} рет көрсетілді" in client.get(path).text
        assert f"{seen + 3} views" in client.get(f"/en/news/{item_id}").text


def test_a_full_batch_is_written_without_waiting_for_the_timer(world: World) -> None:
    item_id = world.id("mfa", "101")
    with world.app(views_flush_seconds=3600, views_flush_batch=3) as client:
        for _ in range(3):
            client.get(f"/kk/news/{item_id}")
        deadline = time.monotonic() + 20  # the writer thread wakes on the third view
        while _stored_views(world.engine, item_id) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _stored_views(world.engine, item_id) == 3


def test_batches_from_several_processes_add_up(world: World) -> None:
    a, b = world.id("mfa", "100"), world.id("mfa", "101")
    with world.engine.begin() as conn:
        assert store_views.add(conn, {a: 2, b: 1}) == 2
    with world.engine.begin() as conn:
        assert store_views.add(conn, {a: 3, 10**9: 5}) == 1  # a deleted item is skipped
    with world.engine.connect() as conn:
        assert store_views.of_items(conn, [a, b]) == {a: 5, b: 1}
    with world.engine.begin() as conn:  # counts go with their item
        conn.execute(item.delete().where(item.c.id == b))
    assert _stored_views(world.engine, b) == 0


@pytest.fixture
def story_paths(tmp_path: Path) -> list[Path]:
    """test_stories.py's reports of one referendum result: mfa-geneva's, akmola's copy,
    kostanai's re-post, and pavlodar's Russian translation (another source's version)."""
    kk = one_story._dump(tmp_path / "kk.txt", "Жаңалықтар\nҚосымша\n", [
        one_story._entry(one_story.TITLE, one_story.BODY, "mfa-geneva", 1183541, "kk"),
        one_story._entry(one_story.TITLE, one_story.BODY, "akmola", 5001, "kk"),
        one_story._entry(f"Ресми: {one_story.TITLE}",
                         "Өңір тұрғындарының назарына! " + one_story.BODY, "kostanai", 5002,
                         "kk")])
    ru = one_story._dump(tmp_path / "ru.txt", "Новости\nПодробнее\n", [
        one_story._entry(one_story.RU_TITLE, one_story.RU_BODY, "pavlodar", 7001, "ru")])
    return [kk, ru]


def test_article_lists_the_storys_other_reports(engine: sa.Engine,
                                                story_paths: list[Path]) -> None:
    assert all(r.ok for r in import_dumps(engine, story_paths, portal="enbekshiqazaq.kz"))
    with engine.connect() as conn:
        ids = dict(conn.execute(sa.select(item.c.external_id, item.c.id)).all())
    app = create_app(config.load(env={}, database_url="unused"), engine)
    with TestClient(app, headers={"user-agent": BROWSER}) as client:
        html = client.get(f"/kk/news/{ids['1183541']}").text
    assert_valid_html5(html)
    section = html.split('id="reports-title"', 1)[1].split("</section>", 1)[0]
    listed = {int(i) for i in re.findall(r'href="/kk/news/(\d+)"', section)}
    assert listed == {ids["5001"], ids["5002"]}  # the Russian one is linked in the facts
    assert f'href="/ru/news/{ids["7001"]}"' in html.split('id="reports-title"', 1)[0]


def test_new_pages_exist_in_every_edition_as_valid_html(world: World) -> None:
    pages = ("/{e}/region/akmola", "/{e}/sources", "/{e}/archive/2026/03/17",
             "/{e}/archive/2026/03", f"/{{e}}/news/{world.id('mfa', '100')}")
    with world.app() as client:
        for edition in ("kk", "ru", "en", "kk-Latn", "kk-Arab"):
            for page in pages:
                answer = client.get(page.format(e=edition))
                assert answer.status_code == 200, page.format(e=edition)
                assert_valid_html5(answer.text)
                assert f'<html lang="{edition}"' in answer.text
        arabic = client.get("/kk-Arab/archive/2026/03/17").text
    assert 'dir="rtl"' in arabic
    assert 'href="/kk-Arab/archive/2026/03/18"' in arabic  # calendar links stay in the edition

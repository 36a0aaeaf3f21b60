"""Stories end to end on SQLite and PostgreSQL: dumps in, one story per event out, shown once
in lists, on its page, on the article page, in the API and in its feed; rebuilt identically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from test_web import assert_valid_html5

from aqparat import config, regroup
from aqparat.ingest import import_dumps
from aqparat.pipeline.dedup import DedupOptions
from aqparat.store import articles
from aqparat.store.schema import item
from aqparat.store.schema import story as story_table
from aqparat.web.app import create_app

TITLE = "Қазақстан Ұлттық референдумда жаңа Конституцияны 87,15% қолдаумен мақұлдады"
BODY = ("Орталық референдум комиссиясының мәліметі бойынша, 15 наурызда өткен Ұлттық "
        "референдумда дауыс берген сайлаушылардың 87,15%-ы жаңа Конституцияны қолдады. Жалпы "
        "12 482 613 азамат дауыс беруге құқылы болды, 9 127 192 адам дауыс беріп, 73,12% "
        "белсенділік көрсетті. Дауыс бергендердің ішінде 7 954 667 адам ұсынысты қолдады, "
        "898 099 адам қарсы дауыс берді. Тағы 146 558 бюллетень жарамсыз деп танылды.")
OTHER = ("Наурыз Қостанайда жүректерді біріктірді",
         "Қостанайда ерекше білім беру қажеттіліктері бар балаларға арналған ауқымды "
         "қайырымдылық Наурыз мерекесі өтті. Мерекеге 300-ден астам қонақ қатысты.")
RU_TITLE = "Казахстан одобрил новую Конституцию на референдуме: 87,15% «за»"
RU_BODY = ("По данным Центральной референдумной комиссии, 87,15% избирателей, проголосовавших "
           "на референдуме 15 марта, поддержали новую Конституцию. Всего правом голоса "
           "обладали 12 482 613 граждан, проголосовали 9 127 192 человека, явка составила "
           "73,12%. Против проголосовали 898 099 человек.")


def _entry(title: str, body: str, slug: str, news_id: int, lang: str) -> str:
    label = "Ақпарат көзі" if lang == "kk" else "Источник"
    url = f"https://www.gov.kz/memleket/entities/{slug}/press/news/details/{news_id}?lang={lang}"
    return f"{title}\n17.03.2026\n{body}{label} : {url}\n"


def _dump(path: Path, head: str, entries: list[str]) -> Path:
    path.write_text(head + "".join(entries), encoding="utf-8")
    return path


@pytest.fixture
def dumps(tmp_path: Path) -> list[Path]:
    kk = _dump(tmp_path / "kk.txt", "Жаңалықтар\nҚосымша\n", [
        _entry(TITLE, BODY, "mfa-geneva", 1183541, "kk"),
        _entry(TITLE, BODY, "akmola", 5001, "kk"),  # the same text, another source
        _entry(f"Ресми: {TITLE}", "Өңір тұрғындарының назарына! " + BODY, "kostanai", 5002,
               "kk"),  # re-posted with a new opening line and title
        _entry(*OTHER, "kostanai", 5003, "kk"),
    ])
    ru = _dump(tmp_path / "ru.txt", "Новости\nПодробнее\n", [
        _entry(RU_TITLE, RU_BODY, "pavlodar", 7001, "ru")])  # a translation, another id
    return [kk, ru]


@pytest.fixture
def client(engine: sa.Engine, dumps: list[Path]) -> Iterator[TestClient]:
    assert all(r.ok for r in import_dumps(engine, dumps, portal="enbekshiqazaq.kz"))
    settings = config.load(env={}, database_url="unused")
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


def _stories(engine: sa.Engine) -> dict[str, tuple[int | None, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(item.c.external_id, item.c.story_id, item.c.duplicate_of))
        return {e: (s, d) for e, s, d in rows}


def _ids(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(item.c.external_id, item.c.id)).all())


def test_reposts_and_translation_are_one_story(client: TestClient, engine: sa.Engine) -> None:
    found, ids = _stories(engine), _ids(engine)
    story = found["1183541"][0]
    assert story is not None
    assert {e for e, (s, _) in found.items() if s == story} == {"1183541", "5001", "5002", "7001"}
    assert found["5001"][1] == ids["1183541"]  # exact copy
    assert found["5002"][1] == ids["1183541"]  # near duplicate
    assert found["7001"][1] is None  # same story, another text
    assert found["5003"][0] != story


def test_lists_show_each_story_once_with_its_other_sources(client: TestClient,
                                                           engine: sa.Engine) -> None:
    html = client.get("/kk/").text
    assert_valid_html5(html)
    news = html.split('id="rubric-news"', 1)[1].split("</section>", 1)[0]
    assert news.count(f">{TITLE}</a>") == 1
    assert "Ресми:" not in html
    story = _stories(engine)["1183541"][0]
    assert f'<a class="also" href="/kk/story/{story}"' in html
    assert "+3 дереккөз" in html  # akmola, kostanai and pavlodar (in Russian) reported it too
    rubric = client.get("/kk/rubric/news").text
    assert rubric.count(f">{TITLE}</a>") == 1


def test_story_page_lists_every_report(client: TestClient, engine: sa.Engine) -> None:
    story = _stories(engine)["1183541"][0]
    response = client.get(f"/ru/story/{story}")
    assert response.status_code == 200
    assert_valid_html5(response.text)
    page = response.text
    assert "Сообщений: 4, источников: 4" in page
    assert "Тот же текст опубликовали:" in page  # the copies sit under their original
    assert page.count(f">{TITLE}</a>") == 1
    assert f">{RU_TITLE}</a>" in page
    assert client.get("/kk/story/999999").status_code == 404


def test_article_links_its_story_and_another_sources_version(client: TestClient,
                                                              engine: sa.Engine) -> None:
    ids, story = _ids(engine), _stories(engine)["1183541"][0]
    html = client.get(f"/kk/news/{ids['1183541']}").text
    assert_valid_html5(html)
    assert f'href="/kk/story/{story}">Осы оқиға туралы барлық хабарлар (4)</a>' in html
    assert "Басқа дереккөздің нұсқасы" in html
    assert f'href="/ru/news/{ids["7001"]}"' in html


def test_api_and_feed_expose_the_story(client: TestClient, engine: sa.Engine) -> None:
    story = _stories(engine)["1183541"][0]
    listed = client.get("/api/v1/stories", params={"lang": "ru"}).json()
    assert [s["id"] for s in listed["data"]] == [story]
    one = client.get(f"/api/v1/stories/{story}").json()["data"]
    assert one["sources"] == 4
    assert one["langs"] == ["kk", "ru"]
    assert sorted(r["duplicate_of"] is None for r in one["reports"]) == [False, False, True, True]
    assert client.get("/api/v1/stories/999999").status_code == 404
    feed = client.get(f"/feeds/kk/story/{story}/atom.xml")
    assert feed.status_code == 200
    assert feed.text.count("<entry>") == 3  # the kk reports; the ru one is in the ru feed


def test_rebuild_files_every_item_the_same_way(client: TestClient, engine: sa.Engine) -> None:
    before = _stories(engine)
    counts = regroup.rebuild(engine, DedupOptions())
    after = _stories(engine)

    def groups(found: dict[str, tuple[int | None, int | None]]) -> set[frozenset[str]]:
        by: dict[int | None, set[str]] = {}
        for key, (story, _) in found.items():
            by.setdefault(story, set()).add(key)
        return {frozenset(v) for v in by.values()}

    assert groups(after) == groups(before)
    assert counts["stories"] == 2
    assert counts["exact"] == 1
    assert counts["near"] == 1
    assert counts["facts"] == 1


def test_reimport_changes_nothing(engine: sa.Engine, dumps: list[Path],
                                  client: TestClient) -> None:
    before = _stories(engine)
    assert all(r.ok for r in import_dumps(engine, dumps, portal="enbekshiqazaq.kz"))
    assert _stories(engine) == before


def _story_row(engine: sa.Engine, story_id: int) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as conn:
        return conn.execute(sa.select(story_table).where(story_table.c.id == story_id)).one()


def _leads(engine: sa.Engine, story_id: int) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.select(item.c.external_id).where(
            item.c.story_id == story_id, item.c.story_lead)).scalars())


def test_hiding_a_report_moves_its_story_representative(client: TestClient,
                                                         engine: sa.Engine) -> None:
    ids, story_id = _ids(engine), _stories(engine)["1183541"][0]
    assert story_id is not None
    assert _story_row(engine, story_id).representative_id == ids["1183541"]
    assert _leads(engine, story_id) == {"1183541", "7001"}  # the earliest kk and ru reports
    with engine.begin() as conn:
        assert articles.hide(conn, ids["1183541"])
    row = _story_row(engine, story_id)
    assert row.representative_id == ids["5001"]  # the next earliest (then lowest id) report
    assert (row.items, row.sources) == (3, 3)
    assert _leads(engine, story_id) == {"5001", "7001"}
    home = client.get("/kk/").text
    assert "+2 дереккөз" in home
    with engine.begin() as conn:
        assert articles.unhide(conn, ids["1183541"])
    assert _story_row(engine, story_id).representative_id == ids["1183541"]
    assert _leads(engine, story_id) == {"1183541", "7001"}

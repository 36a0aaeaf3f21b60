"""Lists at size (issue 10): keyset pages reach every item once, in order, on both engines;
the pages link them so a crawler does too; the list queries read index entries only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import html5lib
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from aqparat import config
from aqparat.store import articles, maintenance
from aqparat.store.articles import ItemSummary, Position
from aqparat.web.app import create_app
from aqparat.web.pages import paging
from list_rows import T0, Row, fill, newest_first


def walk(fetch: Callable[[int, Position | None], list[ItemSummary]], size: int) -> list[int]:
    """Every page of a list by keyset: each page starts after the previous page's last item."""
    seen: list[int] = []
    before: Position | None = None
    while True:
        page = fetch(size, before)
        seen += [s.id for s in page]
        if len(page) < size:
            return seen
        before = (page[-1].published_at, page[-1].id)


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as c:
        yield c
        c.rollback()


rows_strategy = st.lists(st.builds(
    Row, minute=st.integers(0, 5), lang=st.sampled_from(["kk", "ru"]),
    shown=st.booleans() | st.just(True), lead=st.booleans() | st.just(True),
    source=st.integers(1, 2), rubric=st.booleans()), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, size=st.integers(1, 7))
def test_keyset_pages_list_every_item_once_newest_first(conn: sa.Connection, rows: list[Row],
                                                        size: int) -> None:
    fill(conn, rows)
    for slug, langs in (("news", None), ("news", ("kk",)), ("economy", ("ru", "kk"))):
        keep = [r.shown and r.lead and (slug == "news" or r.rubric)
                and (langs is None or r.lang in langs) for r in rows]
        got = walk(lambda k, b, s=slug, ls=langs: articles.in_rubric(
            conn, s, ls, limit=k, before=b), size)
        assert got == newest_first(rows, keep), (slug, langs)
        # The same list by OFFSET, page by page, is the same list.
        assert got == [s.id for p in range(0, len(got) + size, size) for s in
                       articles.in_rubric(conn, slug, langs, limit=size, offset=p)]
    # The home page's blocks: every rubric's first page, all in one statement.
    slugs = ["news", "economy", "ecology"]
    for langs in (None, ("kk",), ("ru", "kk")):
        blocks = articles.newest_in_rubrics(conn, slugs, langs, limit=size)
        assert {slug: [s.id for s in block] for slug, block in blocks.items()} == {
            slug: [s.id for s in articles.in_rubric(conn, slug, langs, limit=size)]
            for slug in slugs}
    for source_id in (1, 2):
        keep = [r.shown and r.source == source_id for r in rows]
        got = walk(lambda k, b, sid=source_id: articles.in_source(
            conn, sid, limit=k, before=b), size)
        assert got == newest_first(rows, keep)
    keep = [r.shown and r.lead and r.lang == "ru" for r in rows]
    got = walk(lambda k, b: articles.listed(conn, [], ("ru",), limit=k, before=b), size)
    assert got == newest_first(rows, keep)


# ── the pages ───────────────────────────────────────────────────────────────────────────────

SIZE = 3
ITEMS = paging.NUMBERED * SIZE + 8  # past the numbered pages: "older" links take over


@pytest.fixture
def client(engine: sa.Engine) -> Iterator[tuple[TestClient, list[int]]]:
    rows = [Row(minute=n // 4, lang="kk", shown=True, lead=True, source=1, rubric=False)
            for n in range(ITEMS)]
    with engine.begin() as c:
        fill(c, rows)
    expected = newest_first(rows, [True] * len(rows))
    settings_ = config.load(env={}, database_url="unused", page_size=SIZE)
    with TestClient(create_app(settings_, engine), follow_redirects=False) as c:
        yield c, expected


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/kk/news/(\d+)"', html)]


def _older(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]*before=[^"]*)">Бұрынғы жаңалықтар</a>', html)
    return found[1] if found else None


@pytest.mark.parametrize("path", ["/kk/rubric/news", "/kk/source/body-1"])
def test_numbered_then_older_links_reach_every_item_once(
        client: tuple[TestClient, list[int]], path: str) -> None:
    c, expected = client
    if path.startswith("/kk/source/"):  # its slug: store/slugs.py decides
        html = c.get("/kk/rubric/news").text
        path = re.findall(r'href="(/kk/source/[^"]+)"', html)[0]
    seen: list[int] = []
    for n in range(1, paging.NUMBERED + 1):
        html = c.get(path if n == 1 else f"{path}?page={n}").text
        seen += _ids(html)
        assert (_older(html) is None) == (n < paging.NUMBERED), n  # only past the numbers
    url = _older(html)
    keyset_pages = 0
    while url is not None:
        page = c.get(url.replace("&amp;", "&"))
        assert page.status_code == 200
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.text)
        assert '<span aria-current="page">' not in page.text  # a keyset page: no number
        seen += _ids(page.text)
        url, keyset_pages = _older(page.text), keyset_pages + 1
    assert seen == expected
    assert keyset_pages == -(-(ITEMS - paging.NUMBERED * SIZE) // SIZE)
    assert f"Барлығы: {ITEMS}<" in c.get(path).text  # counted past the numbered pages


def test_a_deep_page_number_still_answers_with_the_same_items(
        client: tuple[TestClient, list[int]]) -> None:
    c, expected = client
    page = paging.NUMBERED + 2
    html = c.get(f"/kk/rubric/news?page={page}").text
    assert _ids(html) == expected[(page - 1) * SIZE:page * SIZE]
    assert _older(html) is not None  # and from there on, by keyset


@pytest.mark.parametrize(("query", "status"), [
    ("?before=yesterday", 400), ("?before=1.2.3", 400), ("?page=2&before=1.1", 400),
    ("?before=0.1", 404),  # before 1970: past every item
])
def test_bad_or_exhausted_positions(client: tuple[TestClient, list[int]], query: str,
                                    status: int) -> None:
    c, _ = client
    response = c.get(f"/kk/rubric/news{query}")
    assert response.status_code == status
    assert '<html lang="kk">' in response.text  # the translated error page


# ── plans ───────────────────────────────────────────────────────────────────────────────────


def _plan(conn: sa.Connection, query: sa.Select[int]) -> str:
    sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(prefix + sql))


def test_list_queries_read_index_entries_only(engine: sa.Engine) -> None:
    rows = [Row(minute=n % 50, lang=("kk", "ru")[n % 2], shown=n % 7 > 0, lead=n % 5 > 0,
                source=1 + n % 2, rubric=n % 3 == 0) for n in range(400)]
    with engine.begin() as c:
        fill(c, rows)
    maintenance.analyze(engine)  # `aqparat db analyze`: statistics on both engines
    position = (T0 + dt.timedelta(minutes=20), 200)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # 400 rows: PostgreSQL rightly prefers to hash and sort them. Forbidding that
            # shows the indexes can serve the order; bench/scale.py prints the plans at size.
            for kind in ("seqscan", "sort", "hashjoin", "bitmapscan"):
                conn.exec_driver_sql(f"SET enable_{kind} = off")
        rubric_plan = _plan(conn, articles.rubric_keys("news", ("kk",), limit=21, offset=180,
                                                       before=None))
        deep_plan = _plan(conn, articles.rubric_keys("news", ("kk",), limit=21,
                                                     before=position))
        source_plan = _plan(conn, articles.source_keys(1, limit=21, before=position))
    for plan in (rubric_plan, deep_plan):
        assert "ix_item_rubric_rubric_slug_published_at_item_id" in plan, plan
        assert "ix_item_id_status_story_lead_lang" in plan or "pk_item " in plan, plan
    assert "ix_item_source_id_status_published_at_id" in source_plan, source_plan
    for plan in (rubric_plan, deep_plan, source_plan):
        assert "TEMP B-TREE" not in plan, plan  # SQLite: no sort, the index's order
        assert "Sort" not in plan, plan  # PostgreSQL: likewise
    if engine.dialect.name == "sqlite":  # index entries only: no item row is read
        assert "COVERING INDEX ix_item_id_status_story_lead_lang" in rubric_plan, rubric_plan
        assert "COVERING INDEX ix_item_source_id_status_published_at_id" in source_plan

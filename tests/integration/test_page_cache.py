"""The page cache (web/cache.py) through the real application, on SQLite and PostgreSQL: pages
come from memory until the store changes, and never stale after an operator hides an item, an
import or a reclassification; validators, 304s, brotli/gzip and hashed static names."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from admin_client import app_client, sign_in
from aqparat import data
from aqparat.ingest import import_dumps
from aqparat.model import RubricLabel
from aqparat.pipeline.rubrics import Classifier, ItemText
from aqparat.reclassify import reclassify
from aqparat.store import articles, changes
from aqparat.web import static_assets
from aqparat.web.cache import StoreWatch

pytestmark = pytest.mark.usefixtures("cheap_hashing")
T = TypeVar("T")
DEMO = sorted(data.DEMO_DIR.glob("*.txt"))
ARTICLE = re.compile(r'href="/kk/news/([0-9]+)"')
PAGES = ("/kk/", "/ru/", "/kk-Latn/", "/kk/rubric/news", "/feeds/kk/rss.xml",
         "/api/v1/articles?lang=kk", "/sitemap.xml")


def _client(engine: sa.Engine, tmp_path: Path, dumps: list[Path],
            **settings: Any) -> Iterator[TestClient]:
    reports = import_dumps(engine, dumps, portal="enbekshiqazaq.kz")
    assert all(r.ok for r in reports)
    with app_client(engine, tmp_path, **settings) as c:
        yield c


@pytest.fixture
def client(engine: sa.Engine, tmp_path: Path) -> Iterator[TestClient]:
    """Re-reads the change counter on every request: writes made outside the app show."""
    yield from _client(engine, tmp_path, DEMO, page_cache_check_seconds=0)


@pytest.fixture
def lazy_client(engine: sa.Engine, tmp_path: Path) -> Iterator[TestClient]:
    """Reads the counter once an hour: only this process's own POSTs make it look again."""
    yield from _client(engine, tmp_path, DEMO, page_cache_check_seconds=3600)


def _state(client: TestClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.headers["x-cache"]


def _kk_item(client: TestClient) -> int:
    found = ARTICLE.search(client.get("/kk/").text)
    assert found
    return int(found[1])


def test_a_page_comes_from_memory_until_the_store_changes(client: TestClient,
                                                          engine: sa.Engine) -> None:
    for path in PAGES:
        assert _state(client, path) == "miss"
        assert _state(client, path) == "hit"
    # An unchanged re-import writes nothing, so nothing is dropped.
    assert all(r.ok for r in import_dumps(engine, DEMO, portal="enbekshiqazaq.kz"))
    assert _state(client, "/kk/") == "hit"
    item_id = _kk_item(client)
    with engine.begin() as conn:
        assert articles.hide(conn, item_id)
    assert _state(client, "/kk/") == "miss"
    assert f'href="/kk/news/{item_id}"' not in client.get("/kk/").text


def test_hiding_through_the_admin_leaves_no_stale_page(lazy_client: TestClient) -> None:
    client = lazy_client
    item_id = _kk_item(client)
    article, api = f"/kk/news/{item_id}", f"/api/v1/articles/{item_id}"
    warm = ["/kk/", article, api, "/feeds/kk/rss.xml", "/kk-Latn/"]
    for path in warm:
        client.get(path)
        assert _state(client, path) == "hit"
    csrf = sign_in(client)
    client.post(f"/admin/items/{item_id}/hide", data={"csrf": csrf})
    assert client.get(article).status_code == 404
    assert client.get(api).status_code == 404
    for path in ("/kk/", "/feeds/kk/rss.xml"):
        assert f"/kk/news/{item_id}" not in client.get(path).text
    assert f"/kk-Latn/news/{item_id}" not in client.get("/kk-Latn/").text
    client.post(f"/admin/items/{item_id}/unhide", data={"csrf": csrf})
    assert client.get(article).status_code == 200
    assert f"/kk/news/{item_id}" in client.get("/kk/").text


def test_a_write_by_another_process_waits_for_the_next_counter_read(lazy_client: TestClient,
                                                                    engine: sa.Engine) -> None:
    # The counter is read at most once per interval: this is what keeps a hit cheap.
    item_id = _kk_item(lazy_client)
    with engine.begin() as conn:
        articles.hide(conn, item_id)
    assert _state(lazy_client, "/kk/") == "hit"


def test_an_import_shows_at_once(engine: sa.Engine, tmp_path: Path) -> None:
    kk, others = DEMO[1], [DEMO[0], DEMO[2]]
    assert kk.name == "kk-home.txt"
    linked = re.compile(r'href="/ru/news/([0-9]+)"')
    for c in _client(engine, tmp_path, [kk], page_cache_check_seconds=0):
        before = set(linked.findall(c.get("/ru/").text))
        assert _state(c, "/ru/") == "hit"
        assert all(r.ok for r in import_dumps(engine, others, portal="enbekshiqazaq.kz"))
        assert set(linked.findall(c.get("/ru/").text)) - before  # the new Russian items


class OneRubric(Classifier):
    """Files every item under `news` and one other rubric: an easy change to see."""

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def classify(self, item: ItemText) -> tuple[RubricLabel, ...]:
        return (RubricLabel("news", 1.0, "rule", "every item"),
                RubricLabel(self.slug, 1.0, "rule", "test"))


def test_reclassify_shows_at_once(client: TestClient, engine: sa.Engine) -> None:
    before = set(ARTICLE.findall(client.get("/kk/rubric/ecology").text))
    assert _state(client, "/kk/rubric/ecology") == "hit"
    report = reclassify(engine, OneRubric("ecology"))
    assert report.changed > 0
    after = set(ARTICLE.findall(client.get("/kk/rubric/ecology").text))
    assert after > before


def test_answers_that_are_someones_own_are_not_shared(client: TestClient) -> None:
    # A request with a cookie is answered afresh and its answer is not kept for others.
    assert _state(client, "/kk/", cookie="theme=dark") == "miss"
    assert _state(client, "/kk/") == "miss"
    assert _state(client, "/kk/", cookie="theme=dark") == "miss"
    assert _state(client, "/kk/") == "hit"
    sign_in(client)
    for path in ("/admin/", "/admin/login"):
        response = client.get(path)
        assert "x-cache" not in response.headers
        assert "etag" not in response.headers
    assert client.get("/admin/").headers["cache-control"] == "no-store"
    # Status shows the crawl's live state, which changes without a store-counter bump.
    assert _state(client, "/kk/status") == "miss"
    assert _state(client, "/kk/status") == "miss"


def test_query_order_does_not_split_the_cache(client: TestClient) -> None:
    assert _state(client, "/kk/search?q=білім&page=1") == "miss"
    assert _state(client, "/kk/search?page=1&q=білім") == "hit"
    assert _state(client, "/kk/search?page=1&q=ғылым") == "miss"


@pytest.mark.parametrize("path", [*PAGES, "/kk/status", "/robots.txt", "/api/docs"])
def test_every_page_has_validators_and_answers_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    for header in ("etag", "last-modified", "cache-control"):
        assert first.headers.get(header), (path, header)
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(path, headers={"if-none-match": tag}).status_code == 304
    assert client.get(path, headers={"if-none-match": f'"other", W/{tag}'}).status_code == 304
    assert client.get(path, headers={"if-modified-since": modified}).status_code == 304
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200
    # If-None-Match decides when both come (RFC 9110 §13.2.2).
    both = {"if-none-match": '"other"', "if-modified-since": modified}
    assert client.get(path, headers=both).status_code == 200
    not_modified = client.get(path, headers={"if-none-match": tag})
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == tag


def test_a_change_changes_the_validators(client: TestClient, engine: sa.Engine) -> None:
    first = client.get("/kk/")
    with engine.begin() as conn:
        articles.hide(conn, _kk_item(client))
    again = client.get("/kk/", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 200
    assert again.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_pages_feeds_and_json_come_compressed(client: TestClient, coding: str) -> None:
    for path in ("/kk/", "/feeds/kk/atom.xml", "/api/v1/articles", "/static/site.css"):
        plain = client.get(path, headers={"accept-encoding": "identity"})
        packed = client.get(path, headers={"accept-encoding": f"{coding}, identity;q=0.5"})
        assert "content-encoding" not in plain.headers
        assert packed.headers["content-encoding"] == coding
        assert packed.headers["vary"].startswith("Accept-Encoding")
        assert packed.content == plain.content  # httpx decoded it
        assert int(packed.headers["content-length"]) < len(plain.content) / 2
        assert packed.headers["etag"] == plain.headers["etag"][:-1] + f'-{coding}"'
    refused = client.get("/kk/", headers={"accept-encoding": "br;q=0, gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_head_has_the_headers_and_no_body(client: TestClient) -> None:
    got, head = client.get("/kk/"), client.head("/kk/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_static_files_have_hashed_names_and_live_a_year(client: TestClient) -> None:
    page = client.get("/kk/").text
    found = re.search(r'rel="stylesheet" href="(/static/site\.([0-9a-f]{8})\.css)"', page)
    assert found, "the page links the hashed stylesheet"
    hashed = client.get(found[1])
    plain = client.get("/static/site.css")
    css = (static_assets.DIRECTORY / "site.css").read_bytes()
    assert hashed.content == plain.content == css
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert plain.headers["cache-control"] == "public, max-age=300"
    assert hashed.headers["content-type"].startswith("text/css")
    assert client.get("/static/site.00000000.css").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404
    assert client.get(found[1], headers={"if-none-match": hashed.headers["etag"]}
                      ).status_code == 304


# CacheFront: stored pages answered before the edge layers, which it must stand in for.

VARIANTS = ({}, {"accept-encoding": "br"}, {"accept-encoding": "gzip, deflate"},
            {"accept-encoding": "identity"})
CHANGING = {"date"}  # the only header two answers to one request may differ in


def _front_answers(client: TestClient) -> int:
    return int(client.app.state.shelf.front)  # type: ignore[attr-defined]


def _same(deep: Any, front: Any) -> None:
    assert front.status_code == deep.status_code
    assert front.content == deep.content
    assert ({k: v for k, v in front.headers.items() if k not in CHANGING}
            == {k: v for k, v in deep.headers.items() if k not in CHANGING})


def test_the_front_answers_as_the_layers_behind_it_would(engine: sa.Engine,
                                                        tmp_path: Path) -> None:
    # `deep` reads the counter before every request, so its hits come from PageCache behind
    # every layer; `front` reads it once an hour, so its hits come from CacheFront.
    for deep in _client(engine, tmp_path, DEMO, page_cache_check_seconds=0):
        front = app_client(engine, tmp_path, page_cache_check_seconds=3600)
        item_id = _kk_item(deep)
        paths = ["/kk/", "/kk-Latn/", "/en/", "/ru/rubric/news", "/kk/rubric/news?page=1",
                 f"/kk/news/{item_id}", "/kk/sources"]
        for path in paths:
            assert deep.get(path).status_code == front.get(path).status_code == 200
        before = _front_answers(front)
        asked = 0
        for path in paths:
            for headers in VARIANTS:
                a, b = deep.get(path, headers=headers), front.get(path, headers=headers)
                assert b.headers["x-cache"] == "hit", path
                _same(a, b)
                # Revalidation: the 304 carries the same headers from both.
                again = {**headers, "if-none-match": a.headers["etag"]}
                a, b = deep.get(path, headers=again), front.get(path, headers=again)
                assert b.status_code == 304
                _same(a, b)
                a, b = deep.head(path, headers=headers), front.head(path, headers=headers)
                assert b.content == b""
                _same(a, b)
                asked += 3
        assert _front_answers(front) - before == asked
        # A reader's view of the article counts the same through either door.
        deep_views, front_views = deep.app.state.views, front.app.state.views  # type: ignore[attr-defined]
        assert front_views.pending(item_id) == deep_views.pending(item_id) == 1 + 2 * len(
            VARIANTS)  # the first GET, then each variant's 200 and 304; HEAD is not a view


def test_the_front_leaves_to_the_layers_what_they_answer_otherwise(engine: sa.Engine,
                                                                   tmp_path: Path) -> None:
    for c in _client(engine, tmp_path, DEMO, page_cache_check_seconds=3600,
                     search_per_minute=3, public_url="https://aqparat.example"):
        c.get("/kk/")
        page = c.get("/kk/")
        assert page.headers["x-cache"] == "hit"
        assert _front_answers(c) == 1
        # Over TLS (public_url), HSTS is one of the headers the front adds.
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        # A body over the limit is refused, stored page or not.
        assert c.request("GET", "/kk/", headers={"content-length": "9999999"}).status_code == 413
        # A stored search page still takes a token from the client's bucket.
        assert [c.get("/kk/search?q=a").status_code for _ in range(3)] == [200] * 3
        assert c.get("/kk/search?q=a").status_code == 429
        # Feeds (and the API) get their CORS headers from the layer that adds them.
        c.get("/feeds/kk/rss.xml")
        feed = c.get("/feeds/kk/rss.xml", headers={"origin": "https://reader.example"})
        assert feed.headers["x-cache"] == "hit"
        assert feed.headers["access-control-allow-origin"] == "*"
        # A request with a cookie is not given a shared answer.
        assert _state(c, "/kk/", cookie="theme=dark") == "miss"
        assert _front_answers(c) == 1


# The change counter's read (StoreWatch): begun ahead of time under traffic, so no request
# waits for it, and never trusted once this process has written.

class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _run(steps: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`steps` in an event loop of its own thread: the browser tests leave one running in this
    thread, where asyncio.run would refuse."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, steps()).result()


def _imported(engine: sa.Engine) -> int:
    """Import the demo dumps; an item's id."""
    assert all(r.ok for r in import_dumps(engine, DEMO, portal="enbekshiqazaq.kz"))
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.min(articles.item.c.id))).scalar_one())


def _hide(engine: sa.Engine, item_id: int) -> None:
    """A write by another process: this one learns of it only from the counter."""
    with engine.begin() as conn:
        assert articles.hide(conn, item_id)


def test_under_traffic_the_counter_is_read_ahead_and_no_request_waits(engine: sa.Engine) -> None:
    item_id, clock = _imported(engine), Clock()
    watch = StoreWatch(engine, 10, clock)
    watch.start()  # as the application's lifespan does

    async def steps() -> None:
        first = await watch.now()  # read at 1000: serves until 1010
        _hide(engine, item_id)
        clock.t = 1004
        assert watch.fresh() is first
        assert watch.ahead is None
        clock.t = 1006
        assert watch.fresh() is first  # second half: the value at once...
        ahead = watch.ahead
        assert ahead is not None  # ...and the next read begun behind it
        await ahead
        assert watch.ahead is None
        clock.t = 1011  # the first value's time is over; the second's runs to 1016
        later = watch.fresh()
        assert later is not None
        assert later.counter > first.counter
        clock.t = 1016
        assert watch.fresh() is None  # idle since: the next request reads, and waits

    _run(steps)


def test_a_read_begun_before_this_process_wrote_serves_no_one(engine: sa.Engine,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    item_id, clock = _imported(engine), Clock()
    watch = StoreWatch(engine, 10, clock)
    watch.start()  # as the application's lifespan does
    read, release = threading.Event(), threading.Event()
    real = watch._read

    def slow() -> changes.Change:
        value = real()
        read.set()
        assert release.wait(30)
        return value

    async def steps() -> None:
        first = await watch.now()
        monkeypatch.setattr(watch, "_read", slow)
        clock.t = 1006
        watch.fresh()
        ahead = watch.ahead
        assert ahead is not None
        assert await asyncio.to_thread(read.wait, 30)
        _hide(engine, item_id)  # an operator's POST, answered by this process...
        watch.expire()  # ...which then expires what it has read
        release.set()
        await ahead
        assert watch.seen is not None
        assert watch.seen.counter == first.counter
        assert watch.fresh() is None  # so not given to anyone
        monkeypatch.setattr(watch, "_read", real)
        assert (await watch.now()).counter > first.counter

    _run(steps)


def test_a_read_ahead_that_fails_leaves_the_error_to_a_request(engine: sa.Engine,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    _imported(engine)
    clock = Clock()
    watch = StoreWatch(engine, 10, clock)
    watch.start()  # as the application's lifespan does

    def gone() -> changes.Change:
        raise sa.exc.OperationalError("SELECT change counter", {}, OSError("store unreachable"))

    async def steps() -> None:
        first = await watch.now()
        monkeypatch.setattr(watch, "_read", gone)
        clock.t = 1006
        assert watch.fresh() is first
        ahead = watch.ahead
        assert ahead is not None
        await ahead  # it does not raise: no request was waiting for it
        assert watch.ahead is None
        assert watch.fresh() is first
        clock.t = 1010
        assert watch.fresh() is None
        with pytest.raises(sa.exc.OperationalError, match="store unreachable"):
            await watch.now()  # the request that needs the value gets the error

    _run(steps)


def _settled(watch: StoreWatch) -> None:
    deadline = time.monotonic() + 30
    while watch.ahead is not None:
        assert time.monotonic() < deadline, "the read ahead never finished"
        time.sleep(0.01)


def test_the_front_goes_on_answering_while_the_counter_is_read(engine: sa.Engine,
                                                              tmp_path: Path) -> None:
    for c in _client(engine, tmp_path, DEMO, page_cache_check_seconds=10):
        watch, clock = c.app.state.shelf.watch, Clock()  # type: ignore[attr-defined]
        watch.clock = clock
        item_id = _kk_item(c)  # the counter read at 1000, /kk/ rendered
        assert _state(c, "/kk/") == "hit"
        _hide(engine, item_id)
        clock.t = 1006
        before = _front_answers(c)
        assert _state(c, "/kk/") == "hit"  # still within the first read's 10 s
        assert _front_answers(c) == before + 1  # from the front, with the next read begun
        _settled(watch)
        assert watch.due == 1016  # read ahead at 1006, while the application runs
        clock.t = 1011  # the second read's value: the hidden item is gone, unwaited
        page = c.get("/kk/")
        assert page.headers["x-cache"] == "miss"
        assert f"/kk/news/{item_id}" not in page.text


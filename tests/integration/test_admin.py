"""Operator pages (/admin/): sign in, hide and show an item (search follows), set an item's
rubrics, enable and disable a source; sessions, cookies, login limits; HTML and languages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from admin_client import NAME, PASSWORD, app_client, sign_in, token
from aqparat import operators
from aqparat.ingest import import_dumps
from aqparat.model import LANGS
from aqparat.store import item_rubrics, search, sources
from aqparat.store.schema import item

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _client(engine: sa.Engine, seed_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    with app_client(engine, tmp_path) as c:
        yield c


@pytest.fixture
def client(sqlite_engine: sa.Engine, seed_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(sqlite_engine, seed_path, tmp_path)


@pytest.fixture
def store_client(engine: sa.Engine, seed_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    """On both engines: for the operations that change the store."""
    yield from _client(engine, seed_path, tmp_path)


def first_item(engine: sa.Engine) -> tuple[int, str]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(item.c.id, item.c.title).order_by(item.c.id)).first()
    assert row is not None
    return int(row.id), str(row.title)


def found_by_search(engine: sa.Engine, words: str) -> set[int]:
    with engine.connect() as conn:
        return {h.record.summary.id for h in search.search(conn, words, limit=50).hits}


def valid_html5(html: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def test_pages_need_a_session(client: TestClient) -> None:
    for path in ("/admin/", "/admin/items/1"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/admin/login")


def test_sign_in_sets_a_strict_session_cookie(client: TestClient) -> None:
    form = client.get("/admin/login?lang=ru")
    assert "SameSite=strict" in form.headers["set-cookie"]
    response = client.post("/admin/login?lang=ru", data={
        "csrf": token(form.text), "name": NAME, "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert response.headers["location"] == "/admin/?lang=ru"
    for part in ("HttpOnly", "SameSite=strict", "Path=/admin"):
        assert part in cookie
    assert "Secure" not in cookie  # plain HTTP here; over TLS it is Secure
    assert response.headers["cache-control"] == "no-store"


def test_cookies_are_secure_over_tls(sqlite_engine: sa.Engine, tmp_path: Path) -> None:
    # portal.example must be an allowed host, or web/public.py puts localhost in its place.
    with app_client(sqlite_engine, tmp_path, allowed_hosts="portal.example") as plain:
        c = TestClient(plain.app, base_url="https://portal.example", follow_redirects=False)
        form = c.get("/admin/login")
        assert "Secure" in form.headers["set-cookie"]
        response = c.post("/admin/login", data={"csrf": token(form.text), "name": NAME,
                                                "password": PASSWORD},
                          headers={"origin": "https://portal.example"})
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_is_refused_and_logged(client: TestClient,
                                                caplog: pytest.LogCaptureFixture) -> None:
    form = client.get("/admin/login")
    with caplog.at_level(logging.WARNING, logger="aqparat.web.admin.login"):
        response = client.post("/admin/login", data={"csrf": token(form.text), "name": NAME,
                                                     "password": "wrong horse"})
    assert response.status_code == 401
    assert "aqparat_admin" not in response.headers.get("set-cookie", "")
    assert "failed login as 'aigerim'" in caplog.text


def test_logins_are_rate_limited(sqlite_engine: sa.Engine, tmp_path: Path) -> None:
    with app_client(sqlite_engine, tmp_path, login_per_minute=2) as c:
        form = token(c.get("/admin/login").text)
        codes = [c.post("/admin/login", data={"csrf": form, "name": NAME, "password": "x"})
                 .status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        right = c.post("/admin/login", data={"csrf": form, "name": NAME, "password": PASSWORD})
        assert right.status_code == 429  # even the right password waits its turn
        assert int(right.headers["retry-after"]) >= 1


def test_hide_and_unhide_keep_search_in_step(store_client: TestClient, engine: sa.Engine) -> None:
    item_id, title = first_item(engine)
    words = " ".join(title.split()[:3])
    assert item_id in found_by_search(engine, words)
    csrf = sign_in(store_client)
    hidden = store_client.post(f"/admin/items/{item_id}/hide?lang=en", data={"csrf": csrf})
    assert hidden.headers["location"] == f"/admin/items/{item_id}?lang=en&done=hidden"
    assert store_client.get(f"/kk/news/{item_id}").status_code == 404
    assert store_client.get(f"/api/v1/articles/{item_id}").status_code == 404
    assert item_id not in found_by_search(engine, words)
    page = store_client.get(hidden.headers["location"])
    assert "The item is hidden" in page.text
    store_client.post(f"/admin/items/{item_id}/unhide", data={"csrf": csrf})
    assert store_client.get(f"/kk/news/{item_id}").status_code == 200
    assert item_id in found_by_search(engine, words)


def test_rubrics_set_by_an_operator_are_the_editors(store_client: TestClient,
                                                   engine: sa.Engine) -> None:
    item_id, _ = first_item(engine)
    csrf = sign_in(store_client)
    response = store_client.post(f"/admin/items/{item_id}/rubrics",
                           data={"csrf": csrf, "rubric": ["economy", "culture"]})
    assert response.status_code == 303
    with engine.connect() as conn:
        labels = item_rubrics.labels(conn, item_id)
    assert {lbl.slug for lbl in labels} == {"news", "economy", "culture"}
    assert {lbl.origin for lbl in labels if lbl.slug != "news"} == {"editor"}
    unknown = store_client.post(f"/admin/items/{item_id}/rubrics",
                          data={"csrf": csrf, "rubric": ["no-such"]})
    assert unknown.status_code == 400


def test_sources_are_enabled_and_disabled(store_client: TestClient, engine: sa.Engine) -> None:
    with engine.connect() as conn:
        row = sources.all_sources(conn)[0]
    csrf = sign_in(store_client)
    store_client.post(f"/admin/sources/{row.id}/disable", data={"csrf": csrf})
    with engine.connect() as conn:
        assert not sources.states(conn, row.kind, keys=(row.key,))[0].enabled
    store_client.post(f"/admin/sources/{row.id}/enable", data={"csrf": csrf})
    with engine.connect() as conn:
        assert sources.states(conn, row.kind, keys=(row.key,))[0].enabled
    assert store_client.post("/admin/sources/999999/enable", data={"csrf": csrf}).status_code == 404


def test_a_password_change_ends_the_session(client: TestClient, tmp_path: Path) -> None:
    sign_in(client)
    assert client.get("/admin/").status_code == 200
    operators.add(tmp_path / "operators.toml", NAME, "a brand new passphrase", replace=True)
    assert client.get("/admin/").status_code == 303


def test_sign_out(client: TestClient) -> None:
    csrf = sign_in(client)
    response = client.post("/admin/logout", data={"csrf": csrf})
    assert response.status_code == 303
    assert 'aqparat_admin=""' in response.headers["set-cookie"]
    assert client.get("/admin/").status_code == 303


@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_valid_html5_in_every_language(client: TestClient,
                                                 sqlite_engine: sa.Engine, lang: str) -> None:
    login = client.get(f"/admin/login?lang={lang}")
    valid_html5(login.text)
    assert f'<html lang="{lang}">' in login.text
    sign_in(client)
    item_id, _ = first_item(sqlite_engine)
    for path in ("/admin/", f"/admin/items/{item_id}", "/admin/?done=rubrics"):
        page = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert "noindex" in page.headers["x-robots-tag"]
        valid_html5(page.text)


def test_the_item_box_goes_to_the_item(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/admin/items?id=7&lang=ru").headers["location"] == \
        "/admin/items/7?lang=ru"
    assert "done=no_item" in client.get("/admin/items?id=x1").headers["location"]


def test_operators_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aqparat.cli import cli

    path = tmp_path / "ops.toml"
    runner = CliRunner(env={"AQPARAT_OPERATORS_FILE": str(path)})
    added = runner.invoke(cli, ["operators", "add", "dana", "--password-stdin"],
                          input="a long enough password\n")
    assert added.exit_code == 0, added.output
    assert runner.invoke(cli, ["operators", "list"]).output == "dana\n"
    short = runner.invoke(cli, ["operators", "add", "erlan", "--password-stdin"], input="short\n")
    assert short.exit_code == 1
    assert "at least 12" in short.output
    assert runner.invoke(cli, ["operators", "remove", "dana"]).exit_code == 0
    assert runner.invoke(cli, ["operators", "list"]).output == ""

"""Every route that changes data over the web refuses anonymous and cross-site requests, and
a refused request changes nothing.

The routes are not listed here: the test walks the application's route table and takes every
route that accepts anything but GET/HEAD, so a route added later is covered (or this test
fails for it until it is guarded).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.routing import Route
from starlette.testclient import TestClient

from admin_client import app_client, sign_in
from aqparat.ingest import import_dumps
from aqparat.store.schema import item, item_rubric, source

SAFE = {"GET", "HEAD"}
LOGIN = "/admin/login"

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def changing_routes(client: TestClient) -> list[str]:
    routes = [r for r in client.app.routes if isinstance(r, Route)]  # type: ignore[attr-defined]
    paths = [r.path.replace("{item_id:int}", "1").replace("{source_id:int}", "1")
             for r in routes if r.methods and set(r.methods) - SAFE]
    assert "/admin/items/1/hide" in paths  # the walk found the operator routes
    return [p for p in paths if p != LOGIN]  # login changes no data; tested below


def snapshot(engine: sa.Engine) -> list[object]:
    with engine.connect() as conn:
        return [conn.execute(sa.select(item.c.id, item.c.status).order_by(item.c.id)).all(),
                conn.execute(sa.select(item_rubric).order_by(item_rubric.c.item_id,
                                                             item_rubric.c.rubric_slug)).all(),
                conn.execute(sa.select(source.c.id, source.c.enabled)
                             .order_by(source.c.id)).all()]


@pytest.fixture
def engine(sqlite_engine: sa.Engine) -> sa.Engine:
    """SQLite: the guard refuses before the store is touched, whatever the engine."""
    return sqlite_engine


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    with app_client(engine, tmp_path) as c:
        yield c


FORM = {"rubric": ["economy"]}


def test_anonymous_requests_are_refused(client: TestClient, engine: sa.Engine) -> None:
    before = snapshot(engine)
    for path in changing_routes(client):
        response = client.post(path, data={**FORM, "csrf": "guess"})
        assert response.status_code == 403, path
    assert snapshot(engine) == before


def test_cross_site_requests_are_refused_even_signed_in(client: TestClient,
                                                        engine: sa.Engine) -> None:
    csrf = sign_in(client)
    before = snapshot(engine)
    hostile = [({"origin": "https://evil.example"}, csrf),
               ({"origin": "null"}, csrf),
               ({"sec-fetch-site": "cross-site"}, csrf),
               ({"sec-fetch-site": "same-site"}, csrf),  # a sibling subdomain is not us
               ({}, "a-forged-token"),
               ({}, "")]
    for path in changing_routes(client):
        for headers, token in hostile:
            response = client.post(path, data={**FORM, "csrf": token}, headers=headers)
            assert response.status_code == 403, (path, headers, token)
    assert snapshot(engine) == before


def test_a_session_cookie_is_not_enough_without_the_form_token(client: TestClient,
                                                              engine: sa.Engine) -> None:
    sign_in(client)
    before = snapshot(engine)
    response = client.post("/admin/items/1/hide", headers={"sec-fetch-site": "same-origin"})
    assert response.status_code in (403, 415)
    assert snapshot(engine) == before


def test_a_forged_session_cookie_is_refused(client: TestClient, engine: sa.Engine) -> None:
    csrf = sign_in(client)
    value = client.cookies.get("aqparat_admin")
    assert value
    forged = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")  # the signature broken
    client.cookies.clear()
    before = snapshot(engine)
    response = client.post("/admin/items/1/hide", data={"csrf": csrf},
                           headers={"cookie": f"aqparat_admin={forged}"})
    assert response.status_code == 403
    assert snapshot(engine) == before


def test_login_itself_refuses_cross_site_and_tokenless_posts(client: TestClient) -> None:
    form_token = client.cookies.get("aqparat_login") or ""
    client.get(LOGIN)
    good = client.cookies.get("aqparat_login")
    assert good
    assert good != form_token
    data = {"name": "aigerim", "password": "correct horse battery staple"}
    assert client.post(LOGIN, data={**data, "csrf": good},
                       headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post(LOGIN, data={**data, "csrf": "forged"}).status_code == 403
    assert "aqparat_admin" not in client.cookies

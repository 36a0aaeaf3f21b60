"""The JSON API through an ASGI client on a store holding the seed page (SQLite and PG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from aqparat import config
from aqparat.ingest import import_dumps
from aqparat.store import events as store_events
from aqparat.store import schema
from aqparat.web.app import create_app
from aqparat.web.openapi import SCHEMA

SEED_COUNT = 5
GENEVA = "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183541?lang=kk"


@pytest.fixture
def app(engine: sa.Engine, seed_path: Path) -> Starlette:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    return create_app(config.load(env={}, database_url="unused"), engine)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def all_pages(client: TestClient, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = client.get(next_url).json()
        items += page["data"]
        next_url = page["next"]
    return items


def assert_envelope(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message"}
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]


def test_articles_come_newest_first_with_full_fields(client: TestClient) -> None:
    response = client.get("/api/v1/articles")
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert body["next"] is None
    data = body["data"]
    assert len(data) == SEED_COUNT
    stamps = [(a["published_at"], a["id"]) for a in data]
    assert stamps == sorted(stamps, reverse=True)
    geneva = next(a for a in data if a["source_url"] == GENEVA)
    assert geneva["lang"] == "kk"
    assert geneva["url"] == f"http://testserver/kk/news/{geneva['id']}"
    assert geneva["body_html"].count("<p>") >= 4
    assert "\n\n" in geneva["body_text"]
    assert geneva["source"]["key"] == "mfa-geneva"
    assert "news" in geneva["rubrics"]
    assert "Cite the source URL" in geneva["licence"]


def test_cursor_pagination_visits_every_article_once(client: TestClient) -> None:
    first = client.get("/api/v1/articles?limit=2").json()
    assert len(first["data"]) == 2
    assert first["next"].startswith("http://testserver/api/v1/articles?")
    assert "limit=2" in first["next"]
    assert f"cursor={first['next_cursor']}" in first["next"]
    ids = [a["id"] for a in all_pages(client, "/api/v1/articles?limit=2")]
    assert len(ids) == len(set(ids)) == SEED_COUNT
    assert ids == [a["id"] for a in client.get("/api/v1/articles").json()["data"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("lang=kk", SEED_COUNT),
    ("lang=ru", 0),
    ("lang=", SEED_COUNT),  # an empty value is no filter (HTML forms send them)
    ("rubric=news", SEED_COUNT),
    ("rubric=sport&lang=kk", 0),
    ("since=2026-03-17&until=2026-03-17", SEED_COUNT),  # one day, in Almaty time
    ("since=2026-03-18", 0),
    ("until=2026-03-16", 0),
    ("since=2026-03-16T19:00:00Z", SEED_COUNT),  # 00:00 on the 17th in Almaty
    ("until=2026-03-16T19:00:00Z", 0),  # exclusive
    ("since=0001-01-01T00:00:00%2B05:00&until=9999-12-31T23:59:59-05:00", SEED_COUNT),
    ("since=2026-03-17T00:00:00+05:00", SEED_COUNT),  # an unencoded + arrives as a space
])
def test_filters(client: TestClient, query: str, expected: int) -> None:
    assert len(all_pages(client, f"/api/v1/articles?{query}&limit=3")) == expected


def test_source_filter_and_source_list(client: TestClient) -> None:
    sources = client.get("/api/v1/sources").json()["data"]
    geneva = next(s for s in sources if s["key"] == "mfa-geneva")
    assert geneva["name"]["kk"].startswith("Қазақстан Республикасының Женевадағы")
    items = all_pages(client, geneva["articles"])
    assert {a["source"]["key"] for a in items} == {"mfa-geneva"}
    assert GENEVA in {a["source_url"] for a in items}
    assert len(items) < SEED_COUNT


def test_rubrics_in_portal_order_with_three_names(client: TestClient) -> None:
    rubrics = client.get("/api/v1/rubrics").json()["data"]
    assert rubrics[0]["slug"] == "news"
    assert rubrics[0]["name"] == {"kk": "Жаңалықтар", "ru": "Новости", "en": "News"}
    assert [r["position"] for r in rubrics] == sorted(r["position"] for r in rubrics)


def test_one_article_and_its_absence(client: TestClient) -> None:
    listed = client.get("/api/v1/articles?limit=1").json()["data"][0]
    one = client.get(f"/api/v1/articles/{listed['id']}")
    assert one.json() == {"data": listed}
    assert_envelope(client.get("/api/v1/articles/999999"), 404, "not_found")
    assert_envelope(client.get("/api/v1/articles/99999999999999999999"), 404, "not_found")


@pytest.mark.parametrize(("query", "name"), [
    ("lang=xx", "lang"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
    ("rubric=Not%20A%20Slug", "rubric"), ("rubric=%00", "rubric"), ("source=0", "source"),
    ("source=99999999999", "source"), ("since=yesterday", "since"),
    ("until=2026-02-30", "until"), ("cursor=abc", "cursor"),
])
def test_bad_parameters_are_400_naming_the_parameter(client: TestClient, query: str,
                                                     name: str) -> None:
    response = client.get(f"/api/v1/articles?{query}")
    assert_envelope(response, 400, "bad_request")
    assert response.json()["error"]["message"].startswith(f"{name}: ")


def test_unknown_paths_and_methods_use_the_envelope(client: TestClient) -> None:
    assert_envelope(client.get("/api/v2/articles"), 404, "not_found")
    assert_envelope(client.get("/api/"), 404, "not_found")
    refused = client.post("/api/v1/articles")
    assert_envelope(refused, 405, "method_not_allowed")
    assert "GET" in refused.headers["allow"]


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/articles?lang=xx",
                                  "/api/v1/articles/999999", "/api/v1/rubrics",
                                  "/api/v1/sources", "/api/openapi.json", "/api/docs",
                                  "/api/v1/events", "/api/v1/events?when=later",
                                  "/api/v1/stories", "/api/v1/search?q=Женева"])
def test_every_api_answer_has_etag_and_cache_control(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["etag"].startswith('"')
    expected = "public, max-age=" if response.status_code == 200 else "no-store"
    assert response.headers["cache-control"].startswith(expected)


def test_if_none_match_gives_304_without_a_body(client: TestClient) -> None:
    first = client.get("/api/v1/articles")
    tag = first.headers["etag"]
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = client.get("/api/v1/articles", headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.content == b""
        assert again.headers["etag"] == tag
    stale = client.get("/api/v1/articles", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200
    other = client.get("/api/v1/articles?limit=1", headers={"If-None-Match": tag})
    assert other.status_code == 200  # another answer has another tag


def test_cors_lets_any_origin_read_the_api_but_not_the_pages(client: TestClient) -> None:
    origin = {"Origin": "https://reader.example"}
    assert client.get("/api/v1/rubrics", headers=origin).headers[
        "access-control-allow-origin"] == "*"
    preflight = client.options("/api/v1/articles", headers={
        **origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "ETag" in client.get("/api/v1/rubrics", headers=origin).headers[
        "access-control-expose-headers"]
    assert "access-control-allow-origin" not in client.get("/kk/", headers=origin).headers


# ── the schema and the routes ───────────────────────────────────────────────────────────────


def test_schema_and_routes_list_the_same_api_paths(app: Starlette) -> None:
    routes = {r.path_format for r in app.routes
              if isinstance(r, Route) and r.path_format.startswith("/api/")}
    assert routes == set(SCHEMA["paths"])
    for route in app.routes:
        if isinstance(route, Route) and route.path_format in SCHEMA["paths"]:
            assert set(SCHEMA["paths"][route.path_format]) == {
                m.lower() for m in route.methods or ()} - {"head"}


def test_openapi_document_is_served(client: TestClient) -> None:
    served = client.get("/api/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    assert served == SCHEMA


PARAMETERS = ["lang", "rubric", "source", "since", "until", "limit", "cursor"]


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(PARAMETERS), value=st.text(max_size=40))
def test_any_parameter_value_is_an_answer_or_a_400(client: TestClient, name: str,
                                                   value: str) -> None:
    response = client.get("/api/v1/articles", params={name: value})
    assert response.status_code in {200, 400}, response.text
    if response.status_code == 400:
        assert_envelope(response, 400, "bad_request")
    else:
        assert isinstance(response.json()["data"], list)


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(segment=st.text(min_size=1, max_size=30))
def test_any_article_path_is_an_article_or_a_404(client: TestClient, segment: str) -> None:
    response = client.get(f"/api/v1/articles/{quote(segment, safe='')}")
    assert response.status_code in {200, 404}, response.text
    if response.status_code == 404:
        assert_envelope(response, 404, "not_found")


# ── schemathesis: every answer conforms to the schema, none is a 5xx ───────────────────────


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_schema(app: Starlette, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy(mode))
    def conforms(case: schemathesis.Case) -> None:
        case.call_and_validate()

    conforms()


# ── events ──────────────────────────────────────────────────────────────────────────────────


def _more_events(engine: sa.Engine, now: dt.datetime) -> None:
    """Two events (one ahead, one behind `now`) in each seed item's text: the seed itself
    announces one, too few to page through."""
    with engine.begin() as conn:
        rows = conn.execute(sa.select(schema.item.c.id, schema.item.c.body_text)).all()
        for n, (item_id, text) in enumerate(rows):
            for position, days in ((10, n + 1), (11, -n - 2)):
                at = now + dt.timedelta(days=days)
                conn.execute(schema.event.insert().values(
                    item_id=item_id, position=position, starts_at=at, ends_at=None,
                    all_day=False, until_at=at, place=None, city=None, span_start=0,
                    span_end=12, span_text=text[:12]))


def test_events_walk_every_event_once_in_order(client: TestClient, engine: sa.Engine) -> None:
    now = dt.datetime.now(dt.UTC)
    _more_events(engine, now)
    with engine.connect() as conn:
        ahead, past = store_events.count(conn, now, None)
    assert ahead >= SEED_COUNT
    assert past > SEED_COUNT
    walked = {when: all_pages(client, f"/api/v1/events?when={when}&limit=2")
              for when in ("upcoming", "past")}
    assert (len(walked["upcoming"]), len(walked["past"])) == (ahead, past)
    ids = [e["id"] for found in walked.values() for e in found]
    assert len(ids) == len(set(ids))
    soon = [e["starts_at"] for e in walked["upcoming"]]
    assert soon == sorted(soon)  # soonest first
    gone = [e["starts_at"] for e in walked["past"]]
    assert gone == sorted(gone, reverse=True)  # most recent first
    first = walked["past"][0]
    assert first["article"]["url"].startswith("http://testserver/")
    article = client.get(first["article"]["api"].removeprefix("http://testserver")).json()
    assert first["text"] in article["data"]["body_text"]
    assert client.get("/api/v1/events").json()["data"] == walked["upcoming"][:20]


def test_events_narrowed_by_language_and_refused_parameters(client: TestClient) -> None:
    for lang in ("kk", "ru"):
        found = client.get(f"/api/v1/events?when=past&lang={lang}").json()["data"]
        assert all(e["article"]["lang"] == lang for e in found)
    for query, name in (("when=soon", "when"), ("offset=-1", "offset"),
                        ("offset=10001", "offset"), ("lang=xx", "lang"), ("limit=0", "limit")):
        refused = client.get(f"/api/v1/events?{query}")
        assert_envelope(refused, 400, "bad_request")
        assert name in refused.json()["error"]["message"]

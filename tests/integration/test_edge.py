"""The portal's edge (web/guard.py): security headers on every answer, HSTS only over TLS,
size limits, per-client rate limits with Retry-After, and the query budget's 503."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.errors import ConfigError
from aqparat.ingest import import_dumps
from aqparat.store import db
from aqparat.web import budget
from aqparat.web.app import create_app
from aqparat.web.security import CSP

PATHS = ["/kk/", "/kk/rubric/news", "/kk/search?q=x", "/kk/status", "/api/v1/articles",
         "/api/docs", "/feeds/kk/rss.xml", "/sitemap.xml", "/robots.txt", "/static/site.css",
         "/kk/no-such-page", "/api/v1/articles?limit=9999", "/admin/login"]


def make_client(engine: sa.Engine, **settings: Any) -> TestClient:
    loaded = config.load(env={}, database_url="unused", **settings)
    return TestClient(create_app(loaded, engine), follow_redirects=False)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """SQLite only: the edge does not depend on the engine (the store's own tests do)."""
    engine = db.open_store(f"sqlite:///{tmp_path / 'edge.db'}", migrate=True)
    yield engine
    engine.dispose()


@pytest.fixture
def client(engine: sa.Engine, seed_path: Path) -> Iterator[TestClient]:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    with make_client(engine) as c:
        yield c


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    assert "frame-ancestors 'none'" in CSP
    assert "script-src 'self'" in CSP
    assert "'unsafe-inline'" not in CSP
    for path in PATHS:
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert "strict-transport-security" not in headers  # plain HTTP: no HSTS


def test_a_server_error_page_carries_them_too(engine: sa.Engine) -> None:
    engine.dispose()
    broken = db.create_engine("sqlite:////nonexistent/dir/store.db")
    with TestClient(create_app(config.load(env={}, database_url="x"), broken),
                    raise_server_exceptions=False) as c:
        response = c.get("/kk/")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP


def test_hsts_only_over_tls(engine: sa.Engine) -> None:
    with make_client(engine) as c:
        https = TestClient(c.app, base_url="https://portal.example")
        assert "max-age=" in https.get("/robots.txt").headers["strict-transport-security"]
        assert "strict-transport-security" not in c.get("/robots.txt").headers


def test_a_trusted_proxy_is_believed_and_others_are_not(engine: sa.Engine) -> None:
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    with make_client(engine) as plain:  # the TestClient's peer is "testclient": not trusted
        assert "strict-transport-security" not in plain.get("/robots.txt",
                                                             headers=forwarded).headers
    with make_client(engine, trusted_proxies="0.0.0.0/0, ::/0") as behind:
        client = TestClient(behind.app, client=("10.0.0.2", 4000))
        response = client.get("/robots.txt", headers=forwarded)
        assert "strict-transport-security" in response.headers
        assert "Sitemap: https://" in response.text  # absolute URLs follow the proxy's scheme


def test_a_bad_trusted_proxies_setting_fails_at_start(engine: sa.Engine) -> None:
    with pytest.raises(ConfigError, match="trusted_proxies"):
        create_app(config.load(env={}, database_url="x", trusted_proxies="10.0.0.0/33"), engine)


def test_a_long_url_is_414_and_a_large_body_413(client: TestClient) -> None:
    response = client.get("/kk/search?q=" + "ә" * 3000)
    assert response.status_code == 414
    assert "<html" in response.text  # the translated error page
    api = client.get("/api/v1/search?q=" + "x" * 5000)
    assert api.status_code == 414
    assert api.json()["error"]["code"] == "uri_too_long"
    big = client.post("/admin/login", content=b"a=" + b"x" * 70_000,
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413


def test_a_chunked_body_is_counted_as_it_arrives(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    response = client.post("/admin/login", content=chunks(),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_search_and_api_are_rate_limited_per_client(engine: sa.Engine) -> None:
    with make_client(engine, search_per_minute=3, api_per_minute=5) as c:
        assert [c.get("/kk/search?q=a").status_code for _ in range(3)] == [200] * 3
        limited = c.get("/kk/search?q=a")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert "content-security-policy" in limited.headers
        feed = c.get("/feeds/kk/search/rss.xml?q=a")  # the same class: searches
        assert feed.status_code == 429
        assert feed.json()["error"]["code"] == "rate_limited"
        assert c.get("/kk/").status_code == 200  # pages are not limited
        assert all(c.get("/api/v1/rubrics").status_code == 200 for _ in range(5))
        assert c.get("/api/v1/rubrics").status_code == 429
        other = TestClient(c.app, client=("198.51.100.7", 1234))  # another client: its own
        assert other.get("/kk/search?q=a").status_code == 200


def test_the_query_budget_stops_a_slow_statement_with_a_503(tmp_path: Path) -> None:
    engine = db.open_store(f"sqlite:///{tmp_path / 'slow.db'}", migrate=True)
    budget.install(engine, 0.05)
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n")
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as caught:
        conn.exec_driver_sql(slow)
    assert budget.exceeded(caught.value)
    with engine.connect() as conn:  # the next checkout has a fresh budget
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()

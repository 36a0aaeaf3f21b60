"""A forged Host header cannot change the absolute URLs the portal writes (web/public.py):
with `public_url` set they all start with it; without, only an allowed host is echoed."""

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
from aqparat.web.app import create_app

FORGED = "evil.example"
PUBLIC = "https://aqparat.example.kz"
# Every answer that writes absolute URLs (the article has canonical, og:url and JSON-LD; the
# API list has `url` fields and `next`).
WRITERS = ["/feeds/kk/rss.xml", "/feeds/kk/atom.xml", "/feeds/kk/source/mfa-geneva/rss.xml",
           "/feeds/kk/search/atom.xml?q=Женева", "/sitemap.xml", "/sitemaps/pages.xml",
           "/robots.txt", "/opensearch.xml?lang=kk", "/kk/news/1", "/kk/story/1",
           "/api/v1/articles?limit=1", "/api/v1/sources", "/api/v1/search?q=Женева&limit=1",
           "/feeds/events.ics"]


@pytest.fixture
def store(engine: sa.Engine, seed_path: Path) -> sa.Engine:
    [report] = import_dumps(engine, [seed_path], portal="enbekshiqazaq.kz")
    assert report.ok, report.error
    return engine


def client(engine: sa.Engine, **settings: Any) -> TestClient:
    loaded = config.load(env={}, database_url="unused", **settings)
    return TestClient(create_app(loaded, engine), follow_redirects=False)


@pytest.fixture
def public(store: sa.Engine) -> Iterator[TestClient]:
    with client(store, public_url=PUBLIC) as c:
        yield c


@pytest.mark.parametrize("path", WRITERS)
def test_public_url_is_every_links_root_whatever_the_host(public: TestClient, path: str) -> None:
    response = public.get(path, headers={"host": FORGED})
    assert response.status_code == 200, response.text
    assert FORGED not in response.text
    assert f"{PUBLIC}/" in response.text


def test_public_url_gives_the_schemes_and_next_links(public: TestClient) -> None:
    found = public.get("/api/v1/articles?limit=1", headers={"host": FORGED}).json()
    assert found["next"].startswith(f"{PUBLIC}/api/v1/articles?")
    assert found["data"][0]["url"].startswith(f"{PUBLIC}/kk/news/")
    robots = public.get("/robots.txt").text
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots


@pytest.mark.parametrize("path", WRITERS)
def test_without_public_url_a_forged_host_gets_the_first_allowed_one(store: sa.Engine,
                                                                      path: str) -> None:
    with client(store, allowed_hosts="news.example.kz, localhost") as c:
        response = c.get(path, headers={"host": f"{FORGED}:8443"})
    assert response.status_code == 200, response.text
    assert FORGED not in response.text
    assert "8443" not in response.text
    assert "http://news.example.kz/" in response.text


@pytest.mark.parametrize(("allowed", "host", "root"), [
    ("localhost, 127.0.0.1, ::1", "127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("localhost, 127.0.0.1, ::1", "[::1]:8000", "http://[::1]:8000"),
    ("localhost", "LOCALHOST", "http://LOCALHOST"),
    (".example.kz", "news.example.kz", "http://news.example.kz"),
    (".example.kz", "example.kz:81", "http://example.kz:81"),
    ("*", "any.where:9", "http://any.where:9"),
])
def test_an_allowed_host_is_kept(store: sa.Engine, allowed: str, host: str, root: str) -> None:
    with client(store, allowed_hosts=allowed) as c:
        body = c.get("/robots.txt", headers={"host": host}).text
    assert f"Sitemap: {root}/sitemap.xml" in body


@pytest.mark.parametrize("host", ["evil.example/x", "a b", "news.example.kz.evil", "",
                                  "localhost:99999x", "[::1", "example.kz@evil"])
def test_hosts_that_only_look_allowed_are_not(store: sa.Engine, host: str) -> None:
    with client(store, allowed_hosts="localhost, .example.kz") as c:
        body = c.get("/robots.txt", headers={"host": host}).text
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_hosts_are_judged_alike_however_often_they_come(store: sa.Engine) -> None:
    # PublicHost remembers the Host values it kept as they were; never one it replaced.
    with client(store, allowed_hosts="localhost, .example.kz") as c:
        for _ in range(3):
            for host, root in (("news.example.kz", "news.example.kz"),
                               ("news.example.kz.evil", "localhost")):
                body = c.get("/robots.txt", headers={"host": host}).text
                assert f"Sitemap: http://{root}/sitemap.xml" in body


def test_the_slash_redirect_does_not_echo_a_forged_host(public: TestClient) -> None:
    response = public.get("/kk", headers={"host": FORGED})
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"] == f"{PUBLIC}/kk/"


@pytest.mark.parametrize(("public_url", "allowed"), [
    ("aqparat.kz", "localhost"), ("https://aqparat.kz/news", "localhost"),
    ("ftp://aqparat.kz", "localhost"), ("https://aqparat.kz:99999", "localhost"),
    ("https://aqparat.kz/?x=1", "localhost"), ("", " , "),
])
def test_a_wrong_public_address_fails_at_start(engine: sa.Engine, public_url: str,
                                               allowed: str) -> None:
    settings = config.load(env={}, database_url="unused", public_url=public_url,
                           allowed_hosts=allowed)
    with pytest.raises(ConfigError, match=r"config: (public_url|allowed_hosts)"):
        create_app(settings, engine)

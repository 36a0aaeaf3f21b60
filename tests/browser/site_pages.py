"""One portal with a store worth looking at, and the table of page types the accessibility and
layout tests walk (test_a11y.py, test_layout.py).

The store holds the seed portal dump (Kazakh items with known titles) plus a crawl of the fake
gov.kz (`aqparat.testing.govkz_world`: real gov.kz HTML bodies — tables, images, YouTube
frames — in kk, ru and en, with a missing English translation and a Kazakh listing that falls
back to Russian). When the shared full fixture is present, its longest bodies are added, so
the weight test sees the longest article gov.kz gave us, not a toy one.

Every URL is found in the store (the longest article, the largest story, a source with items,
a day that has items), never written down: the tests stay true as the fixtures grow.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from starlette.routing import Route

from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz
from aqparat.testing.serving import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
DEMO_SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"
ALMATY = ZoneInfo("Asia/Almaty")
LONGEST_EXTRA = 3  # bodies taken from the full fixture, longest first


def _world() -> govkz_world.World:
    items = govkz_world.load_items()
    if govkz_world.FULL_FIXTURE.is_file():
        known = {str(i["id"]) for i in items}
        extra = [i for i in govkz_world.load_items(govkz_world.FULL_FIXTURE)
                 if str(i["id"]) not in known]
        extra.sort(key=lambda i: len(str(i.get("body") or "")), reverse=True)
        items += extra[:LONGEST_EXTRA]
    return govkz_world.build(items)


def fill_store(db_path: Path, fake: FakeGovKz) -> str:
    """A SQLite store filled through the CLI, as an operator would: import, then crawl."""
    url = f"sqlite:///{db_path}"
    seed = SEED if SEED.is_file() else DEMO_SEED
    env = {**os.environ, "AQPARAT_DATABASE_URL": url, "AQPARAT_LOG_LEVEL": "ERROR",
           "AQPARAT_GOVKZ_BASE_URL": fake.url, "AQPARAT_FETCH_RATE": "0"}
    sources = [a for key in govkz_world.ENTITIES for a in ("--source", key)]
    _cli(["import", str(seed)], env)
    _cli(["crawl", "--once", *sources], env)
    return url


def _cli(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "aqparat", *args], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"aqparat {args[0]} failed ({done.returncode}): "
                           f"{(done.stdout + done.stderr)[-2000:]}")


@dataclass(frozen=True)
class Site:
    base: str
    engine: sa.Engine

    def one(self, sql: str, **params: object) -> object:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()


def serve_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """What conftest.py's `site` fixture yields: the filled store, served on loopback."""
    tmp = tmp_path_factory.mktemp("site")
    # The fake stays up while the site is served: body pictures point at its /uploads/, and a
    # dead port could be taken by another process that never answers (a hung page load).
    with FakeGovKz(_world()) as fake:
        yield from _serve(tmp, fill_store(tmp / "site.db", fake))


def _serve(tmp: Path, url: str) -> Iterator[Site]:
    port = free_port()
    env = {**os.environ, "AQPARAT_DATABASE_URL": url, "AQPARAT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "aqparat", "serve", "--port", str(port)],
                            env=env, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    engine = sa.create_engine(url)
    try:
        wait_until_up(f"{base}/healthz", proc)
        yield Site(base, engine)
    finally:
        engine.dispose()
        proc.terminate()
        proc.wait(timeout=10)


# --- the page types ------------------------------------------------------------------------

def _routed(prefix: str) -> bool:
    from aqparat.web.app import ROUTES  # here, so conftest.py loads even while app.py is edited

    return any(isinstance(r, Route) and r.path.startswith(prefix) for r in ROUTES)


def _longest_article(site: Site, lang: str = "kk") -> str:
    found = site.one("SELECT id FROM item WHERE lang = :lang AND status = 'shown' "
                     "ORDER BY length(body_html) DESC, id LIMIT 1", lang=lang)
    return f"/{lang}/news/{found}"


def _most_pictures(site: Site) -> str:
    """The Kazakh article whose body holds the most pictures (gov.kz galleries)."""
    found = site.one("SELECT id FROM item WHERE lang = 'kk' AND body_html LIKE '%<img%' "
                     "ORDER BY length(body_html) - length(replace(body_html, '<img', '')) DESC,"
                     " id LIMIT 1")
    return f"/kk/news/{found}"


def _largest_story(site: Site) -> str:
    found = site.one("SELECT id FROM story ORDER BY items DESC, id LIMIT 1")
    return f"/kk/story/{found}"


def _busiest_source(site: Site) -> str:
    key = site.one("SELECT s.key FROM source s JOIN item i ON i.source_id = s.id "
                   "GROUP BY s.key ORDER BY count(*) DESC, s.key LIMIT 1")
    return f"/kk/source/{key}"


def _busiest_region(site: Site) -> str:
    region = site.one("SELECT s.region FROM source s JOIN item i ON i.source_id = s.id "
                      "WHERE s.region IS NOT NULL GROUP BY s.region "
                      "ORDER BY count(*) DESC, s.region LIMIT 1")
    return f"/kk/region/{region}"


def _busiest_day(site: Site) -> str:
    """The Almaty day with most Kazakh items (the store keeps UTC)."""
    with site.engine.connect() as conn:
        stamps = conn.execute(sa.text("SELECT published_at FROM item WHERE lang = 'kk'"))
        days = Counter(dt.datetime.fromisoformat(str(s)).replace(tzinfo=dt.UTC)
                       .astimezone(ALMATY).date() for s in stamps.scalars())
    day = max(days, key=lambda d: (days[d], d))
    return f"/kk/archive/{day:%Y/%m/%d}"


def _a_search(site: Site) -> str:
    word = "референдум"  # the seed's lead story: a search with hits, highlighted
    return f"/kk/search?q={word}"


@dataclass(frozen=True)
class PageType:
    name: str
    route: str  # a route prefix in web/app.py; a type whose route is not there yet is skipped
    path: Callable[[Site], str]
    status: int = 200


PAGE_TYPES = [
    PageType("home", "/{lang}/", lambda s: "/kk/"),
    PageType("rubric", "/{lang}/rubric/{slug}", lambda s: "/kk/rubric/news"),
    PageType("rubric-page-2", "/{lang}/rubric/{slug}", lambda s: "/kk/rubric/news?page=2"),
    PageType("article", "/{lang}/news/{item_id:int}", _longest_article),
    PageType("article-pictures", "/{lang}/news/{item_id:int}", _most_pictures),
    PageType("story", "/{lang}/story/{story_id:int}", _largest_story),
    PageType("source", "/{lang}/source/{slug}", _busiest_source),
    PageType("region", "/{lang}/region/{slug}", _busiest_region),
    PageType("archive", "/{lang}/archive/", _busiest_day),
    PageType("sources", "/{lang}/sources", lambda s: "/kk/sources"),
    PageType("search", "/{lang}/search", _a_search),
    PageType("events", "/{lang}/events", lambda s: "/kk/events"),
    PageType("404", "/{lang}/", lambda s: "/kk/no-such-page", status=404),
    # The editions: each interface language and both other scripts of Kazakh.
    PageType("home-ru", "/{lang}/", lambda s: "/ru/"),
    PageType("home-en", "/{lang}/", lambda s: "/en/"),
    PageType("home-kk-Latn", "/{lang}/", lambda s: "/kk-Latn/"),
    PageType("home-kk-Arab", "/{lang}/", lambda s: "/kk-Arab/"),
    PageType("events-kk-Arab", "/{lang}/events", lambda s: "/kk-Arab/events"),
    PageType("article-ru", "/{lang}/news/{item_id:int}", lambda s: _longest_article(s, "ru")),
    PageType("article-kk-Arab", "/{lang}/news/{item_id:int}",
             lambda s: _longest_article(s).replace("/kk/", "/kk-Arab/", 1)),
]


def page_type_params() -> list[object]:
    """The table as pytest parameters; a type whose page is not routed yet is skipped, named."""
    marks = {t.name: pytest.mark.skip(reason=f"{t.route} is not in web/app.py yet")
             for t in PAGE_TYPES if not _routed(t.route)}
    return [pytest.param(t, id=t.name, marks=marks.get(t.name, ())) for t in PAGE_TYPES]

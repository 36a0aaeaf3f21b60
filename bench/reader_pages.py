"""The reader's pages (issue 9) on a synthetic store, against the rubric page as baseline:
region pages (busiest and quietest region), an archive day and month with their calendar,
the sources list, and an article page whose names are carried by many items (related items
must stay bounded). Rendered in-process through the ASGI app with the page cache off, so
every request does its queries; medians of `--repeat` requests, and ratios to the rubric
page's median measured in the same run.

    .venv/bin/python bench/synth.py sqlite:////tmp/synth.db 40000     # once
    .venv/bin/python bench/reader_pages.py sqlite:////tmp/synth.db [--repeat 30]

bench/synth.py writes no named entities; this script gives one item in ten a popular
person and place (a name as common as "Қазақстан" is before it is left out), so the related
query meets its worst case: thousands of items per name. It writes them once, into the store
it is given.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config
from aqparat.store import db
from aqparat.store.schema import item, item_entity
from aqparat.web.app import create_app

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
POPULAR = (("person", "Ержан Біржанов"), ("place", "Көкшетау"))


def add_popular_names(engine: sa.Engine) -> int:
    """One item in ten names POPULAR (once: skipped when present); returns how many do."""
    with engine.begin() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(item_entity).where(
            item_entity.c.name == POPULAR[0][1])).scalar_one()
        if not have:
            ids = conn.execute(sa.select(item.c.id).where(item.c.id % 10 == 0)).scalars().all()
            conn.execute(item_entity.insert(), [
                {"item_id": i, "position": 900 + n, "kind": kind, "name": name, "mentions": 1}
                for i in ids for n, (kind, name) in enumerate(POPULAR)])
        return int(conn.execute(sa.select(sa.func.count()).select_from(item_entity).where(
            item_entity.c.name == POPULAR[0][1])).scalar_one())


def paths(engine: sa.Engine) -> dict[str, str]:
    q = sa.text
    with engine.connect() as conn:
        regions = conn.execute(q(
            "SELECT s.region, count(*) FROM item i JOIN source s ON s.id = i.source_id "
            "WHERE s.region IS NOT NULL AND i.lang = 'kk' GROUP BY s.region "
            "ORDER BY count(*) DESC")).all()
        newest = conn.execute(q("SELECT max(published_at) FROM item WHERE lang = 'kk'"))
        stamp = str(newest.scalar_one())[:10]
        article = conn.execute(q(
            "SELECT max(item_id) FROM item_entity WHERE name = :n AND item_id IN "
            "(SELECT id FROM item WHERE lang = 'kk' AND status = 'shown' AND story_lead)"),
            {"n": POPULAR[0][1]}).scalar_one()
    year, month, day = stamp.split("-")
    return {
        "rubric news p1 (baseline)": "/kk/rubric/news",
        f"region, busiest ({regions[0][0]})": f"/kk/region/{regions[0][0]}",
        f"region, quietest ({regions[-1][0]})": f"/kk/region/{regions[-1][0]}",
        f"archive day {stamp}": f"/kk/archive/{year}/{month}/{day}",
        f"archive month {year}-{month}": f"/kk/archive/{year}/{month}",
        "sources list": "/kk/sources",
        "article naming popular names": f"/kk/news/{article}",
    }


def median_ms(get: Callable[[], object], repeat: int) -> float:
    get()  # warm: templates compiled, statements cached
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    engine = db.open_store(args.url, migrate=False)
    items = engine.connect().execute(sa.text("SELECT count(*) FROM item")).scalar_one()
    carriers = add_popular_names(engine)
    settings = config.load(env={}, database_url="unused", page_cache_mb=0)
    results: dict[str, float] = {}
    with TestClient(create_app(settings, engine), headers={"user-agent": BROWSER}) as client:
        for name, path in paths(engine).items():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            results[name] = median_ms(functools.partial(client.get, path), args.repeat)
    base = results["rubric news p1 (baseline)"]
    print(f"{engine.dialect.name}, {items:,} items, {carriers:,} name the popular person; "
          f"median of {args.repeat} in-process requests, page cache off")
    for name, ms in results.items():
        print(f"  {name:38s} {ms:8.2f} ms   × {ms / base:5.2f} of the rubric page")


if __name__ == "__main__":
    main()

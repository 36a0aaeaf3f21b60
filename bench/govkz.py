"""gov.kz collection speed: items/s through collect + pipeline + store from the fake gov.kz on
127.0.0.1 with politeness disabled, against, in the same run, a bare baseline that fetches the
same pages with the same HTTP client, parses the JSON and INSERTs the raw rows with sqlite3.
Prints both and their ratio.

    .venv/bin/python bench/govkz.py [--rounds 3] [--full]

`--full` serves all 300 real items of ../shared/fixtures/govkz-real (×3 languages); the
default is the committed 72-item fixture.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from aqparat.crawl.passes import PassOptions
from aqparat.crawl.run import Crawler, CrawlOptions
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.ingest import default_options
from aqparat.sources.govkz_api import GovKzApi, GovKzOptions
from aqparat.store import db
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz

LIMITS = FetchLimits(user_agent="aqparat/bench", rate=0)  # politeness off: loopback only
SIZE = 100


class Quiet:
    def page(self, *_args: object) -> None: ...
    def source_done(self, *_args: object) -> None: ...


def collect(url: str, workdir: Path, n: int) -> tuple[float, int]:
    engine = db.open_store(f"sqlite:///{workdir / f'a{n}.db'}", migrate=True)
    schedule = ScheduleOptions(intervals=dict.fromkeys(("hot", "warm", "cold"),
                                                       dt.timedelta(hours=1)))
    options = CrawlOptions(PassOptions(), schedule, default_options())
    with FetchClient(LIMITS) as client:
        crawler = Crawler(engine, GovKzApi(client, GovKzOptions(base_url=url, page_size=SIZE)),
                          options, progress=Quiet())
        crawler.prepare()  # seeding the entity table is set-up, not collection
        start = time.perf_counter()
        reports = crawler.run_once(govkz_world.ENTITIES, force=True)
        elapsed = time.perf_counter() - start
    engine.dispose()
    assert all(r.status == "ok" for r in reports), reports
    return elapsed, sum(r.counts["new"] for r in reports)


def bare(url: str, workdir: Path, n: int) -> tuple[float, int]:
    conn = sqlite3.connect(workdir / f"b{n}.db")
    conn.execute("CREATE TABLE item (slug TEXT, id INTEGER, lang TEXT, title TEXT, body TEXT,"
                 " created TEXT, PRIMARY KEY (slug, id, lang))")
    rows = 0
    with FetchClient(LIMITS) as client:
        start = time.perf_counter()
        client.request("POST", f"{url}/api/v1/public/_/c/k6", what="ticket", content=b"")
        for slug in govkz_world.ENTITIES:
            for lang in ("kk", "ru", "en"):
                rows += _bare_listing(client, conn, url, slug, lang)
        elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, rows


def _bare_listing(client: FetchClient, conn: sqlite3.Connection, url: str, slug: str,
                  lang: str) -> int:
    rows, page = 0, 1
    while True:
        query = f"projects=eq:{slug}&page={page}&size={SIZE}&lang={lang}"
        items = json.loads(client.request(
            "GET", f"{url}/api/v1/public/content-manager/news?{query}", what=slug).body)
        with conn:
            conn.executemany("INSERT OR REPLACE INTO item VALUES (?, ?, ?, ?, ?, ?)", [
                (slug, i["id"], lang, i["title"], i["body"] or i["short_description"],
                 i["created_date"]) for i in items])
        rows += len(items)
        if len(items) < SIZE:
            return rows
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    path = govkz_world.FULL_FIXTURE if args.full else None
    world = govkz_world.build(govkz_world.load_items(path))
    rates: dict[str, list[float]] = {"aqparat": [], "bare": []}
    with FakeGovKz(world) as fake, tempfile.TemporaryDirectory() as tmp:
        collect(fake.url, Path(tmp), -1)  # warm-up: lingua's model, imports
        for n in range(args.rounds):
            for name, run in (("aqparat", collect), ("bare", bare)):
                elapsed, items = run(fake.url, Path(tmp), n)
                rates[name].append(items / elapsed)
    ours, base = statistics.median(rates["aqparat"]), statistics.median(rates["bare"])
    print(f"gov.kz collect+pipeline+store: {ours:8.1f} items/s (median of {args.rounds}; "
          f"{len(world.expected_keys())} stored per run)")
    print(f"bare fetch+json+INSERT:        {base:8.1f} items/s")
    print(f"ratio (bare / aqparat):        {base / ours:8.1f}x")


if __name__ == "__main__":
    main()

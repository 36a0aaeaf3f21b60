"""The most expensive request a reader (or an attacker) can make: every parameter at its worst.

    .venv/bin/python bench/costly.py [--size 200000] [--dir /tmp/aqparat-bench-costly] [--reuse]

Builds a synthetic store of --size items (bench/search.py's writer: real vocabulary, 500
sources, kk/ru/en, 2015–2026, plus an event for one item in twenty), then times, in process
through the ASGI client (server-side cost, best of three), each request below: deep pages,
huge page numbers, long and many-word queries, every filter at once, filters that match
nothing (the full-scan risk), deep cursors, the biggest sitemap part, the calendar. It
prints them slowest first with the ratio to the home page in the same run, and the worst.

The query budget (`web_query_seconds`, web/budget.py) is off here: this measures what the
parameter bounds alone allow. The test suite never runs it: building the store takes minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search as search_bench  # bench/search.py: the synthetic store's writer
from aqparat import config
from aqparat.store import db
from aqparat.store.schema import event, item
from aqparat.web.app import create_app
from aqparat.web.pages.rubric import MAX_PAGE

COMMON = "мемлекеттік бағдарлама жоба даму"  # frequent words of the synthetic vocabulary


def add_events(engine: sa.Engine, size: int) -> None:
    rng = random.Random(3)
    with engine.begin() as conn:
        ids = conn.execute(sa.select(item.c.id).where(item.c.id % 20 == 0)).scalars().all()
        for first in range(0, len(ids), 10_000):
            rows = []
            for item_id in ids[first:first + 10_000]:
                at = search_bench.START + (search_bench.END - search_bench.START) * rng.random()
                rows.append({"item_id": item_id, "position": 0, "starts_at": at, "ends_at": None,
                             "all_day": False, "until_at": at, "place": None, "city": None,
                             "span_start": 0, "span_end": 1, "span_text": "x"})
            conn.execute(event.insert(), rows)
    print(f"  events: {len(ids):,} (for {size:,} items)", file=sys.stderr)


def build(path: Path, size: int, reuse: bool) -> sa.Engine:
    if not reuse:
        for old in path.parent.glob(f"{path.name}*"):
            old.unlink()
    engine = db.create_engine(f"sqlite:///{path}")
    db.upgrade(engine, backfill=False)
    if not reuse:
        search_bench.fill(engine, size, search_bench.Writer(7))
        search_bench.build_ours(engine, size)
        add_events(engine, size)
    return engine


def requests(size: int, source_key: str, month: str) -> list[str]:
    deep = MAX_PAGE  # the deepest page a list serves (web/pages/rubric.py)
    many = " ".join(COMMON.split() * 3)  # 12 words: the clause cap
    filters = "&rubric=economy&language=kk&from=2015-01-01&to=2026-12-31&source=7"
    cursor = "1420070400000000.1"  # 2015-01-01: past every item
    return [
        "/kk/", "/kk/rubric/news", f"/kk/rubric/news?page={deep}", "/kk/rubric/news?page=100000",
        f"/kk/source/{source_key}?page=1", f"/kk/source/{source_key}?page=100000",
        f"/kk/source/{source_key}?page=3", f"/kk/events?page={deep}", "/kk/events",
        "/kk/events?page=100000", "/kk/status", f"/kk/rubric/news?page={deep + 1}",
        f"/kk/search?q={quote(COMMON)}", f"/kk/search?q={quote(COMMON)}&page=50",
        f"/kk/search?q={quote(many)}", f"/kk/search?q={quote(many)}{filters}",
        f"/kk/search?q={quote('-' + ' -'.join(COMMON.split()) + ' бағдарлама')}",
        f"/kk/search?q={quote('memlekettik bagdarlama')}",  # Latin: Cyrillic readings tried
        f"/kk/search?q={quote(chr(34) + COMMON + chr(34))}",
        f"/kk/search?q={quote('ә' * 1000)}",
        f"/api/v1/search?q={quote(COMMON)}&offset=1000&limit=100",
        f"/api/v1/search?q={quote(many)}&limit=100&sort=date",
        "/api/v1/articles?limit=100",
        "/api/v1/articles?limit=100&rubric=sport&lang=en&source=499",  # matches ~nothing
        "/api/v1/articles?limit=100&lang=en&since=2026-11-01",
        f"/api/v1/articles?limit=100&cursor={cursor}",
        "/api/v1/articles?limit=100&source=3&until=2015-02-01",
        "/api/v1/sources", f"/feeds/kk/search/rss.xml?q={quote(many)}",
        "/feeds/kk/rubric/news/atom.xml", "/sitemap.xml", f"/sitemaps/{month}.xml",
        "/feeds/events.ics",
    ]


def best_of(client: TestClient, path: str, runs: int = 3) -> tuple[float, int]:
    times, status = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        status = client.get(path).status_code
        times.append(time.perf_counter() - start)
    return min(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/aqparat-bench-costly"))
    parser.add_argument("--reuse", action="store_true", help="keep the store built earlier")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    engine = build(args.dir / f"store-{args.size}.db", args.size, args.reuse)
    settings = config.load(env={}, database_url="unused", search_per_minute=1e9,
                           api_per_minute=1e9)
    month = (dt.date(2026, 10, 1)).strftime("news-%Y-%m")
    client = TestClient(create_app(settings, engine))
    client.get("/kk/")  # warm: templates, stemmers, the planner's caches
    rows = [(path, *best_of(client, path)) for path in requests(args.size, "source-7", month)]
    base = next(t for p, t, _ in rows if p == "/kk/")
    print(f"\n{args.size:,} items · home page {base * 1000:.1f} ms\n")
    print("| ms | × home | status | request |\n|---:|---:|---:|---|")
    for path, seconds, status in sorted(rows, key=lambda r: -r[1]):
        print(f"| {seconds * 1000:.1f} | {seconds / base:.1f} | {status} | `{path[:110]}` |")
    worst = max(rows, key=lambda r: r[1])
    print(f"\nmost expensive: {worst[1] * 1000:.0f} ms — {worst[0]}  "
          f"(median of all {statistics.median(r[1] for r in rows) * 1000:.1f} ms)")
    engine.dispose()


if __name__ == "__main__":
    main()

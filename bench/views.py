"""What counting page views costs (web/views.py): wrk against `aqparat serve` (granian) on one
article page, once as a reader (counted) and once as a prefetch (the same page, not counted),
in the same run; then the store must hold exactly the views wrk's readers made, written in
batches and on shutdown. Also the write side alone: a batch upsert against one transaction
per view, the design that batching replaces.

    .venv/bin/python bench/views.py [--connections 32] [--seconds 10] [--workers 1]

Needs Debian's wrk. Prints req/s, latency and the ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from starlette.datastructures import Headers

from aqparat.store import db, views
from aqparat.testing.serving import free_port
from aqparat.web.views import ARTICLE_PATH, FlushOptions, ViewCounter, is_reader

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
if not SEED.is_file():
    SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wrk(url: str, connections: int, seconds: int, header: str) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", header, url], capture_output=True, text=True, check=True).stdout

    def ms(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(\w+)", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    done = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if done is None or rps is None:
        raise RuntimeError(f"bench: wrk said\n{out}")
    return {"requests": float(done.group(1)), "rps": float(rps.group(1)), "p50": ms("50"),
            "p99": ms("99")}


def stored(url: str) -> int:
    engine = db.create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(sa.text("SELECT coalesce(sum(views), 0) FROM item_view"))
        value = int(total.scalar_one())
    engine.dispose()
    return value


def write_side(url: str, item_id: int, n: int) -> tuple[float, float]:
    """Seconds for n views written one transaction each, and as one batch."""
    engine = db.create_engine(url)
    started = time.perf_counter()
    for _ in range(n):
        with engine.begin() as conn:
            views.add(conn, {item_id: 1})
    each = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        views.add(conn, {item_id: n})
    batch = time.perf_counter() - started
    engine.dispose()
    return each, batch


def per_view_cost(n: int = 100_000) -> float:
    """Microseconds CountViews spends on one reader's view: path match, header checks (the
    bot check answered from crawlerdetect's cache), one locked increment."""
    counter = ViewCounter(db.create_engine("sqlite://"), FlushOptions(batch=10**9))
    headers = Headers({"user-agent": BROWSER, "accept": "text/html"})
    started = time.perf_counter()
    for n_ in range(n):
        match = ARTICLE_PATH.fullmatch(f"/kk/news/{n_ % 500 + 1}")
        if match is not None and is_reader("GET", headers):
            counter.record(int(match.group(1)))
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing; apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        env = {**os.environ, "AQPARAT_DATABASE_URL": url, "AQPARAT_LOG_LEVEL": "WARNING"}
        cli = [sys.executable, "-m", "aqparat"]
        subprocess.run([*cli, "import", str(SEED)], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, stdout=subprocess.DEVNULL)
        page = f"http://127.0.0.1:{port}/kk/news/1"
        try:
            wait_for(page)  # counted only if it were a reader: urllib's agent is not
            # Alternated, twice each, so drift in the machine's load falls on both sides.
            runs: dict[str, list[dict[str, float]]] = {"reader": [], "prefetch": []}
            for _ in range(args.rounds):
                runs["reader"].append(wrk(page, args.connections, args.seconds,
                                          f"User-Agent: {BROWSER}"))
                runs["prefetch"].append(wrk(page, args.connections, args.seconds,
                                            "Sec-Purpose: prefetch"))
        finally:
            server.send_signal(signal.SIGTERM)  # granian runs the lifespan's shutdown
            server.wait(timeout=60)
        written = stored(url)
        each, batch = write_side(url, 1, 2000)
    print(f"article /kk/news/1, wrk -t2 -c{args.connections} -d{args.seconds}s, "
          f"granian workers={args.workers}")
    for name, key in (("reader (counted)", "reader"), ("prefetch (not)", "prefetch")):
        for r in runs[key]:
            print(f"  {name:17s} {r['rps']:9,.0f} req/s   p50 {r['p50']:7.2f} ms   "
                  f"p99 {r['p99']:7.2f} ms   {r['requests']:,.0f} requests")
    counted, plain = (sum(r["requests"] for r in runs[k]) for k in ("reader", "prefetch"))
    print(f"  ratio counted / not counted, requests served: {counted / plain:.3f}")
    print(f"  views in the store after shutdown: {written:,} (wrk completed {counted:,.0f} "
          f"reader requests; answers still in flight when it stops are counted, not seen)")
    print(f"  deciding and counting one view in-process: {per_view_cost():.2f} µs")
    print(f"  write side, 2,000 views on SQLite: one transaction each {each * 1000:,.1f} ms, "
          f"one batch {batch * 1000:,.2f} ms, ratio {each / batch:,.0f}")


if __name__ == "__main__":
    main()

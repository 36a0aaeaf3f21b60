"""The Python a cached page costs: the whole application called in-process, as granian calls
it, for a page already in the page cache, with no server and no sockets around it. bench/web.py
measures the same hit through granian, beside nginx; this isolates what our code adds.

    .venv/bin/python bench/hit.py [--path /kk/] [--hits 10000]

Prints the best of 7 runs of `--hits` requests, in µs per request. On a shared machine that
figure moves by half from run to run; instruction counts do not. valgrind counts them, the
same for the same code (2,100 hits is the difference between the two runs):

    valgrind --tool=callgrind --callgrind-out-file=/tmp/a .venv/bin/python bench/hit.py --hits 1
    valgrind --tool=callgrind --callgrind-out-file=/tmp/b .venv/bin/python bench/hit.py --hits 301
    callgrind_annotate /tmp/a | grep TOTALS; callgrind_annotate /tmp/b | grep TOTALS
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aqparat import config
from aqparat.store import db
from aqparat.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
if not SEED.is_file():
    SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"
RUNS = 7
WARM = 200


def scope(path: str) -> dict[str, Any]:
    """A plain GET as granian hands it over (no Accept-Encoding: the plain bytes, as wrk)."""
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "headers": [(b"host", b"127.0.0.1:8000")],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {}}


async def measure(app: Any, path: str, hits: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    for _ in range(WARM):  # rendered once, then kept; every worker thread started
        await app(scope(path), receive, send)
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        for _ in range(hits):
            await app(scope(path), receive, send)
        best = min(best, time.perf_counter() - started)
    if set(statuses) != {200}:
        sys.exit(f"bench: {path} answered {sorted(set(statuses))}")
    return best / hits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/kk/")
    parser.add_argument("--hits", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'hit.db'}"
        subprocess.run([sys.executable, "-m", "aqparat", "import", str(SEED)], check=True,
                       capture_output=True, env={"AQPARAT_DATABASE_URL": url,
                                                 "PATH": "/usr/bin:/bin"})
        engine = db.create_engine(url)
        # An hour between counter reads: every hit in the loop is a hit (in service the
        # counter is read every 0.1 s, one request in thousands under load).
        settings = config.load(env={}, database_url=url, page_cache_check_seconds=3600)
        app = create_app(settings, engine)
        seconds = asyncio.run(measure(app, args.path, args.hits))
        engine.dispose()
    print(f"{args.path}: {seconds * 1e6:.1f} µs per cached request (best of {RUNS} runs of "
          f"{args.hits:,})")


if __name__ == "__main__":
    main()

"""The store at size: grow a synthetic store (bench/synth.py) through each of --sizes and, at
each, report build time, database size and the server-side cost of the pages readers ask for —
home, a rubric's first page, its page 500 and a keyset page halfway down, the biggest source's
first and deep pages, an archive day, articles, and search for a frequent and a rare word —
on SQLite and, with --pg-url, PostgreSQL; then the resident memory of a real `aqparat serve`
worker that answered the same pages, and the peak resident memory of a real `aqparat worker`
that crawled the fake gov.kz (testing/fake_govkz.py, on 127.0.0.1) into the same store.

    .venv/bin/python bench/scale.py --sizes 100000,1000000 [--pg-url postgresql://…/db]
        [--dir /tmp/aqparat-scale] [--reuse] [--reps 40]

SQLite stores are files `sqlite-<size>.db` in --dir (each begun as a copy of the next smaller
one); PostgreSQL grows one database through the sizes and measures after each step. --reuse
keeps what exists and only adds the missing items.

Ratios are from the same run: each request's p50 at a size ÷ its p50 at the smallest size,
and a frequent word's search ÷ a rare word's. Requests go through the ASGI app in process with
the page cache off (`page_cache_mb = 0`: this measures the store and the rendering, not the
cache, which bench/web.py measures) and the objects built before the first request frozen out
of the garbage collector's way, as a served worker's are (web/asgi.py). They are timed in wall
and in CPU seconds — on a shared machine, waiting for a core inflates wall time, so both are
printed with the load average. The test suite never runs this: building a million items takes
most of an hour.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import sqlalchemy as sa
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # bench/synth.py
from aqparat import config
from aqparat.store import db, maintenance
from aqparat.store.schema import item, item_rubric
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz
from aqparat.web import asgi, query
from aqparat.web.app import create_app
from aqparat.web.pages.paging import MAX_PAGE

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Timing:
    wall: list[float]  # ms
    cpu: list[float]  # ms

    def p(self, q: int, cpu: bool = False) -> float:
        values = sorted(self.cpu if cpu else self.wall)
        return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def count_items(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.max(item.c.id))).scalar() or 0)


def grow(url: str, size: int, seed: int) -> float:
    """Add items until the store holds `size` (ids are dense: the highest id is the count)."""
    engine = db.create_engine(url)
    db.upgrade(engine, backfill=False)
    have = count_items(engine)
    engine.dispose()
    if have >= size:
        return 0.0
    built = synth.build(url, size - have, seed + have, workers=2,
                        progress=synth.ticker(size - have))
    print(file=sys.stderr)
    return built.seconds


def _words() -> tuple[str, str]:
    """A frequent and a rare Kazakh word of the synthetic vocabulary (base forms, ≥ 5 letters)."""
    kk = synth.vocabularies()["kk"]
    counts: dict[str, float] = {}
    previous = 0.0
    for word, cum in zip(kk.words, kk.cum, strict=True):
        counts[word], previous = cum - previous, cum
    long = sorted((c, w) for w, c in counts.items() if len(w) >= 5 and w.isalpha())
    return long[-1][1], long[len(long) // 10][1]


def requests(engine: sa.Engine, rng: random.Random) -> dict[str, list[str]]:
    """Paths by name; several paths for a name are cycled through (articles)."""
    with engine.connect() as conn:
        top = conn.execute(sa.text(
            "SELECT s.slug, count(*) AS n FROM item i JOIN source s ON s.id = i.source_id "
            "WHERE i.id <= 20000 GROUP BY s.slug ORDER BY n DESC LIMIT 1")).first()
        last = count_items(engine)
        half = conn.execute(sa.select(item_rubric.c.published_at, item_rubric.c.item_id)
                            .where(item_rubric.c.rubric_slug == "news",
                                   item_rubric.c.item_id <= last // 2)
                            .order_by(item_rubric.c.item_id.desc()).limit(1)).first()
        recent = conn.execute(sa.select(item.c.published_at).where(item.c.id == last)).scalar()
    assert top is not None
    assert half is not None
    assert recent is not None
    deep = query.encode_cursor((half[0], half[1]))
    day = (recent - dt.timedelta(days=3)).astimezone(dt.timezone(dt.timedelta(hours=5)))
    frequent, rare = _words()
    ids = [rng.randint(1, last) for _ in range(200)]
    return {
        "home": ["/kk/"],
        "rubric p1": ["/kk/rubric/news"],
        f"rubric p{MAX_PAGE} (OFFSET)": [f"/kk/rubric/news?page={MAX_PAGE}"],
        "rubric halfway (keyset)": [f"/kk/rubric/news?before={deep}"],
        "biggest source p1": [f"/kk/source/{top[0]}"],
        "biggest source halfway": [f"/kk/source/{top[0]}?before={deep}"],
        "archive day": [f"/kk/archive/{day:%Y/%m/%d}"],
        "article": [f"/kk/news/{i}" for i in ids],
        f"search frequent ({frequent})": [f"/kk/search?q={quote(frequent)}"],
        f"search rare ({rare})": [f"/kk/search?q={quote(rare)}"],
        "search 2 words": [f"/kk/search?q={quote(frequent + ' ' + rare)}"],
    }


def measure(client: TestClient, paths: list[str], reps: int) -> tuple[Timing, int]:
    for path in paths[:2]:
        client.get(path)  # warm: templates, stemmers, the count kept for 10 minutes
    wall, cpu, status = [], [], 0
    for n in range(reps):
        path = paths[n % len(paths)]
        w, c = time.perf_counter(), time.process_time()
        status = client.get(path).status_code
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return Timing(wall, cpu), status


def descendants_rss(pid: int) -> int:
    """Resident kilobytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def worker_rss(url: str) -> tuple[int, int]:
    """Run `aqparat worker --until-idle` against the fake gov.kz (its 300 real items, each in
    kk, ru and en, on five entities) into the store; return its peak resident KiB (the
    kernel's ru_maxrss for that process) and the items it stored."""
    world = govkz_world.build(govkz_world.load_items())
    env = {**os.environ, "AQPARAT_DATABASE_URL": url, "AQPARAT_FETCH_RATE": "1000",
           "AQPARAT_FETCH_JITTER": "0", "AQPARAT_LOG_LEVEL": "WARNING"}
    engine = db.create_engine(url)
    before = count_items(engine)
    # stderr to a file, not a pipe: nothing reads a pipe while wait4 waits, and a worker that
    # logs more than the pipe holds would block on it for ever.
    with FakeGovKz(world) as fake, tempfile.TemporaryFile() as log:
        env["AQPARAT_GOVKZ_BASE_URL"] = fake.url
        command = [str(REPO / ".venv" / "bin" / "aqparat"), "worker", "--kind", "govkz",
                   "--until-idle", *(f"--source={slug}" for slug in govkz_world.ENTITIES)]
        proc = subprocess.run([sys.executable, "-c", _LAUNCH, *command], env=env, cwd="/tmp",
                              stdout=subprocess.PIPE, stderr=log, text=True, check=False)
        log.seek(0)
        err = log.read().decode(errors="replace")
        if proc.returncode != 0:
            print(f"    worker: exit {proc.returncode}: {err[:1500]} … {err[-500:]}",
                  file=sys.stderr)
    stored = count_items(engine) - before
    engine.dispose()
    return int(proc.stdout.split()[-1]), stored


# Linux keeps, in a process's peak resident size (ru_maxrss), the peak of the memory it had
# before exec: for a child started from here, that is this process's own — several GiB after
# building a store with a large page cache (a worker "peaked" at 10 GiB that way). So a small
# launcher starts the worker, waits for it and prints its peak in KiB; its exit code is the
# worker's.
_LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def serve_rss(url: str, paths: list[str]) -> int:
    """Start `aqparat serve --workers 1`, ask it every path, return its resident KiB."""
    port = 18000 + os.getpid() % 1000
    env = {**os.environ, "AQPARAT_DATABASE_URL": url}
    proc = subprocess.Popen([str(REPO / ".venv" / "bin" / "aqparat"), "serve", "--port",
                             str(port), "--workers", "1"], env=env, cwd="/tmp",
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        for path in paths:
            try:
                httpx.get(base + path, timeout=120)
            except httpx.HTTPError as exc:  # an overloaded machine: say so, measure anyway
                print(f"    serve: {path}: {exc!r}", file=sys.stderr)
        return descendants_rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass(slots=True)
class Row:
    engine: str
    size: int
    build_s: float
    mib: float
    timings: dict[str, tuple[Timing, int]]
    rss_kib: int
    worker_kib: int
    worker_items: int


def run_size(url: str, engine_name: str, size: int, args: argparse.Namespace) -> Row:
    build_s = grow(url, size, args.seed)
    engine = db.create_engine(url)
    # After a bulk load, PostgreSQL wants VACUUM (ANALYZE): it sets the visibility map that
    # index-only scans need and clears the change counter's dead rows — autovacuum would, but
    # it may be off (it is on this machine's server) or not have come round yet. SQLite's
    # VACUUM rewrites the file, which a load that only appended does not need.
    pg = engine.dialect.name == "postgresql"
    done = maintenance.vacuum(engine) if pg else maintenance.analyze(engine)
    print(f"  {engine_name} {size:,}: built in {build_s:,.0f} s, "
          f"{'vacuum (analyze)' if pg else 'analyze'} {done.seconds:.1f} s", file=sys.stderr)
    settings = config.load(env={}, database_url="unused", page_cache_mb=0,
                           search_per_minute=1e9, api_per_minute=1e9)
    paths = requests(engine, random.Random(args.seed))
    timings = {}
    app = create_app(settings, engine)
    asgi.freeze_built_objects()  # as a served worker does (web/asgi.py)
    try:
        with TestClient(app) as client:
            for name, ps in paths.items():
                timings[name] = measure(client, ps, args.reps)
                print(f"    {name}: p50 {timings[name][0].p(50):.1f} ms", file=sys.stderr)
    finally:
        gc.unfreeze()
    rss = serve_rss(url, [p for ps in paths.values() for p in ps[:3]])
    worker_kib, worker_items = worker_rss(url)  # last: it adds items to the store
    mib = maintenance.size(engine) / 2**20
    engine.dispose()
    return Row(engine_name, size, build_s, mib, timings, rss, worker_kib, worker_items)


def report(rows: list[Row]) -> str:
    load = os.getloadavg()
    out = [f"# bench/scale.py — {os.cpu_count()} cores, load average {load[0]:.1f} "
           f"{load[1]:.1f} {load[2]:.1f} at the end", ""]
    out += ["| engine | items | build s (items/s) | store MiB | serve RSS MiB | "
            "crawl worker peak RSS MiB (items it stored) | together MiB |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    out += [f"| {r.engine} | {r.size:,} | {r.build_s:,.0f} "
            f"({(r.size / r.build_s) if r.build_s else 0:,.0f}) | {r.mib:,.0f} | "
            f"{r.rss_kib / 1024:,.0f} | {r.worker_kib / 1024:,.0f} ({r.worker_items:,}) | "
            f"{(r.rss_kib + r.worker_kib) / 1024:,.0f} |" for r in rows]
    out += ["", "| engine | items | request | status | wall p50 / p95 / p99 / max ms | "
            "CPU p50 / p95 / p99 ms | p50 ÷ smallest size |", "|---|---:|---|---:|---|---|---:|"]
    first: dict[tuple[str, str], float] = {}
    for r in rows:
        for name, (t, status) in r.timings.items():
            base = first.setdefault((r.engine, name), t.p(50))
            out.append(f"| {r.engine} | {r.size:,} | {name} | {status} | {t.p(50):.1f} / "
                       f"{t.p(95):.1f} / {t.p(99):.1f} / {max(t.wall):.1f} | "
                       f"{t.p(50, True):.1f} / {t.p(95, True):.1f} / {t.p(99, True):.1f} | "
                       f"{t.p(50) / base:.2f} |")
    out.append("")
    for r in rows:
        search = {n.split(" (")[0]: t for n, (t, _) in r.timings.items()}
        freq, rare = search["search frequent"], search["search rare"]
        p1, deep = r.timings["rubric p1"][0], r.timings["rubric halfway (keyset)"][0]
        out.append(f"- {r.engine} {r.size:,}: search frequent ÷ rare word p50 "
                   f"{freq.p(50) / rare.p(50):.2f} (CPU {freq.p(50, True) / rare.p(50, True):.2f})"
                   f"; rubric halfway ÷ page 1 p50 {deep.p(50) / p1.p(50):.2f}")
    return "\n".join(out)


def sqlite_store(folder: Path, size: int, reuse: bool) -> Path:
    """`sqlite-<size>.db`: kept with --reuse, else started as a copy of the largest smaller
    store (then grown), else empty. One file per size, so every size is measured in one run."""
    path = folder / f"sqlite-{size}.db"
    if reuse and path.is_file():
        return path
    for old in folder.glob(f"{path.name}*"):
        old.unlink()
    smaller = sorted((int(p.stem.split("-")[1]), p) for p in folder.glob("sqlite-*.db")
                     if p.stem.split("-")[1].isdigit() and int(p.stem.split("-")[1]) < size)
    if smaller:
        engine = db.create_engine(f"sqlite:///{smaller[-1][1]}")
        with engine.connect() as conn:  # its write-ahead log into the file, then copy it
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        shutil.copyfile(smaller[-1][1], path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--pg-url", help="an empty (or --reuse) PostgreSQL database")
    parser.add_argument("--pg-sizes", help="sizes for PostgreSQL (default: --sizes)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/aqparat-scale"))
    parser.add_argument("--reuse", action="store_true", help="grow the stores built earlier")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = []
    if not args.skip_sqlite:
        rows += [run_size(f"sqlite:///{sqlite_store(args.dir, size, args.reuse)}", "sqlite",
                          size, args) for size in sizes]
    if args.pg_url:
        if not args.reuse:
            engine = db.create_engine(args.pg_url)
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        pg_sizes = sorted(int(s) for s in (args.pg_sizes or args.sizes).split(","))
        rows += [run_size(args.pg_url, "postgresql", size, args) for size in pg_sizes]
    print(report(rows))


if __name__ == "__main__":
    main()

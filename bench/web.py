"""Page throughput and latency: `aqparat serve` (granian, page cache on) against nginx serving
the home page's bytes as a static file, every row measured with wrk in the same run, so the
ratios hold however loaded the machine is. Prints req/s, p50 and p99 per page, and each
page's ratio to nginx.

    .venv/bin/python bench/web.py [--store sqlite:////tmp/store-1m.db] [--connections 64]
                                  [--seconds 10] [--workers 2] [--rounds 3]

nginx, the bare app and the cached home page take turns, --rounds times, and each prints its
median run with the lowest and highest beside it: the ratios that matter most come from runs
interleaved in time, not from runs a minute apart.

Rows: granian serving the same bytes from a bare ASGI app (bench/floor_app.py: what any
application under granian can reach), the home page (cached, and with the page cache off),
rubric page 1 and page 500, one article, articles drawn at random from 10,000 (wrk Lua script:
most are not in the cache yet, so this is the render path at the store's size), one search, and
searches for words drawn at random from 500 item titles. nginx, the bare app and the home page
are measured twice: as wrk asks by default (no Accept-Encoding: the home page's 84 KB, plain)
and as browsers ask (gzip accepted: aqparat's own gzip bytes, which nginx sends from a
`.gz` file with gzip_static); each gzip row's ratio is to nginx sending the same gzip bytes.
Without --store the seed dump is imported into a temporary store. Make a large store once with
bench/synth.py and point --store at it.

Needs Debian's wrk and nginx-light (`apt-get install wrk nginx-light`).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from aqparat.testing.serving import free_port

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
if not SEED.is_file():
    SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  default_type text/html;
  client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp; fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;
  gzip_static on; gzip_vary on;  # index.html.gz, aqparat's own gzip bytes, when asked for gzip
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ try_files /index.html =404; }} }}
}}
"""
# wrk draws one path per request from a file of paths (one per line).
RANDOM_PATHS_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(7)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""
WORD = re.compile(r"[^\W\d_]{5,}")
NGINX_GZIP = "nginx static home, gzip"


def wait_for(url: str, seconds: float = 120) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            # 503: a cold first render ran over the query budget (web/budget.py); warm up.
            if error.code != 503 or time.monotonic() > deadline:
                raise  # the server is up and said no
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def load() -> str:
    """The 1, 5 and 15 minute load averages (2 cores shared with other work: read with care)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# What a browser asks for: every one sends Accept-Encoding (gzip among the codings), and gets
# the page in fewer bytes. nginx-light has no brotli, so both sides are asked for gzip alone.
GZIP = ("Accept-Encoding: gzip",)


def wrk(url: str, connections: int, seconds: int, script: Path | None = None,
        headers: tuple[str, ...] = ()) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    for header in headers:
        command[1:1] = ["-H", header]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rps": rps, "p50": pct("50"), "p99": pct("99"),
            "errors": float(errors.group(1)) if errors else 0.0}


def warmed(url: str, connections: int, seconds: int) -> dict[str, float]:
    """`wrk` after two seconds of it unmeasured: every worker has the page in its own cache
    and its connections open. (Measured cold, the cached home on a 5 M store gave 22,700
    req/s where three warm runs gave 31,300-32,400: a worker's first render at that size
    holds its event loop while its share of the 64 connections wait.)"""
    wrk(url, connections, 2)
    return wrk(url, connections, seconds)


def rounds(urls: dict[str, tuple[str, tuple[str, ...]]], connections: int, seconds: int,
           times: int) -> list[tuple[str, dict[str, float]]]:
    """Each URL measured `times` times, taking turns, and the median run of each kept (its
    p50 and p99 with it; `low`/`high` the other runs' req/s). On a shared machine the load
    drifts over a minute: rows measured one after the other compare the drift as much as the
    servers (the home page once gave 23-28 k req/s here and 31-32 k in plain runs)."""
    for url, headers in urls.values():
        # warm: every worker has the page cached, connections open
        wrk(url, connections, 2, headers=headers)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
    for _ in range(times):
        for name, (url, headers) in urls.items():
            runs[name].append(wrk(url, connections, seconds, headers=headers))
    rows = []
    for name, got in runs.items():
        got.sort(key=lambda r: r["rps"])
        rows.append((name, {**got[len(got) // 2], "low": got[0]["rps"],
                            "high": got[-1]["rps"]}))
    return rows


def _in_ids(column: str) -> sa.TextClause:
    """`column` of the shown kk items among `:ids` (column names are ours, never input)."""
    return sa.text(f"SELECT {column} FROM item WHERE lang = 'kk' AND status = 'shown' "  # noqa: S608
                   "AND id IN :ids").bindparams(sa.bindparam("ids", expanding=True))


def sample(database_url: str, work: Path) -> tuple[Path, Path, int]:
    """10,000 random shown kk article paths and 500 search paths; and an article id."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        top = conn.execute(sa.text("SELECT max(id) FROM item")).scalar_one()
        ids: list[int] = []
        rng = random.Random(7)
        for _ in range(50):  # random ids, without a scan of a large table
            batch = [rng.randint(1, top) for _ in range(2000)]
            ids += conn.execute(_in_ids("id"), {"ids": batch}).scalars()
            if len(ids) >= 10_000:
                break
        else:  # a small store: all of it
            ids = list(conn.execute(sa.text("SELECT id FROM item WHERE lang = 'kk' AND "
                                            "status = 'shown' LIMIT 10000")).scalars())
        titles = conn.execute(_in_ids("title"), {"ids": ids[:500]}).scalars().all()
    engine.dispose()
    articles, searches = work / "articles.txt", work / "searches.txt"
    articles.write_text("".join(f"/kk/news/{i}\n" for i in ids[:10_000]))
    words = [w for t in titles for w in WORD.findall(t)] or ["білім"]
    searches.write_text("".join(f"/kk/search?q={quote(rng.choice(words))}\n"
                                for _ in range(500)))
    return articles, searches, ids[0]


def script(work: Path, paths: Path) -> Path:
    lua = work / f"{paths.stem}.lua"
    lua.write_text(RANDOM_PATHS_LUA % paths)
    return lua


@contextmanager
def running(command: list[str], ready: str, **popen: Any) -> Iterator[None]:
    """A server process, from the moment `ready` answers until the block ends; then stopped,
    its whole process group killed if it has not stopped within 30 s. (Seen twice after the
    random-article rows on a 5 M store: one granian worker still running minutes after its
    supervisor was told to stop.)"""
    proc = subprocess.Popen(command, start_new_session=True, **popen)
    try:
        wait_for(ready)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"bench: {command[0]} did not stop within 30 s; killing its processes",
                  file=sys.stderr)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def serving(env: dict[str, str], workers: int) -> Iterator[str]:
    base = f"http://127.0.0.1:{free_port()}"
    with running([sys.executable, "-m", "aqparat", "serve", "--port", base.rsplit(":", 1)[1],
                  "--workers", str(workers)], f"{base}/healthz", env=env,
                 stdout=subprocess.DEVNULL):
        yield base


def gzipped(url: str) -> bytes:
    """The page's bytes as aqparat sends them to a client that accepts gzip."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.headers.get("Content-Encoding") != "gzip":
            sys.exit(f"bench: {url} did not answer gzip to a client that asked for it")
        return bytes(response.read())


@contextmanager
def nginx(work: Path, home: bytes, home_gzip: bytes) -> Iterator[str]:
    nginx_dir, port = work / "nginx", free_port()
    (nginx_dir / "www").mkdir(parents=True)
    (nginx_dir / "tmp").mkdir()
    (nginx_dir / "www" / "index.html").write_bytes(home)
    (nginx_dir / "www" / "index.html.gz").write_bytes(home_gzip)
    (nginx_dir / "nginx.conf").write_text(NGINX_CONF.format(dir=nginx_dir, port=port))
    url = f"http://127.0.0.1:{port}/"
    with running([shutil.which("nginx") or "/usr/sbin/nginx", "-c",
                  str(nginx_dir / "nginx.conf")], url):
        yield url


@contextmanager
def floor(work: Path, home: bytes, home_gzip: bytes, workers: int) -> Iterator[str]:
    """bench/floor_app.py under granian, as `aqparat serve` runs it: the server's own cost."""
    body, body_gzip, port = work / "floor.html", work / "floor.html.gz", free_port()
    body.write_bytes(home)
    body_gzip.write_bytes(home_gzip)
    url = f"http://127.0.0.1:{port}/"
    with running([str(Path(sys.executable).with_name("granian")), "--interface", "asgi",
                  "--workers", str(workers), "--port", str(port), "--working-dir",
                  str(REPO / "bench"), "floor_app:app"], url,
                 env={**os.environ, "FLOOR_BODY": str(body), "FLOOR_GZIP": str(body_gzip)},
                 stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL):
        yield url


def store_url(store: str | None, work: Path, env: dict[str, str]) -> str:
    if store is None:
        url = f"sqlite:///{work / 'bench.db'}"
        subprocess.run([sys.executable, "-m", "aqparat", "import", str(SEED)],
                       env={**env, "AQPARAT_DATABASE_URL": url}, check=True, capture_output=True)
        return url
    return store if "://" in store else f"sqlite:///{Path(store).resolve()}"


def measure(args: argparse.Namespace,
            work: Path) -> tuple[list[tuple[str, dict[str, float]]], int, int, str]:
    env = {**os.environ, "AQPARAT_LOG_LEVEL": "WARNING",
           # One client, many requests: the per-client limits would measure themselves.
           "AQPARAT_SEARCH_PER_MINUTE": "100000000", "AQPARAT_API_PER_MINUTE": "100000000",
           # A slow first render must finish once to be cached, not be cut at the budget.
           "AQPARAT_WEB_QUERY_SECONDS": os.environ.get("AQPARAT_WEB_QUERY_SECONDS", "60")}
    url = store_url(args.store, work, env)
    env["AQPARAT_DATABASE_URL"] = url
    articles, searches, article = sample(url, work)
    c, s = args.connections, args.seconds
    rows: list[tuple[str, dict[str, float]]] = []
    with serving(env, args.workers) as base:
        home = wait_for(f"{base}/kk/")
        home_gzip = gzipped(f"{base}/kk/")
        pages = [("rubric page 1", "/kk/rubric/news"),
                 ("rubric page 500", "/kk/rubric/news?page=500"),
                 ("article (one)", f"/kk/news/{article}"),
                 ("search (one)", f"/kk/search?q={quote('білім')}")]
        with nginx(work, home, home_gzip) as static:
            with floor(work, home, home_gzip, args.workers) as bare:
                rows += rounds({"nginx static home": (static, ()),
                                "granian, bare ASGI app": (bare, ()),
                                "home /kk/": (f"{base}/kk/", ()),
                                f"{NGINX_GZIP}": (static, GZIP),
                                "bare ASGI app, gzip": (bare, GZIP),
                                "home /kk/, gzip": (f"{base}/kk/", GZIP)}, c, s, args.rounds)
            for name, path in pages:
                try:
                    wait_for(base + path, seconds=30)  # its first render is not measured
                except urllib.error.HTTPError as error:  # page 500 of a small store
                    print(f"bench: {path} answered {error.code}; row left out", file=sys.stderr)
                    continue
                rows.append((name, warmed(base + path, c, s)))
            rows.append(("article (random)", wrk(base + "/", c, s, script(work, articles))))
            rows.append(("search (random)", wrk(base + "/", c, s, script(work, searches))))
    with serving({**env, "AQPARAT_PAGE_CACHE_MB": "0"}, args.workers) as base:
        # Warmed like the cached rows: a fresh server's first second served 114 req/s at 1 M
        # items (its workers still importing and connecting), the seconds after it 280-330.
        rows.append(("home, page cache off", warmed(f"{base}/kk/", c, s)))
    return rows, len(home), len(home_gzip), url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="a prepared store: a SQLite path or a database URL")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns taken by nginx, the bare app and the home page")
    args = parser.parse_args()
    # Stopped from outside (timeout, Ctrl+C): leave through the `with` blocks, which stop the
    # servers they started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"bench: stopped (load {load()})"))
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"bench: {tool} is missing; apt-get install wrk nginx-light")
    before = load()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx workers run as an unprivileged user and must read www/
        rows, home_bytes, gzip_bytes, url = measure(args, work)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            items = conn.execute(sa.text("SELECT count(*) FROM item")).scalar_one()
        engine.dispose()
    print(f"store {sa.make_url(url).render_as_string(hide_password=True)}: {items:,} items; "
          f"home {home_bytes:,} bytes ({gzip_bytes:,} gzipped); wrk -t2 -c{args.connections} "
          f"-d{args.seconds}s; granian workers={args.workers}; load {before} → {load()}")
    rates = {name: r["rps"] for name, r in rows}
    for name, r in rows:
        # gzip rows against nginx sending the same gzip bytes, the others against plain nginx
        base = rates[NGINX_GZIP] if "gzip" in name else rows[0][1]["rps"]
        errors = f"   {r['errors']:.0f} non-2xx" if r["errors"] else ""
        spread = (f"   median of {args.rounds}: {r['low']:,.0f}–{r['high']:,.0f}"
                  if "low" in r else "")
        print(f"  {name:22s} {r['rps']:9,.0f} req/s  p50 {r['p50']:8.2f} ms  p99 {r['p99']:8.2f}"
              f" ms  × nginx {r['rps'] / base:6.3f}{errors}{spread}")


if __name__ == "__main__":
    main()

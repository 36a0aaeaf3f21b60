"""Home page throughput: `aqparat serve` (granian) against nginx serving the same bytes as a
static file, both measured with wrk in the same run. Prints req/s, latency and the ratio.

    .venv/bin/python bench/web.py [--connections 32] [--seconds 10] [--workers 1]

Needs Debian's wrk and nginx-light (`apt-get install wrk nginx-light`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

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
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ try_files /index.html =404; }} }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wrk(url: str, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rps": rps, "p50": pct("50"), "p99": pct("99")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"bench: {tool} is missing; apt-get install wrk nginx-light")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx workers run as an unprivileged user and must read www/
        env = {**os.environ, "AQPARAT_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
               "AQPARAT_LOG_LEVEL": "WARNING"}
        cli = [sys.executable, "-m", "aqparat"]
        subprocess.run([*cli, "import", str(SEED)], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, stdout=subprocess.DEVNULL)
        nginx_dir, nginx_port = work / "nginx", free_port()
        try:
            home = wait_for(f"http://127.0.0.1:{port}/kk/")
            (nginx_dir / "www").mkdir(parents=True)
            (nginx_dir / "tmp").mkdir()
            (nginx_dir / "www" / "index.html").write_bytes(home)
            (nginx_dir / "nginx.conf").write_text(NGINX_CONF.format(dir=nginx_dir,
                                                                    port=nginx_port))
            nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c",
                                      str(nginx_dir / "nginx.conf")])
            try:
                wait_for(f"http://127.0.0.1:{nginx_port}/")
                ours = wrk(f"http://127.0.0.1:{port}/kk/", args.connections, args.seconds)
                base = wrk(f"http://127.0.0.1:{nginx_port}/", args.connections, args.seconds)
            finally:
                nginx.terminate()
                nginx.wait()
        finally:
            server.terminate()
            server.wait()
    print(f"home page /kk/ ({len(home):,} bytes), wrk -t2 -c{args.connections} "
          f"-d{args.seconds}s, granian workers={args.workers}")
    for name, r in (("aqparat", ours), ("nginx static", base)):
        print(f"  {name:13s} {r['rps']:10,.0f} req/s   p50 {r['p50']:7.2f} ms   "
              f"p99 {r['p99']:7.2f} ms")
    print(f"  ratio aqparat / nginx: {ours['rps'] / base['rps']:.3f}")


if __name__ == "__main__":
    main()

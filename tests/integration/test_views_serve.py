"""View counts through the real server: `aqparat serve` (granian) counts readers' views in
memory, writes them when it is stopped (the ASGI lifespan's shutdown), and a new server
shows them. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import sqlalchemy as sa

from aqparat.store import db
from aqparat.store.schema import item_view
from aqparat.testing.serving import free_port

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "aqparat", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"aqparat serve exited with {proc.returncode}"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            assert time.monotonic() < deadline, "aqparat serve did not start in 60 s"
            time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0


def _views(url: str) -> dict[int, int]:
    engine = db.create_engine(url)
    try:
        with engine.connect() as conn:
            return {int(i): int(v) for i, v in conn.execute(sa.select(item_view))}
    finally:
        engine.dispose()


def test_views_survive_a_server_restart(database_url: str, seed_path: Path) -> None:
    env = {**os.environ, "AQPARAT_DATABASE_URL": database_url, "AQPARAT_LOG_LEVEL": "WARNING",
           "AQPARAT_VIEWS_FLUSH_SECONDS": "3600"}  # only the shutdown writes
    cli = [sys.executable, "-m", "aqparat"]
    subprocess.run([*cli, "import", str(seed_path)], env=env, check=True, capture_output=True)
    proc, base = _serve(env)
    try:
        with httpx.Client(base_url=base, headers={"user-agent": BROWSER}) as client:
            for _ in range(5):
                assert client.get("/kk/news/1").status_code == 200
            client.get("/ru/news/2")
            client.get("/kk/news/2", headers={"user-agent": "curl/8.5.0"})  # a tool: not
        assert _views(database_url) == {}  # counted in memory only
    finally:
        _stop(proc)
    assert _views(database_url) == {1: 5, 2: 1}
    proc, base = _serve(env)
    try:
        html = httpx.get(f"{base}/kk/news/1", headers={"user-agent": BROWSER}).text
        assert re.search(r'class="views">5 рет көрсетілді<', html)
    finally:
        _stop(proc)
    assert _views(database_url) == {1: 6, 2: 1}

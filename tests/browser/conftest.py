"""A real `aqparat serve` on loopback, on a store filled by a real `aqparat import`, and
Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_pages import Site, serve_site

from aqparat.testing.serving import free_port, wait_until_up

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-output" / "screenshots"  # pytest-playwright wipes test-results/

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/system-deps)",
                allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Flags keep Chromium off the network this machine does not have.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # Hosts other than loopback do not resolve: a page's (or a hostile
                 # payload's) outside link fails at once instead of waiting on DNS.
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    }


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
    if not seed.is_file():
        seed = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"
    db_path = tmp_path_factory.mktemp("portal") / "portal.db"
    env = {**os.environ, "AQPARAT_DATABASE_URL": f"sqlite:///{db_path}",
           "AQPARAT_LOG_LEVEL": "WARNING"}
    cli = [sys.executable, "-m", "aqparat"]
    subprocess.run([*cli, "import", str(seed)], env=env, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A fuller store (seed + fake gov.kz crawl) served on loopback: site_pages.py."""
    yield from serve_site(tmp_path_factory)


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS

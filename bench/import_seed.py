"""Import time for the seed page: the whole chain (parse → pipeline → store, one transaction)
against, in the same run, a bare baseline (read the file, split on the source lines, INSERT the
raw text with sqlite3). Prints both and their ratio.

    .venv/bin/python bench/import_seed.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aqparat.ingest import default_options, import_dump
from aqparat.store import db

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
if not SEED.is_file():
    SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"


def aqparat_import(workdir: Path, n: int) -> None:
    engine = db.open_store(f"sqlite:///{workdir / f'a{n}.db'}", migrate=True)
    options = default_options()
    start = time.perf_counter()
    report = import_dump(engine, SEED, portal="bench", options=options)
    TIMES["aqparat"].append(time.perf_counter() - start)
    assert report.ok, report
    assert report.counts["new"] == 5, report
    engine.dispose()


def bare_import(workdir: Path, n: int) -> None:
    conn = sqlite3.connect(workdir / f"b{n}.db")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, url TEXT UNIQUE, text TEXT)")
    start = time.perf_counter()
    text = SEED.read_text(encoding="utf-8")
    chunks = re.split(r"Ақпарат көзі : (\S+)", text)
    with conn:
        conn.executemany("INSERT OR IGNORE INTO item (url, text) VALUES (?, ?)",
                         zip(chunks[1::2], chunks[0::2], strict=False))
    TIMES["bare"].append(time.perf_counter() - start)
    conn.close()


TIMES: dict[str, list[float]] = {"aqparat": [], "bare": []}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    runs: list[Callable[[Path, int], None]] = [aqparat_import, bare_import]
    with tempfile.TemporaryDirectory() as tmp:
        aqparat_import(Path(tmp), -1)  # warm-up: lingua's models, Babel's locale data
        TIMES["aqparat"].clear()
        for n in range(rounds):
            for run in runs:
                run(Path(tmp), n)
    med = {k: statistics.median(v) * 1000 for k, v in TIMES.items()}
    print(f"seed import ({SEED.name}, 10 listed items → 5 articles), median of {rounds} rounds")
    print(f"  aqparat parse+clean+detect+store : {med['aqparat']:8.2f} ms")
    print(f"  baseline split + bare INSERT     : {med['bare']:8.2f} ms")
    print(f"  ratio aqparat / baseline         : {med['aqparat'] / med['bare']:8.1f}x")


if __name__ == "__main__":
    main()

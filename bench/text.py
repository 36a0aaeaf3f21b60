"""Throughput of the whole ``text/`` chain on the seed page repeated to at least 1 MB, against,
in the same run, just reading the file and NFC-normalising it. Prints both and their ratio.

    .venv/bin/python bench/text.py [--rounds 3] [--megabytes 1]

Each non-empty line is one document (the seed page has one article body per line) and goes
through: normalize_text → paragraphs → lang.guess → find_dates → terms → extract_events →
extract_entities → to_latin → to_arabic. Stem and gazetteer caches are cleared before every
round, so the repeated page does not turn the run into cache lookups only; the first round
also pays for loading lingua's models, so the best round is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import unicodedata
from pathlib import Path

from aqparat.text import chars, dates, entities, events, kkstem, lang, paragraphs, stem, translit

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_61e82a4af1ac5571.txt"
if not SEED.is_file():
    SEED = REPO / "src" / "aqparat" / "data" / "demo" / "kk-home.txt"
PUBLISHED = dt.date(2026, 3, 17)


def big_file(directory: Path, megabytes: float) -> Path:
    page = SEED.read_text(encoding="utf-8")
    copies = int(megabytes * 1_000_000 // len(page.encode("utf-8"))) + 1
    path = directory / "seed-repeated.txt"
    path.write_text("\n".join([page] * copies), encoding="utf-8")
    return path


def chain(document: str) -> int:
    """Every text/ function an article meets; returns a count so nothing is optimised away."""
    text = chars.normalize_text(document)
    paras = paragraphs.paragraphs("", text)
    body = "\n\n".join(paras)
    language = lang.guess(body, "kk").lang
    found = len(dates.find_dates(body, language, PUBLISHED))
    found += len(stem.terms(body, language))
    found += len(events.extract_events(body, language, PUBLISHED))
    found += len(entities.extract_entities(body, language))
    return found + len(translit.to_latin(body)) + len(translit.to_arabic(body))


def clear_caches() -> None:
    stem.stem.cache_clear()
    kkstem.stem_kk.cache_clear()


def run_chain(path: Path) -> float:
    clear_caches()
    start = time.perf_counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            chain(line)
    return time.perf_counter() - start


def run_baseline(path: Path) -> float:
    start = time.perf_counter()
    unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = big_file(Path(tmp), args.megabytes)
        size = path.stat().st_size / 1_000_000
        chain_s = min(run_chain(path) for _ in range(args.rounds))
        base_s = min(run_baseline(path) for _ in range(args.rounds))
    print(f"input: {size:.2f} MB ({SEED.name} repeated), best of {args.rounds} rounds")
    print(f"text/ chain:      {chain_s:8.3f} s  {size / chain_s:10.2f} MB/s")
    print(f"read + NFC only:  {base_s:8.3f} s  {size / base_s:10.2f} MB/s")
    print(f"ratio: the chain costs {chain_s / base_s:,.0f}x reading + NFC")


if __name__ == "__main__":
    main()

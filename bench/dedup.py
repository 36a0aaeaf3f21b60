"""Duplicate and story assignment speed: `.venv/bin/python bench/dedup.py [ITEMS]`.

On ITEMS (default 200,000) synthetic items, each already reduced to what the text functions
give (stemmed content terms, numbers, fact keys, title terms; 5% are edited re-posts of an
earlier item), it times, per item:

* **ours**: 3-word shingles → rensa MinHash (128) → 32 band keys → lookup in the index →
  verification → story assignment (pipeline/stories.decide + file on a MemoryIndex): the
  production code, minus the text functions, which are timed separately on real items;
* **baseline**, in the same run on the same shingles: datasketch `MinHash(128)` +
  `MinHashLSH(threshold=0.6)`, query then insert: signature and lookup only, no assignment;
* the store's index (store/story_index.SqlIndex, what `aqparat import` and `crawl` use) on a
  SQLite file, and on PostgreSQL when a URL is given, when it already holds 5,000, 20,000,
  100,000 and 200,000 items (bench/dedup_store.py: grown in bulk, then 1,000 items filed
  through the real path one transaction each and timed);
* memory per 100,000 stored signatures: Python heap of both in-memory indexes (tracemalloc),
  and bytes on disk of the store's index tables per 100,000 items.

`.venv/bin/python bench/dedup.py [ITEMS] [POSTGRES_URL]` (the PostgreSQL database is written
to: give it one of its own).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from aqparat.model import RawItem
from aqparat.pipeline import dedup, facts, identity, stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.pipeline.story_index import MemoryIndex

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = DedupOptions()
SIZES = (5_000, 20_000, 100_000, 200_000)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Synthetic:
    n: int
    source_id: int
    terms: list[str]
    title: frozenset[str]
    numbers: frozenset[str]
    facts: tuple[int, ...]
    at: dt.datetime
    base: int | None = None  # the item an edited re-post repeats


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    letters = "аәбвгғдежзиійкқлмнңоөпрстуұүфхһцчшыэюя"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(size)]


def generate(count: int, seed: int = 1) -> Iterator[Synthetic]:
    rng = random.Random(seed)
    words, made = vocabulary(rng), []
    # Zipf: a few words everywhere. Cumulative once: `choices(weights=…)` re-adds all 30,000
    # on every call (the same draws, 200,000 times the work).
    cum = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    for n in range(count):
        at = T0 + dt.timedelta(seconds=30 * n)
        if made and rng.random() < 0.05:  # an edited re-post of a recent item
            base = rng.choice(made[-2000:])
            terms = [w for w in base.terms if rng.random() > 0.05] + rng.choices(words, k=10)
            it = Synthetic(n, rng.randint(1, 3000), terms, base.title, base.numbers,
                           base.facts, at, base.n)
        else:
            terms = rng.choices(words, cum_weights=cum, k=rng.randint(60, 250))
            numbers = frozenset(str(rng.randint(100, 99_999)) for _ in range(rng.randint(3, 8)))
            # Most facts are rare (a number, a name); a few recur (a place, a ministry).
            fact_ids = tuple(sorted({rng.randrange(10**9) for _ in range(4)}
                                    | {int(rng.paretovariate(1.0)) for _ in range(2)}))
            it = Synthetic(n, rng.randint(1, 3000), terms, frozenset(terms[:8]), numbers,
                           fact_ids, at)
        made.append(it)
        yield it


def shingled(items: list[Synthetic]) -> list[list[str]]:
    return [dedup.shingles(it.terms) for it in items]


def ours(index: stories.Index, it: Synthetic, shingles: list[str]) -> None:
    sig = dedup.signature(shingles, OPTIONS)
    profile = stories.Profile(identity.text_fingerprint("", " ".join(it.terms)), sig,
                              len(it.terms), it.title, None, it.numbers)
    keys = stories.Keys(tuple(dedup.bands(sig, OPTIONS)), it.facts, ())
    report = stories.Report(it.n + 1, it.source_id, str(it.n), "kk", "", "", it.at)
    found = stories.decide(index, report, profile, keys, OPTIONS)
    index.file(report, profile, keys, found)


def datasketch_step(lsh: MinHashLSH, n: int, shingles: list[str]) -> None:
    m = MinHash(num_perm=OPTIONS.num_perm)
    m.update_batch([s.encode() for s in shingles])
    lsh.query(m)
    lsh.insert(n, m)


def timed(label: str, count: int, run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<46} {count:>8,} items in {seconds:7.1f} s = {count / seconds:>9,.0f} items/s")
    return count / seconds


def heap_mib(build: Callable[[], object]) -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / 2**20


def memory(items: list[Synthetic], shingles: list[list[str]]) -> None:
    hundred = min(100_000, len(items))
    scale = 100_000 / hundred

    def build_ours() -> MemoryIndex:
        index = MemoryIndex()
        for it, sh in zip(items[:hundred], shingles[:hundred], strict=True):
            ours(index, it, sh)
        return index

    def build_datasketch() -> MinHashLSH:
        lsh = MinHashLSH(threshold=OPTIONS.near, num_perm=OPTIONS.num_perm)
        for n, sh in enumerate(shingles[:hundred]):
            datasketch_step(lsh, n, sh)
        return lsh

    print(f"memory per 100,000 stored signatures: ours (MemoryIndex, with profiles, facts "
          f"and stories) {heap_mib(build_ours) * scale:,.0f} MiB; datasketch MinHashLSH "
          f"(signatures + bands) {heap_mib(build_datasketch) * scale:,.0f} MiB")


def store(items: list[Synthetic], postgres: str | None) -> None:
    """The store's index at each size (bench/dedup_store.py), SQLite then PostgreSQL."""
    import dedup_store  # beside this file

    sizes = [n for n in SIZES if n + dedup_store.WINDOW <= len(items)]
    with tempfile.TemporaryDirectory() as tmp:
        dedup_store.measure(f"sqlite:///{tmp}/bench.db", items, sizes, "SQLite")
    if postgres:
        dedup_store.measure(postgres, items, sizes, "PostgreSQL")


def text_functions() -> None:
    """What the synthetic items skip: the text functions on real items (the eval set)."""
    import json

    lines = (ROOT / "tests" / "quality" / "dedup" / "items.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    popts = PipelineOptions(rubric_aliases={})
    reports = []
    for r in rows:
        raw = RawItem("govkz", r["source"], r["external_id"], r["title"], r["body"], "text",
                      dt.datetime.fromisoformat(r["published"]), None, r["lang"])
        art = process(raw, popts).article
        assert art is not None
        reports.append(stories.Report(len(reports) + 1, 1, art.external_id, art.lang, art.title,
                                      art.body_text, art.published_at, art.events))
    timed("text functions (sentences, terms, facts; real)", len(reports),
          lambda: [stories.describe(r, set(), OPTIONS) for r in reports])
    timed("  of which facts (entities, dates, numbers)", len(reports),
          lambda: [facts.extract(r.body_text, r.lang, None) for r in reports])


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    items = list(generate(count + 1_000))  # the store's last window files 1,000 more
    shingles = shingled(items)
    print(f"{count:,} synthetic items, {sum(map(len, shingles)) / count:.0f} shingles each")
    mine = timed("ours: signature + bands + lookup + assignment", count,
                 lambda: _run_ours(items[:count], shingles[:count]))
    lsh = MinHashLSH(threshold=OPTIONS.near, num_perm=OPTIONS.num_perm)
    base = timed("datasketch: MinHash + MinHashLSH query/insert", count,
                 lambda: [datasketch_step(lsh, n, sh) for n, sh in enumerate(shingles[:count])])
    print(f"ratio ours / datasketch: {mine / base:.2f}×")
    store(items, sys.argv[2] if len(sys.argv) > 2 else None)
    memory(items, shingles)
    text_functions()


def _run_ours(items: list[Synthetic], shingles: list[list[str]]) -> None:
    index = MemoryIndex()
    for it, sh in zip(items, shingles, strict=True):
        ours(index, it, sh)


if __name__ == "__main__":
    main()

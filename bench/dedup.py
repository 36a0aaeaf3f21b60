"""Duplicate and story assignment speed: `.venv/bin/python bench/dedup.py [ITEMS]`.

On ITEMS (default 200,000) synthetic items, each already reduced to what the text functions
give (stemmed content terms, numbers, fact keys, title terms; 5% are edited re-posts of an
earlier item), it times, per item:

* **ours**: 3-word shingles → rensa MinHash (128) → 32 band keys → lookup in the index →
  verification → story assignment (pipeline/stories.decide + file on a MemoryIndex): the
  production code, minus the text functions, which are timed separately on real items;
* **baseline**, in the same run on the same shingles: datasketch `MinHash(128)` +
  `MinHashLSH(threshold=0.6)`, query then insert: signature and lookup only, no assignment;
* the store's index (store/story_index.SqlIndex on a SQLite file) on the first STORE_ITEMS
  items, since that is what `aqparat import` and `crawl` use;
* memory per 100,000 stored signatures: Python heap of both in-memory indexes (tracemalloc)
  and bytes on disk of the store's tables.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from datasketch import MinHash, MinHashLSH

from aqparat.model import RawItem
from aqparat.pipeline import dedup, facts, identity, stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.pipeline.story_index import MemoryIndex
from aqparat.store import db
from aqparat.store.schema import item, source
from aqparat.store.story_index import SqlIndex

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = DedupOptions()
STORE_ITEMS = 20_000
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


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    letters = "аәбвгғдежзиійкқлмнңоөпрстуұүфхһцчшыэюя"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(size)]


def generate(count: int, seed: int = 1) -> Iterator[Synthetic]:
    rng = random.Random(seed)
    words, made = vocabulary(rng), []
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf: a few words everywhere
    for n in range(count):
        at = T0 + dt.timedelta(seconds=30 * n)
        if made and rng.random() < 0.05:  # an edited re-post of a recent item
            base = rng.choice(made[-2000:])
            terms = [w for w in base.terms if rng.random() > 0.05] + rng.choices(words, k=10)
            it = Synthetic(n, rng.randint(1, 3000), terms, base.title, base.numbers,
                           base.facts, at)
        else:
            terms = rng.choices(words, weights, k=rng.randint(60, 250))
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


def store(items: list[Synthetic], shingles: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        engine = db.open_store(f"sqlite:///{path}", migrate=True)
        with engine.begin() as conn:
            _fake_rows(conn, items)
        empty = path.stat().st_size
        with engine.begin() as conn:
            index = SqlIndex(conn)
            timed(f"store index (SQLite, first {len(items):,})", len(items),
                  lambda: [ours(index, it, sh) for it, sh in zip(items, shingles, strict=True)])
        engine.dispose()
        grown = path.stat().st_size - empty
        print(f"store tables on disk per 100,000 items (SQLite; profile with signature, bands, "
              f"facts, stories): {grown / len(items) * 100_000 / 2**20:,.0f} MiB")


def _fake_rows(conn: sa.Connection, items: list[Synthetic]) -> None:
    """Bare item rows to file: the index joins `item` for story ids."""
    conn.execute(source.insert(), [{"id": s, "kind": "dump", "key": f"s{s}", "created_at": T0}
                                   for s in sorted({it.source_id for it in items})])
    conn.execute(item.insert(), [{
        "id": it.n + 1, "source_id": it.source_id, "external_id": str(it.n), "lang": "kk",
        "title": "", "lead": "", "body_html": "", "body_text": "", "published_at": it.at,
        "date_only": False, "first_seen": it.at, "updated_at": it.at, "content_hash": ""}
        for it in items])


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
    items = list(generate(count))
    shingles = shingled(items)
    print(f"{count:,} synthetic items, {sum(map(len, shingles)) / count:.0f} shingles each")
    mine = timed("ours: signature + bands + lookup + assignment", count,
                 lambda: _run_ours(items, shingles))
    lsh = MinHashLSH(threshold=OPTIONS.near, num_perm=OPTIONS.num_perm)
    base = timed("datasketch: MinHash + MinHashLSH query/insert", count,
                 lambda: [datasketch_step(lsh, n, sh) for n, sh in enumerate(shingles)])
    print(f"ratio ours / datasketch: {mine / base:.2f}×")
    store(items[:STORE_ITEMS], shingles[:STORE_ITEMS])
    memory(items, shingles)
    text_functions()


def _run_ours(items: list[Synthetic], shingles: list[list[str]]) -> None:
    index = MemoryIndex()
    for it, sh in zip(items, shingles, strict=True):
        ours(index, it, sh)


if __name__ == "__main__":
    main()

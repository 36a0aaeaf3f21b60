"""Recall of Kazakh inflected forms: our search against plain FTS5 without stemming.

    .venv/bin/python tests/quality/search_eval.py

Both sides index the same corpus (tests/fixtures/search/corpus.jsonl) and answer the same
hand-written queries (queries.tsv). Ours: `store.search` on a SQLite store (our stemmed terms,
BM25, title matches first). Baseline: an FTS5 table with the stock `unicode61` tokenizer over
the raw title, lead and body, every query word required, ranked by BM25 with the same column
weights. Scores: recall@10 (the expected item among the first ten) and MRR (1/rank of the
expected item, 0 past the first ten).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for search_corpus

from aqparat.store import db, search
from search_corpus import FIXTURES, Doc, corpus, refs, store

TOP = 10


@dataclass(frozen=True, slots=True)
class Pair:
    query: str
    expected: str
    group: str


@dataclass(frozen=True, slots=True)
class Score:
    pairs: int
    recall: float  # recall@10
    mrr: float


def pairs() -> list[Pair]:
    lines = (FIXTURES / "queries.tsv").read_text(encoding="utf-8").splitlines()
    return [Pair(*line.split("\t")) for line in lines if line and not line.startswith("#")]


def score(ranked: Sequence[list[str]], gold: Sequence[Pair]) -> Score:
    ranks = [r.index(p.expected) + 1 if p.expected in r else 0
             for r, p in zip(ranked, gold, strict=True)]
    hits = [rank for rank in ranks if rank]
    return Score(len(gold), len(hits) / len(gold), sum(1 / r for r in hits) / len(gold))


def ours(directory: Path, docs: Sequence[Doc]) -> Callable[[str], list[str]]:
    engine = db.open_store(f"sqlite:///{directory / 'store.db'}", migrate=True)
    ids = store(engine, docs)

    def run(text: str) -> list[str]:
        with engine.connect() as conn:
            found = search.search(conn, text, limit=TOP)
        return refs(ids, [h.record.summary.id for h in found.hits])

    run.engine = engine  # type: ignore[attr-defined]  # disposed by the caller
    return run


def baseline(docs: Sequence[Doc]) -> tuple[sqlite3.Connection, Callable[[str], list[str]]]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE plain USING fts5(ref UNINDEXED, title, lead, body, "
                  "tokenize = 'unicode61')")
    conn.executemany("INSERT INTO plain VALUES (?, ?, ?, ?)",
                     [(d.ref, d.title, d.lead, d.body) for d in docs])

    def run(text: str) -> list[str]:
        match = " AND ".join('"' + word.replace('"', '""') + '"' for word in text.split())
        rows = conn.execute("SELECT ref FROM plain WHERE plain MATCH ? "
                            "ORDER BY bm25(plain, 0, 4.0, 2.0, 1.0) LIMIT ?", (match, TOP))
        return [ref for (ref,) in rows]

    return conn, run


def evaluate(directory: Path) -> dict[str, dict[str, Score]]:
    """{"ours" | "baseline": {"all" | group: Score}}."""
    docs, gold = corpus(), pairs()
    mine = ours(directory, docs)
    conn, plain = baseline(docs)
    try:
        ranked = {"ours": [mine(p.query) for p in gold], "baseline": [plain(p.query) for p in gold]}
    finally:
        conn.close()
        mine.engine.dispose()  # type: ignore[attr-defined]
    groups = {"all": list(range(len(gold)))}
    for i, p in enumerate(gold):
        groups.setdefault(p.group, []).append(i)
    return {side: {g: score([r[i] for i in idx], [gold[i] for i in idx])
                   for g, idx in groups.items()} for side, r in ranked.items()}


def misses(directory: Path) -> list[Pair]:
    docs, gold = corpus(), pairs()
    mine = ours(directory, docs)
    try:
        return [p for p in gold if p.expected not in mine(p.query)]
    finally:
        mine.engine.dispose()  # type: ignore[attr-defined]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(Path(tmp))
    print(f"{'':10}{'group':8}{'pairs':>6}{'recall@10':>11}{'MRR':>7}")
    for side, by_group in result.items():
        for group, s in by_group.items():
            print(f"{side:10}{group:8}{s.pairs:>6}{s.recall:>11.3f}{s.mrr:>7.3f}")
    if "--misses" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            for p in misses(Path(tmp)):
                print("miss:", p.query, "→", p.expected)


if __name__ == "__main__":
    main()

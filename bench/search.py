"""Search at scale: a synthetic store of --size articles (default 1,000,000) from real
vocabulary, then index build time, database size, and p50/p95/p99 latency of 1-, 2- and 3-word
queries with and without filters — beside, in the same run, the same queries as bare FTS5
MATCH on an unstemmed `unicode61` index (ranked by bm25, and newest first), with the ratio.

    .venv/bin/python bench/search.py [--size 1000000] [--dir /tmp/aqparat-bench-search]

Vocabulary: the words of tests/fixtures/search/corpus.jsonl (Kazakh from the seed page and
a dozen portals, Russian and English items), drawn with their frequencies, and for Russian
also ../shared's 300 real gov.kz items when present. As in research stack.md §2, 35 % of the
Kazakh words get a plural, possessive or case ending (vowel harmony respected), so the text is
as inflected as real Kazakh. Items: 60 % kk, 30 % ru, 10 % en; title 6–14 words, lead 15–30,
body 60–180; dates over 2015–2026; 500 sources; `news` plus up to two other rubrics each.

Ours is `store.search.search` (parse, stem, bounded ranking, the page's 20 records read), the
same call the web page makes. The test suite never runs this: it takes minutes at 1M.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from aqparat import data
from aqparat.store import db, rubrics, search
from aqparat.store.fts import document, index
from aqparat.store.fts import sqlite as fts_sqlite
from aqparat.store.schema import item, item_rubric, source

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "search" / "corpus.jsonl"
ARDFM = REPO.parent / "shared" / "fixtures" / "govkz-real" / "news-ardfm.jsonl"
LANG_SHARE = (("kk", 0.6), ("ru", 0.3), ("en", 0.1))
SOURCES = 500
BATCH = 10_000
START, END = dt.datetime(2015, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
WORD = re.compile(r"[^\W\d_]{2,}")
TAG = re.compile(r"<[^>]+>|&\w+;")
# Kazakh endings by harmony (back, front): plural, possessive, case — research stack.md §2.
ENDINGS = {
    "back": ["лар", "дар", "тар", "ы", "сы", "ның", "дың", "ға", "қа", "да", "та", "дан",
             "нан", "мен", "лары", "ларының", "ларға", "ларда", "дағы", "ымыз"],
    "front": ["лер", "дер", "тер", "і", "сі", "нің", "дің", "ге", "ке", "де", "те", "ден",
              "нен", "мен", "лері", "лерінің", "лерге", "лерде", "дегі", "іміз"],
}


@dataclass(frozen=True, slots=True)
class Vocab:
    words: list[str]
    weights: list[int]  # cumulative


def _vocabularies() -> dict[str, Vocab]:
    counts: dict[str, Counter[str]] = {"kk": Counter(), "ru": Counter(), "en": Counter()}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        counts[row["lang"]].update(WORD.findall(f"{row['title']} {row['lead']} {row['body']}"))
    if ARDFM.is_file():
        for line in ARDFM.read_text(encoding="utf-8").splitlines():
            counts["ru"].update(WORD.findall(TAG.sub(" ", json.loads(line)["body"])))
    vocab = {}
    for lang, c in counts.items():
        words = list(c)
        total, cum = 0, []
        for w in words:
            total += c[w]
            cum.append(total)
        vocab[lang] = Vocab(words, cum)
    return vocab


def _harmony(word: str) -> str:
    for ch in reversed(word.lower()):
        if ch in "аоұыя":
            return "back"
        if ch in "әөүіеэ":
            return "front"
    return "back"


class Writer:
    """Random items, reproducible from the seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabularies()
        self.slugs = [r.slug for r in data.rubrics() if r.slug != "news"]

    def words(self, lang: str, n: int) -> list[str]:
        v = self.vocab[lang]
        out = self.rng.choices(v.words, cum_weights=v.weights, k=n)
        if lang == "kk":
            out = [w + self.rng.choice(ENDINGS[_harmony(w)]) if self.rng.random() < 0.35 else w
                   for w in out]
        return out

    def sentences(self, lang: str, n: int) -> str:
        words, out = self.words(lang, n), []
        while words:
            k = self.rng.randint(6, 16)
            out.append(" ".join(words[:k]).capitalize() + ".")
            words = words[k:]
        return " ".join(out)

    def row(self, item_id: int) -> dict[str, object]:
        rng = self.rng
        lang = rng.choices([x for x, _ in LANG_SHARE], [w for _, w in LANG_SHARE])[0]
        when = START + (END - START) * rng.random()
        body = "\n\n".join(self.sentences(lang, rng.randint(20, 60)) for _ in range(3))
        return {
            "id": item_id, "source_id": rng.randint(1, SOURCES), "external_id": str(item_id),
            "lang": lang, "title": " ".join(self.words(lang, rng.randint(6, 14))).capitalize(),
            "lead": self.sentences(lang, rng.randint(15, 30)), "body_html": "",
            "body_text": body, "published_at": when, "date_only": False, "first_seen": when,
            "updated_at": when, "content_hash": f"{item_id:064x}", "status": "shown",
        }

    def rubrics_of(self, item_id: int) -> list[str]:
        return ["news", *self.rng.sample(self.slugs, self.rng.randint(0, 2))]


# ── building ────────────────────────────────────────────────────────────────────────────────


def _sources(conn: sa.Connection, writer: Writer) -> None:
    now = dt.datetime.now(dt.UTC)
    conn.execute(source.insert(), [
        {"id": i, "kind": "govkz", "key": f"source-{i}", "created_at": now,
         **{f"name_{lang}": " ".join(writer.words(lang, 3)).title() for lang in ("kk", "ru", "en")}}
        for i in range(1, SOURCES + 1)])


def fill(engine: sa.Engine, size: int, writer: Writer) -> float:
    start = time.perf_counter()
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())
        _sources(conn, writer)
        for first in range(1, size + 1, BATCH):
            rows = [writer.row(i) for i in range(first, min(first + BATCH, size + 1))]
            conn.execute(item.insert(), rows)
            conn.execute(item_rubric.insert(), [
                {"item_id": r["id"], "rubric_slug": slug, "score": 1.0, "origin": "rule",
                 "reason": "", "published_at": r["published_at"]}
                for r in rows for slug in writer.rubrics_of(int(str(r["id"])))])
            print(f"\r  items: {first + len(rows) - 1:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start


def build_ours(engine: sa.Engine, size: int) -> float:
    start = time.perf_counter()
    with engine.begin() as conn:
        done = index.rebuild(conn, progress=_progress("our index", size))
    print(file=sys.stderr)
    assert done == size, (done, size)
    return time.perf_counter() - start


def _progress(label: str, size: int) -> Callable[[int], None]:
    state = {"n": 0, "t": time.perf_counter()}

    def tick(n: int) -> None:
        state["n"] += n
        rate = state["n"] / (time.perf_counter() - state["t"])
        print(f"\r  {label}: {state['n']:,}/{size:,} ({rate:,.0f}/s)", end="", file=sys.stderr,
              flush=True)

    return tick


def build_bare(store_path: Path, bare_path: Path, size: int) -> float:
    """FTS5 as it comes: unicode61 over the raw text, no stemming, contentless (rowid = key)."""
    bare_path.unlink(missing_ok=True)
    conn = sqlite3.connect(bare_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE VIRTUAL TABLE bare USING fts5(title, lead, body, content='', "
                 "tokenize='unicode61')")
    src = sqlite3.connect(store_path)
    start = time.perf_counter()
    tick = _progress("bare index", size)
    with conn:
        for rows in _raw_batches(src):
            conn.executemany("INSERT INTO bare (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
                             rows)
            tick(len(rows))
        conn.execute("INSERT INTO bare (bare) VALUES ('optimize')")
    print(file=sys.stderr)
    src.close()
    conn.close()
    return time.perf_counter() - start


def _raw_batches(src: sqlite3.Connection) -> Iterator[list[tuple[int, str, str, str]]]:
    last = 0
    while True:
        rows = src.execute("SELECT id, published_at, title, lead, body_text FROM item "
                           "WHERE id > ? ORDER BY id LIMIT ?", (last, BATCH)).fetchall()
        if not rows:
            return
        yield [(_key(i, at), t, lead, b) for i, at, t, lead, b in rows]
        last = rows[-1][0]


def _key(item_id: int, stored_at: str) -> int:
    return document.key(dt.datetime.fromisoformat(stored_at).replace(tzinfo=dt.UTC), item_id)


# ── measuring ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Probe:
    """A query drawn from one stored item, so it matches at least that item."""

    words: tuple[str, ...]
    lang: str
    rubric: str
    year: int
    source_id: int


def probes(store: sqlite3.Connection, size: int, count: int, k: int,
           rng: random.Random) -> list[Probe]:
    out = []
    for item_id in rng.sample(range(1, size + 1), count):
        lang, title, body, at, source_id = store.execute(
            "SELECT lang, title, body_text, published_at, source_id FROM item WHERE id = ?",
            (item_id,)).fetchone()
        slugs = [s for (s,) in store.execute(
            "SELECT rubric_slug FROM item_rubric WHERE item_id = ?", (item_id,))]
        words = [w for w in WORD.findall(f"{title} {body}") if len(w) >= 3]
        rubric = max(slugs, key=len, default="news")  # the most specific, for the filter
        out.append(Probe(tuple(rng.sample(words, k)), lang, rubric, int(at[:4]), source_id))
    return out


FILTER_SETS = ("none", "lang+rubric+year", "source")


def our_filters(p: Probe, which: str) -> search.Filters | None:
    if which == "none":
        return None
    if which == "source":
        return search.Filters(source_id=p.source_id)
    return search.Filters(lang=p.lang, rubric=p.rubric, since=_year(p.year),
                          until=_year(p.year + 1))


def _year(y: int) -> dt.datetime:
    return dt.datetime(y, 1, 1, tzinfo=dt.UTC)


def bare_sql(p: Probe, which: str, order: str) -> tuple[str, list[object]]:
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in p.words)
    sql = "SELECT b.rowid FROM bare b "
    params: list[object] = [match]
    where = "WHERE bare MATCH ?"
    if which != "none":
        sql += "JOIN s.item i ON i.id = b.rowid % 2147483648 "
    if which == "source":
        where += " AND i.source_id = ?"
        params.append(p.source_id)
    elif which != "none":
        lo, hi = document.key_range(_year(p.year), _year(p.year + 1))
        where += (" AND b.rowid BETWEEN ? AND ? AND i.lang = ? AND EXISTS (SELECT 1 FROM "
                  "s.item_rubric r WHERE r.item_id = i.id AND r.rubric_slug = ?)")
        params += [lo, hi, p.lang, p.rubric]
    return f"{sql}{where} ORDER BY {order} LIMIT 20", params


def timed(run: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    run()
    return (clock() - start) * 1000


def percentiles(ms: Sequence[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return q[49], q[94], q[98]


def capped_bm25(raw: sqlite3.Connection, p: Probe, which: str, cap: int) -> list[object]:
    """The design we did not take: FTS5's bm25() over the same capped, newest-first candidates.
    Its IDF walks every row holding each query word, so it costs O(matches) regardless."""
    filters = our_filters(p, which)
    query = search.read_query(" ".join(p.words), filters)
    where = search.scope(filters or search.Filters())
    if query.empty:
        return []
    return raw.execute(
        "SELECT rowid, bm25(search_fts, 4.0, 2.0, 1.0, 1.0, 0.0) FROM search_fts "
        "WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?",
        (fts_sqlite.match(query, where), where.lo, where.hi, cap)).fetchall()


def measure(engine: sa.Engine, bare: sqlite3.Connection, sets: dict[int, list[Probe]],
            cap: int, raw: sqlite3.Connection) -> list[dict[str, object]]:
    rows = []
    with engine.connect() as conn:
        for k, ps in sets.items():
            for which in FILTER_SETS:
                runs = {
                    "ours": lambda p, w=which: search.search(
                        conn, " ".join(p.words), our_filters(p, w), limit=20, cap=cap),
                    "bare_bm25": lambda p, w=which: bare.execute(
                        *bare_sql(p, w, "rank")).fetchall(),
                    "bare_newest": lambda p, w=which: bare.execute(
                        *bare_sql(p, w, "b.rowid DESC")).fetchall(),
                    "bm25_capped": lambda p, w=which: capped_bm25(raw, p, w, cap),
                }
                for p in ps[:20]:  # warm the caches the same way for each contender
                    for run in runs.values():
                        run(p)
                row: dict[str, object] = {"words": k, "filters": which}
                for name, run in runs.items():
                    row[name] = percentiles([timed(lambda p=p, run=run: run(p)) for p in ps])
                # CPU time too: on a shared machine, waiting for a core inflates wall time.
                ours = runs["ours"]
                row["ours_cpu"] = percentiles([timed(lambda p=p, run=ours: run(p),
                                                     time.process_time) for p in ps])
                hits = [search.search(conn, " ".join(p.words), our_filters(p, which),
                                      limit=1, cap=cap).total for p in ps]
                row["median_hits"] = statistics.median(hits)
                rows.append(row)
                print(f"  {k} word(s), filters {which}: ours p95 "
                      f"{row['ours'][1]:.1f} ms", file=sys.stderr)  # type: ignore[index]
    return rows


# ── report ──────────────────────────────────────────────────────────────────────────────────


def mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


def index_mib(store_path: Path) -> float:
    conn = sqlite3.connect(store_path)
    pages = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'").fetchone()
    conn.close()
    return float(pages[0] or 0) / 2**20


def report(args: argparse.Namespace, built: dict[str, float], sizes: dict[str, float],
           rows: list[dict[str, object]]) -> str:
    lines = [
        f"# bench/search.py --size {args.size:,} (cap {args.cap}, {args.queries} queries per "
        f"row, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores)",
        "",
        f"- items written: {built['fill']:.0f} s; our index (`aqparat db reindex` path): "
        f"{built['ours']:.0f} s; bare unicode61 index: {built['bare']:.0f} s",
        f"- store.db {sizes['store']:,.0f} MiB, of which the search index (search_doc + "
        f"search_fts) {sizes['index']:,.0f} MiB; bare.db {sizes['bare']:,.0f} MiB",
        "",
        f"- load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        "| words | filters | median hits | ours p50 / p95 / p99 ms | ours CPU p50 / p95 / p99 "
        "| bare bm25 p50 / p95 / p99 | p95 ours ÷ bare bm25 | bare newest-first p50 / p95 / p99 "
        "| FTS5 bm25 on our capped candidates p50 / p95 / p99 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ours, cpu, bm25, newest, capped = (r[n] for n in (
            "ours", "ours_cpu", "bare_bm25", "bare_newest", "bm25_capped"))
        lines.append(f"| {r['words']} | {r['filters']} | {r['median_hits']:,.0f} | "
                     f"{_ms(ours)} | {_ms(cpu)} | {_ms(bm25)} | "
                     f"{ours[1] / bm25[1]:.2f} | {_ms(newest)} | {_ms(capped)} |")  # type: ignore[index]
    return "\n".join(lines)


def _ms(p: object) -> str:
    return " / ".join(f"{x:.1f}" for x in p)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/aqparat-bench-search"))
    parser.add_argument("--queries", type=int, default=200, help="queries per row")
    parser.add_argument("--cap", type=int, default=search.CAP)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", choices=("items", "all"),
                        help="keep a store built earlier with this size: its items (the indexes "
                             "are rebuilt), or all of it (only the queries run)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    store_path, bare_path = args.dir / f"store-{args.size}.db", args.dir / f"bare-{args.size}.db"
    built = {"fill": 0.0, "ours": 0.0, "bare": 0.0}
    if not args.reuse:
        for p in args.dir.glob(f"store-{args.size}.db*"):
            p.unlink()
    engine = db.create_engine(f"sqlite:///{store_path}")
    db.upgrade(engine, backfill=False)  # a reused store's index is rebuilt below, timed
    if not args.reuse:
        built["fill"] = fill(engine, args.size, Writer(args.seed))
    if args.reuse != "all":
        built["ours"] = build_ours(engine, args.size)
        built["bare"] = build_bare(store_path, bare_path, args.size)
    with engine.connect() as conn:  # fold the WAL in, so file sizes are the database's own
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    sizes = {"store": mib(store_path), "index": index_mib(store_path), "bare": mib(bare_path)}
    raw = sqlite3.connect(store_path)
    rng = random.Random(args.seed + 1)
    sets = {k: probes(raw, args.size, args.queries, k, rng) for k in (1, 2, 3)}
    bare = sqlite3.connect(bare_path)
    bare.execute("ATTACH DATABASE ? AS s", (str(store_path),))
    rows = measure(engine, bare, sets, args.cap, raw)
    bare.close()
    raw.close()
    engine.dispose()
    text = report(args, built, sizes, rows)
    (args.dir / f"report-{args.size}.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

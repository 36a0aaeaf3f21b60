"""The store's story index at size: items/s of the real path (store/story_index.SqlIndex, what
`aqparat import` and `crawl` use) when the index already holds 5,000 … 200,000 items.

Filing 200,000 items one by one through the real path just to reach a size would take longer
than the measurement, so the store is grown in bulk between measurements: plain multi-row
INSERTs of what filing writes (an `item` row with a body of real size, so that reading a
column behind the body costs what it costs in production; its profile, band keys, facts and
story; each item its own story, a re-post in its original's). Then the next WINDOW items are
filed through `stories.decide` + `SqlIndex.file` one by one, each in its own transaction as a
crawl would, and timed. The same items, with the same candidates, in every run.

Used by bench/dedup.py; `python bench/dedup_store.py URL SIZES` runs it alone.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from aqparat.pipeline import dedup, identity, stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.store import db, schema
from aqparat.store.story_index import SqlIndex

WINDOW = 1_000
BATCH = 2_000  # rows per bulk INSERT statement group
FILL_CHUNK = 5_000  # items per bulk transaction
OPTIONS = DedupOptions()
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
File = Callable[[sa.Connection, Any, list[str]], None]


def _micros(at: dt.datetime) -> int:
    return (at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def _rows(table: sa.Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the columns this schema has: the same fill serves the code before and after."""
    names = set(table.c.keys())
    return [{k: v for k, v in r.items() if k in names} for r in rows]


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    rows = _rows(table, rows)
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start:start + BATCH])


def fill(engine: sa.Engine, items: Sequence[Any], story_of: dict[int, int]) -> None:
    """Bulk-write what filing `items` one by one would have written, a chunk at a time, with
    shingles made as needed (the rows and shingles of 100,000 items at once took 7 GiB)."""
    for start in range(0, len(items), FILL_CHUNK):
        chunk = items[start:start + FILL_CHUNK]
        _fill(engine, chunk, [dedup.shingles(it.terms) for it in chunk], story_of)


def _fill(engine: sa.Engine, items: Sequence[Any], shingles: Sequence[list[str]],
          story_of: dict[int, int]) -> None:
    profiles, bands, facts_, stories_, rows = [], [], [], [], []
    for it, sh in zip(items, shingles, strict=True):
        item_id = it.n + 1
        base = story_of.get(it.base) if it.base is not None else None
        story_id = base or item_id  # story ids = the first item's id: unique, no lookup
        story_of[it.n] = story_id
        text = " ".join(it.terms)
        rows.append({"id": item_id, "source_id": it.source_id, "external_id": str(it.n),
                     "lang": "kk", "title": text[:80], "lead": text[:200],
                     "body_html": f"<p>{text}</p>", "body_text": text, "published_at": it.at,
                     "date_only": False, "first_seen": it.at, "updated_at": it.at,
                     "content_hash": "", "story_id": story_id,
                     "duplicate_of": story_id if base else None, "story_lead": not base})
        sig = dedup.signature(sh, OPTIONS)
        profiles.append({
            "item_id": item_id, "fingerprint": identity.text_fingerprint("", text),
            "signature": sig, "terms": len(it.terms), "title_terms": " ".join(sorted(it.title)),
            "event": None, "numbers": " ".join(sorted(it.numbers)), "story_id": story_id,
            "duplicate_of": story_id if base else None, "source_id": it.source_id,
            "lang": "kk", "at": _micros(it.at), "shown": True, "lead": not base})
        bands += [{"key": k, "item_id": item_id} for k in dict.fromkeys(dedup.bands(sig, OPTIONS))]
        facts_ += [{"fact": f, "at": int(it.at.timestamp()), "item_id": item_id}
                   for f in dict.fromkeys(it.facts)]
        if not base:
            stories_.append({"id": story_id, "representative_id": item_id, "first_at": it.at,
                             "last_at": it.at, "items": 1, "sources": 1, "langs": "kk"})
    with engine.begin() as conn:
        known = set(conn.execute(sa.select(schema.source.c.id)).scalars())
        new = sorted({it.source_id for it in items} - known)
        _insert(conn, schema.source, [{"id": s, "kind": "dump", "key": f"s{s}",
                                       "created_at": T0} for s in new])
        _insert(conn, schema.item, rows)
        _insert(conn, schema.story, stories_)
        _insert(conn, schema.item_profile, profiles)
        _insert(conn, schema.item_band, sorted(bands, key=lambda r: r["key"]))
        _insert(conn, schema.item_fact, sorted(facts_, key=lambda r: (r["fact"], r["at"])))
        if conn.dialect.name == "postgresql":  # explicit ids leave the sequence behind
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('story', 'id'), "
                                 "(SELECT max(id) FROM story))"))


def rows_only(engine: sa.Engine, items: Sequence[Any]) -> None:
    """The `item` rows of items about to be filed through the real path (saved, not filed)."""
    fill_rows = []
    for it in items:
        text = " ".join(it.terms)
        fill_rows.append({"id": it.n + 1, "source_id": it.source_id, "external_id": str(it.n),
                          "lang": "kk", "title": text[:80], "lead": text[:200],
                          "body_html": f"<p>{text}</p>", "body_text": text,
                          "published_at": it.at, "date_only": False, "first_seen": it.at,
                          "updated_at": it.at, "content_hash": ""})
    with engine.begin() as conn:
        known = set(conn.execute(sa.select(schema.source.c.id)).scalars())
        _insert(conn, schema.source, [{"id": s, "kind": "dump", "key": f"s{s}",
                                       "created_at": T0}
                                      for s in sorted({it.source_id for it in items} - known)])
        _insert(conn, schema.item, fill_rows)


def file_one(conn: sa.Connection, it: Any, shingles: list[str]) -> int:
    """The real path for one item, minus the text functions (timed apart in bench/dedup.py)."""
    sig = dedup.signature(shingles, OPTIONS)
    text = " ".join(it.terms)
    profile = stories.Profile(identity.text_fingerprint("", text), sig, len(it.terms),
                              it.title, None, it.numbers)
    keys = stories.Keys(tuple(dedup.bands(sig, OPTIONS)), it.facts, ())
    report = stories.Report(it.n + 1, it.source_id, str(it.n), "kk", "", "", it.at)
    index = SqlIndex(conn)
    found = stories.decide(index, report, profile, keys, OPTIONS)
    return index.file(report, profile, keys, found)


INDEX_TABLES = ("item_profile", "item_band", "item_fact", "story", "source_sentence")


def disk_mib(engine: sa.Engine) -> float:
    """Bytes the story index's tables and their indexes take."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return sum(conn.execute(sa.text("SELECT pg_total_relation_size(:t)"),
                                    {"t": t}).scalar_one() for t in INDEX_TABLES) / 2**20
        rows = conn.execute(sa.text("SELECT name, tbl_name FROM sqlite_master "
                                    "WHERE tbl_name IN ('item_profile', 'item_band', "
                                    "'item_fact', 'story', 'source_sentence')")).all()
        names = [r.name for r in rows]
        return sum(conn.execute(sa.text("SELECT coalesce(sum(pgsize), 0) FROM dbstat "
                                        "WHERE name = :n"), {"n": n}).scalar_one()
                   for n in names) / 2**20


def measure(url: str, items: Sequence[Any], sizes: Sequence[int],
            label: str) -> list[tuple[int, float]]:
    """items/s of the real path at each size; the store is dropped afterwards."""
    engine = db.open_store(url, migrate=True)
    story_of: dict[int, int] = {}
    done, rates = 0, []
    try:
        for size in sizes:
            fill(engine, items[done:size], story_of)
            with engine.connect() as conn:  # as every writing command does on start
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
            window = items[size:size + WINDOW]
            rows_only(engine, window)
            shingles = [dedup.shingles(it.terms) for it in window]
            start, cpu = time.perf_counter(), time.process_time()
            for it, sh in zip(window, shingles, strict=True):
                with engine.begin() as conn:
                    story_of[it.n] = file_one(conn, it, sh)
            rate = len(window) / (time.perf_counter() - start)
            on_cpu = len(window) / (time.process_time() - cpu)
            # Per CPU second of this process too: on a shared machine the wall clock mostly
            # measures the other processes (PostgreSQL's own work is not in it).
            print(f"store index ({label}) with {size:>7,} items stored: {rate:>7,.0f} items/s "
                  f"({on_cpu:,.0f} per CPU second of this process)", flush=True)
            rates.append((size, rate))
            done = size + WINDOW
        print(f"  on disk per 100,000 items ({label}): {disk_mib(engine) / done * 100_000:,.0f}"
              " MiB (profiles, bands, facts, stories)")
    finally:
        engine.dispose()
    return rates


def main() -> None:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    import dedup as bench

    url, sizes = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    items = list(bench.generate(max(sizes) + WINDOW))
    measure(url, items, sizes, url.split(":", 1)[0])


if __name__ == "__main__":
    main()

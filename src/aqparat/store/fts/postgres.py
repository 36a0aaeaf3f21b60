"""PostgreSQL: `search_doc.tsv` holds each shown item's terms under a GIN index (migration 0003).

We write `tsvector` and `tsquery` *literals* (`'term':3A`), cast without a text search
configuration, so PostgreSQL's parser never re-tokenizes anything and both engines hold the
same terms at the same positions. Weights: title A, lead B, body C, entity name D; they mark
the field a position is in, so "in the title" is a weight-restricted lexeme (`'term':A`).
Filter tokens carry a `~` no term can contain, so a reader's word can never match one.

GIN yields matches in no order, so "the newest `cap` matches" would read every match's heap
row to find the newest (two common words at 5 M items: 5.1 s). Reads therefore walk the key
range newest first, a window at a time (`_newest`), each read in key order or through GIN,
whichever the density seen so far makes cheaper (`in_key_order`), and stop once `cap` are
found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import sqlalchemy as sa

from aqparat.store.chunks import chunks
from aqparat.store.fts.document import FILLER, ID_SPAN, Document, key_range
from aqparat.store.fts.query import Clause, Evidence, Found, Query, Scope

WEIGHTS = "ABCD"  # title, lead, body, entity: FIELDS order
META = "~"

_UPSERT = sa.text(
    "INSERT INTO search_doc (item_id, key, tsv) VALUES (:item_id, :key, CAST(:tsv AS tsvector)) "
    "ON CONFLICT (item_id) DO UPDATE SET key = EXCLUDED.key, tsv = EXCLUDED.tsv")
_EXTENT = ("SELECT min(key), max(key), "
           "(SELECT reltuples FROM pg_class WHERE oid = 'search_doc'::regclass) FROM search_doc")
_TOP = "SELECT max(key) FROM search_doc WHERE key BETWEEN %(lo)s AND %(hi)s"

# The walk's first window holds about FIRST_ROWS items (by the store's average items per
# key), read in key order: that costs little whatever the words. Each window after one with
# no match is GROWTH times wider; after one with matches, wide enough for three times the
# matches still wanted at the density seen so far (2 to 1,024 times wider). Too wide costs
# little: a walk in key order stops at the matches it wants, and GIN only reads the extra
# matches' rows; too narrow costs another window, and through GIN every window reads all the
# words' postings again (two words at 2 M items: 20–30 ms a window).
FIRST_ROWS = 250
GROWTH = 8
EVERYWHERE = key_range(None, None)

# What a window costs read each way, measured on bench/synth.py's 1 M-item store (PostgreSQL
# 15, warm): in key order, each row's whole vector is read from TOAST and tested, about 6 µs
# a row; through GIN, every posting of the query's words is read, about 0.1 µs each, and then
# only the window's matching rows.
ROW_COST = 6e-6
POSTING_COST = 1e-7


def lexeme(term: str, weight: str = "") -> str:
    """A quoted lexeme: in a quoted lexeme only `'` and `\\` are special."""
    quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{weight}" if weight else quoted


# ── queries ─────────────────────────────────────────────────────────────────────────────────


def clause(c: Clause, weight: str = "") -> str:
    """Any variant of the clause; with `weight`, only at positions of that weight (field)."""
    variants = (" <-> ".join(lexeme(t, weight) for t in terms) for terms in c.variants)
    return "(" + " | ".join(f"({v})" for v in variants) + ")"


def match(query: Query, scope: Scope) -> str:
    parts = [clause(c) for c in query.positives]
    parts += ["(" + " | ".join(lexeme(META + t) for t in group) + ")" for group in scope.tokens]
    if query.negatives:
        parts.append("!(" + " | ".join(clause(c) for c in query.negatives) + ")")
    return " & ".join(parts)


def _next_span(span: int, walked: int, found: int, wanted: int) -> int:
    """The next window's width, after `found` matches in the `walked` keys so far."""
    if not found:
        return span * GROWTH
    return min(1024 * span, max(2 * span, 3 * wanted * walked // found))


def _rows(driver: Any, sql: str, params: dict[str, object]) -> list[tuple[Any, ...]]:
    # Not prepared: psycopg prepares a statement run five times, and PostgreSQL then plans it
    # once for any window, and that plan reads every match of a common word again (two words
    # at 1 M items: 483 ms instead of 99).
    rows: list[tuple[Any, ...]] = driver.execute(sql, params, prepare=False).fetchall()
    return rows


class _Extent(NamedTuple):
    """The index's oldest and newest keys and its row count (the planner's estimate; -1
    before the first ANALYZE), read once per search for every walk it makes."""

    first: int | None
    last: int | None
    size: float

    def per_key(self) -> float:
        if self.first is None or self.last is None or self.size <= 0:
            return 0.0
        return self.size / max(1, self.last - self.first)

    def top(self, driver: Any, lo: int, hi: int) -> int | None:
        """The newest key in [lo, hi]: the newest of all unless the range ends before it."""
        if self.last is not None and lo <= self.last <= hi:
            return self.last
        return cast(int | None, _rows(driver, _TOP, {"lo": lo, "hi": hi})[0][0])


def _extent(conn: sa.Connection) -> _Extent:
    return _Extent(*_rows(conn.connection.driver_connection, _EXTENT, {})[0])


def in_key_order(density: float, wanted: int, size: float) -> bool:
    """Whether a window is cheaper read in key order — an index scan that tests each row and
    stops after `wanted` matches, about wanted / density rows — than through GIN, which reads
    all of the words' postings (about density × size). PostgreSQL's planner cannot weigh
    this: it does not count reading a TOASTed vector as a cost, so it takes the key-order scan
    for a word in 3 % of items and reads 30 rows for each match (235 ms for a window GIN
    answers in 9)."""
    return density > 0 and wanted / density * ROW_COST < density * size * POSTING_COST


def _window(driver: Any, sql: str, params: dict[str, object], by_key: bool
            ) -> list[tuple[Any, ...]]:
    """One window's rows, read in key order or through GIN as `by_key` says: the planner is
    told which by turning the other way off for this statement."""
    off = "enable_bitmapscan" if by_key else "enable_indexscan"
    driver.execute(f"SET LOCAL {off} = off", prepare=False)
    try:
        return _rows(driver, sql, params)
    finally:
        driver.execute(f"RESET {off}", prepare=False)


def _newest(conn: sa.Connection, extent: _Extent, sql: str, params: dict[str, object],
            lo: int, hi: int, cap: int) -> list[tuple[Any, ...]]:
    """The rows of `sql` (newest first, `lo`, `hi` and `cap` left to bind) for the newest
    `cap` keys in [lo, hi]: the same rows one query over [lo, hi] returns, but read window by
    window from the newest key down, so a common word's newest matches cost what they are and
    not what all its matches are. After the first window, the matches seen so far give the
    words' density, and `in_key_order` picks how to read the next."""
    driver = conn.connection.driver_connection
    rows: list[tuple[Any, ...]] = []
    top = extent.top(driver, lo, hi)
    per_key = extent.per_key()
    # Without statistics yet (never ANALYZEd), a day.
    span = max(1, int(FIRST_ROWS / per_key)) if per_key else 86_400 * ID_SPAN
    walked, by_key = 0, True  # a small first window costs little in key order, whatever it holds
    while top is not None and top >= lo and len(rows) < cap:
        bottom = max(lo, top - span + 1)
        got = _window(driver, sql, {**params, "lo": bottom, "hi": top, "cap": cap - len(rows)},
                      by_key)
        rows += got
        walked += top - bottom + 1
        span = _next_span(span, walked, len(rows), cap - len(rows))
        top = bottom - 1
        density = min(1.0, len(rows) / max(1.0, per_key * walked))
        by_key = in_key_order(density, cap - len(rows), extent.size)
    return rows


_NEWEST = ("SELECT key, tsv FROM search_doc WHERE tsv @@ CAST(%(match)s AS tsquery) "
           "AND key BETWEEN %(lo)s AND %(hi)s ORDER BY key DESC LIMIT %(cap)s")


def _evidence_sql(n: int) -> str:
    """The newest matches in a window and, for each of `n` clauses, whether it is in their
    title (weight A) and lead (B). Those tests read `ts_filter`'s copy of the title and lead
    positions: testing `tsv` itself would read each candidate's whole vector again from TOAST
    for every test (two words: 26,000 buffers a window instead of 15,000)."""
    if not n:
        return f"SELECT key FROM ({_NEWEST}) AS newest ORDER BY key DESC"  # noqa: S608
    tests = "".join(f", f @@ CAST(%(t{i})s AS tsquery), f @@ CAST(%(l{i})s AS tsquery)"
                    for i in range(n))
    # Only placeholders are formatted in (%(t0)s, %(l0)s, …); every value is a bound parameter.
    # OFFSET 0 keeps PostgreSQL from folding `f` back into each test.
    return (f"SELECT key{tests} FROM (SELECT key, ts_filter(tsv, '{{a,b}}') AS f "  # noqa: S608
            f"FROM ({_NEWEST}) AS newest OFFSET 0) AS fields ORDER BY key DESC")


def _evidence(row: Sequence[object]) -> Evidence:
    title = sum(1 << i for i, hit in enumerate(row[1::2]) if hit)
    lead = sum(1 << i for i, hit in enumerate(row[2::2]) if hit)
    return Evidence(int(str(row[0])), title, lead)


def count(conn: sa.Connection, extent: _Extent, c: Clause, cap: int) -> int:
    """How many items match `c` anywhere, counted up to `cap` (a bounded walk)."""
    return len(_newest(conn, extent, _evidence_sql(0), {"match": clause(c)}, *EVERYWHERE, cap))


def candidates(conn: sa.Connection, query: Query, scope: Scope, cap: int, *,
               evidence: bool = True) -> Found:
    """The newest `cap` matches and, with `evidence`, where each clause matched them
    (weight A: title, B: lead), tested on the candidates' own tsvectors."""
    n = len(query.positives) if evidence else 0
    params: dict[str, object] = {"match": match(query, scope)}
    for i, c in enumerate(query.positives[:n]):
        params[f"t{i}"], params[f"l{i}"] = clause(c, "A"), clause(c, "B")
    extent = _extent(conn)
    rows = _newest(conn, extent, _evidence_sql(n), params, scope.lo, scope.hi, cap)
    counts = tuple(count(conn, extent, c, cap) for c in query.positives) \
        if n > 1 and rows else ()
    return Found([_evidence(r) for r in rows], counts)


# ── writes ──────────────────────────────────────────────────────────────────────────────────


def tsvector(doc: Document) -> str:
    """The document as a tsvector literal; one unused position between fields keeps a phrase
    from running from one field into the next, as FTS5's columns do."""
    positions: dict[str, list[str]] = {}
    at = 1
    for weight, terms in zip(WEIGHTS, doc.fields, strict=True):
        for term in terms:
            if term != FILLER:
                positions.setdefault(term, []).append(f"{at}{weight}")
            at += 1
        at += 1
    parts = [f"{lexeme(term)}:{','.join(where)}" for term, where in positions.items()]
    return " ".join(parts + [lexeme(META + token) for token in doc.meta])


_REMOVE = sa.text("DELETE FROM search_doc WHERE item_id IN :ids").bindparams(
    sa.bindparam("ids", expanding=True))


def remove(conn: sa.Connection, item_ids: Sequence[int]) -> None:
    for part in chunks(item_ids):
        conn.execute(_REMOVE, {"ids": part})


def add(conn: sa.Connection, docs: Sequence[tuple[int, Document]]) -> None:
    if docs:
        conn.execute(_UPSERT, [{"item_id": item_id, "key": doc.key, "tsv": tsvector(doc)}
                               for item_id, doc in docs])


# A whole index written again (fts/index.py rebuild): GIN takes the documents as they come.
load = add


def loaded(conn: sa.Connection) -> None:
    optimize(conn)


def clear(conn: sa.Connection) -> None:
    conn.execute(sa.text("TRUNCATE search_doc"))


def optimize(conn: sa.Connection) -> None:
    """Fold GIN's pending list into the index and refresh the planner's statistics."""
    conn.execute(sa.text("SELECT gin_clean_pending_list('ix_search_doc_tsv'::regclass)"))
    conn.execute(sa.text("ANALYZE search_doc"))

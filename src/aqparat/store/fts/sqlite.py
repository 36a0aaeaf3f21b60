"""SQLite FTS5: `search_doc` holds the terms (one row per shown item, `key` as its rowid) and
`search_fts` indexes them as an external-content FTS5 table (migration 0003).

The `ascii` tokenizer only splits at ASCII spaces and punctuation and passes every other
character through, so FTS5 indexes exactly the terms `document.py` made: the terms are the
tokenization, on this engine as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from aqparat.store.fts.document import Document
from aqparat.store.fts.query import Clause, Evidence, Found, Query, Scope

TEXT = "{title lead body entity}"

_CANDIDATES = ("SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
               "AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?")
_WITHIN = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
_COUNT = sa.text(
    "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :match "
    "ORDER BY rowid DESC LIMIT :cap)")
_OLD = sa.text("SELECT key, title, lead, body, entity, meta FROM search_doc WHERE item_id = :id")
_DELETE_FTS = sa.text(
    "INSERT INTO search_fts (search_fts, rowid, title, lead, body, entity, meta) "
    "VALUES ('delete', :key, :title, :lead, :body, :entity, :meta)")
_DELETE_DOC = sa.text("DELETE FROM search_doc WHERE item_id = :id")
_INSERT_DOC = sa.text(
    "INSERT INTO search_doc (key, item_id, title, lead, body, entity, meta) "
    "VALUES (:key, :item_id, :title, :lead, :body, :entity, :meta)")
_INSERT_FTS = sa.text(
    "INSERT INTO search_fts (rowid, title, lead, body, entity, meta) "
    "VALUES (:key, :title, :lead, :body, :entity, :meta)")


# ── queries ─────────────────────────────────────────────────────────────────────────────────


def _phrase(terms: Sequence[str]) -> str:
    # Terms are letters and digits (document.clean); doubling quotes is FTS5's escape anyway.
    return '"' + " ".join(t.replace('"', '""') for t in terms) + '"'


def _clause(clause: Clause) -> str:
    return "(" + " OR ".join(_phrase(v) for v in clause.variants) + ")"


def match(query: Query, scope: Scope) -> str:
    """The MATCH expression: every positive clause in the text, every filter group, and no
    negative clause anywhere in the text."""
    parts = [f"({TEXT} : ({' AND '.join(map(_clause, query.positives))}))"]
    parts += [f"({{meta}} : ({' OR '.join(_phrase((t,)) for t in group)}))"
              for group in scope.tokens]
    expr = " AND ".join(parts)
    if query.negatives:
        expr = f"({expr}) NOT ({TEXT} : ({' OR '.join(map(_clause, query.negatives))}))"
    return expr


def _keys(conn: sa.Connection, sql: str, *params: object) -> list[int]:
    # The driver's own cursor: these run several times per search and return up to `cap` rows
    # each, and SQLAlchemy's row objects cost more than the FTS5 lookups themselves.
    return [k for (k,) in conn.connection.driver_connection.execute(sql, params)]  # type: ignore[union-attr]


def _within(conn: sa.Connection, expr: str, lo: int, hi: int) -> set[int]:
    return set(_keys(conn, _WITHIN, expr, lo, hi))


def _bits(conn: sa.Connection, query: Query, full: str, column: str, lo: int,
          hi: int) -> dict[int, int]:
    """key → bitmask of the positive clauses found in `column`."""
    bits: dict[int, int] = {}
    for i, clause in enumerate(query.positives):
        for key in _within(conn, f"({full}) AND ({{{column}}} : {_clause(clause)})", lo, hi):
            bits[key] = bits.get(key, 0) | 1 << i
    return bits


def count(conn: sa.Connection, clause: Clause, cap: int) -> int:
    """How many items match `clause` anywhere, counted up to `cap` (a bounded walk)."""
    found = conn.execute(_COUNT, {"match": f"{TEXT} : {_clause(clause)}", "cap": cap})
    return int(found.scalar_one())


def candidates(conn: sa.Connection, query: Query, scope: Scope, cap: int, *,
               evidence: bool = True) -> Found:
    """The newest `cap` matches and, with `evidence`, where each clause matched them.

    Every match at or above the oldest candidate's key is a candidate, so each evidence query
    (the full expression plus one clause in one column, over that key range) returns only
    candidates: its cost is bounded by `cap` however common the words are.
    """
    full = match(query, scope)
    keys = _keys(conn, _CANDIDATES, full, scope.lo, scope.hi, cap)
    if not keys or not evidence:
        return Found([Evidence(k) for k in keys], ())
    lo = keys[-1]
    title, lead = (_bits(conn, query, full, col, lo, scope.hi) for col in ("title", "lead"))
    # One clause: its weight multiplies every score alike, so it needs no count.
    counts = tuple(count(conn, c, cap) for c in query.positives) if len(query.positives) > 1 \
        else ()
    return Found([Evidence(k, title.get(k, 0), lead.get(k, 0)) for k in keys], counts)


# ── writes ──────────────────────────────────────────────────────────────────────────────────


def _values(doc: Document) -> dict[str, object]:
    title, lead, body, entity = (" ".join(terms) for terms in doc.fields)
    return {"key": doc.key, "title": title, "lead": lead, "body": body, "entity": entity,
            "meta": " ".join(doc.meta)}


def remove(conn: sa.Connection, item_id: int) -> None:
    old = conn.execute(_OLD, {"id": item_id}).mappings().first()
    if old is None:
        return
    # External content: FTS5 un-indexes exactly the values it is given, the stored ones.
    conn.execute(_DELETE_FTS, dict(old))
    conn.execute(_DELETE_DOC, {"id": item_id})


def add(conn: sa.Connection, docs: Sequence[tuple[int, Document]]) -> None:
    """Index (item id, document) pairs whose items are not in the index."""
    if not docs:
        return
    rows = [{**_values(doc), "item_id": item_id} for item_id, doc in docs]
    conn.execute(_INSERT_DOC, rows)
    conn.execute(_INSERT_FTS, rows)


def clear(conn: sa.Connection) -> None:
    conn.execute(sa.text("DELETE FROM search_doc"))
    conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))


def optimize(conn: sa.Connection) -> None:
    """Merge the index into one segment: what a rebuild leaves should be fastest to read."""
    conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))

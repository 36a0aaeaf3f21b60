"""PostgreSQL: `search_doc.tsv` holds each shown item's terms under a GIN index (migration 0003).

We write `tsvector` and `tsquery` *literals* (`'term':3A`), cast without a text search
configuration, so PostgreSQL's parser never re-tokenizes anything and both engines hold the
same terms at the same positions. Weights: title A, lead B, body C, entity name D; they mark
the field a position is in, so "in the title" is a weight-restricted lexeme (`'term':A`).
Filter tokens carry a `~` no term can contain, so a reader's word can never match one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from aqparat.store.fts.document import FILLER, Document
from aqparat.store.fts.query import Clause, Evidence, Found, Query, Scope

WEIGHTS = "ABCD"  # title, lead, body, entity: FIELDS order
META = "~"

_UPSERT = sa.text(
    "INSERT INTO search_doc (item_id, key, tsv) VALUES (:item_id, :key, CAST(:tsv AS tsvector)) "
    "ON CONFLICT (item_id) DO UPDATE SET key = EXCLUDED.key, tsv = EXCLUDED.tsv")
_COUNT = sa.text(
    "SELECT count(*) FROM (SELECT 1 FROM search_doc WHERE tsv @@ CAST(:match AS tsquery) "
    "ORDER BY key DESC LIMIT :cap) AS newest")


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


def _evidence_sql(n: int) -> sa.TextClause:
    tests = "".join(f", tsv @@ CAST(:t{i} AS tsquery), tsv @@ CAST(:l{i} AS tsquery)"
                    for i in range(n))
    # Only placeholders are formatted in (:t0, :l0, …); every value is a bound parameter.
    return sa.text(
        f"SELECT key{tests} FROM (SELECT key, tsv FROM search_doc "  # noqa: S608
        "WHERE tsv @@ CAST(:match AS tsquery) AND key BETWEEN :lo AND :hi "
        "ORDER BY key DESC LIMIT :cap) AS newest ORDER BY key DESC")


def _evidence(row: Sequence[object]) -> Evidence:
    title = sum(1 << i for i, hit in enumerate(row[1::2]) if hit)
    lead = sum(1 << i for i, hit in enumerate(row[2::2]) if hit)
    return Evidence(int(str(row[0])), title, lead)


def count(conn: sa.Connection, c: Clause, cap: int) -> int:
    """How many items match `c` anywhere, counted up to `cap` (a bounded walk)."""
    return int(conn.execute(_COUNT, {"match": clause(c), "cap": cap}).scalar_one())


def candidates(conn: sa.Connection, query: Query, scope: Scope, cap: int, *,
               evidence: bool = True) -> Found:
    """The newest `cap` matches and, with `evidence`, where each clause matched them
    (weight A: title, B: lead), tested on the candidates' own tsvectors."""
    n = len(query.positives) if evidence else 0
    params: dict[str, object] = {"match": match(query, scope), "lo": scope.lo, "hi": scope.hi,
                                 "cap": cap}
    for i, c in enumerate(query.positives[:n]):
        params[f"t{i}"], params[f"l{i}"] = clause(c, "A"), clause(c, "B")
    rows = conn.execute(_evidence_sql(n), params).all()
    counts = tuple(count(conn, c, cap) for c in query.positives) if n > 1 and rows else ()
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


def remove(conn: sa.Connection, item_id: int) -> None:
    conn.execute(sa.text("DELETE FROM search_doc WHERE item_id = :id"), {"id": item_id})


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

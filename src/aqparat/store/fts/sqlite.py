"""SQLite FTS5: `search_doc` holds the terms (one row per shown item, `key` as its rowid) and
`search_fts` indexes them as an external-content FTS5 table (migration 0003).

The `ascii` tokenizer only splits at ASCII spaces and punctuation and passes every other
character through, so FTS5 indexes exactly the terms `document.py` made: the terms are the
tokenization, on this engine as on PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import sqlalchemy as sa

from aqparat.store.chunks import chunks
from aqparat.store.fts.document import Document
from aqparat.store.fts.query import Clause, Evidence, Found, Query, Scope, Terms

TEXT = "{title lead body entity}"
# Seconds to read one candidate's stored terms by key: 1,000 scattered rows of a 1M-item
# store took 3.6–4.5 ms of CPU (bench/search.py's store, SQLite 3.40).
READ_COST = 5e-6

_CANDIDATES = ("SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
               "AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?")
_WITHIN = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
_COUNT = sa.text(
    "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :match "
    "ORDER BY rowid DESC LIMIT :cap)")
_OLD = sa.text("SELECT key, title, lead, body, entity, meta FROM search_doc "
               "WHERE item_id IN :ids").bindparams(sa.bindparam("ids", expanding=True))
_DELETE_FTS = sa.text(
    "INSERT INTO search_fts (search_fts, rowid, title, lead, body, entity, meta) "
    "VALUES ('delete', :key, :title, :lead, :body, :entity, :meta)")
_DELETE_DOC = sa.text("DELETE FROM search_doc WHERE item_id IN :ids").bindparams(
    sa.bindparam("ids", expanding=True))
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


def _has(terms: Sequence[str], variant: Terms) -> bool:
    """`variant` occurs in `terms` as FTS5 reads a phrase: consecutive tokens."""
    n = len(variant)
    return any(tuple(terms[i:i + n]) == variant for i in range(len(terms) - n + 1))


def _mask(text: str, clauses: Sequence[tuple[frozenset[str], list[Terms]]]) -> int:
    terms = text.split()
    words = frozenset(terms)
    return sum(1 << i for i, (single, phrases) in enumerate(clauses)
               if not single.isdisjoint(words) or any(_has(terms, v) for v in phrases))


def _stored(conn: sa.Connection, keys: Sequence[int],
            query: Query) -> dict[int, tuple[int, int]]:
    """key → (title bits, lead bits), read from the candidates' stored terms."""
    clauses = [(frozenset(v[0] for v in c.variants if len(v) == 1),
                [v for v in c.variants if len(v) > 1]) for c in query.positives]
    rows = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"SELECT key, title, lead FROM search_doc WHERE key IN ({','.join('?' * len(keys))})",  # noqa: S608
        tuple(keys))
    return {k: (_mask(title, clauses), _mask(lead, clauses)) for k, title, lead in rows}


def _requeried(conn: sa.Connection, query: Query, full: str, lo: int,
               hi: int) -> dict[int, tuple[int, int]]:
    """key → (title bits, lead bits) by FTS5: the expression plus one clause in one column,
    over the candidates' key range. Every match in that range is a candidate, so none of these
    returns more than the cap; each costs what the candidate query cost."""
    bits: dict[int, list[int]] = {}
    for i, clause in enumerate(query.positives):
        for field, col in enumerate(("title", "lead")):
            for k in _within(conn, f"({full}) AND ({{{col}}} : {_clause(clause)})", lo, hi):
                bits.setdefault(k, [0, 0])[field] |= 1 << i
    return {k: (t, lead) for k, (t, lead) in bits.items()}


def field_bits(conn: sa.Connection, query: Query, full: str, keys: Sequence[int], hi: int, *,
               requery: bool) -> dict[int, tuple[int, int]]:
    """key → (title bits, lead bits) of the candidates `keys`: by querying FTS5 again, or by
    reading their stored terms. Both give the same answer (a test holds them to it)."""
    if requery:
        return _requeried(conn, query, full, keys[-1], hi)
    return _stored(conn, keys, query)


def count(conn: sa.Connection, clause: Clause, cap: int) -> int:
    """How many items match `clause` anywhere, counted up to `cap` (a bounded walk)."""
    found = conn.execute(_COUNT, {"match": f"{TEXT} : {_clause(clause)}", "cap": cap})
    return int(found.scalar_one())


def candidates(conn: sa.Connection, query: Query, scope: Scope, cap: int, *,
               evidence: bool = True) -> Found:
    """The newest `cap` matches and, with `evidence`, where each clause matched them."""
    full = match(query, scope)
    started = time.perf_counter()
    keys = _keys(conn, _CANDIDATES, full, scope.lo, scope.hi, cap)
    spent = time.perf_counter() - started
    if not keys or not evidence:
        return Found([Evidence(k) for k in keys], ())
    # Asking FTS5 again costs about what the candidate query just cost, per clause and field;
    # reading stored terms costs per candidate. Take the cheaper: a common word walked newest
    # first is cheap to ask again, a rare combination of common words is not.
    requery = 2 * len(query.positives) * spent < READ_COST * len(keys)
    fields = field_bits(conn, query, full, keys, scope.hi, requery=requery)
    # One clause: its weight multiplies every score alike, so it needs no count.
    counts = tuple(count(conn, c, cap) for c in query.positives) if len(query.positives) > 1 \
        else ()
    return Found([Evidence(k, *fields.get(k, (0, 0))) for k in keys], counts)


# ── writes ──────────────────────────────────────────────────────────────────────────────────


def _values(doc: Document) -> dict[str, object]:
    title, lead, body, entity = (" ".join(terms) for terms in doc.fields)
    return {"key": doc.key, "title": title, "lead": lead, "body": body, "entity": entity,
            "meta": " ".join(doc.meta)}


def remove(conn: sa.Connection, item_ids: Sequence[int]) -> None:
    """Take these items' documents out of the index (those that have one)."""
    for part in chunks(item_ids):
        old = [dict(row) for row in conn.execute(_OLD, {"ids": part}).mappings()]
        if old:
            # External content: FTS5 un-indexes exactly the values it is given, the stored ones.
            conn.execute(_DELETE_FTS, old)
            conn.execute(_DELETE_DOC, {"ids": part})


def add(conn: sa.Connection, docs: Sequence[tuple[int, Document]]) -> None:
    """Index (item id, document) pairs whose items are not in the index."""
    if not docs:
        return
    rows = [{**_values(doc), "item_id": item_id} for item_id, doc in docs]
    conn.execute(_INSERT_DOC, rows)
    conn.execute(_INSERT_FTS, rows)


def store_terms(conn: sa.Connection, docs: Sequence[tuple[int, Document]]) -> None:
    """Bulk loading: write the documents' stored terms only; `index_stored` then indexes every
    stored document in one pass. FTS5 merges its segments as they accumulate, so indexing
    document by document costs more per document as the index grows (a synthetic store's
    writer went from 2 to 6 ms of CPU per item between 55,000 and 75,000 items);
    one 'rebuild' reads the content table once."""
    if docs:
        conn.execute(_INSERT_DOC, [{**_values(doc), "item_id": item_id} for item_id, doc in docs])


# FTS5 writes its in-memory terms out as a new segment whenever they pass `hashsize` (1 MiB by
# default), then merges segments. For one pass over a whole store, 64 MiB makes 64 times fewer
# segments to merge: the pass over 200,000 synthetic items took 8.1 s of CPU instead of 26.0.
_DEFAULT_HASH = 1024 * 1024
_BULK_HASH = 64 * 1024 * 1024
_HASHSIZE = sa.text("INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', :size)")


def index_stored(conn: sa.Connection) -> None:
    """Index every document in `search_doc` from scratch (after `store_terms`)."""
    conn.execute(_HASHSIZE, {"size": _BULK_HASH})
    conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('rebuild')"))
    # The setting is stored with the index: ordinary writes go back to the default.
    conn.execute(_HASHSIZE, {"size": _DEFAULT_HASH})


# A whole index written again (fts/index.py rebuild): terms first, then one indexing pass.
load = store_terms


def loaded(conn: sa.Connection) -> None:
    index_stored(conn)
    optimize(conn)


def clear(conn: sa.Connection) -> None:
    conn.execute(sa.text("DELETE FROM search_doc"))
    conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))


def optimize(conn: sa.Connection) -> None:
    """Merge the index into one segment: what a rebuild leaves should be fastest to read."""
    conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))

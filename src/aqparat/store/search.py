"""Search the store: one interface, two engines (FTS5 on SQLite, tsvector on PostgreSQL).

    results = search(conn, 'референдум -"Қостанай"', Filters(lang="kk"), limit=20)

Ranking is bounded: an engine walks its index newest first and stops at the CAP newest
matches (research stack.md §2: walking newest first costs a fraction of a millisecond), and
only those are ranked. It reports, for each match, which query words (clauses) occur in its
title and in its lead, and how common each word is, counted up to CAP: again a bounded walk.
From that evidence one formula, the same on both engines, ranks the candidates:

    title matches first (every clause in the title), then by
    score = Σ over clauses of  weight(field) × ln(1 + CAP / count)   (title 4, lead 2, body 1),
    then newest first.

That is BM25's field weights and inverse document frequency without its term frequency and
length normalization, and it is deliberate: FTS5's bm25() computes its IDF by walking every
row that contains each query word (fts5_aux.c, xQueryPhrase), so a word in half of a million
items costs tens of milliseconds however few rows are ranked (docs/search.md has the numbers);
and PostgreSQL's ts_rank_cd is another formula altogether, so the two engines would order the
same hits differently. The price of the cap: a query with more than CAP matches ranks its
newest CAP and says so (`Results.capped`), so readers narrow by date or rubric.

The machinery is in `store/fts/`; `fts.index.sync_item` keeps the index in step with the store
(`articles.save`, `articles.set_status`, rubric changes), `fts.index.rebuild` rebuilds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import sqlalchemy as sa

from aqparat.model import LANGS
from aqparat.store import articles, stories
from aqparat.store.articles import ItemRecord
from aqparat.store.fts import document
from aqparat.store.fts.index import engine_module
from aqparat.store.fts.query import Evidence, Query, Scope, parse
from aqparat.store.schema import story

# Matches ranked per query: 50 pages of 20 (bench/search.py measures the cost; docs/search.md).
CAP = 1000
# Field weights, as BM25 column weights are usually set: a word in the title says most about
# an item, in the lead more than deep in the body.
TITLE, LEAD, BODY = 4.0, 2.0, 1.0

Sort = Literal["relevance", "date"]
SORTS: tuple[Sort, ...] = ("relevance", "date")


@dataclass(frozen=True, slots=True)
class Filters:
    """Each field narrows the search; None means any."""

    lang: str | None = None
    rubric: str | None = None
    source_id: int | None = None
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive


class Ranked(NamedTuple):  # a tuple: a thousand are made per query
    key: int
    score: float
    in_title: bool  # every positive clause is in the title

    @property
    def item_id(self) -> int:
        return document.item_id_of(self.key)


@dataclass(frozen=True, slots=True)
class Group:
    """One result: the best-ranked item of its story and the other items of that story."""

    lead: Ranked
    also: tuple[int, ...] = ()  # item ids, best first


@dataclass(frozen=True, slots=True)
class Hit:
    record: ItemRecord
    score: float
    in_title: bool
    also: tuple[int, ...] = ()  # other matching items of the same story, best first


@dataclass(frozen=True, slots=True)
class Results:
    query: Query
    hits: list[Hit]  # the requested page
    total: int  # results (stories) among the ranked matches
    capped: bool  # there were more than CAP matches: only the newest CAP were ranked


def read_query(text: str, filters: Filters | None = None) -> Query:
    """The query as the engines will see it: each word read in the language filtered to, or
    in every language (a reader may type Russian on the Kazakh site)."""
    return parse(text, (filters.lang,) if filters and filters.lang else LANGS)


def scope(filters: Filters) -> Scope:
    tokens: list[tuple[str, ...]] = []
    if filters.lang:
        tokens.append((document.lang_token(filters.lang),))
    if filters.source_id is not None:
        tokens.append((document.source_token(filters.source_id),))
    if filters.rubric:
        tokens.append((document.rubric_token(filters.rubric),))
    lo, hi = document.key_range(filters.since, filters.until)
    return Scope(tuple(tokens), lo, hi)


def weights(counts: Sequence[int], cap: int) -> list[float]:
    """Each clause's inverse document frequency, from its match count (up to `cap`): a word
    found everywhere weighs ln 2, a word found once ln(1 + cap)."""
    return [math.log(1 + cap / max(1, n)) for n in counts] if counts else [1.0]


def _score(title: int, lead: int, idf: Sequence[float]) -> float:
    return sum(w * (TITLE if title >> i & 1 else LEAD if lead >> i & 1 else BODY)
               for i, w in enumerate(idf))


def rank(matches: Sequence[Evidence], counts: Sequence[int], clauses: int, sort: Sort,
         cap: int) -> list[Ranked]:
    """Title matches first, then by score, then newest; or newest first (`sort="date"`)."""
    if sort == "date":
        return [Ranked(e.key, 0.0, False) for e in matches]  # engines return newest first
    idf, every = weights(counts, cap), (1 << clauses) - 1
    scores: dict[tuple[int, int], float] = {}  # few distinct (title, lead) pairs per query
    order = []
    for e in matches:
        fields = (e.title, e.lead)
        if fields not in scores:
            scores[fields] = _score(e.title, e.lead, idf)
        order.append((e.title != every, -scores[fields], -e.key))
    order.sort()
    return [Ranked(-key, -score, not missing) for missing, score, key in order]


def group(ranked: Sequence[Ranked], story_of: Mapping[int, int], *, stop: int) -> tuple[
        list[Group], int]:
    """The first `stop` results, one per story at its best-ranked item's place, and how many
    results there are; an item without a story is its own. `story_of` maps item id → story
    id (`item.story_id`, store/stories.story_of)."""
    if not story_of:  # every item its own story: the ranking is the grouping
        return [Group(r) for r in ranked[:stop]], len(ranked)
    members: dict[int, list[Ranked]] = {}
    for r in ranked:
        members.setdefault(story_of.get(r.item_id, -r.item_id), []).append(r)
    groups = [Group(first, tuple(r.item_id for r in rest))
              for first, *rest in list(members.values())[:stop]]
    return groups, len(members)


def _story_of(conn: sa.Connection, ranked: Sequence[Ranked]) -> dict[int, int]:
    """item id → story id (`item.story_id`, issue 5) for the candidates. Reading a thousand
    items' story ids costs milliseconds (bench/search.py); a store without stories skips it."""
    if not ranked or conn.execute(sa.select(story.c.id).limit(1)).first() is None:
        return {}
    return stories.story_of(conn, (r.item_id for r in ranked))


def _hits(conn: sa.Connection, page: Sequence[Group]) -> list[Hit]:
    ids = [g.lead.item_id for g in page]
    records = articles.records_by_id(conn, ids)  # shown items only: a stale entry drops out
    found = [(records[i], g) for i, g in zip(ids, page, strict=True) if i in records]
    # "+N sources": the story's other sources, as every list shows them (stories.py).
    summaries = stories.with_others(conn, [r.summary for r, _ in found])
    return [Hit(dataclasses.replace(r, summary=s), g.lead.score, g.lead.in_title, g.also)
            for (r, g), s in zip(found, summaries, strict=True)]


def search(conn: sa.Connection, text: str | Query, filters: Filters | None = None, *,
           sort: Sort = "relevance", offset: int = 0, limit: int = 20,
           cap: int = CAP) -> Results:
    """The `limit` results from `offset` for `text` within `filters`."""
    filters = filters or Filters()
    query = text if isinstance(text, Query) else read_query(text, filters)
    where = scope(filters)
    if query.empty or where.lo > where.hi:
        return Results(query, [], 0, capped=False)
    found = engine_module(conn).candidates(conn, query, where, cap,
                                           evidence=sort == "relevance")
    ranked = rank(found.matches, found.counts, len(query.positives), sort, cap)
    groups, total = group(ranked, _story_of(conn, ranked), stop=offset + limit)
    return Results(query, _hits(conn, groups[offset:]), total,
                   capped=len(found.matches) >= cap)

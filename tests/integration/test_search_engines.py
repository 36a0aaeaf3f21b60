"""One search, two engines: the same corpus in SQLite and in PostgreSQL answers every query with
the same results in the same order, and no input at all makes either engine fail.

Without AQPARAT_TEST_POSTGRES_URL the comparisons skip and the fuzzing runs on SQLite alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from typing import Any, NamedTuple, cast

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aqparat.store import db, search
from aqparat.store.fts import document
from aqparat.store.fts import postgres as fts_postgres
from aqparat.store.fts import sqlite as fts5
from aqparat.store.search import Filters
from search_corpus import FIXTURES, Doc, corpus, store

PG_ENV = "AQPARAT_TEST_POSTGRES_URL"


def _reset(url: str) -> None:
    engine = db.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, sa.Engine]]:
    """The search corpus in a SQLite store and, when one is configured, a PostgreSQL store."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('engines') / 'store.db'}"}
    if os.environ.get(PG_ENV):
        urls["postgresql"] = os.environ[PG_ENV]
        _reset(urls["postgresql"])
    made = {name: db.open_store(url, migrate=True) for name, url in urls.items()}
    docs = corpus()
    ids = {name: store(engine, docs) for name, engine in made.items()}
    assert len({tuple(sorted(i.items())) for i in ids.values()}) == 1  # same ids everywhere
    yield made
    for engine in made.values():
        engine.dispose()
    if "postgresql" in urls:
        _reset(urls["postgresql"])


def answer(engine: sa.Engine, text: str, filters: Filters | None = None,
           **kw: object) -> tuple[object, ...]:
    with engine.connect() as conn:
        r = search.search(conn, text, filters, **kw)  # type: ignore[arg-type]
    return (r.total, r.capped, [(h.record.summary.id, h.score, h.in_title) for h in r.hits])


def both(engines: dict[str, sa.Engine]) -> tuple[sa.Engine, sa.Engine]:
    if "postgresql" not in engines:
        pytest.skip(f"{PG_ENV} is not set: nothing to compare SQLite with")
    return engines["sqlite"], engines["postgresql"]


def gold_queries() -> list[str]:
    lines = (FIXTURES / "queries.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


EXTRA = ['"жаңа Конституция"', "референдум -бақылаушылар", "Конституция", "рынка", "финансового",
         "Kazakhstan", "referendum", "министр", '"Ұлттық банк"', "және", "по", "the -of",
         "Қазақстан -\"Қазақстан\"", "ставка инфляция", "12 482 613", "87,15%"]


@pytest.mark.postgres
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_every_query_gets_the_same_answer_on_both_engines(engines: dict[str, sa.Engine],
                                                          sort: str) -> None:
    lite, pg = both(engines)
    for text in [*gold_queries(), *EXTRA]:
        for cap in (search.CAP, 7):  # 7: the bounded ranking's cut falls inside the matches
            assert answer(lite, text, sort=sort, cap=cap, limit=50) == \
                answer(pg, text, sort=sort, cap=cap, limit=50), text


@pytest.mark.postgres
@pytest.mark.parametrize("filters", [
    Filters(lang="ru"), Filters(lang="kk", rubric="politics"), Filters(rubric="economy"),
    Filters(source_id=2),
])
def test_filters_agree_on_both_engines(engines: dict[str, sa.Engine], filters: Filters) -> None:
    lite, pg = both(engines)
    for text in ("Қазақстан", "банк", "по", "рынка финансового", "референдум"):
        assert answer(lite, text, filters, limit=50) == answer(pg, text, filters, limit=50)


# Pieces of every syntax either engine has, and text around them.
SYNTAX = st.sampled_from(['"', "'", "-", "*", ":", "^", "(", ")", "{", "}", "[", "]", "+",
                          "NEAR", "NEAR/2", "AND", "OR", "NOT", "!", "&", "|", "<->", "<2>",
                          ":*", ":A", "\\", "\x00", "\u200b", "\ufffe", "\ud7ff", "%", "_",
                          "title:", "{meta}", "~lkk", "lkk", "s1", " ", "  ", "\n", "\t"])
WORDS = st.sampled_from(["референдум", "Біржанов", "рынка", "Kazakhstan", "және", "ставка"])
QUERIES = st.lists(st.one_of(SYNTAX, WORDS, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=QUERIES, sort=st.sampled_from(search.SORTS))
def test_no_input_makes_an_engine_fail(engines: dict[str, sa.Engine], text: str,
                                       sort: search.Sort) -> None:
    answers = {name: answer(engine, text, sort=sort, cap=50) for name, engine in engines.items()}
    assert len(set(map(repr, answers.values()))) == 1, answers


def test_both_ways_of_reading_field_evidence_agree(engines: dict[str, sa.Engine]) -> None:
    with engines["sqlite"].connect() as conn:
        for text in [*gold_queries()[:60], *EXTRA]:
            for filters in (Filters(), Filters(lang="kk"), Filters(rubric="politics")):
                query = search.read_query(text, filters)
                if query.empty:
                    continue
                where = search.scope(filters)
                full = fts5.match(query, where)
                keys = fts5._keys(conn, fts5._CANDIDATES, full, where.lo, where.hi, 50)
                if not keys:
                    continue
                stored = fts5.field_bits(conn, query, full, keys, where.hi, requery=False)
                asked = fts5.field_bits(conn, query, full, keys, where.hi, requery=True)
                assert {k: v for k, v in stored.items() if v != (0, 0)} == asked, text


# ── PostgreSQL's walk ───────────────────────────────────────────────────────────────────────
# PostgreSQL finds a search's newest matches by walking the key range a window at a time
# (`store/fts/postgres.py`): it must find exactly what SQLite finds, however many windows the
# walk takes, and read no further back than the newest matches are. This store holds one item
# a day for 300 days, so windows and items line up in a known way.

DAYS = 300
FIRST_DAY = dt.date(2025, 1, 1)


def _doc(n: int) -> Doc:
    words = ["бюджет"]  # every item
    if n % 3 == 0:
        words.append("салық")  # every third
    if n in (5, 6, 150):
        words.append("сирек")  # three items, two of them among the oldest
    return Doc(f"d{n}", f"Хабар {n}", " ".join(words) + " туралы жаңалық.",
               day=FIRST_DAY + dt.timedelta(days=n))


WALK_QUERIES = ["бюджет", "салық", "сирек", "бюджет салық", "салық сирек", "бюджет -салық",
                "жоқсөз", '"бюджет туралы"']


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, sa.Engine]]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: the walk is PostgreSQL's")
    _reset(url)
    made = {"sqlite": db.open_store(f"sqlite:///{tmp_path_factory.mktemp('walk') / 's.db'}",
                                    migrate=True),
            "postgresql": db.open_store(url, migrate=True)}
    docs = [_doc(n) for n in range(DAYS)]
    for engine in made.values():
        store(engine, docs)
    with made["postgresql"].begin() as conn:
        fts_postgres.optimize(conn)  # ANALYZE: the walk reads the planner's row count
    yield made
    for engine in made.values():
        engine.dispose()
    _reset(url)


@pytest.mark.postgres
@pytest.mark.parametrize("first_rows", [0, fts_postgres.FIRST_ROWS, 10**30])
@pytest.mark.parametrize("row_cost", [0.0, fts_postgres.ROW_COST, 1.0])
def test_the_walk_finds_what_sqlite_finds(walk: dict[str, sa.Engine], first_rows: int,
                                          row_cost: float,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A first window of one key (a walk of dozens of windows), of the usual size, and of
    everything (one query) all give SQLite's answers, for caps that end the walk inside a
    window, at a window's edge, and never; and so do windows read in key order (a row
    costing nothing), through GIN (a row costing a second), and as the measured costs
    choose."""
    monkeypatch.setattr(fts_postgres, "FIRST_ROWS", first_rows)
    monkeypatch.setattr(fts_postgres, "ROW_COST", row_cost)
    since = search.Filters(since=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
                           until=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    for text in WALK_QUERIES:
        for cap in (1, 2, 7, 100, search.CAP):
            for filters in (None, since):
                assert answer(walk["postgresql"], text, filters, cap=cap, limit=400) == \
                    answer(walk["sqlite"], text, filters, cap=cap, limit=400), (text, cap, filters)


class Window(NamedTuple):
    lo: int
    hi: int
    read: str  # "key order" or "GIN": which scan PostgreSQL was left while it read the window


def _read(driver: Any) -> str:
    allowed = [driver.execute(f"SHOW {name}").fetchone()[0] == "on"
               for name in ("enable_indexscan", "enable_bitmapscan")]
    return {(True, False): "key order", (False, True): "GIN"}.get(tuple(allowed), "either")


def _windows(engine: sa.Engine, text: str, cap: int,
             monkeypatch: pytest.MonkeyPatch) -> list[Window]:
    """The key windows PostgreSQL read to answer `text` (each statement still runs)."""
    seen: list[Window] = []
    run = fts_postgres._rows

    def recorded(driver: Any, sql: str, params: dict[str, object]) -> list[tuple[object, ...]]:
        if "tsv @@" in sql:
            seen.append(Window(cast(int, params["lo"]), cast(int, params["hi"]), _read(driver)))
        return run(driver, sql, params)

    with monkeypatch.context() as m:
        m.setattr(fts_postgres, "_rows", recorded)
        answer(engine, text, cap=cap)
    return seen


@pytest.mark.postgres
def test_a_common_word_reads_only_its_newest_days(walk: dict[str, sa.Engine],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """At this store's scale (a first window of two items): a word in every item, asked for 5,
    reads 2 days, then enough for three times the 3 missing."""
    monkeypatch.setattr(fts_postgres, "FIRST_ROWS", 2)
    newest = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=DAYS), dt.time(), dt.UTC)
    earliest, _ = document.key_range(newest - dt.timedelta(days=16), None)
    windows = _windows(walk["postgresql"], "бюджет", 5, monkeypatch)
    assert windows
    assert min(w.lo for w in windows) >= earliest, windows
    # Windows follow each other down the keys without a gap or an overlap.
    assert all(lower.hi == upper.lo - 1 for upper, lower in itertools.pairwise(windows))
    assert {w.read for w in windows} == {"key order"}  # every item matches: no GIN needed


@pytest.mark.postgres
def test_a_rare_word_walks_back_to_its_oldest_match(walk: dict[str, sa.Engine],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fts_postgres, "FIRST_ROWS", 2)
    windows = _windows(walk["postgresql"], "сирек", 5, monkeypatch)
    oldest = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=5), dt.time(), dt.UTC)
    assert min(w.lo for w in windows) < document.key_range(oldest, None)[0]
    assert len(windows) < 12, windows  # the windows widen: days, then months
    # The first window is read in key order; once it has shown the word to be rare, the rest
    # are read through GIN.
    assert [w.read for w in windows] == ["key order"] + ["GIN"] * (len(windows) - 1)
    assert answer(walk["postgresql"], "сирек", cap=5)[0] == 3

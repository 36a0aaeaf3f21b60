"""The search query language and what each engine is given: pure functions, no store."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from aqparat.store.fts import document, postgres, sqlite
from aqparat.store.fts.query import MAX_CLAUSES, Evidence, pieces
from aqparat.store.search import Filters, group, rank, read_query, scope
from aqparat.web import highlight


@pytest.mark.parametrize(("text", "expected"), [
    ("a b", [("a", False), ("b", False)]),
    ('"a b" -c -"d e"', [("a b", False), ("c", True), ("d e", True)]),
    ('x"y z"w', [("x", False), ("y z", False), ("w", False)]),
    ('"unclosed phrase', [("unclosed phrase", False)]),
    ("- a -", [("-", False), ("a", False), ("-", False)]),
    ("--a", [("-a", True)]),
])
def test_pieces(text: str, expected: list[tuple[str, bool]]) -> None:
    assert pieces(text) == expected


def test_every_other_character_is_text() -> None:
    query = read_query('NEAR(a*:b) "x\x00y" -{meta}:lkk ~s1 \\ \'q\' AND OR NOT')
    terms = [t for c in query.clauses for v in c.variants for t in v]
    assert terms[:5] == ["near", "a", "b", "x", "y"]
    assert {"meta", "lkk", "q", "and", "or", "not"} <= set(terms)
    assert all(t.isalnum() and t == t.lower() for t in terms)
    assert [c.text for c in query.negatives] == ["{meta}:lkk"]


def test_a_word_is_read_in_every_language_unless_one_is_chosen() -> None:
    [clause] = read_query("референдума").clauses
    assert dict(clause.by_lang).keys() == {"kk", "ru", "en"}
    assert read_query("референдума", Filters(lang="ru")).clauses[0].by_lang == (
        ("ru", ("референдум",)),)


def test_long_queries_are_cut_and_say_so() -> None:
    query = read_query(" ".join(f"w{i}" for i in range(40)))
    assert len(query.clauses) == MAX_CLAUSES
    assert query.truncated


def test_fts5_expression() -> None:
    query = read_query('"жаңа Конституция" -бақылау', Filters(lang="kk"))
    where = scope(Filters(lang="kk", rubric="world"))
    assert sqlite.match(query, where) == (
        '(({title lead body entity} : (("жаңа конституция"))) AND ({meta} : ("lkk")) AND '
        '({meta} : ("r776f726c64"))) NOT ({title lead body entity} : (("бақылау")))')


def test_tsquery_expression() -> None:
    query = read_query('"жаңа Конституция" -бақылау', Filters(lang="kk"))
    where = scope(Filters(lang="kk"))
    assert postgres.match(query, where) == (
        "(('жаңа' <-> 'конституция')) & ('~lkk') & !((('бақылау')))")
    assert postgres.clause(query.positives[0], "A") == "(('жаңа':A <-> 'конституция':A))"


@given(st.text())
def test_quoting_survives_anything(text: str) -> None:
    assert postgres.lexeme(text).count("'") % 2 == 0
    query = read_query(text)
    for clause in query.clauses:
        assert all(t.isalnum() and t == t.lower() for v in clause.variants for t in v)


def test_tsvector_fields_are_apart_and_filters_unreachable() -> None:
    doc = document.Document(5, (("a", "b"), ("b",), (), ("c",)), ("lkk", "s1"))
    assert postgres.tsvector(doc) == "'a':1A 'b':2A,4B 'c':7D '~lkk' '~s1'"


def test_positions_past_postgresqls_limit_become_fillers() -> None:
    doc = document.build(document.key(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 1), "en",
                         ("", "", " ".join(["x"] * 300), ""), 1, ())
    assert doc.fields[2].count("x") == document.MAX_OCCURRENCES
    assert doc.fields[2][-1] == document.FILLER
    assert "·" not in postgres.tsvector(doc)


def test_keys_order_by_date_then_id_and_give_the_id_back() -> None:
    day = dt.datetime(2026, 3, 17, tzinfo=dt.UTC)
    keys = [document.key(day, 2), document.key(day, 1),
            document.key(day + dt.timedelta(seconds=1), 1)]
    assert sorted(keys) == [keys[1], keys[0], keys[2]]
    assert [document.item_id_of(k) for k in keys] == [2, 1, 1]
    lo, hi = document.key_range(day, day + dt.timedelta(days=1))
    assert lo <= keys[0] <= hi
    assert document.key(dt.datetime(1990, 1, 1, tzinfo=dt.UTC), 7) < lo


def test_ranking_title_then_score_then_newest() -> None:
    matches = [Evidence(5), Evidence(4, title=0b01), Evidence(3, title=0b11), Evidence(2)]
    ranked = rank(matches, counts=(1000, 1), clauses=2, sort="relevance", cap=1000)
    assert [r.key for r in ranked] == [3, 4, 5, 2]  # all in title; the common word; newest
    assert [r.key for r in rank(matches, (), 2, "date", 1000)] == [5, 4, 3, 2]
    assert ranked[1].score > ranked[2].score


def test_a_story_is_one_result_at_its_best_place() -> None:
    ranked = rank([Evidence(9), Evidence(8), Evidence(7)], (), 1, "date", 1000)
    groups, total = group(ranked, {9: 100, 7: 100}, stop=10)
    assert total == 2
    assert [(g.lead.key, g.also) for g in groups] == [(9, (7,)), (8, ())]


def test_snippets_escape_everything_and_mark_after_escaping() -> None:
    stems = read_query("референдум").stems("kk")
    text = 'Мәтін <script>alert("x")</script> референдумда & <b>бөлек</b> сөз.'
    out = highlight.snippet(text, stems, "kk")
    assert isinstance(out, Markup)
    assert "<script>" not in out
    assert "<b>" not in out
    assert "&lt;script&gt;" in out
    assert "<mark>референдумда</mark>" in out
    assert highlight.highlight("<i>Референдум</i>", stems, "kk") == \
        Markup("&lt;i&gt;<mark>Референдум</mark>&lt;/i&gt;")


def test_snippet_is_the_window_with_the_matches() -> None:
    words = [f"сөз{i}" for i in range(200)]
    words[150] = "референдумның"
    out = highlight.snippet(" ".join(words), read_query("референдум").stems("kk"), "kk")
    assert out.startswith("… ")
    assert "<mark>референдумның</mark>" in out
    assert len(out.split()) <= highlight.SNIPPET_WORDS + 2


DENSITY = st.floats(min_value=0.0, max_value=1.0)
SIZE = st.integers(min_value=1, max_value=50_000_000)


@given(a=DENSITY, b=DENSITY, wanted=st.integers(1, 1000), size=SIZE)
def test_the_denser_the_words_the_likelier_a_walk_in_key_order(a: float, b: float, wanted: int,
                                                               size: int) -> None:
    low, high = sorted((a, b))
    if postgres.in_key_order(low, wanted, size):
        assert postgres.in_key_order(high, wanted, size)


@given(density=DENSITY, wanted=st.integers(1, 1000), size=SIZE, more=st.integers(1, 10**7))
def test_the_bigger_the_store_the_likelier_a_walk_in_key_order(density: float, wanted: int,
                                                               size: int, more: int) -> None:
    """GIN reads every posting of the words, so its cost grows with the store; a walk in key
    order stops after `wanted` matches, whatever the store's size."""
    if postgres.in_key_order(density, wanted, size):
        assert postgres.in_key_order(density, wanted, size + more)


def test_words_in_half_of_a_million_items_are_walked_in_key_order_and_rarer_ones_are_not() -> None:
    assert postgres.in_key_order(0.5, 1000, 1_000_000)
    assert not postgres.in_key_order(0.03, 1000, 1_000_000)  # 235 ms in key order, 9 by GIN
    assert not postgres.in_key_order(0.0, 1, 10**9)  # nothing seen yet: nothing to walk for

"""Search on a real store, SQLite and PostgreSQL: what matches, in what order, within which
filters, and the index kept in step with saves, edits and hiding."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from aqparat.store import articles, search, sources, stories
from aqparat.store.fts import index
from aqparat.store.schema import item
from aqparat.store.search import Filters
from search_corpus import Doc, article, refs, store

DOCS = [
    Doc("ref-kk", "Қазақстан Ұлттық референдумда жаңа Конституцияны қолдады",
        "Референдумның нәтижесі бойынша сайлаушылар белсенді болды.", day=dt.date(2026, 3, 17),
        rubrics=("news", "politics")),
    Doc("observers", "Шетелдік бақылаушылар дауыс беруді бағалады",
        "Бақылаушылар референдумға қатысқан сайлаушылардың белсенділігін атап өтті.",
        day=dt.date(2026, 3, 16), source="mfa", rubrics=("news", "politics", "world")),
    Doc("minister", "Вице-министр Ержан Біржанов тұрғындармен кездеседі",
        "Біржановтың кездесуі Көкшетау қаласында өтеді.", day=dt.date(2026, 3, 15),
        source="kgd", rubrics=("news", "economy")),
    Doc("ref-ru", "Казахстан одобрил новую Конституцию на референдуме",
        "По данным комиссии, участники референдума поддержали Конституцию.", lang="ru",
        day=dt.date(2026, 3, 17)),
    Doc("ref-en", "Kazakhstan approves new Constitution in national referendum",
        "Voters who took part in the referendums supported the Constitution.", lang="en",
        day=dt.date(2026, 3, 17)),
    Doc("nauryz", "Наурыз Қостанайда жүректерді біріктірді",
        "Қайырымдылық дастарханы жайылды.", day=dt.date(2026, 3, 14), source="kostanay",
        rubrics=("news", "culture")),
]


@pytest.fixture
def ids(engine: sa.Engine) -> dict[str, int]:
    return store(engine, DOCS)


def found(engine: sa.Engine, ids: dict[str, int], text: str, filters: Filters | None = None,
          **kw: object) -> list[str]:
    with engine.connect() as conn:
        results = search.search(conn, text, filters, **kw)  # type: ignore[arg-type]
    return refs(ids, [h.record.summary.id for h in results.hits])


@pytest.mark.parametrize(("query", "expected"), [
    ("референдум", {"ref-kk", "observers", "ref-ru"}),  # the kk and ru editions
    ("референдумның", {"ref-kk", "observers"}),
    ("референдумға", {"ref-kk", "observers"}),
    ("Біржанов", {"minister"}),
    ("Біржановтың", {"minister"}),
    ("референдума", {"ref-ru"}),
    ("referendum", {"ref-en"}),
])
def test_inflected_forms_find_each_other(engine: sa.Engine, ids: dict[str, int], query: str,
                                         expected: set[str]) -> None:
    assert expected <= set(found(engine, ids, query))


def test_every_word_must_match(engine: sa.Engine, ids: dict[str, int]) -> None:
    assert found(engine, ids, "референдум бақылаушылар") == ["observers"]


def test_phrase_needs_the_words_in_order(engine: sa.Engine, ids: dict[str, int]) -> None:
    assert found(engine, ids, '"Ержан Біржанов"') == ["minister"]
    assert found(engine, ids, '"Біржанов Ержан"') == []
    assert found(engine, ids, "Біржанов Ержан") == ["minister"]


def test_minus_excludes_a_word_or_a_phrase(engine: sa.Engine, ids: dict[str, int]) -> None:
    assert "observers" not in found(engine, ids, "референдум -бақылаушылар")
    assert "observers" in found(engine, ids, "референдум")
    assert found(engine, ids, 'Конституция -"жаңа Конституцияны"', Filters(lang="kk")) == []


def test_only_exclusions_or_punctuation_search_nothing(engine: sa.Engine,
                                                       ids: dict[str, int]) -> None:
    with engine.connect() as conn:
        for text in ("-референдум", "", "   ", "*", '"', "-", ":"):
            results = search.search(conn, text)
            assert results.query.empty
            assert results.hits == []
            assert results.total == 0


def test_title_match_outranks_a_newer_body_match(engine: sa.Engine) -> None:
    ids = store(engine, [
        Doc("old-title", "Көкшетауда жәрмеңке өтті", "Сауда болды.", day=dt.date(2025, 1, 1)),
        Doc("new-body", "Облыс жаңалықтары", "Көкшетауда жәрмеңке өтті.",
            day=dt.date(2026, 1, 1)),
    ])
    assert found(engine, ids, "жәрмеңке") == ["old-title", "new-body"]
    assert found(engine, ids, "жәрмеңке", sort="date") == ["new-body", "old-title"]


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(lang="ru"), ["ref-ru"]),
    (Filters(lang="kk"), ["ref-kk", "observers"]),
    (Filters(rubric="world"), ["observers"]),
    (Filters(rubric="politics", lang="kk"), ["ref-kk", "observers"]),
    (Filters(rubric="culture"), []),
    (Filters(since=dt.datetime(2026, 3, 16, 19, tzinfo=dt.UTC)), ["ref-kk", "ref-ru"]),
    (Filters(until=dt.datetime(2026, 3, 16, 19, tzinfo=dt.UTC)), ["observers"]),
    (Filters(since=dt.datetime(2026, 3, 18, tzinfo=dt.UTC)), []),
])
def test_filters_narrow(engine: sa.Engine, ids: dict[str, int], filters: Filters,
                        expected: list[str]) -> None:
    assert sorted(found(engine, ids, "референдум", filters)) == sorted(expected)


def test_source_filter(engine: sa.Engine, ids: dict[str, int]) -> None:
    with engine.connect() as conn:
        mfa = sources.ensure(conn, "dump", "mfa", None)
    assert found(engine, ids, "референдум", Filters(source_id=mfa)) == ["observers"]
    assert found(engine, ids, "референдум", Filters(source_id=mfa + 1000)) == []


def test_a_saved_item_is_found_in_the_same_transaction(engine: sa.Engine,
                                                        ids: dict[str, int]) -> None:
    doc = Doc("late", "Ақмолада жаңа мектеп ашылды", "Мектеп 600 орынға арналған.")
    with engine.connect() as conn, conn.begin() as tx:
        source_id = sources.ensure(conn, "dump", "portal", None)
        articles.save(conn, article(doc), source_id)
        assert search.search(conn, "мектеп").total == 1
        tx.rollback()
    assert found(engine, ids, "мектеп") == []


def test_an_edited_item_is_found_by_its_new_words_only(engine: sa.Engine,
                                                        ids: dict[str, int]) -> None:
    edited = dataclasses.replace(DOCS[5], body="Көктемгі мереке тойланды.")
    store(engine, [edited])
    assert found(engine, ids, "дастарханы") == []
    assert found(engine, ids, "мереке") == ["nauryz"]


def test_an_edit_that_moves_the_date_moves_the_item(engine: sa.Engine,
                                                    ids: dict[str, int]) -> None:
    store(engine, [dataclasses.replace(DOCS[5], day=dt.date(2020, 1, 1))])
    since = Filters(since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert found(engine, ids, "Наурыз", since) == []
    assert found(engine, ids, "Наурыз") == ["nauryz"]


def test_hidden_items_leave_the_index_and_come_back(engine: sa.Engine,
                                                    ids: dict[str, int]) -> None:
    with engine.begin() as conn:
        assert articles.set_status(conn, ids["minister"], "hidden")
    assert found(engine, ids, "Біржанов") == []
    with engine.begin() as conn:
        articles.set_status(conn, ids["minister"], "shown")
    assert found(engine, ids, "Біржанов") == ["minister"]


def test_rebuild_gives_the_same_answers(engine: sa.Engine, ids: dict[str, int]) -> None:
    queries = ["референдум", "Біржанов", '"жаңа Конституцияны"', "Constitution -national"]
    before = [found(engine, ids, q) for q in queries]
    with engine.begin() as conn:
        assert index.rebuild(conn) == len(DOCS)
    assert [found(engine, ids, q) for q in queries] == before


def test_ranking_is_bounded_and_says_so(engine: sa.Engine, ids: dict[str, int]) -> None:
    with engine.connect() as conn:
        capped = search.search(conn, "референдум", cap=2)
        full = search.search(conn, "референдум")
    assert capped.capped
    assert capped.total == 2
    assert not full.capped
    assert full.total == 3
    newest_two = {ids["ref-ru"], ids["ref-kk"]}  # 17 March; "observers" is from the 16th
    assert {h.record.summary.id for h in capped.hits} == newest_two


def test_pages_do_not_overlap(engine: sa.Engine, ids: dict[str, int]) -> None:
    pages = [found(engine, ids, "референдум", limit=1, offset=n) for n in range(4)]
    assert [len(p) for p in pages] == [1, 1, 1, 0]
    assert len({p[0] for p in pages[:3]}) == 3


def test_entity_names_are_searchable(engine: sa.Engine) -> None:
    doc = Doc("entity", "Кездесу өтті", "Тұрғындар сұрақ қойды.", source="mfa-geneva")
    store(engine, [])  # the rubric table
    with engine.begin() as conn:
        sa_source = sources.ensure(conn, "govkz", "mfa-geneva", None)
        conn.execute(sa.text("UPDATE source SET name_kk = :n WHERE id = :i"),
                     {"n": "Женевадағы тұрақты өкілдік", "i": sa_source})
        articles.save(conn, dataclasses.replace(article(doc), source_kind="govkz"), sa_source)
    with engine.connect() as conn:
        assert search.search(conn, "Женевадағы").total == 1


def test_one_result_per_story_with_its_other_sources(engine: sa.Engine,
                                                     ids: dict[str, int]) -> None:
    with engine.begin() as conn:
        story_id = stories.create(conn, dt.datetime(2026, 3, 17, tzinfo=dt.UTC))
        conn.execute(item.update().where(item.c.id.in_([ids["ref-kk"], ids["observers"]]))
                     .values(story_id=story_id))
        stories.refresh(conn, story_id)
    with engine.connect() as conn:
        results = search.search(conn, "референдум", Filters(lang="kk"))
    assert results.total == 1
    [hit] = results.hits
    assert set(hit.also) | {hit.record.summary.id} == {ids["ref-kk"], ids["observers"]}
    assert hit.record.summary.others == 1  # two sources: "portal" and "mfa"


def test_queued_documents_are_written_when_the_block_ends(engine: sa.Engine,
                                                          ids: dict[str, int]) -> None:
    """A backfill batch (fts/index.queued): new items' documents wait for the end of the
    block; an item stored again inside it is indexed once, as it ends up; an error leaves
    nothing queued on the connection."""
    school = Doc("school", "Ақмолада жаңа мектеп ашылды", "Мектеп 600 орынға арналған.")
    bridge = Doc("bridge", "Жаңа көпір салынды", "Көпір өзен арқылы өтеді.")
    edited = dataclasses.replace(bridge, body="Көпір жаз бойы жөнделді.")
    with engine.connect() as conn, conn.begin():
        source_id = sources.ensure(conn, "dump", "portal", None)
        with index.queued(conn):
            for doc in (school, bridge, edited):
                articles.save(conn, article(doc), source_id)
            assert search.search(conn, "мектеп").total == 0  # queued, not yet written
        assert search.search(conn, "мектеп").total == 1
        assert search.search(conn, "жөнделді").total == 1  # the bridge as it ended up
        assert search.search(conn, "өзен").total == 0  # not its first version too
        assert search.search(conn, "көпір").total == 1  # and once
    with engine.connect() as conn, conn.begin():  # an id that still has a document
        lake = article(Doc("lake", "Көлге шортан жіберілді"))
        with index.queued(conn):
            index.sync_new(conn, ids["nauryz"], lake, source_id)
            assert search.search(conn, "шортан").total == 0  # queued
        assert search.search(conn, "шортан").total == 1
        assert search.search(conn, "Наурыз").total == 0  # the old document went first
    with engine.connect() as conn, conn.begin() as tx:

        def failing_batch() -> None:
            with index.queued(conn):
                articles.save(conn, article(Doc("lost", "Тоғандағы балық")), source_id)
                raise RuntimeError("a batch that failed")

        with pytest.raises(RuntimeError):
            failing_batch()
        assert search.search(conn, "балық").total == 0
        articles.save(conn, article(Doc("later", "Тоғандағы құс")), source_id)
        assert search.search(conn, "құс").total == 1  # indexed at once: no queue left behind
        tx.rollback()

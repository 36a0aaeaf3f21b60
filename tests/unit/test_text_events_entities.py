"""events and entities: the issue's examples, frozen values, and properties."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.model import LANGS, Lang
from aqparat.text.dates import ALMATY
from aqparat.text.entities import extract_entities
from aqparat.text.events import extract_events

ANNOUNCEMENT = "2026 жылғы 18 наурыз сағ.11:30 Көкшетау қ., Назарбаев даңғылы 2/5"


def test_the_issue_example_is_one_event_in_kokshetau() -> None:
    [event] = extract_events(ANNOUNCEMENT, "kk", dt.date(2026, 3, 17))
    assert event.start == dt.datetime(2026, 3, 18, 11, 30, tzinfo=ALMATY)
    assert event.place == "Көкшетау қ., Назарбаев даңғылы 2/5"
    assert event.city == "kokshetau"
    assert (event.start_index, event.end_index) == (0, len(ANNOUNCEMENT))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.city = "astana"  # type: ignore[misc]


def test_time_range_gives_an_end() -> None:
    [event] = extract_events("Қабылдау 27 наурызда сағат 10:00-ден 12:00-ге дейін өтеді.", "kk",
                             dt.date(2026, 3, 17))
    assert event.end == dt.datetime(2026, 3, 27, 12, 0, tzinfo=ALMATY)


def test_past_and_deadlines_are_not_events() -> None:
    assert extract_events("Жиын 20 наурызда сағат 10:00-де өтті.", "kk") == []
    assert extract_events("Құжаттар 30 наурызға дейін қабылданады.", "kk",
                          dt.date(2026, 3, 17)) == []
    assert extract_events(ANNOUNCEMENT, "kk", dt.date(2026, 3, 19)) == []


def test_person_with_role_stops_before_the_place() -> None:
    found = extract_entities("ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен",
                             "kk")
    assert [(e.kind, e.name, e.role, e.key) for e in found] == [
        ("person", "Ержан Біржанов", "вице-министрі", None),
        ("place", "Ақмола облысы", None, "akmola-region"),
    ]


def test_places_match_after_suffix_stripping() -> None:
    names = {e.name for e in extract_entities("Қостанайда, Қарағандыға және Алматыдағы", "kk")}
    assert names == {"Қостанай", "Қарағанды", "Алматы"}
    assert [e.key for e in extract_entities("в Костанае и Костанайской области", "ru")] == [
        "kostanay", "kostanay-region"]


def test_case_ending_is_removed_from_a_surname() -> None:
    [person] = extract_entities("Олег Копыловтың айтуынша", "kk")
    assert person.name == "Олег Копылов"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120), st.sampled_from(LANGS))
def test_never_raise_and_spans_index_the_text(text: str, lang: Lang) -> None:
    for event in extract_events(text, lang, dt.date(2026, 3, 17)):
        assert 0 <= event.start_index < event.end_index <= len(text)
    for entity in extract_entities(text, lang):
        assert 0 <= entity.start < entity.end <= len(text)

"""paragraphs: glued list items and prepositions split; clean_paragraphs' guarantees kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.text.normalize import clean_paragraphs, normalize, recover_paragraphs
from aqparat.text.paragraphs import paragraphs, split_list_glue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("обязательств;ответственности", ["обязательств;", "ответственности"]),
        ("предусматривает:1)сокращение", ["предусматривает:", "1)сокращение"]),
        ("являются:-документы", ["являются:", "-документы"]),
        ("(протокол № 19);Охонов Ф.Р.", ["(протокол № 19);", "Охонов Ф.Р."]),
        ("ценных бумагВ соответствии с", ["ценных бумаг", "В соответствии с"]),
    ],
)
def test_glue_is_split(text: str, expected: list[str]) -> None:
    assert split_list_glue(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "сағ.11:30 және 1:2 қатынасы",
        "мекенжай: https://gov.kz/a;b:c және т.б.",
        "пошта:press@finreg.kz;",
        "бірінші; екінші: үшінші",
        "Ақпарат көзі : https://www.gov.kz",
        "ҚазМұнайГаз АО:",
        "АҚШ В",
    ],
)
def test_not_split(text: str) -> None:
    assert split_list_glue(text) == [text]


def test_title_and_seed_glue_still_handled() -> None:
    got = paragraphs("Тақырып", "ТақырыпБірінші сөйлем.Екінші:- бір;- екі")
    assert got == ["Бірінші сөйлем.", "Екінші:", "- бір;", "- екі"]


glued = st.lists(
    st.sampled_from(["сөз", "Сөз", ";", ":", " ", "1)", "-", "«", "»", ".", "В ", "бумаг",
                     "11:30", "https://a.kz/x;y", "a@b.kz"]),
    max_size=25,
).map("".join)


@settings(max_examples=300)
@given(st.one_of(glued, st.text(max_size=80)))
def test_idempotent_and_lossless(text: str) -> None:
    once = paragraphs("", text)
    assert paragraphs("", "\n\n".join(once)) == once
    assert "".join("".join(once).split()) == "".join(normalize(text).split())


# Pieces the sentence and glue rules of normalize.py look at, as well as the list-glue ones.
sentences = st.lists(
    st.sampled_from(["Бір", "сөз", "Сөз.", "т.б.", "А.", "!", "…", ")", "(SCO)", "11:30",
                     "«Ақ»", '"', "ҚазМұнай", "АссамблеясыКездесу", " ", "\n", ";", ":",
                     "Тақырып"]),
    max_size=30,
).map("".join)


@settings(max_examples=300)
@given(st.sampled_from(["", "Тақырып", "Бір сөз."]), st.one_of(sentences, glued))
def test_a_paragraph_list_glue_leaves_whole_is_settled(title: str, text: str) -> None:
    """What `paragraphs` relies on to skip judging such a paragraph again."""
    for p in clean_paragraphs(title, text):
        assert recover_paragraphs(p) == [p]

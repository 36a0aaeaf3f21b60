"""ALL-CAPS titles → sentence case (text/titles.py): the anchor portal's titles
(research/anchor-site.md §3.7), Kazakh and Russian ones, acronyms kept, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.text.titles import ACRONYMS, is_acronym, is_all_caps, sentence_case


@pytest.mark.parametrize(("title", "expected"), [
    # anchor-site.md §3.7, as the portal printed them
    ("A MEETING WITH RESIDENTS WAS HELD IN KÖKBULAK",
     "A meeting with residents was held in kökbulak"),
    ("5 NEW INDUSTRIAL ZONES WERE BUILT IN TURKESTAN REGION IN ONE YEAR",
     "5 new industrial zones were built in turkestan region in one year"),
    ('"THE PREVENTION SYSTEM MUST BE CONSTANTLY CONDUCTED": SHYMKENT AKIMAT ON VIOLATIONS',
     '"The prevention system must be constantly conducted": Shymkent akimat on violations'),
    ("NEW MAYOR - BY THE PEOPLE'S CHOICE", "New mayor - by the people's choice"),
    # Kazakh: acronyms with suffixes, gazetteer names in case forms, a second sentence
    ("ШЫМКЕНТТЕ SCO ЖӘНЕ IMF ӨКІЛДЕРІ ТМҰ-НЫҢ ЖИЫНЫНА ҚАТЫСТЫ. ЕАЭО ЖӘНЕ BRICS ТУРАЛЫ",
     "Шымкентте SCO және IMF өкілдері ТМҰ-ның жиынына қатысты. ЕАЭО және BRICS туралы"),
    ("ҚР ҚАРЖЫ ВИЦЕ-МИНИСТРІ АҚМОЛА ОБЛЫСЫНДА ТҰРҒЫНДАРМЕН КЕЗДЕСТІ",
     "ҚР қаржы вице-министрі Ақмола облысында тұрғындармен кездесті"),
    ("В АСТАНЕ ПРОШЛО ЗАСЕДАНИЕ СОВЕТА ЕАЭС", "В Астане прошло заседание совета ЕАЭС"),
    ("«ЖАС ҰРПАҚ – БОЛАШАҚ» ФОРУМЫ ӨТТІ", "«Жас ұрпақ – болашақ» форумы өтті"),
    ("XXI ҒАСЫРДЫҢ МЕКТЕБІ: ЖШС ЖАҢА ЖОБАСЫ", "XXI ғасырдың мектебі: ЖШС жаңа жобасы"),
    ("G20 САММИТІНДЕ 5G ЖЕЛІСІ ТАЛҚЫЛАНДЫ", "G20 саммитінде 5G желісі талқыланды"),
])
def test_all_caps_titles_become_sentence_case(title: str, expected: str) -> None:
    assert sentence_case(title) == expected


@pytest.mark.parametrize("title", [
    "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді",
    "SCO-ның отырысы",  # too short to judge
    "ҚР ТМҰ ЕАЭО BRICS IMF",  # acronyms only: nothing is shouting
    "Наурыз Қостанайда жүректерді біріктірді",
    "NEW approach to water, said the minister on Tuesday in Astana",  # one word in capitals
    "",
])
def test_other_titles_are_left_as_written(title: str) -> None:
    assert not is_all_caps(title)
    assert sentence_case(title) == title


def test_acronyms_listed_and_found_by_shape() -> None:
    for word in ("ҚР", "ТМҰ", "SCO", "IMF", "ЕАЭО", "BRICS", "РФ", "КНБ", "XXI"):
        assert is_acronym(word), word
    for word in ("ЖАҢА", "NEW", "МЕКТЕП", "Қр", "sco"):
        assert not is_acronym(word), word
    assert all(a.upper() == a or a == "PhD" for a in ACRONYMS)


CAPS_WORDS = st.lists(
    st.one_of(st.sampled_from(sorted(ACRONYMS - {"PhD"})),
              st.text(st.sampled_from("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЭЮЯABCDEFGHIKLMNOPRSTU"),
                      min_size=1, max_size=9)),
    min_size=1, max_size=12)
PUNCT = st.sampled_from([" ", " ", ", ", ". ", ": ", " – ", "-", " «", "» ", "! ", " 5 "])


@st.composite
def shouted_titles(draw: st.DrawFn) -> str:
    words = draw(CAPS_WORDS)
    seps = draw(st.lists(PUNCT, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip()


@given(st.one_of(shouted_titles(), st.text(max_size=80)))
def test_sentence_case_changes_only_letter_case_and_is_idempotent(title: str) -> None:
    once = sentence_case(title)
    assert once.casefold() == title.casefold()
    assert len(once) == len(title)
    assert sentence_case(once) == once


@given(shouted_titles())
def test_acronyms_survive_and_the_result_no_longer_shouts(title: str) -> None:
    once = sentence_case(title)
    kept = [w for w in title.split() if w.strip("«»,.:!–-") in ACRONYMS]
    for word in kept:
        assert word in once.split()
    if is_all_caps(title):
        assert not is_all_caps(once) or once == title

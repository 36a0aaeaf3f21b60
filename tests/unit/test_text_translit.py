"""translit: the Latin and Arabic gold words, casing, back-transliteration, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.text.translit import (
    HAMZA,
    cyrillic_candidates,
    latin_lower,
    latin_upper,
    to_arabic,
    to_cyrillic,
    to_latin,
    transliterate,
)

GOLD = Path(__file__).parents[1] / "fixtures" / "text"


def gold(name: str, split: str) -> list[tuple[str, str]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return [(c, e) for s, c, e in rows if s == split]


def test_gold_sizes() -> None:
    for name in ("translit-latin.tsv", "translit-arabic.tsv"):
        dev, held = gold(name, "dev"), gold(name, "heldout")
        assert len(dev) + len(held) >= 100
        assert len(held) * 3 >= len(dev) + len(held) - 2


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_latin_gold_is_exact(split: str) -> None:
    wrong = [(c, e, to_latin(c)) for c, e in gold("translit-latin.tsv", split) if to_latin(c) != e]
    assert wrong == []


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_arabic_gold_is_exact(split: str) -> None:
    rows = gold("translit-arabic.tsv", split)
    wrong = [(c, e, to_arabic(c)) for c, e in rows if to_arabic(c) != e]
    assert wrong == []


def test_back_transliteration_score() -> None:
    rows = gold("translit-latin.tsv", "dev") + gold("translit-latin.tsv", "heldout")
    words = [(c, e) for c, e in rows if " " not in c]
    exact = sum(to_cyrillic(e) == c for c, e in words)
    offered = sum(c in cyrillic_candidates(e) for c, e in words)
    # Measured on both splits (the й rule was fixed after seeing boiynşa, so in-sample):
    # 117 of 122 exact, 120 offered as a candidate; the two never offered are бюллетень and
    # съезд, whose ь/ъ the Latin spelling drops by policy.
    assert exact >= 117, exact
    assert offered >= len(words) - 2, offered


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ирина", "İrina"), ("Іле", "Ile"), ("ЦОН", "TSON"), ("Цой", "Tsoi"), ("ЮНЕСКО", "İUNESKO")],
)
def test_turkish_style_casing(text: str, expected: str) -> None:
    assert to_latin(text) == expected


def test_case_functions() -> None:
    assert latin_upper("qazaqstan ırı ini") == "QAZAQSTAN IRI İNİ"
    assert latin_lower("İRİ IZ") == "iri ız"
    assert "İ".lower() != "i"  # why the functions exist


def test_candidates_offer_each_reading() -> None:
    assert cyrillic_candidates("konstitutsiia")[0] == "конституция"
    assert "шаһар" in cyrillic_candidates("şahar")
    assert "Ёлка" in cyrillic_candidates("İolka")
    assert to_cyrillic("Bai qoi aitty") == "Бай қой айтты"


def test_transliterate_by_script() -> None:
    assert transliterate("тіл", "Latn") == "tıl"
    assert transliterate("тіл", "Arab") == HAMZA + "تىل"


NATIVE = "аәбгғдежзкқлмнңоөпрсуұүфшыі"


@settings(max_examples=300)
@given(st.text(NATIVE, min_size=1, max_size=12))
def test_native_words_round_trip(word: str) -> None:
    # ц and щ are spelled ts and şş: native тс and шш (rare) read back as ц and щ there.
    while "тс" in word or "шш" in word:  # one pass leaves "шш" of "шшш", "тс" of "ттсс"
        word = word.replace("тс", "т").replace("шш", "ш")
    assert to_cyrillic(to_latin(word)) == word
    assert to_cyrillic(to_latin(word.capitalize())) == word.capitalize()


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_never_raise_and_leave_no_kazakh_cyrillic(text: str) -> None:
    for out in (to_latin(text), to_arabic(text)):
        assert not any(ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in out)
    to_cyrillic(text)
    cyrillic_candidates(text)


@settings(max_examples=200)
@given(st.text("abdefghijklmnopqrstuvyzäğñöşūüı", max_size=20))
def test_latin_case_round_trip(word: str) -> None:
    assert latin_lower(latin_upper(word)) == word

"""stem: the search issue's examples, terms() shape, stop words, and properties."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.model import LANGS, Lang
from aqparat.text.kkstem import stem_kk
from aqparat.text.stem import MAX_TERM_CHARS, clean, content_terms, stem, stop_words, terms


@pytest.mark.parametrize(
    ("query", "forms"),
    [
        ("референдум", ["референдумда", "референдумның", "референдумға", "Референдумды"]),
        ("Біржанов", ["Біржановтың", "Біржановқа", "Біржановпен"]),
        ("Қазақстан", ["Қазақстанда", "Қазақстандағы", "Қазақстанның", "Қазақстанды"]),
        ("құқық", ["құқығы", "құқығын", "құқықтарын"]),
        ("комиссия", ["комиссиялары", "комиссиясының", "комиссиясын"]),
        ("учаске", ["учаскелеріндегі", "учаскесіндегі", "учаскелерін"]),
        ("ел", ["елдің", "елдердің", "еліміздің"]),
        ("отырыс", ["отырысы", "отырысында"]),
        ("модель", ["моделін", "модельді"]),
    ],
)
def test_query_meets_every_form(query: str, forms: list[str]) -> None:
    assert {stem(f, "kk") for f in forms} == {stem(query, "kk")}


@pytest.mark.parametrize(
    ("a", "b"),
    [("аудан", "ау"), ("орын", "ор"), ("қазақстан", "қазақ"), ("білім", "біл"),
     ("маңыз", "ма"), ("күн", "кү")],
)
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert stem(a, "kk") != stem(b, "kk")


def test_snowball_for_ru_and_en_and_latin_words() -> None:
    assert stem("банками", "ru") == stem("банков", "ru") == "банк"
    assert stem("Observers", "en") == "observ"
    assert stem("Invest", "kk") == stem("invest", "ru") == "invest"
    assert stem("Ёлка", "ru") == stem("елка", "ru")


def test_terms_protect_numbers_urls_and_endings() -> None:
    text = ("ҚР вице-министрі 87,15%-ы SCO-ның наурыздың 15-інде 12 482 613 азамат, 2/5, "
            "https://www.gov.kz/memleket?lang=kk press@finreg.kz")
    assert terms(text, "kk") == [
        "қр", "вице", "министр", "87", "15", "sco", "наурыз", "15", "12482613", "азамат",
        "2", "5", "https", "www", "gov", "kz", "memleket", "lang", "kk", "press", "finreg", "kz",
    ]


def test_stop_words_are_curated() -> None:
    words = stop_words("kk")
    assert 140 <= len(words) <= 200
    assert {"және", "мен", "үшін", "туралы", "бойынша", "деп", "деді", "бұл", "осы", "ол"} <= words
    assert not {"жаңа", "жоғары", "ресми", "күн", "бүгін", "қосымша"} & words
    assert all(re.fullmatch(r"[а-яәғқңөұүһі-]+", w) for w in words)
    assert stop_words("ru") == frozenset()
    assert content_terms("Бұл референдум туралы және сайлау", "kk") == ["референдум", "сайлау"]


KK = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


@settings(max_examples=300)
@given(st.text(KK, min_size=1, max_size=16))
def test_kazakh_key_is_a_fixed_point_and_a_prefix(word: str) -> None:
    key = stem_kk(word)
    assert stem_kk(key) == key
    assert key
    # Only suffixes are removed (the last consonant may be devoiced, ь/ъ dropped).
    plain = word.replace("ь", "").replace("ъ", "")
    assert plain.startswith(key[:-1]) or word.startswith(key[:-1])


@settings(max_examples=200)
@given(st.text(max_size=120), st.sampled_from(LANGS))
def test_terms_never_raise_and_are_fts_safe(text: str, lang: Lang) -> None:
    for term in terms(text, lang):
        assert re.fullmatch(r"[^\W_]+", term), term


@settings(max_examples=200)
@given(st.text(string.digits, min_size=1, max_size=9))
def test_plain_numbers_pass_through(number: str) -> None:
    assert terms(number, "kk") == [number]


@given(st.lists(st.sampled_from(["www.x.kz", "http://a.b/c", "a@b.kz", "@", "x.y@z", "12 482",
                                 "87,15%", "SCO-ның", "вице-министрі", "://", "hello", " ", ",",
                                 "-", "15-інде", "ab@", "www"]), max_size=8).map("".join))
def test_tokens_without_impossible_kinds_are_the_full_scan(text: str) -> None:
    from aqparat.text import stem

    assert [m.group() for m in stem._tokens(text)] == [
        m.group() for m in stem._TOKEN.finditer(text)]
    assert [m.lastgroup for m in stem._tokens(text)] == [
        m.lastgroup for m in stem._TOKEN.finditer(text)]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["2", "500", "12 482", "жылы", "және", "мен", "87,15%", " ",
                                 "  ", ", ", "\u00a0", "www.x.kz", "a@b.kz", "@", "тенге",
                                 "15-інде", "вице-министрі", "бұл", "1", "000", ".", "-",
                                 "Бұл", "туралы"]), max_size=14).map("".join),
       st.sampled_from(LANGS))
def test_content_terms_are_the_terms_of_the_words_left_joined(text: str, lang: Lang) -> None:
    """Its definition, which it no longer computes that way: stop words dropped, the rest
    joined by spaces and read again ("2 жылы 500" reads "2 500": one number)."""
    from aqparat.text import stem

    kept = [m.group() for m in stem._tokens(text) if m.group().lower() not in stop_words(lang)]
    assert content_terms(text, lang) == terms(" ".join(kept), lang)


def _clean_each(found: list[str]) -> list[str]:
    """clean()'s definition, a term at a time: NFC, lower case, cut at non-alphanumerics."""
    out: list[str] = []
    for term in found:
        term = unicodedata.normalize("NFC", term).lower()
        out += "".join(ch if ch.isalnum() else " " for ch in term).split()
    return [t for t in out if len(t) <= MAX_TERM_CHARS]


# Letters that compose or change under NFC and lower(): a term starting with a combining mark
# must not join the term before it, and "İ" lower-cases to "i" + a combining dot.
_TRICKY = st.sampled_from(["\u0301", "\u0307", "İ", "Σ", "ᄀ", "ᅡ", "é", "_", "-", "²", "Ⅻ"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.lists(_TRICKY, max_size=5).map("".join),
                          st.text(alphabet="aӘ_1-", max_size=70)), max_size=8))
def test_clean_of_all_terms_is_clean_of_each(found: list[str]) -> None:
    assert clean(found) == _clean_each(found)

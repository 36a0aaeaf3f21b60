"""Names in alphabetical order as Kazakh and Russian readers expect (text/collate.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aqparat.text.collate import sort_key

KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


def test_kazakh_letters_sit_beside_their_neighbours_not_after_ya() -> None:
    names = ["Ұлттық банк", "Ішкі істер министрлігі", "Әділет министрлігі", "Яссы",
             "Қаржы министрлігі", "Ауыл шаруашылығы министрлігі", "Өнеркәсіп", "Ғылым",
             "Гимназия", "Ёлка", "Ежов", "Жол", "Ыстық", "Іле", "Ьтест"]
    assert sorted(names, key=sort_key) == [
        "Ауыл шаруашылығы министрлігі", "Әділет министрлігі", "Гимназия", "Ғылым", "Ежов",
        "Ёлка", "Жол", "Қаржы министрлігі", "Өнеркәсіп", "Ұлттық банк", "Ыстық",
        "Іле", "Ішкі істер министрлігі", "Ьтест", "Яссы"]


def test_case_does_not_decide_but_still_orders_equal_names() -> None:
    assert sorted(["әкімдік", "Әкімдік", "Әкім"], key=sort_key) == ["Әкім", "Әкімдік", "әкімдік"]


def test_a_space_sorts_before_any_letter_and_digits_before_letters() -> None:
    assert sorted(["Ақжол", "Ақ жол", "Ақ 2 жол"], key=sort_key) == ["Ақ 2 жол", "Ақ жол",
                                                                        "Ақжол"]


def test_kazakh_latin_letters_follow_the_2021_alphabet() -> None:
    assert sorted(["Ülken", "Ūlttyq", "Uly", "Ğylym", "Gimnaziä", "Şahar", "Sauda"],
                  key=sort_key) == ["Gimnaziä", "Ğylym", "Sauda", "Şahar", "Uly", "Ūlttyq",
                                    "Ülken"]


@given(st.lists(st.text(alphabet=KAZAKH + KAZAKH.upper(), max_size=8), max_size=12))
def test_order_is_the_alphabet_order_letter_by_letter(words: list[str]) -> None:
    by_alphabet = sorted(words, key=lambda w: ([KAZAKH.index(ch) for ch in w.lower()], w))
    assert sorted(words, key=sort_key) == by_alphabet

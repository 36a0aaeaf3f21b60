"""Tool residue (text/residue.py) and invisible characters (normalize.strip_invisible): the
leftovers research/anchor-site.md §3.2/§3.6 found on the portal we replace, and properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.text.normalize import normalize, strip_invisible
from aqparat.text.residue import clean_inline, clean_text, is_residue


@pytest.mark.parametrize(("text", "expected"), [
    ("*Kyzylzhar-2 microdistrict in Shymkent has been connected…*",
     "Kyzylzhar-2 microdistrict in Shymkent has been connected…"),
    ("**Жаңа** мектеп __ашылды__", "Жаңа мектеп ашылды"),
    ("## Тақырып", "Тақырып"),
    ("Толығырақ [сілтеме бойынша](https://egov.kz/a?b=1) оқыңыз",
     "Толығырақ сілтеме бойынша оқыңыз"),
    ("![сурет](https://gov.kz/u/1.png) Кездесу", " Кездесу"),
    ("14 avgusta 2025 goda proizvedena konfiskatsiya 141 / 5 000 On August 14, 2025",
     "14 avgusta 2025 goda proizvedena konfiskatsiya On August 14, 2025"),
    ("Итоги 2025 года 12 / 5000", "Итоги 2025 года "),
    ("**Бүгін мектеп ашылды.", "Бүгін мектеп ашылды."),  # its partner was in another <p>
    # not residue: a footnote star, arithmetic, a scale, a bracketed phrase
    ("Бағасы* 2*3 = 6", "Бағасы* 2*3 = 6"),
    ("Карта 1 / 5 000 масштабта", "Карта 1 / 5 000 масштабта"),
    ("Заң [жобасы] талқыланды", "Заң [жобасы] талқыланды"),
    ("# 1 сынып", "1 сынып"),
])
def test_inline_residue_is_removed_and_text_kept(text: str, expected: str) -> None:
    assert clean_inline(text) == expected


@pytest.mark.parametrize("line", [
    "Перевод:", "Translated by Google", "Перевод: Google", "Google Translate",
    "Переведено с помощью Яндекс Переводчика", "Google аудармашы арқылы аударылды",
    "Send feedback", "Отправить отзыв", "Результаты перевода", ".png)", "IMG_2031.JPG)",
    "**", "##",
])
def test_translator_and_image_residue_lines(line: str) -> None:
    assert is_residue(line)


@pytest.mark.parametrize("line", [
    "Минцифры и Google обсудили перевод госуслуг в облако.",
    "Перевод книги на казахский язык завершён",
    "Аударма ісі бойынша семинар өтті.",
    "Сайт astana.kz)",
    "",
])
def test_sentences_about_translation_are_not_residue(line: str) -> None:
    assert not is_residue(line)


def test_clean_text_drops_residue_lines_and_keeps_the_rest() -> None:
    text = "Перевод:\nBiz **jana** mektep ashtyq.\nTranslated by Google\n.png)\nSoñy."
    assert clean_text(text) == "Biz jana mektep ashtyq.\nSoñy."


def test_zero_width_and_bidi_marks_go_whitespace_stays() -> None:
    assert strip_invisible(" Аэро\u200bпорт\u200e \u202bжаңа\u202c ") == " Аэропорт жаңа "
    assert normalize("area of the Aliya\u200b\u200b Moldagulova") == "area of the Aliya Moldagulova"


RESIDUE_BITS = st.sampled_from([
    "**", "__", "*", "## ", "[", "](https://a.kz/x)", "![", " 141 / 5 000 ", "\u200b", "\n",
    "Перевод:", "Google Translate", ".png)", " ",
])
WORDS = st.text(st.sampled_from("абвгқңәөұүіhzAEQ.,:!?-*#[]()/ 0123456789"), max_size=12)
TEXTS = st.lists(st.one_of(RESIDUE_BITS, WORDS), max_size=14).map("".join)
LETTER = re.compile(r"[^\W\d_]")


@given(TEXTS)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_inline(text)
    assert clean_inline(once) == once
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned


@given(st.lists(st.text(st.sampled_from("абвгқңәөұүі ,."), min_size=1, max_size=20),
                max_size=6), st.lists(RESIDUE_BITS.filter(lambda b: b != "!["), max_size=6))
def test_no_letter_of_the_text_is_lost(words: list[str], residue: list[str]) -> None:
    """Residue mixed into plain Kazakh words: every letter of the words survives, in order.
    (An image's alt text, `![alt](url)`, is not text a reader saw: it goes with the image.)"""
    mixed = "".join(w + (residue[i] if i < len(residue) else "") for i, w in enumerate(words))
    kept = "".join(LETTER.findall(clean_inline(mixed)))
    wanted = "".join(LETTER.findall("".join(words)))
    it = iter(kept)
    assert all(ch in it for ch in wanted), (mixed, clean_inline(mixed))

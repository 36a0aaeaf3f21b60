"""normalize, strip_repeated_title and first_sentences: cases and properties."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.text.normalize import first_sentences, normalize, strip_repeated_title

# --- normalize ------------------------------------------------------------------------

NORMALIZE_CASES = [
    pytest.param("Қазақстан\u00a0Республикасы", "Қазақстан Республикасы", id="nbsp"),
    pytest.param("87,15\u202f%", "87,15 %", id="narrow-nbsp"),
    pytest.param("12\u2009482\u2009613", "12 482 613", id="thin-space"),
    pytest.param("Ақ\u200bпарат", "Ақпарат", id="zwsp"),
    pytest.param("a\u200cb\u200dc\u2060d", "abcd", id="zwnj-zwj-word-joiner"),
    pytest.param("\ufeffМәтін", "Мәтін", id="bom"),
    pytest.param("Конститу\u00adция", "Конституция", id="soft-hyphen"),
    pytest.param("бір\r\nекі\rүш", "бір\nекі\nүш", id="crlf-cr"),
    pytest.param("бір\u2028екі", "бір\nекі", id="line-separator"),
    pytest.param("и\u0306", "й", id="nfd-short-i"),
    pytest.param("e\u200b\u0301", "é", id="compose-after-removing-invisible"),
    pytest.param("бір\tекі", "бір екі", id="tab"),
    pytest.param("бір   \t екі", "бір екі", id="space-run"),
    pytest.param("бір  \n  екі", "бір\nекі", id="line-edge-spaces"),
    pytest.param("бір\n\n\n\nекі", "бір\n\nекі", id="many-newlines"),
    pytest.param("бір\n \n\t\n екі", "бір\n\nекі", id="blank-lines-with-spaces"),
    pytest.param("\n\n  бір екі  \n\n", "бір екі", id="outer-whitespace"),
    pytest.param("a\x00b\x07c", "abc", id="control-characters"),
    pytest.param("", "", id="empty"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_every_unicode_space_separator_becomes_a_space() -> None:
    separators = [
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs"
    ]
    assert len(separators) >= 17
    for ch in separators:
        assert normalize(f"a{ch}b") == "a b", f"U+{ord(ch):04X}"


# Characters normalize treats specially, so random text often meets them.
special_text = st.text(
    st.sampled_from(list(" \t\n\r\u00a0\u202f\u200b\u00ad\ufeff\u2028\x00aйи\u0306\u0301eҚ.")),
    max_size=60,
)


@settings(max_examples=200)
@given(st.one_of(st.text(), special_text))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200)
@given(st.one_of(st.text(), special_text))
def test_normalize_output_shape(text: str) -> None:
    out = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert "  " not in out
    assert "\n\n\n" not in out
    assert not re.search(r" \n|\n |[\r\t\u00a0\u200b\u00ad\ufeff]", out)
    assert out == out.strip()


# --- strip_repeated_title -------------------------------------------------------------

TITLE = "Наурыз Қостанайда жүректерді біріктірді"

STRIP_CASES = [
    pytest.param(TITLE, f"{TITLE} Мерекеге 300 қонақ келді.", "Мерекеге 300 қонақ келді.",
                 id="exact"),
    pytest.param(TITLE, f"{TITLE}Мерекеге қонақ келді.", "Мерекеге қонақ келді.", id="glued"),
    pytest.param(TITLE.upper(), f"{TITLE}. Мереке өтті.", "Мереке өтті.", id="case-different"),
    pytest.param(f"{TITLE}.", f"{TITLE}Мереке өтті.", "Мереке өтті.", id="title-trailing-dot"),
    pytest.param(
        "Наурыз  Қостанайда\u00a0жүректерді біріктірді",
        "Наурыз Қостанайда жүректерді\nбіріктірді: Мереке өтті.",
        "Мереке өтті.",
        id="whitespace-differences",
    ),
    pytest.param(TITLE, f"{TITLE} – Мереке өтті.", "Мереке өтті.", id="dash-separator"),
    pytest.param(
        "Ерлан Біржанов кездесу өткізеді",
        "Ерлан Біржанов кездесу өткізеді2026 жылғы 18 наурыз",
        "2026 жылғы 18 наурыз",
        id="glued-number",
    ),
    pytest.param("Басқа тақырып", "Мереке\u00a0өтті.", "Мереке\u00a0өтті.", id="absent"),
    pytest.param("Ассамблея", "Ассамблеясы жиналды.", "Ассамблеясы жиналды.",
                 id="title-is-a-word-prefix"),
    pytest.param("Жоспар 202", "Жоспар 2026 қабылданды.", "Жоспар 2026 қабылданды.",
                 id="title-is-a-number-prefix"),
    pytest.param(TITLE, TITLE, "", id="body-is-title"),
    pytest.param(f"{TITLE}.", f"  {TITLE.lower()}  ", "", id="body-is-title-lowercase"),
    pytest.param("", TITLE, TITLE, id="empty-title"),
    pytest.param(" . ", TITLE, TITLE, id="blank-title"),
]


@pytest.mark.parametrize(("title", "body", "expected"), STRIP_CASES)
def test_strip_repeated_title(title: str, body: str, expected: str) -> None:
    assert strip_repeated_title(title, body) == expected


def test_title_is_stripped_only_once() -> None:
    assert strip_repeated_title("Жаңалық", "Жаңалық Жаңалық мәтіні") == "Жаңалық мәтіні"


# --- first_sentences ------------------------------------------------------------------

LONG = (
    "Орталық референдум комиссиясының мәліметі бойынша, 15 наурызда өткен Ұлттық "
    "референдумда дауыс берген сайлаушылардың 87,15%-ы жаңа Конституцияны қолдады."
)


def test_lead_takes_whole_sentences_across_paragraphs() -> None:
    assert first_sentences(["Бірінші сөйлем. Екінші сөйлем.", "Үшінші."]) == (
        "Бірінші сөйлем. Екінші сөйлем. Үшінші."
    )


def test_lead_stops_before_a_sentence_that_does_not_fit() -> None:
    assert first_sentences(["Бірінші сөйлем. Екінші сөйлем."], limit=20) == "Бірінші сөйлем."


def test_lead_cuts_a_long_first_sentence_at_a_word() -> None:
    lead = first_sentences([LONG], limit=60)
    assert lead == "Орталық референдум комиссиясының мәліметі бойынша, 15…"
    assert len(lead) <= 60


def test_lead_never_cuts_inside_a_grouped_number() -> None:
    text = "Жалпы саны 12 482 613 азамат дауыс беруге құқылы болды."
    # limit 16 would otherwise cut after "12 482".
    assert first_sentences([text], limit=16) == "Жалпы саны…"


def test_lead_never_cuts_inside_a_percentage() -> None:
    text = "Сайлаушылардың87,15%-ыжаңаКонституциянықолдады өте көп."
    lead = first_sentences([text], limit=20)
    assert lead == "Сайлаушылардың…"


def test_lead_keeps_initials_and_abbreviations_inside_a_sentence() -> None:
    paragraph = "Байгабулов О. К. да 2026 ж. 18 наурыз сағ. 11:30 шақырылды. Келесі сөйлем бар."
    assert first_sentences([paragraph], limit=62) == (
        "Байгабулов О. К. да 2026 ж. 18 наурыз сағ. 11:30 шақырылды."
    )


def test_lead_ends_at_any_sentence_end() -> None:
    paragraph = "Келдік пе? Иә! «Біз келдік», – деді ол… Содан кейін кетті."
    assert first_sentences([paragraph], limit=10) == "Келдік пе?"
    assert first_sentences([paragraph], limit=14) == "Келдік пе? Иә!"
    assert first_sentences([paragraph], limit=40) == "Келдік пе? Иә! «Біз келдік», – деді ол…"


def test_lead_sentence_needs_a_capital_after_the_stop() -> None:
    assert first_sentences(["Ұйымдар т.б. деп аталады. Келесі."], limit=30) == (
        "Ұйымдар т.б. деп аталады."
    )


def test_lead_of_nothing_is_empty() -> None:
    assert first_sentences([]) == ""
    assert first_sentences(["", "  "]) == ""


def test_lead_limit_must_leave_room() -> None:
    with pytest.raises(ValueError, match="limit"):
        first_sentences(["Мәтін."], limit=1)


KK_LOWER = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
word = st.one_of(
    st.text(KK_LOWER, min_size=1, max_size=10),
    st.from_regex(r"[0-9]{1,3}( [0-9]{3}){1,2}|[0-9]{1,3},[0-9]{1,2}%(-ы)?", fullmatch=True),
)
lead_sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(word, min_size=1, max_size=25),
    st.sampled_from([".", "!", "?"]),
)
lead_paragraph = st.lists(lead_sentence, min_size=1, max_size=4).map(" ".join)
NUMBER = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]+(?:,[0-9]+)?%?")


@settings(max_examples=200)
@given(paragraphs=st.lists(lead_paragraph, min_size=1, max_size=3),
       limit=st.integers(min_value=2, max_value=300))
def test_lead_fits_is_a_prefix_and_keeps_numbers_whole(paragraphs: list[str], limit: int) -> None:
    lead = first_sentences(paragraphs, limit)
    source = " ".join(paragraphs)
    core = lead.removesuffix("…")
    assert len(lead) <= limit
    assert source.startswith(core)
    assert lead.endswith("…") or source[len(core) : len(core) + 1] in ("", " ")
    for m in NUMBER.finditer(source):
        assert not m.start() < len(core) < m.end(), (m.group(), lead)


def _normalize_in_full(text: str) -> str:
    """normalize() as it was before its quick paths: every rewrite, every time."""
    from aqparat.text import normalize as module

    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(module._CHAR_MAP))
    text = module._LINE_EDGE_SPACES.sub("\n", module._SPACE_RUN.sub(" ", text))
    return module._MANY_NEWLINES.sub("\n\n", text).strip(" \n")


@settings(max_examples=2000)
@given(st.one_of(st.text(), st.text("ab \n\r\t\u00a0\u200b\u2028\x0b\u0301e.")))
def test_quick_paths_of_normalize_change_nothing(text: str) -> None:
    assert normalize(text) == _normalize_in_full(text)


GLUE_PIECES = ["АссамблеясыКездесу", "ҚазМұнайГаз", "WhatsApp", "қолдады.Жалпы", "(SCO)SCO-ның",
               "11:30Көкшетау", "сағ.", "т.б.", " ", ".", "!", "…", "»", '"', "«", ")", "aA",
               "abcDe", "ªB", "ǅ", "²", "İ", "www.x.kz", "a@b.kz", "ΑβγΔε", "9:30A", "étéÉté"]


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(GLUE_PIECES), max_size=10).map("".join))
def test_lines_without_camel_glue_skip_their_words_and_lose_no_break(line: str) -> None:
    from aqparat.text import normalize as module

    def every_trigger_judged(line: str) -> list[int]:
        spans, start, found = module._protected_spans(line), 0, []
        for m in module._TRIGGER.finditer(line):
            pos = module._JUDGES[str(m.lastgroup)](line, m, start)
            if pos is not None and pos > start and not any(a < pos < b for a, b in spans):
                found.append(pos)
                start = pos
        return found

    assert list(module._breaks(line)) == every_trigger_judged(line)

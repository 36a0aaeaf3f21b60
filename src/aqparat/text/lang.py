"""Which of kk / ru / en a text is written in.

Letters only Kazakh uses (ә ғ қ ң ө ұ ү һ і) decide at once when they are frequent; otherwise
lingua, restricted to the three languages, decides, and a source's declared language breaks
near-ties. Russian items mention Kazakh names, so a few Kazakh letters are not enough: the real
gov.kz Russian fixtures peak at 2.5 % of Cyrillic letters, Kazakh prose runs well above 5 %.
Names and quoted titles are where Russian text carries Kazakh letters (``АО «Қазақстан темір
жолы»``), so the share is counted over lower-case words outside «…» only.

Kazakh typed without its letters (``Казакстан``, ``бугин``) has no letter to count, so it
reaches lingua, whose kk model still recognises it (research note §6: 63 of 63 degraded seed
sentences). Lookalikes are repaired first, so a Latin ``i`` inside a Cyrillic word counts as
``і``. Never run this on text we transliterated ourselves: we already know its language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Literal, cast

from aqparat.model import Lang
from aqparat.text.chars import fix_lookalikes

if TYPE_CHECKING:
    from lingua import LanguageDetector

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KAZAKH_SHARE = 0.05  # see the module docstring for where this comes from
TIE_MARGIN = 0.2  # lingua confidences closer than this count as a tie
MIN_LETTERS = 20  # below this, quoted titles stay in what lingua sees: they may be all there is
# Characters looked at. Lingua's cost grows with the text (0.73 ms a whole item at 4,000, 0.29
# at 1,000) and its answer is settled long before: on the search corpus's 177 whole items and
# the 300 real gov.kz ones, every sample from 100 characters up gives the whole text's answer.
SAMPLE = 1000

Reason = Literal["letters", "lingua", "declared", "no-letters"]


@dataclass(frozen=True, slots=True)
class LangGuess:
    """A language and why: ``confidence`` is lingua's (1.0 for the letter rule)."""

    lang: Lang
    confidence: float
    reason: Reason


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


# Counted by C loops (str.count, the regex engine): a Python test per character cost more
# than lingua. Every Kazakh letter is Cyrillic, so it counts in both.
_NOT_CYRILLIC = re.compile("[^\u0400-\u04ff]+")


def kazakh_share(text: str) -> float:
    """Share of Cyrillic letters in ``text`` that only Kazakh uses (0.0 without Cyrillic)."""
    cyrillic = len(_NOT_CYRILLIC.sub("", text))
    if not cyrillic:
        return 0.0
    return sum(text.count(ch) for ch in KAZAKH_LETTERS) / cyrillic


_QUOTED = re.compile(r"«[^«»]*»")
_NAME = re.compile(r"(?<![^\W\d_])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][^\W\d_]*")


def _common_words(text: str) -> str:
    """``text`` without quoted titles and capitalised words (names, sentence starts)."""
    return _NAME.sub(" ", _QUOTED.sub(" ", text))


@cache
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH
    ).build()


_LINGUA_TO_LANG = {"KAZAKH": "kk", "RUSSIAN": "ru", "ENGLISH": "en"}


def _lingua(text: str) -> dict[Lang, float]:
    ranked = _detector().compute_language_confidence_values(text)
    return {cast(Lang, _LINGUA_TO_LANG[c.language.name]): c.value for c in ranked}


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` letters (counting stops there)."""
    return len(list(islice(filter(str.isalpha, text), count))) >= count


def guess(text: str, declared: Lang | None = None) -> LangGuess:
    """The language of ``text`` with the reason; ``declared`` (the source's claim) wins a tie."""
    sample = fix_lookalikes(text[:SAMPLE])
    if kazakh_share(_common_words(sample)) >= KAZAKH_SHARE:
        return LangGuess("kk", 1.0, "letters")
    if not any(ch.isalpha() for ch in sample):
        return LangGuess(declared or "kk", 0.0, "no-letters")
    # A quoted title may be in another language than the sentence around it.
    unquoted = _QUOTED.sub(" ", sample)
    scores = _lingua(unquoted if _has_letters(unquoted, MIN_LETTERS) else sample)
    best = max(scores, key=scores.__getitem__)
    if declared and declared != best and scores[best] - scores.get(declared, 0.0) < TIE_MARGIN:
        return LangGuess(declared, scores.get(declared, 0.0), "declared")
    return LangGuess(best, scores[best], "lingua")


def detect(text: str, declared: Lang | None = None) -> Lang:
    """The language of ``text``; ``declared`` (the source's claim) wins only a near-tie."""
    return guess(text, declared).lang

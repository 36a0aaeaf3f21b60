"""Which of kk / ru / en a text is written in.

Letters only Kazakh uses (ә ғ қ ң ө ұ ү һ і) decide at once when they are frequent; otherwise
lingua, restricted to the three languages, decides, and a source's declared language breaks
near-ties. Russian items mention Kazakh names, so a few Kazakh letters are not enough: the real
gov.kz Russian fixtures peak at 2.5 % of Cyrillic letters, Kazakh prose runs well above 5 %.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, cast

from aqparat.model import Lang

if TYPE_CHECKING:
    from lingua import LanguageDetector

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KAZAKH_SHARE = 0.05  # see the module docstring for where this comes from
TIE_MARGIN = 0.2  # lingua confidences closer than this count as a tie


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def kazakh_share(text: str) -> float:
    cyrillic = [ch for ch in text if _is_cyrillic(ch)]
    if not cyrillic:
        return 0.0
    return sum(ch in KAZAKH_LETTERS for ch in cyrillic) / len(cyrillic)


@cache
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH
    ).build()


_LINGUA_TO_LANG = {"KAZAKH": "kk", "RUSSIAN": "ru", "ENGLISH": "en"}


def detect(text: str, declared: Lang | None = None) -> Lang:
    """The language of `text`; `declared` (the source's claim) wins only a near-tie."""
    if kazakh_share(text) >= KAZAKH_SHARE:
        return "kk"
    if not any(ch.isalpha() for ch in text):
        return declared or "kk"
    ranked = _detector().compute_language_confidence_values(text[:4000])
    best = ranked[0]
    best_lang = cast(Lang, _LINGUA_TO_LANG[best.language.name])
    if declared and declared != best_lang:
        declared_conf = next(
            (c.value for c in ranked if _LINGUA_TO_LANG[c.language.name] == declared), 0.0
        )
        if best.value - declared_conf < TIE_MARGIN:
            return declared
    return best_lang

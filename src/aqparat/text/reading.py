"""Reading time ("N мин оқу"), from a text's word count.

180 words a minute: adult silent reading of non-fiction runs about 200–240 words a minute in
English; Kazakh and Russian words are longer (agglutination, inflection), so peers' figures for
Cyrillic press text sit lower (egemen.kz's "мин оқу үшін" is consistent with ~180).
"""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 180
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def words(text: str) -> int:
    return len(_WORD.findall(text))


def minutes(text: str, per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read `text`, rounded up; at least 1 for any text with a word."""
    count = words(text)
    return max(1, math.ceil(count / per_minute)) if count else 0

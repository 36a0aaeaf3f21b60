"""Dates and numbers as each language writes them: found in text, parsed, and formatted.

**Finding dates** (:func:`find_dates`). Only anchored shapes are candidates, so address and
document numbers (``2/5``, ``№41/СО``, ``87,15``) never become dates:

* ``dd.mm.yyyy`` in every language (``17.03.2026``, ``17.03.2026 ж.``, ``29.06.2020г.``);
* Kazakh, by our own grammar (dateparser fails on ``жылғы`` and on case endings — research
  note §9): the twelve month stems with any case or possessive ending (``наурызда``,
  ``наурыздың``, ``қыркүйегінде``), a day before the month (``15 наурызда``) or after it with
  its own ending (``наурыздың 15-інде``), a year before (``2026 жылғы``, ``2026 ж.``) or after
  (``2026 ж.``, ``2026 жылы``); a month with no day only with a year or ``айы``
  (``2026 жылғы наурызда``, ``наурыз айында``) because ``Наурыз`` alone is also the holiday;
* Russian and English: a day and a month name (either order in English, optional year) picked
  by a regex, then read by dateparser.

A time may follow (``сағ.11:30``, ``сағат 10:00-де``, ``в 11:30``, ``at 11:30``, ``, 09:00``),
with an optional end (``10:00-12:00``, ``11:30-дан 13:00-ге дейін``, ``с 10:00 до 12:00``).
A dot between hours and minutes is accepted only after such a marker (``в 11.30``).

A date without a year takes the year of ``anchor`` (the publication date) that puts it nearest
to the anchor; without an anchor such dates are skipped. Times are Asia/Almaty wall-clock time.

**Formatting** uses Babel with press-style patterns; **numbers** are grouped and parsed the way
each language writes them (``12 482 613``, ``87,15%``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal as _babel_decimal

from aqparat.model import LANGS, Lang

ALMATY = ZoneInfo("Asia/Almaty")
Precision = Literal["day", "month"]

# kk: "17 наурыз 2026" as the portal prints it; ru needs the genitive month Babel gives in
# format context ("17 марта 2026 г."); en "17 March 2026".
_DATE_PATTERNS: dict[Lang, str] = {"kk": "d MMMM y", "ru": "d MMMM y 'г.'", "en": "d MMMM y"}
# The press-release form of each language: "2026 жылғы 18 наурыз", "18 марта 2026 г.".
_LONG_PATTERNS: dict[Lang, str] = {
    "kk": "y 'жылғы' d MMMM", "ru": "d MMMM y 'г.'", "en": "d MMMM y",
}
_DMY = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


# Remembered: a list page writes forty dates, most of them the same few days, and Babel takes
# 0.05 ms for each (a tenth of an uncached home page's time).
@functools.lru_cache(maxsize=4096)
def format_date(value: dt.date, lang: Lang) -> str:
    return str(_babel_date(value, _DATE_PATTERNS[lang], locale=lang))


@functools.lru_cache(maxsize=4096)
def format_date_long(value: dt.date, lang: Lang) -> str:
    """``2026 жылғы 18 наурыз`` / ``18 марта 2026 г.`` / ``18 March 2026``."""
    return str(_babel_date(value, _LONG_PATTERNS[lang], locale=lang))


def format_time(value: dt.time | dt.datetime, lang: Lang) -> str:
    """``14:05``: the clock time `value` shows (a datetime's in its own time zone)."""
    return _hh_mm(value.hour, value.minute, lang)


@functools.lru_cache(maxsize=24 * 60 * 3)
def _hh_mm(hour: int, minute: int, lang: Lang) -> str:
    return str(_babel_time(dt.time(hour, minute), "HH:mm", locale=lang))


def format_number(value: float | Decimal, lang: Lang) -> str:
    """Grouped as the language groups them: kk/ru "12 482 613" (no-break space), en "12,482,613"."""
    return str(_babel_decimal(value, locale=lang))


def format_percent(value: float | Decimal, lang: Lang) -> str:
    """``87,15%`` (kk, ru) or ``87.15%`` (en): the number as written, then a glued ``%``."""
    return format_number(value, lang) + "%"


def parse_dmy(text: str) -> dt.date:
    """`17.03.2026` → date; ValueError names the text when it is not a real day."""
    match = _DMY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a dd.mm.yyyy date: {text!r}")
    day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)


# --- numbers -----------------------------------------------------------------------------

_GROUP: dict[Lang, str] = {"kk": "[ \u00a0\u202f]", "ru": "[ \u00a0\u202f]", "en": ","}
_DECIMAL: dict[Lang, str] = {"kk": ",", "ru": ",", "en": "."}


def _number_shape(lang: Lang) -> re.Pattern[str]:
    group, point = _GROUP[lang], re.escape(_DECIMAL[lang])
    return re.compile(rf"[-+−]?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{point}\d+)?")


_NUMBER_SHAPES: dict[Lang, re.Pattern[str]] = {lang: _number_shape(lang) for lang in LANGS}


def parse_number(text: str, lang: Lang) -> Decimal:
    """``12 482 613`` → 12482613, ``87,15%`` → 87.15 (kk/ru); ``12,482,613.5`` (en).

    Groups must be whole thousands. A trailing ``%`` (with or without a space) is allowed and
    dropped. ValueError names the text when it is not a number written the way ``lang`` does.
    """
    core = text.strip().removesuffix("%").rstrip(" \u00a0\u202f")
    if not _NUMBER_SHAPES[lang].fullmatch(core):
        raise ValueError(f"dates: not a {lang} number: {text!r}")
    digits = re.sub(_GROUP[lang], "", core).replace(_DECIMAL[lang], ".").replace("−", "-")
    return Decimal(digits)


# --- finding dates -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date (and maybe a time range) found at ``text[start:end]``.

    ``day`` is the first of the month when ``precision`` is ``"month"``; ``last_day`` is set
    for a range of days (``14-15 наурызда``). Times are wall-clock times in Almaty;
    :attr:`starts_at` / :attr:`ends_at` give aware datetimes.
    """

    start: int
    end: int
    day: dt.date
    precision: Precision = "day"
    time: dt.time | None = None
    end_time: dt.time | None = None
    last_day: dt.date | None = None

    @property
    def starts_at(self) -> dt.datetime | None:
        return None if self.time is None else dt.datetime.combine(self.day, self.time, ALMATY)

    @property
    def ends_at(self) -> dt.datetime | None:
        if self.end_time is None:
            return None
        end = dt.datetime.combine(self.last_day or self.day, self.end_time, ALMATY)
        start = self.starts_at
        return end + dt.timedelta(days=1) if start is not None and end <= start else end


def find_dates(text: str, lang: Lang, anchor: dt.date | None = None) -> list[DateMatch]:
    """Every date in ``text``, left to right, without overlaps (see the module docstring)."""
    from aqparat.text import _dategrammar as grammar

    found = [m for m in grammar.candidates(text, lang, anchor) if m is not None]
    return _without_overlaps(found)


def parse_date(text: str, lang: Lang, anchor: dt.date | None = None) -> DateMatch | None:
    """The first date in ``text``, or None."""
    found = find_dates(text, lang, anchor)
    return found[0] if found else None


def _without_overlaps(found: list[DateMatch]) -> list[DateMatch]:
    """Longest match first at each position; later overlapping ones dropped."""
    kept: list[DateMatch] = []
    for m in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


"""Dates and numbers as each language writes them (Babel, with press-style patterns)."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal as _babel_decimal

from aqparat.model import Lang

# kk: "17 наурыз 2026" as the portal prints it; ru needs the genitive month Babel gives in
# format context ("17 марта 2026 г."); en "17 March 2026".
_DATE_PATTERNS: dict[Lang, str] = {"kk": "d MMMM y", "ru": "d MMMM y 'г.'", "en": "d MMMM y"}
_DMY = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def format_date(value: dt.date, lang: Lang) -> str:
    return str(_babel_date(value, _DATE_PATTERNS[lang], locale=lang))


def format_time(value: dt.time | dt.datetime, lang: Lang) -> str:
    return str(_babel_time(value, "HH:mm", locale=lang))


def format_number(value: float, lang: Lang) -> str:
    """Grouped as the language groups them: kk/ru "12 482 613" (no-break space), en "12,482,613"."""
    return str(_babel_decimal(value, locale=lang))


def parse_dmy(text: str) -> dt.date:
    """`17.03.2026` → date; ValueError names the text when it is not a real day."""
    match = _DMY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a dd.mm.yyyy date: {text!r}")
    day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)

"""The date grammar behind :func:`aqparat.text.dates.find_dates`: patterns and their readers.

Each pattern is anchored on something only a date has (a month name, or ``dd.mm.yyyy``), and
every pattern carries the same optional time tail. A reader turns a match into a ``DateMatch``
or None (not a real day, a year out of range, no year and no anchor).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from aqparat.model import Lang
from aqparat.text.dates import DateMatch, Precision

KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйе[кг]", "қазан", "қараша", "желтоқсан")
# Case and possessive endings a month name takes in press text (наурызда, наурыздың,
# қыркүйегінде, желтоқсанның, қазаннан, қарашадағы).
_MONTH_END = (r"(?:ы|і|сы|сі|ның|нің|дың|дің|тың|тің|да|де|та|те|нда|нде|ында|інде|ға|ге|қа|"
              r"ке|на|не|ына|іне|нан|нен|дан|ден|тан|тен|ынан|інен|дағы|дегі|тағы|тегі|"
              r"ындағы|індегі|ының|інің)?(?![^\W\d_])")
_GENITIVE = r"(?:ның|нің|дың|дің|тың|тің|ының|інің)"
# A day's own endings: 15-і, 15-інде, 5-ші, 1-ден, 3-не.
_DAY_END = (r"(?:-?(?:сінде|сында|сінен|сынан|сіне|сына|інде|ында|нде|нда|інен|ынан|іне|ына|"
            r"і|ы|сі|сы|ші|шы|нші|ншы|де|да|те|та|не|на|ге|ға|ден|дан|нен|нан))")
_KK_YEAR_BEFORE = r"(?:(?P<y1>\d{4})\s*(?:жылғы|жылы|жылдың|ж\.?)\s*,?\s*)"
_KK_YEAR_AFTER = r"(?:\s+(?P<y2>\d{4})(?!\d)(?:\s*(?:жылғы|жылы|жылдың|жыл|ж\.))?)"

# "наурыз айында": the word "month" after a month name.
_MONTH_WORD = r"(?:\s+ай(?:ының|ынан|ында|ына|ы)(?![^\W\d_]))"
_TIME_SUFFIX = r"(?:-?(?:дан|ден|тан|тен|нан|нен|да|де|та|те|ге|ға|ке|қа|не|на)(?![^\W\d_]))?"
_TIME = (
    r"(?:\s*,?\s*(?:күні\s*,?\s*)?(?:(?P<mark>сағ\.?|сағат|в|с|at|from)\s*(?P<h1>\d{1,2})[:.](?P<m1>\d{2})"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2}))(?!\d)" + _TIME_SUFFIX
    + r"(?:(?:\s*(?:[-–—]|до|to|until)\s*|\s+)(?P<h3>\d{1,2})[:.](?P<m3>\d{2})(?!\d)" + _TIME_SUFFIX
    + r"(?:\s*дейін)?)?)?"
)
# Not inside a number, a document number (№41/СО) or a decimal; a letter may precede, because
# the portal glues text to a year (өткізеді2026).
_BOUNDARY = r"(?<![\d./-])(?<!\d,)"
# A day, or a range of days (14-15, 14–15).
_DAYS = r"(?P<d>\d{1,2})(?:\s*[-–—]\s*(?P<d2>\d{1,2}))?"

_RU_MONTHS = (r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|"
              r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]|"
              r"янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек")
_EN_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|"
              r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")

Reader = Callable[[re.Match[str], Lang, "dt.date | None"], "DateMatch | None"]


def _kk_month_group() -> str:
    return "(?P<month>" + "|".join(KK_MONTHS) + ")" + _MONTH_END


def _compile(body: str) -> re.Pattern[str]:
    return re.compile(_BOUNDARY + body + _TIME, re.IGNORECASE)


@cache
def _patterns(lang: Lang) -> tuple[tuple[re.Pattern[str], Reader], ...]:
    month = _kk_month_group()
    dmy = (_compile(r"(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y1>\d{4})(?!\d)"
                    r"(?:\s*(?:ж\.|г\.|года|жылы|жылғы))?"), _read_dmy)
    if lang == "kk":
        return (
            dmy,
            (_compile(_KK_YEAR_BEFORE + r"?" + _DAYS + _DAY_END + r"?\s+" + month
                      + _KK_YEAR_AFTER + "?"), _read_kk),
            (_compile(_KK_YEAR_BEFORE + r"?" + "(?P<month>" + "|".join(KK_MONTHS) + ")"
                      + r"(?:" + _GENITIVE + r"|\s+айының)\s+(?P<d>\d{1,2})" + _DAY_END
                      + r"(?![^\W\d_])"),
             _read_kk),
            (_compile(_KK_YEAR_BEFORE + month + _MONTH_WORD + "?"), _read_kk),
            (_compile(month + _MONTH_WORD), _read_kk),
        )
    months = _RU_MONTHS if lang == "ru" else _EN_MONTHS
    year = r"(?:,?\s+(?P<y1>\d{4})(?!\d)(?:\s*(?:года|г\.?))?)"
    day = _DAYS + r"(?:-?го|st|nd|rd|th)?(?![\d])"
    month = r"(?P<month>" + months + r")(?![^\W\d_])\.?"
    shapes = [day + r"\s+" + month + year + "?"]
    if lang == "en":
        shapes += [month + r"\s+" + day + year + "?", month + year]
    return (dmy, *((_compile(s), _read_dateparser) for s in shapes))


# --- scanning ----------------------------------------------------------------------------
#
# Scanning is most of what finding dates costs: the patterns open with look-behinds and an
# IGNORECASE alternation, so the engine tries each of them at every position of the text. But
# a match can only start at a digit (a day or a year, after `_BOUNDARY`) or at a month name,
# so the patterns are tried only there (`pattern.match` at each such position, left to right,
# resuming after a match: what `finditer` does, minus the positions where nothing can start).
# What starts each pattern of `_patterns(lang)`, in order: a digit, a month name, or either.
_STARTS: dict[str, tuple[str, ...]] = {
    "kk": ("digit", "digit", "either", "digit", "month"),
    "ru": ("digit", "digit"),
    "en": ("digit", "digit", "month", "month"),
}
_DIGIT_START = re.compile(r"\d(?<![\d./-]\d)(?<!\d,\d)")  # a digit where `_BOUNDARY` holds
# Every spelling of a month begins with one of these (lower case); every pattern but the
# first (dd.mm.yyyy) needs a month.
_NEEDLES: dict[str, tuple[str, ...]] = {
    "kk": tuple(stem.replace("[кг]", "") for stem in KK_MONTHS),
    "ru": ("янв", "фев", "мар", "апр", "май", "мая", "июн", "июл", "авг", "сен", "окт", "ноя",
           "дек"),
    "en": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
}
# Where `str.lower` compares letters as IGNORECASE does (one simple lower case per character,
# and none of the few look-alikes IGNORECASE also accepts, such as U+1C83 for "с"), so month
# names can be found in the lower-cased text; a text with anything else is scanned in full.
_UNSAFE_CASE = re.compile(r"[^\x00-\xff\u0400-\u04ff\u2000-\u206f\u2116]")


def _month_starts(text: str, lang: Lang) -> list[int] | None:
    """Every position where a month name of `lang` may start; None: no quick answer."""
    if _UNSAFE_CASE.search(text):
        return None
    lower, found = text.lower(), []
    for needle in _NEEDLES[lang]:
        at = lower.find(needle)
        while at >= 0:
            found.append(at)
            at = lower.find(needle, at + 1)
    return found


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` when every match starts at one of `starts` (sorted)."""
    resume = 0
    for at in starts:
        if at >= resume and (m := pattern.match(text, at)):
            yield m
            resume = m.end()


def _positions(kind: str, digits: list[int], months: list[int]) -> list[int]:
    if kind == "digit":
        return digits
    return sorted(months) if kind == "month" else sorted({*digits, *months})


def candidates(text: str, lang: Lang, anchor: dt.date | None) -> Iterator[DateMatch | None]:
    months = _month_starts(text, lang)
    digits = [m.start() for m in _DIGIT_START.finditer(text)]
    for n, (pattern, read) in enumerate(_patterns(lang)):
        kind = _STARTS[lang][n]
        if n and months == []:  # no month named: only dd.mm.yyyy can match
            continue
        if months is None and kind != "digit":
            found: Iterator[re.Match[str]] = pattern.finditer(text)
        else:
            found = _matches(pattern, text, _positions(kind, digits, months or []))
        for m in found:
            yield read(m, lang, anchor)


# --- readers -----------------------------------------------------------------------------


def _kk_month_number(name: str) -> int:
    name = name.lower()
    return next(i for i, stem in enumerate(KK_MONTHS, 1) if re.fullmatch(stem, name))


def _read_kk(m: re.Match[str], lang: Lang, anchor: dt.date | None) -> DateMatch | None:
    groups = m.groupdict()
    month = _kk_month_number(groups["month"])
    day = int(groups["d"]) if groups.get("d") else None
    return _build(m, _year(groups), month, day, anchor)


def _read_dmy(m: re.Match[str], lang: Lang, anchor: dt.date | None) -> DateMatch | None:
    return _build(m, int(m["y1"]), int(m["mo"]), int(m["d"]), anchor)


# A phrase's reading depends on nothing but the phrase (RELATIVE_BASE is fixed), and press
# texts repeat the same few dates; dateparser costs ~2 ms a phrase.
@lru_cache(maxsize=4096)
def _dateparser_month_day(phrase: str, lang: Lang) -> tuple[int, int] | None:
    import dateparser

    parsed = dateparser.parse(phrase, languages=[lang],
                              settings={"PREFER_DAY_OF_MONTH": "first",
                                        "RELATIVE_BASE": dt.datetime(2000, 1, 1)})
    return None if parsed is None else (parsed.month, parsed.day)


def _read_dateparser(m: re.Match[str], lang: Lang, anchor: dt.date | None) -> DateMatch | None:
    end = m.end("y1") if m.groupdict().get("y1") else max(m.end("month"), m.end("d") if
                                                           m.groupdict().get("d") else 0)
    parsed = _dateparser_month_day(m.string[m.start():end], lang)
    if parsed is None:
        return None
    month, day = parsed
    return _build(m, _year(m.groupdict()), month, day if m.groupdict().get("d") else None,
                  anchor)


def _year(groups: dict[str, str | None]) -> int | None:
    raw = groups.get("y1") or groups.get("y2")
    return int(raw) if raw else None


def _nearest_year(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts ``day.month`` nearest to ``anchor`` (late December → next January)."""
    def distance(year: int) -> int:
        try:
            return abs((dt.date(year, month, day) - anchor).days)
        except ValueError:  # 29 February in a common year
            return 10**6
    return min((anchor.year - 1, anchor.year, anchor.year + 1), key=distance)


def _build(m: re.Match[str], year: int | None, month: int, day: int | None,
           anchor: dt.date | None) -> DateMatch | None:
    precision: Precision = "month" if day is None else "day"
    if year is None:
        if anchor is None:
            return None
        year = _nearest_year(month, day or 15, anchor)
    if not 1900 <= year <= 2100:
        return None
    try:
        date = dt.date(year, month, day or 1)
        last = _last_day(m, date)
    except ValueError:
        return None
    start, end = _times(m)
    return DateMatch(m.start(), _end(m, start), date, precision, start, end, last)


def _last_day(m: re.Match[str], first: dt.date) -> dt.date | None:
    """The end of a range of days (``14-15``); ValueError when it is not after the first."""
    raw = m.groupdict().get("d2")
    if not raw:
        return None
    last = first.replace(day=int(raw))
    if last <= first:
        raise ValueError(raw)
    return last


def _clock(hours: str | None, minutes: str | None) -> dt.time | None:
    if hours is None or minutes is None or int(hours) > 23 or int(minutes) > 59:
        return None
    return dt.time(int(hours), int(minutes))


def _times(m: re.Match[str]) -> tuple[dt.time | None, dt.time | None]:
    start = _clock(m["h1"], m["m1"]) or _clock(m["h2"], m["m2"])
    return (start, _clock(m["h3"], m["m3"]) if start else None)


def _end(m: re.Match[str], start: dt.time | None) -> int:
    """End of the span: without a valid time, the date part alone."""
    tails = [m.start(g) for g in ("mark", "h1", "h2") if m[g] is not None]
    if start is not None or not tails:
        return m.end()
    return m.start() + len(m.string[m.start() : min(tails)].rstrip(" ,"))

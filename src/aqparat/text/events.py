"""Announced events in a press text: when (Almaty time), where, and the text that says so.

``2026 жылғы 18 наурыз сағ.11:30`` followed by ``Көкшетау қ., Назарбаев даңғылы 2/5, Қазақстан
халқы Ассамблеясы`` is one event at 11:30 in Kokshetau. A date found by
:func:`aqparat.text.dates.find_dates` (a day, not a month) is an announcement when

* its sentence has a time or a future cue (``өтеді``, ``өткізеді``, ``состоится``,
  ``пройдет``, ``will be held`` …) and no past cue (``өтті``, ``өткен``, ``состоялся``,
  ``took place`` …); and
* it is not before ``published`` (the publication date), when that is given.

The **place** is the rest of the date's sentence (or, when the date stands alone as in the
seed page, the next paragraph) if it names a gazetteer place or carries an address word
(``қ.``, ``қаласы``, ``даңғылы``, ``көшесі``, ``г.``, ``ул.``, ``платформе``, ``street`` …); it
stops at a future cue, a sentence end or glued text (``АссамблеясыКездесу``). ``city`` is the
gazetteer key of the first place named there. Give this the body with paragraphs separated by
blank lines (``Article.body_text``); glued text works too, less precisely.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from aqparat.model import Lang
from aqparat.text import gazetteer
from aqparat.text.dates import DateMatch, find_dates


@dataclass(frozen=True, slots=True)
class Event:
    """One announced event. ``start``/``end`` are aware datetimes (Asia/Almaty) when the text
    gives a time, dates otherwise; ``text[start_index:end_index]`` is the announcement."""

    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    place: str | None
    city: str | None
    start_index: int
    end_index: int


_FUTURE = {
    "kk": r"өтеді|өткізіледі|өткізеді|өткізілмек|басталады|ұйымдастырылады|жоспарлан\w*|"
          r"шақырамыз|шақырады|болмақ|қабылдайды",
    "ru": r"состоится|состоятся|пройд[её]т|пройдут|будет проведен\w*|будут проведены|"
          r"провед[её]т|начн[её]тся|стартует|приглаша\w+|запланирован\w*",
    "en": r"will be held|will take place|will hold|takes place|is scheduled|will start|"
          r"invites?|will meet|will open",
}
_PAST = {
    "kk": r"өтті|өткен|өткізілді|өткізді|болды|болған|болып өтті",
    "ru": r"состоял\w*|прош[её]л|прошл[аио]|провел[аи]?|был[аио]? проведен\w*",
    "en": r"was held|were held|took place|has been held",
}
_ADDRESS = re.compile(
    r"(?<![^\W\d_])(?:қ\.|қаласы\w*|ауданы\w*|облысы\w*|даңғылы\w*|көшесі\w*|ғимарат\w*|"
    r"мекенжай\w*|г\.|ул\.|пр\.|проспект\w*|город\w*|здани\w*|платформ\w*|онлайн\w*|"
    r"street|avenue|building|online|city)",
    re.IGNORECASE,
)
# A date followed by "until" is a deadline, not an event: "30 наурызға дейін", "до 1 апреля".
_DEADLINE_AFTER = re.compile(r"\s*(?:дейін|шейін)(?![^\W\d_])", re.IGNORECASE)
_DEADLINE_BEFORE = re.compile(r"(?:(?<![^\W\d_])(?:до|until|by|before)\s+)$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[^\W\d_]|сағ|обл|көш|даң|ул|пр|просп|им|тел)\.$",
                           re.IGNORECASE)
# What may sit between a date and its place: commas, dashes, a weekday in brackets.
_PLACE_LEAD = re.compile(r"[\s,–-]*(?:\([^()\n]{0,20}\)[\s,]*)?")
_GLUE = re.compile(r"(?<=[a-zа-яәғқңөұүһіё]{3})(?=[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][a-zа-яәғқңөұүһіё])")


def extract_events(text: str, lang: Lang, published: dt.date | None = None) -> list[Event]:
    """Announced events in ``text``, in order (see the module docstring)."""
    events = []
    for m in find_dates(text, lang, published):
        if m.precision == "day" and _announced(text, m, lang, published):
            events.append(_event(text, m, lang))
    return events


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind("\n", 0, start), _last_stop(text[:start])) + 1
    right = _sentence_end(text, end)
    return text[left:right]


def _last_stop(before: str) -> int:
    stops = [m.end() - 1 for m in re.finditer(r"[.!?…](?=\s+[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ«])", before)]
    return stops[-1] if stops else -1


def _sentence_end(text: str, pos: int) -> int:
    """Index of the end of the sentence that runs on from ``pos`` (line end, stop, or glue)."""
    line_end = text.find("\n", pos)
    limit = len(text) if line_end < 0 else line_end
    for m in re.finditer(r"[.!?…]", text[pos:limit]):
        stop = pos + m.start()
        if not _ABBREVIATION.search(text[max(0, stop - 8) : stop + 1]):
            limit = stop
            break
    glue = _GLUE.search(text, pos, limit)
    return glue.start() if glue else limit


def _is_deadline(text: str, m: DateMatch) -> bool:
    return bool(_DEADLINE_AFTER.match(text, m.end) or _DEADLINE_BEFORE.search(text[:m.start]))


def _announced(text: str, m: DateMatch, lang: Lang, published: dt.date | None) -> bool:
    if (published is not None and m.day < published) or _is_deadline(text, m):
        return False
    sentence = _sentence(text, m.start, m.end)
    if re.search(rf"(?<![^\W\d_])(?:{_PAST[lang]})(?![^\W\d_])", sentence, re.IGNORECASE):
        return False
    future = re.search(rf"(?<![^\W\d_])(?:{_FUTURE[lang]})(?![^\W\d_])", sentence,
                       re.IGNORECASE)
    return m.time is not None or future is not None


def _event(text: str, m: DateMatch, lang: Lang) -> Event:
    place_span = _place_span(text, m.end, lang)
    place = text[place_span[0] : place_span[1]] if place_span else None
    start: dt.datetime | dt.date = m.starts_at or m.day
    end: dt.datetime | dt.date | None = m.ends_at or m.last_day
    end_index = place_span[1] if place_span else m.end
    # Outside the place, only a city or region counts: "Республики Казахстан" is not a venue.
    city = _city(place, lang) or _city(_sentence(text, m.start, m.end), lang, ("city", "region"))
    return Event(start, end, place, city, m.start, end_index)


def _place_span(text: str, pos: int, lang: Lang) -> tuple[int, int] | None:
    """The place after a date ending at ``pos``: the sentence's rest, or the next paragraph."""
    end = _sentence_end(text, pos)
    lead = _PLACE_LEAD.match(text, pos, end)
    start = lead.end() if lead else pos
    if not text[start:end].strip():
        start = _next_paragraph(text, end)
        end = _sentence_end(text, start) if start < len(text) else start
    end = _before_cue(text, start, end, lang)
    candidate = text[start:end].strip(" ,")
    if candidate and _is_place(candidate, lang):
        return start, start + len(text[start:end].rstrip(" ,"))
    return None


def _next_paragraph(text: str, pos: int) -> int:
    """Where the text after ``pos`` continues: past line breaks and glued sentence starts."""
    rest = text[pos:]
    return pos + len(rest) - len(rest.lstrip(" \n"))


def _before_cue(text: str, start: int, end: int, lang: Lang) -> int:
    cue = re.search(rf"(?<![^\W\d_])(?:{_FUTURE[lang]})(?![^\W\d_])", text[start:end],
                    re.IGNORECASE)
    return start + cue.start() if cue else end


def _is_place(candidate: str, lang: Lang) -> bool:
    if len(candidate) > 200:
        return False
    return bool(_ADDRESS.search(candidate)) or _city(candidate, lang) is not None


def _city(place: str | None, lang: Lang,
          kinds: tuple[gazetteer.Kind, ...] = ("city", "region", "country")) -> str | None:
    if not place:
        return None
    hits = gazetteer.find(gazetteer.words(place, lang), lang, kinds)
    cities = [h for h in hits if h.entry.kind == "city"] or hits
    return cities[0].entry.key if cities else None

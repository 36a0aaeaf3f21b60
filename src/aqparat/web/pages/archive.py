"""`/{lang}/archive/{yyyy}/{mm}/{dd}`: a day's items, newest first, beside a calendar of its
month whose days with items are links; `/{lang}/archive/{yyyy}/{mm}` lists the whole month,
`/{lang}/archive/` goes to the newest day. Days are Almaty calendar days."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from babel.dates import format_date, get_day_names
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from aqparat.model import Lang
from aqparat.store import archive_days, articles, stories
from aqparat.text import dates
from aqparat.web.pages import edition_lang, edition_langs, engine, renderer, settings
from aqparat.web.pages.paging import listing, window

# "2026 жылғы наурыз", "март 2026", "March 2026": the month standing alone.
_MONTH_PATTERNS: dict[Lang, str] = {"kk": "y 'жылғы' MMMM", "ru": "LLLL y", "en": "LLLL y"}


def month_name(day: dt.date, lang: Lang) -> str:
    return str(format_date(day, _MONTH_PATTERNS[lang], locale=lang))


@dataclass(frozen=True, slots=True)
class Calendar:
    """A month as weeks of days (0: outside the month), with the days that have items."""

    month: dt.date  # its first day
    weeks: list[list[int]]
    linked: set[int]
    selected: int | None
    prev: dt.date | None  # the nearest earlier / later day with items in another month
    next: dt.date | None
    weekdays: list[tuple[str, str]]  # (abbreviated, full), Monday first


def _weekdays(lang: Lang) -> list[tuple[str, str]]:
    short, full = get_day_names("abbreviated", locale=lang), get_day_names("wide", locale=lang)
    return [(str(short[n]), str(full[n])) for n in range(7)]


def build_calendar(conn: sa.Connection, year: int, month: int, selected: int | None,
                   langs: tuple[str, ...] | None, lang: Lang) -> Calendar:
    prev, nxt = archive_days.neighbour_months(conn, year, month, langs)
    return Calendar(dt.date(year, month, 1), calendar.Calendar().monthdayscalendar(year, month),
                    archive_days.days_with_items(conn, year, month, langs), selected, prev, nxt,
                    _weekdays(lang))


def _date(year: int, month: int, day: int = 1) -> dt.date:
    """The date a path names; 404 for one that does not exist (2026/02/30, 0001/13)."""
    if not 1900 <= year <= 9999:
        raise HTTPException(404)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise HTTPException(404) from None


def latest_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        langs, _ = edition_langs(conn, lang)
        day = archive_days.latest_day(conn, langs)
    tag = request.path_params["lang"]
    if day is None:
        today = dt.datetime.now(archive_days.LOCAL).date()
        return RedirectResponse(f"/{tag}/archive/{today:%Y/%m}", status_code=302)
    return RedirectResponse(f"/{tag}/archive/{day:%Y/%m/%d}", status_code=302)


def _render(request: Request, first: dt.date, day: dt.date | None) -> Response:
    lang = edition_lang(request)
    win = window(request, settings(request).page_size)
    where = archive_days.published_in(*(archive_days.day_bounds(day) if day else
                                        archive_days.month_bounds(first.year, first.month)))
    with engine(request).connect() as conn:
        langs, fallback = edition_langs(conn, lang)
        found = listing(
            request, win, ("archive", first, day, langs),
            lambda limit, offset, before: stories.with_others(conn, articles.listed(
                conn, where, langs, limit=limit, offset=offset, before=before)),
            lambda up_to: articles.count_listed(conn, where, langs, up_to=up_to))
        cal = build_calendar(conn, first.year, first.month, day.day if day else None, langs,
                             lang)
    base = f"/{lang}/archive/{day:%Y/%m/%d}" if day else f"/{lang}/archive/{first:%Y/%m}"
    return renderer(request).page(
        request, "archive.html", lang, cal=cal, day=day,
        heading=dates.format_date_long(day, lang) if day else month_name(first, lang),
        month_name=lambda d: month_name(d, lang), items=found.items, page=found.page,
        pages=found.pages, total=found.total, more=found.more, fallback=fallback,
        page_url=found.page_url(base), older=found.older and f"{base}?before={found.older}")


def month_page(request: Request) -> Response:
    p = request.path_params
    return _render(request, _date(p["year"], p["month"]), None)


def day_page(request: Request) -> Response:
    p = request.path_params
    day = _date(p["year"], p["month"], p["day"])
    return _render(request, day.replace(day=1), day)

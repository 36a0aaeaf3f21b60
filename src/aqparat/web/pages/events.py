"""`/{lang}/events?page=N`: announced events, upcoming first (soonest first), then past ones
(most recent first); and how one event reads in the reader's language (also on article pages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import Lang
from aqparat.store import events
from aqparat.text import dates, gazetteer
from aqparat.web.pages import edition_lang, edition_langs, engine, renderer, settings
from aqparat.web.pages.paging import page_count, page_number
from aqparat.web.render import LOCAL_TZ


@dataclass(frozen=True, slots=True)
class EventView:
    event: events.EventRow
    when: str  # the reader's language: "2026 жылғы 18 наурыз, 11:30"
    city: str | None  # the city's name in the reader's language
    upcoming: bool


def _moment(value: dt.datetime, all_day: bool, lang: Lang) -> str:
    local = value.astimezone(LOCAL_TZ)
    day = dates.format_date_long(local.date(), lang)
    return day if all_day else f"{day}, {dates.format_time(local, lang)}"


def when(e: events.EventRow, lang: Lang) -> str:
    """Start, and end when the text gave one: a time alone when it ends the same day."""
    start = _moment(e.starts_at, e.all_day, lang)
    if e.ends_at is None:
        return start
    same_day = e.ends_at.astimezone(LOCAL_TZ).date() == e.starts_at.astimezone(LOCAL_TZ).date()
    if same_day and e.all_day:
        return start
    if same_day:
        return f"{start}–{dates.format_time(e.ends_at.astimezone(LOCAL_TZ), lang)}"
    return f"{start} – {_moment(e.ends_at, e.all_day, lang)}"


def city_name(key: str | None, lang: Lang) -> str | None:
    entry = next((p for p in gazetteer.entries() if p.key == key), None) if key else None
    return entry.names[lang] if entry else None


def view(e: events.EventRow, lang: Lang, now: dt.datetime) -> EventView:
    return EventView(e, when(e, lang), city_name(e.city, lang), e.until_at >= now)


def events_page(request: Request) -> Response:
    lang = edition_lang(request)
    page, size = page_number(request), settings(request).page_size
    now = dt.datetime.now(dt.UTC)
    with engine(request).connect() as conn:
        langs, fallback = edition_langs(conn, lang)
        ahead, past = events.count(conn, now, langs)
        pages = page_count(ahead + past, size)
        if page > pages:
            raise HTTPException(404)
        found = events.listing(conn, now, langs, limit=size, offset=(page - 1) * size)
    base = f"/{lang}/events"
    return renderer(request).page(
        request, "events.html", lang, page=page, pages=pages, upcoming=ahead,
        total=ahead + past, fallback=fallback,
        entries=[(view(f.event, lang, now), f.item.summary) for f in found],
        page_url=lambda n: base if n == 1 else f"{base}?page={n}",
    )

"""`/feeds/events.ics`: announced events as one iCalendar feed (RFC 5545).

Written out by hand — the format is a few line rules, and each is visible here:

* lines end in CRLF and are folded before 75 octets, never inside a UTF-8 sequence (§3.1);
* TEXT values escape backslash, `;`, `,` and newlines (§3.3.11);
* times are UTC (`…Z`), so the feed needs no VTIMEZONE; a day without a time is a DATE whose
  DTEND is the day after the last one, exclusive (§3.6.1);
* DTSTAMP is the item's last change, so the bytes (and the ETag) change only with the events;
* UID is a UUIDv5 of the publication's natural key and the event's position in it, without the
  language: the kk, ru and en versions of one gov.kz item announce one event, listed once (the
  first of kk, ru, en), and a rebuilt store or another host gives the same UIDs.
"""

from __future__ import annotations

import datetime as dt
import uuid

from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import events
from aqparat.web.pages import engine
from aqparat.web.pages.events import city_name
from aqparat.web.render import LOCAL_TZ
from aqparat.web.responses import cached
from aqparat.web.urls import article_path, site_url

MEDIA_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 300
NAMESPACE = uuid.UUID("5b0f7a51-2f4e-4c1e-9f57-8d2f4a6b0c31")
_LANG_ORDER = {"kk": 0, "ru": 1, "en": 2}


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line, folded into CRLF-joined pieces of at most 75 octets each."""
    pieces, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode())
        if size + width > 75:
            pieces.append(current)
            current, size = " ", 1  # a continuation starts with one space, which counts
        current += ch
        size += width
    return "\r\n".join([*pieces, current])


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(listed: events.Listed) -> str:
    s = listed.item.summary  # the slug, not the key: a feed's key (its URL) follows a 301
    key = f"event:{s.source.kind}:{s.source.slug}:{listed.item.external_id}:{listed.event.position}"
    return str(uuid.uuid5(NAMESPACE, key))


def _times(e: events.EventRow) -> list[str]:
    if not e.all_day:
        end = [f"DTEND:{utc(e.ends_at)}"] if e.ends_at else []
        return [f"DTSTART:{utc(e.starts_at)}", *end]
    first = e.starts_at.astimezone(LOCAL_TZ).date()
    last = (e.ends_at or e.starts_at).astimezone(LOCAL_TZ).date()
    return [f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}"]


def vevent(listed: events.Listed, site: str) -> list[str]:
    e, s = listed.event, listed.item.summary
    url = site + article_path(s.lang, s.id)
    place = e.place or city_name(e.city, s.lang)
    description = escape_text(f"{e.span_text}\n\n{url}")
    return [
        "BEGIN:VEVENT", f"UID:{uid(listed)}", f"DTSTAMP:{utc(listed.item.updated_at)}",
        *_times(e), f"SUMMARY:{escape_text(s.title)}",
        *([f"LOCATION:{escape_text(place)}"] if place else []),
        f"DESCRIPTION:{description}", f"URL:{url}",
        "END:VEVENT",
    ]


def once(found: list[events.Listed]) -> list[events.Listed]:
    """One entry per UID: a publication's language versions announce the same event."""
    ranked = sorted(found, key=lambda f: _LANG_ORDER.get(f.item.summary.lang, 9))
    chosen = {uid(f): f for f in reversed(ranked)}  # the first language wins
    return [f for f in found if chosen.get(uid(f)) is f]


def calendar(found: list[events.Listed], site: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//aqparat//events//KK",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Ақпарат",
             "X-WR-TIMEZONE:Asia/Almaty"]
    for listed in once(found):
        lines += vevent(listed, site)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def events_calendar(request: Request) -> Response:
    with engine(request).connect() as conn:
        found = events.calendar(conn)
    return cached(request, calendar(found, site_url(request)), MEDIA_TYPE, max_age=MAX_AGE)

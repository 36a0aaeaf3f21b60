"""Stage 6 of pipeline/run.py: what an article announces and whom it names, in model terms.

`text/events.py` and `text/entities.py` find them; this module only turns their findings into
`model.Event` and `model.NamedEntity` values: aware datetimes, one entity per name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from aqparat.model import Event, Lang, NamedEntity
from aqparat.pipeline import dedup, facts
from aqparat.text import entities as text_entities
from aqparat.text import events as text_events


def _moment(value: dt.datetime | dt.date, tz: ZoneInfo) -> dt.datetime:
    """A found time as an aware datetime; a day alone becomes its local midnight."""
    if isinstance(value, dt.datetime):  # first: a datetime is also a date
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time(), tzinfo=tz)


def _event(found: text_events.Event, body_text: str, tz: ZoneInfo) -> Event:
    return Event(
        starts_at=_moment(found.start, tz),
        ends_at=None if found.end is None else _moment(found.end, tz),
        all_day=not isinstance(found.start, dt.datetime),
        place=found.place,
        city=found.city,
        span=(found.start_index, found.end_index),
        text=body_text[found.start_index:found.end_index],
    )


def events(body_text: str, lang: Lang, published_at: dt.datetime,
           tz: ZoneInfo) -> tuple[Event, ...]:
    """Events announced in `body_text`; dates before the publication day are not announcements.

    Spans index `body_text` (paragraphs joined by blank lines), as stored on the item."""
    published = published_at.astimezone(tz).date()
    found = text_events.extract_events(body_text, lang, published)
    return tuple(_event(e, body_text, tz) for e in found)


def entities(title: str, body_text: str, lang: Lang) -> tuple[NamedEntity, ...]:
    """People, bodies and places named in the title or body, once each, in order of first
    mention; `mentions` counts them, and a person's role is the first one written.

    They are looked for in the text the item's facts are taken from (pipeline/facts.text_of:
    the title and the body's sentences), so story assignment takes them as they are
    (pipeline/stories.Report.named) instead of finding them again."""
    merged: dict[tuple[str, str], NamedEntity] = {}
    text = facts.text_of(title, dedup.kept_text(dedup.units(body_text)))
    for found in text_entities.extract_entities(text, lang):
        key = (found.kind, found.key or found.name)
        seen = merged.get(key)
        merged[key] = (NamedEntity(found.kind, found.name, found.role, found.key) if seen is None
                       else replace(seen, mentions=seen.mentions + 1,
                                    role=seen.role or found.role))
    return tuple(merged.values())

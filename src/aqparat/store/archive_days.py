"""Queries for the archive by date: which days of a month have items, a day's bounds, and
the nearest months with items on either side. Days are Almaty calendar days.

Each question is a handful of index range scans on (status, lang, published_at): a month's
calendar is one statement of 28–31 EXISTS probes rather than a GROUP BY over the month's
rows, so its cost does not grow with how much was published.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from aqparat.store.articles import SHOWN
from aqparat.store.schema import item

LOCAL = ZoneInfo("Asia/Almaty")


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of an Almaty calendar day, as aware datetimes."""
    start = dt.datetime.combine(day, dt.time(), LOCAL)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), LOCAL)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    last = calendar.monthrange(year, month)[1]
    return day_bounds(dt.date(year, month, 1))[0], day_bounds(dt.date(year, month, last))[1]


def _listed(langs: tuple[str, ...] | None) -> list[sa.ColumnElement[bool]]:
    where = [item.c.status == SHOWN, item.c.story_lead]
    if langs is not None:
        where.append(item.c.lang.in_(langs))
    return where


def published_in(start: dt.datetime, end: dt.datetime) -> list[sa.ColumnElement[bool]]:
    """The condition `articles.listed` takes for items published in [start, end)."""
    return [item.c.published_at >= start, item.c.published_at < end]


def in_day(day: dt.date) -> list[sa.ColumnElement[bool]]:
    return published_in(*day_bounds(day))


def days_with_items(conn: sa.Connection, year: int, month: int,
                    langs: tuple[str, ...] | None) -> set[int]:
    """The days of the month that have listed items."""
    days = range(1, calendar.monthrange(year, month)[1] + 1)
    probes = [sa.exists().where(*_listed(langs), *in_day(dt.date(year, month, d)))
              .label(f"d{d}") for d in days]
    row = conn.execute(sa.select(*probes)).one()
    return {d for d, found in zip(days, row, strict=True) if found}


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(LOCAL).date() if value is not None else None


def latest_day(conn: sa.Connection, langs: tuple[str, ...] | None) -> dt.date | None:
    """The day of the newest listed item (the archive's landing page)."""
    newest = conn.execute(sa.select(sa.func.max(item.c.published_at)).where(*_listed(langs)))
    return _local_date(newest.scalar())


def neighbour_months(conn: sa.Connection, year: int, month: int,
                     langs: tuple[str, ...] | None) -> tuple[dt.date | None, dt.date | None]:
    """The days of the nearest listed items before and after the month (its calendar's
    previous and next links skip empty months)."""
    start, end = month_bounds(year, month)
    before = conn.execute(sa.select(sa.func.max(item.c.published_at))
                          .where(*_listed(langs), item.c.published_at < start)).scalar()
    after = conn.execute(sa.select(sa.func.min(item.c.published_at))
                         .where(*_listed(langs), item.c.published_at >= end)).scalar()
    return _local_date(before), _local_date(after)

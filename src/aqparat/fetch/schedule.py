"""Which source is due next, and when it is due again.

Tiers follow govkz.md §6: hot sources (ministries, agencies, oblast and city akimats) every
30–60 min, warm ones (committees, departments, embassies) every 3–6 h, cold ones (district and
rural akimats) daily. A source starts in its type's tier; once we have seen it publish, its
observed rate decides, so a quiet ministry cools down and a busy district akimat warms up.
Pure functions: the store supplies the rows and rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Tier = Literal["hot", "warm", "cold"]
TIERS: tuple[Tier, ...] = ("hot", "warm", "cold")

TYPE_TIERS: Mapping[str, Tier] = {
    "ministry": "hot", "agency": "hot", "oblast_akimat": "hot", "city_akimat": "hot",
    "committee": "warm", "department": "warm", "embassy": "warm",
    "district_akimat": "cold",
}
# Items a day: ≥ 2 is a press office at work every day; < 0.25 is under two a week.
HOT_RATE = 2.0
WARM_RATE = 0.25


@dataclass(frozen=True, slots=True)
class ScheduleOptions:
    intervals: Mapping[Tier, dt.timedelta]
    breaker_cooldown: dt.timedelta = dt.timedelta(hours=1)
    breaker_failures: int = 5


@dataclass(frozen=True, slots=True)
class Due:
    """What the scheduler needs to know about one source."""

    source_id: int
    key: str
    next_fetch_at: dt.datetime | None


def tier_for(entity_type: str | None, rate_per_day: float | None) -> Tier:
    """The observed rate when there is one, else the entity type's tier (unknown: cold)."""
    if rate_per_day is None:
        return TYPE_TIERS.get(entity_type or "", "cold")
    if rate_per_day >= HOT_RATE:
        return "hot"
    return "warm" if rate_per_day >= WARM_RATE else "cold"


def next_fetch(now: dt.datetime, tier: Tier, options: ScheduleOptions, *, failures: int = 0,
               retry_after: float | None = None) -> dt.datetime:
    """When to poll again: the tier's interval, or the breaker's cool-down once it is open.

    The cool-down doubles for every failure past the threshold (capped at 32×), and a server's
    Retry-After is never cut short.
    """
    wait = options.intervals[tier]
    if 0 < options.breaker_failures <= failures:
        doublings = min(failures - options.breaker_failures, 5)
        wait = options.breaker_cooldown * 2**doublings
    if retry_after is not None:
        wait = max(wait, dt.timedelta(seconds=retry_after))
    return now + wait


def due(rows: Iterable[Due], now: dt.datetime) -> list[Due]:
    """Sources whose time has come, never-fetched first, then the longest overdue."""
    ready = [r for r in rows if r.next_fetch_at is None or r.next_fetch_at <= now]
    return sorted(ready, key=lambda r: (r.next_fetch_at is not None,
                                        r.next_fetch_at or now, r.key))


def seconds_until_next(rows: Iterable[Due], now: dt.datetime, most: float) -> float:
    """How long the crawl loop may sleep before something is due (at most `most`)."""
    times = [r.next_fetch_at for r in rows if r.next_fetch_at is not None]
    if not times:
        return most
    return max(0.0, min(most, (min(times) - now).total_seconds()))

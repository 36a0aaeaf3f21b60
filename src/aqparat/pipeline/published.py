"""Stage 3's check: a publication time the portal can stand behind, or a drop with a reason.

A source's date is data we did not write. One far in the past or the future would fail the
whole unit it came in (the search index keys items by publication second from 1931 to 2136,
store/fts/document.py; year 1 does not even survive conversion to UTC), and one in the
future would sit at the top of every newest-first list until that day came. So an item is
dropped, with its reason logged, when it is dated before 1931 or more than `ahead` past the
moment it is processed; an honest item dated ahead is collected on a later pass.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1931, 1, 2)  # a day inside the index's first year, whatever the zone
LATEST = dt.date(2136, 1, 1)


def problem(published: dt.datetime, now: dt.datetime, ahead: dt.timedelta) -> str | None:
    """Why `published` (aware) cannot be used, or None when it can."""
    day = published.date()  # the wall date: no zone conversion, which can overflow
    if day < EARLIEST:
        return f"published {day}: before {EARLIEST.year}, too early to be this portal's news"
    if day > LATEST or published > now + ahead:
        return f"published {day}: more than {ahead} after it was read"
    return None

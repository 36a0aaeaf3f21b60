"""How far one (entity, language) pass reads, and what its cursor says after each page.

Three kinds of pass (govkz.md §6):

* backfill     the first pass: every page, to the short last one;
* incremental  stops at a page holding no new item and only items older than the newest date
               seen minus the overlap window (dates are edited and backdated, §2.3);
* rescan       daily: re-reads the last `rescan_window` days so edits are caught by hash.

Pure functions on `Cursor` values: the caller saves the cursor in the page's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from aqparat.store.cursors import Cursor

BACKFILL, INCREMENTAL, RESCAN = "backfill", "incremental", "rescan"


@dataclass(frozen=True, slots=True)
class PassOptions:
    overlap: dt.timedelta = dt.timedelta(days=3)
    rescan_window: dt.timedelta = dt.timedelta(days=7)
    rescan_every: dt.timedelta = dt.timedelta(hours=24)
    max_pages: int = 500


def kind_for(cursor: Cursor, now: dt.datetime, options: PassOptions, *,
             rescan: bool = False) -> str:
    """An interrupted pass goes on; else backfill first, then a rescan when one is due."""
    if cursor.pass_kind:
        return cursor.pass_kind
    if cursor.last_complete_at is None:
        return BACKFILL
    last = cursor.last_rescan_at
    if rescan or last is None or now - last >= options.rescan_every:
        return RESCAN
    return INCREMENTAL


def begin(cursor: Cursor, kind: str, now: dt.datetime) -> Cursor:
    if cursor.pass_kind == kind:
        return cursor  # resuming: keep the checkpoint
    return cursor.replace(pass_kind=kind, pass_page=0, pass_started_at=now,
                          pass_high_water=None, pass_high_water_id=None)


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _higher(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def checkpoint(cursor: Cursor, page: int, published: Sequence[dt.datetime],
               ids: Sequence[int], now: dt.datetime) -> Cursor:
    """The cursor once `page` is stored. A date past `now` never raises the high-water mark:
    one mistyped future date would otherwise end every later incremental pass at page 1."""
    believable = [p for p in published if p <= now]
    return cursor.replace(
        pass_page=page,
        pass_high_water=_later(cursor.pass_high_water, max(believable, default=None)),
        pass_high_water_id=_higher(cursor.pass_high_water_id, max(ids, default=None)),
    )


def finish(cursor: Cursor, now: dt.datetime) -> Cursor:
    """The pass read everything it meant to: fold its high-water mark in, go idle."""
    full = cursor.pass_kind in (BACKFILL, RESCAN)
    return cursor.replace(
        high_water=_later(cursor.high_water, cursor.pass_high_water),
        high_water_id=_higher(cursor.high_water_id, cursor.pass_high_water_id),
        pass_kind=None, pass_page=0, pass_started_at=None, pass_high_water=None,
        pass_high_water_id=None, last_complete_at=now,
        last_rescan_at=now if full else cursor.last_rescan_at,
    )


def done_after(cursor: Cursor, published: Sequence[dt.datetime], new: int, now: dt.datetime,
               options: PassOptions) -> bool:
    """Whether the page just stored is the pass's last (short pages end every pass)."""
    if cursor.pass_kind == BACKFILL or not published:
        return False
    oldest = min(published)
    reference = min(cursor.high_water or now, now)
    if cursor.pass_kind == RESCAN:
        return oldest < reference - options.rescan_window
    return new == 0 and max(published) < reference - options.overlap

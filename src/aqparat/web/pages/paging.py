"""Paging a newest-first list (rubric, source, region, archive): numbered pages first, then
"older" links that carry a position, so every page of a list of millions costs what page 1
costs.

    /kk/rubric/news            page 1       OFFSET 0
    /kk/rubric/news?page=7     page 7       OFFSET 120 (numbers go to NUMBERED)
    /kk/rubric/news?before=1772611200000000.912345
                               the items published before that one: a keyset page

A keyset URL names a fixed point in the list, so it lists the same items tomorrow (a page
number's items shift with every new item): stable for readers, caches and crawlers, which reach
every item by following "older" links. `?page=N` stays answered up to MAX_PAGE, because links
to it exist; its OFFSET walks index entries only (store/articles.py, migration 0010).

Counts: a page counts its list exactly up to NUMBERED pages' worth (a few hundred index
entries); a longer list shows a count made once per LIST_COUNT_SECONDS per web process, itself
bounded at `listable` ("10 000+"): no page view walks a list of millions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from aqparat.store.articles import ItemSummary, Position
from aqparat.web import query
from aqparat.web.errors import BadParameter

NUMBERED = 10  # pages reached by number; the pager's links stop here
# Pages reached by number when someone links to them: OFFSET (page - 1) × size over index
# entries (20 items a page: 10,000 entries, a few milliseconds at 1 M items; bench/scale.py).
MAX_PAGE = 500
LIST_COUNT_SECONDS = 600.0
_COUNTS_KEPT = 4096

Fetch = Callable[[int, int, Position | None], list[ItemSummary]]  # limit, offset, before
Count = Callable[[int], int]  # up_to → count


@dataclass(frozen=True, slots=True)
class Window:
    """The slice of a list a request asks for: a numbered page, or the items after `before`."""

    page: int  # 0 on a keyset page
    before: Position | None
    size: int

    @property
    def offset(self) -> int:
        return 0 if self.before is not None else (self.page - 1) * self.size


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPException(400, f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def window(request: Request, size: int) -> Window:
    raw = request.query_params.get("before")
    if raw is None:
        return Window(page_number(request), None, size)
    if "page" in request.query_params:
        raise HTTPException(400, "page and before cannot be combined: follow one link")
    try:
        return Window(0, query.cursor(raw), size)
    except BadParameter:
        raise HTTPException(400, "before must be a position from an 'older' link") from None


def page_count(total: int, size: int) -> int:
    """Numbered pages a list of `total` items has: at least one, at most MAX_PAGE (the events
    page, whose lists are bounded, numbers every page)."""
    return min(MAX_PAGE, max(1, -(-total // size)))


def listable(size: int) -> int:
    """The most items a long list counts; it shows "N+" past it."""
    return MAX_PAGE * size


@dataclass(frozen=True, slots=True)
class Listing:
    items: list[ItemSummary]
    page: int  # 0 on a keyset page
    pages: int  # numbered pages the pager links (at most NUMBERED)
    total: int
    more: bool  # there are more than `total`
    older: str | None  # the `before` value of the "older" link; None: no link

    def page_url(self, base: str) -> Callable[[int], str]:
        return lambda n: base if n == 1 else f"{base}?page={n}"


class ListCounts:
    """Counts of long lists, kept LIST_COUNT_SECONDS per web process (app.state)."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[float, int]] = {}

    def get(self, key: Hashable, count: Callable[[], int]) -> int:
        now = time.monotonic()
        found = self._kept.get(key)
        if found is not None and found[0] > now:
            return found[1]
        if len(self._kept) >= _COUNTS_KEPT:
            self._kept.clear()
        value = count()
        self._kept[key] = (now + LIST_COUNT_SECONDS, value)
        return value


def list_counts(request: Request) -> ListCounts:
    state = request.app.state
    try:
        return state.list_counts  # type: ignore[no-any-return]
    except AttributeError:
        state.list_counts = ListCounts()
        return state.list_counts  # type: ignore[no-any-return]


def listing(request: Request, win: Window, key: Hashable, fetch: Fetch,
            count: Count) -> Listing:
    """One page of a list: `fetch(limit, offset, before)` its rows, `count(up_to)` its size;
    `key` names the list for the count kept between requests. 404 for a page past the end."""
    rows = fetch(win.size + 1, win.offset, win.before)
    items, has_older = rows[:win.size], len(rows) > win.size
    if not items and (win.page > 1 or win.before is not None):
        raise HTTPException(404)
    numbered = NUMBERED * win.size
    exact = count(numbered + 1)
    pages = max(1, -(-min(exact, numbered) // win.size))
    if exact <= numbered:
        total, more = exact, False
    else:
        counted = list_counts(request).get(key, lambda: count(listable(win.size) + 1))
        total, more = min(counted, listable(win.size)), counted > listable(win.size)
    # "Older" continues where the numbers stop: on the last numbered page and past it.
    older = None
    if has_older and (win.before is not None or win.page >= pages):
        last = items[-1]
        older = query.encode_cursor((last.published_at, last.id))
    return Listing(items, win.page, pages, total, more, older)

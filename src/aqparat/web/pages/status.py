"""`/{lang}/status`: every collected source (gov.kz entities, feeds, pages): last fetch, its
result, next fetch, failures.
A failed source is data: this page is where an operator (or a reader) sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import Lang
from aqparat.store import sources, web_sources
from aqparat.store.sources import FetchRecord, SourceState
from aqparat.text import dates
from aqparat.web.pages import edition_lang, engine, renderer
from aqparat.web.render import LOCAL_TZ


@dataclass(frozen=True, slots=True)
class StatusRow:
    state: SourceState
    last: FetchRecord | None
    last_fetch: str | None  # as the reader's language writes it
    next_fetch: str | None


def moment(value: dt.datetime | None, lang: Lang) -> str | None:
    if value is None:
        return None
    local = value.astimezone(LOCAL_TZ)
    return f"{dates.format_date(local.date(), lang)}, {dates.format_time(local, lang)}"


def status_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        collected = sources.states(conn) + web_sources.states(conn)  # gov.kz, feeds, pages
        states = [s for s in collected if s.enabled or s.status is not None]
        last = sources.last_fetches(conn, [s.row.id for s in states])
    rows = [StatusRow(s, last.get(s.row.id), moment(s.last_fetch_at, lang),
                      moment(s.next_fetch_at, lang)) for s in states]
    failing = sum(1 for r in rows if r.state.status in ("error", "suspended"))
    return renderer(request).page(request, "status.html", lang, rows=rows, failing=failing)

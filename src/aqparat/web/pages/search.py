"""`/{lang}/search?q=&rubric=&source=&language=&from=&to=&sort=&page=`: search, computed once
(`find`), rendered here as HTML and by `api.search_articles` and `feeds.search_feed`.

"Did you mean": a query typed in Latin letters is read back into Cyrillic
(`text/translit.py`); when the Latin query finds nothing and the Cyrillic one finds something,
its results are shown instead, and when both find something the Cyrillic one is offered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

import sqlalchemy as sa
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat import data
from aqparat.model import LANGS, Lang
from aqparat.store import search, sources
from aqparat.store.articles import ItemSummary
from aqparat.store.fts.query import MAX_CLAUSES, Query
from aqparat.text.translit import cyrillic_candidates, to_cyrillic
from aqparat.web import highlight, i18n, query
from aqparat.web.errors import BadParameter
from aqparat.web.pages import edition_lang, engine, renderer, settings
from aqparat.web.pages.paging import page_number
from aqparat.web.render import LOCAL_TZ
from aqparat.web.responses import cached
from aqparat.web.urls import FEED_FORMATS, FeedLink, site_url

# Code points HTML forbids in text (controls, surrogates, noncharacters): a query is shown back
# in the page, so they become spaces before anything else sees it.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}"
                                 for p in range(17)) + "]")
_LATIN = re.compile(r"[A-Za-z]")
MAX_READINGS = 4  # Cyrillic readings tried for a Latin query: each is one bounded search
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True, slots=True)
class Form:
    """What the reader asked for, checked; `params` re-creates it in a URL."""

    q: str
    filters: search.Filters
    sort: search.Sort
    params: tuple[tuple[str, str], ...]


def _sort(raw: str) -> search.Sort:
    for sort in search.SORTS:
        if raw == sort:
            return sort
    raise BadParameter("sort", f"must be one of {', '.join(search.SORTS)}")


def read_form(params: Mapping[str, str], *, lang: str = "language", since: str = "from",
              until: str = "to") -> Form:
    """The search a request asks for; the names of the language and date parameters differ
    between the page (language, from, to) and the API (lang, since, until)."""
    opt = query.optional
    filters = search.Filters(
        lang=opt(params, lang, lambda r: _language(r, lang)),
        rubric=opt(params, "rubric", query.slug),  # an unknown rubric finds nothing
        source_id=opt(params, "source", lambda r: query.identifier(r, "source")),
        since=opt(params, since, lambda r: query.moment(r, since)),
        until=opt(params, until, lambda r: query.moment(r, until, end=True)),
    )
    kept = tuple((k, params[k]) for k in ("q", lang, "rubric", "source", since, until, "sort")
                 if params.get(k))
    q = " ".join(_NOT_TEXT.sub(" ", params.get("q", "")).split())
    kept = tuple((k, q if k == "q" else v) for k, v in kept)
    return Form(q, filters, opt(params, "sort", _sort) or "relevance",
                kept)


def _language(raw: str, name: str) -> str:
    if raw not in LANGS:
        raise BadParameter(name, f"must be one of {', '.join(LANGS)}")
    return raw


@dataclass(frozen=True, slots=True)
class Found:
    results: search.Results
    searched: str  # the text searched: the reader's, or its Cyrillic reading
    corrected_from: str | None = None  # the reader's text, when its Cyrillic reading was used
    suggestion: str | None = None  # a Cyrillic reading worth offering


def cyrillic_readings(text: str, filters: search.Filters) -> list[str]:
    """Cyrillic readings of a query typed in Latin letters, the likeliest first: the
    transliterator's best guess, and for a single word its other readings (и or й, х or һ)."""
    if filters.lang in {"ru", "en"} or not _LATIN.search(text) or _CYRILLIC.search(text):
        return []
    readings = [to_cyrillic(text)]
    if len(text.split()) == 1:
        readings += cyrillic_candidates(text, limit=MAX_READINGS)
    return [r for r in dict.fromkeys(readings) if r != text][:MAX_READINGS]


def find(conn: sa.Connection, form: Form, *, offset: int, limit: int) -> Found:
    results = search.search(conn, form.q, form.filters, sort=form.sort, offset=offset,
                            limit=limit)
    if results.query.empty:
        return Found(results, form.q)
    for reading in cyrillic_readings(form.q, form.filters):
        if results.total:  # the reader's own words found something: only offer the reading
            other = search.search(conn, reading, form.filters, limit=1, sort="date")
            if other.total:
                return Found(results, form.q, suggestion=reading)
            continue
        retried = search.search(conn, reading, form.filters, sort=form.sort, offset=offset,
                                limit=limit)
        if retried.total:
            return Found(retried, reading, corrected_from=form.q)
    return Found(results, form.q)


# ── the HTML page ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Shown:
    item: ItemSummary
    title: Markup
    snippet: Markup


def shown(hit: search.Hit, q: Query) -> Shown:
    s, r = hit.record.summary, hit.record
    stems = q.stems(s.lang)
    text = r.body_text or s.lead
    return Shown(s, highlight.highlight(s.title, stems, s.lang),
                 highlight.snippet(text, stems, s.lang))


def _url(lang: Lang, params: tuple[tuple[str, str], ...], **changes: str) -> str:
    merged = dict(params) | changes
    return f"/{lang}/search?{urlencode({k: v for k, v in merged.items() if v})}"


def date_value(moment: dt.datetime | None, end: bool) -> str:
    """A date bound as a date input shows it (YYYY-MM-DD, Almaty); `end` bounds are
    exclusive, so the day shown is the one before."""
    if moment is None:
        return ""
    if end:
        moment -= dt.timedelta(microseconds=1)
    return moment.astimezone(LOCAL_TZ).date().isoformat()


def _feeds(lang: Lang, form: Form) -> list[FeedLink]:
    if not form.q:
        return []
    qs = urlencode([(k, v) for k, v in form.params if k != "sort"])
    return [FeedLink(fmt, f"/feeds/{lang}/search/{fmt}.xml?{qs}") for fmt in FEED_FORMATS]


def search_page(request: Request) -> Response:
    lang = edition_lang(request)
    form = read_form(request.query_params)
    page, size = page_number(request), settings(request).page_size
    with engine(request).connect() as conn:
        found = find(conn, form, offset=(page - 1) * size, limit=size) if form.q else None
        source = sources.get(conn, form.filters.source_id) if form.filters.source_id else None
    pages = max(1, -(-found.results.total // size)) if found else 1
    if page > pages:
        raise HTTPException(404)
    items = [shown(h, found.results.query) for h in found.results.hits] if found else []
    return renderer(request).page(
        request, "search.html", lang, form=form, found=found, items=items, page=page,
        pages=pages, source=source, rubrics=data.rubrics(), cap=search.CAP,
        page_url=lambda n: _url(lang, form.params, page=str(n) if n > 1 else ""),
        search_url=lambda **kw: _url(lang, form.params, **kw),
        search_feeds=_feeds(lang, form), date_value=date_value, max_words=MAX_CLAUSES,
        switch=lambda other: _url(other, form.params),  # type: ignore[arg-type]
    )


# ── the OpenSearch description: browsers offer "add this search engine" from it ─────────────

OPENSEARCH = "application/opensearchdescription+xml"


def opensearch(request: Request) -> Response:
    raw = request.query_params.get("lang") or "kk"
    lang = cast(Lang, _language(raw, "lang"))
    xml = renderer(request).env.get_template("opensearch.xml").render(
        lang=lang, site=site_url(request), _=i18n.Translator(lang))
    return cached(request, xml.encode(), f"{OPENSEARCH}; charset=utf-8", max_age=86_400)

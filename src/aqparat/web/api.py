"""`/api/v1/`: the read-only JSON API. `openapi.py` describes every shape built here.

Every answer is `{"data": …}` (lists add `next_cursor` and `next`), carries an ETag and
Cache-Control, and is 304 when the client's copy is current (`responses.cached`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat import licence
from aqparat.model import LANGS
from aqparat.store import articles, events, rubrics, search, sources, stories
from aqparat.store.articles import ItemRecord, ItemSummary
from aqparat.text import sanitize
from aqparat.web import query
from aqparat.web.errors import BadParameter
from aqparat.web.pages import engine
from aqparat.web.pages import search as search_page
from aqparat.web.render import iso
from aqparat.web.responses import send_json
from aqparat.web.urls import article_path, site_url, story_path

# Seconds a client or proxy may reuse an answer: lists change as items arrive, an item rarely,
# the rubric set and source names almost never.
LIST_MAX_AGE = 60
ITEM_MAX_AGE = 300
META_MAX_AGE = 3600

JsonObject = dict[str, Any]


def source_json(s: sources.SourceRow, site: str) -> JsonObject:
    return {
        "id": s.id, "kind": s.kind, "key": s.key, "slug": s.slug,
        "page": f"{site}/kk/source/{s.slug}",
        "name": {lang: s.names.get(lang) for lang in LANGS},
        "entity_type": s.entity_type, "region": s.region,
        "articles": f"{site}/api/v1/articles?source={s.id}",
    }


def article_json(r: ItemRecord, site: str) -> JsonObject:
    s = r.summary
    return {
        "id": s.id, "url": site + article_path(s.lang, s.id), "lang": s.lang,
        "original_lang": r.original_lang, "title": s.title, "lead": s.lead,
        # Sanitized again on the way out, as for the HTML page: clients may insert it as is.
        "body_html": sanitize.sanitize_html(r.body_html), "body_text": r.body_text,
        "published_at": iso(s.published_at), "date_only": s.date_only,
        "updated_at": iso(r.updated_at), "source_url": r.source_url, "image_url": r.image_url,
        "source": source_json(s.source, site), "rubrics": list(r.rubrics),
        "licence": licence.note(s.source.kind),
    }


def list_articles(request: Request) -> Response:
    f, limit = query.article_filter(request.query_params)
    with engine(request).connect() as conn:
        found = articles.records(conn, f, limit=limit + 1)  # one more says whether a next exists
    page, site = found[:limit], site_url(request)
    cursor = query.encode_cursor(page[-1].position) if len(found) > limit else None
    nxt = str(request.url.include_query_params(cursor=cursor)) if cursor else None
    body = {"data": [article_json(r, site) for r in page], "next_cursor": cursor, "next": nxt}
    return send_json(request, body, max_age=LIST_MAX_AGE)


def _offset(raw: str) -> int:
    return query.whole(raw, "offset", search.CAP, low=0)


def search_articles(request: Request) -> Response:
    """`/api/v1/search`: the search page's results (pages/search.py), as JSON."""
    params = request.query_params
    if not params.get("q"):
        raise BadParameter("q", "is required: the words to search for")
    form = search_page.read_form(params, lang="lang", since="since", until="until")
    limit = query.optional(params, "limit", query.limit) or query.DEFAULT_LIMIT
    offset = query.optional(params, "offset", _offset) or 0
    with engine(request).connect() as conn:
        found = search_page.find(conn, form, offset=offset, limit=limit)
    site, results = site_url(request), found.results
    more = offset + limit < results.total
    nxt = str(request.url.include_query_params(offset=offset + limit)) if more else None
    body = {
        "data": [{"article": article_json(h.record, site), "score": round(h.score, 6),
                  "in_title": h.in_title, "also": list(h.also)} for h in results.hits],
        "query": {"q": form.q, "searched": found.searched, "suggestion": found.suggestion},
        "total": results.total, "capped": results.capped, "next": nxt,
    }
    return send_json(request, body, max_age=LIST_MAX_AGE)


def get_article(request: Request) -> Response:
    item_id = request.path_params["id"]
    with engine(request).connect() as conn:
        found = articles.record(conn, item_id) if 1 <= item_id <= query.MAX_ID else None
    if found is None:
        raise HTTPException(404, f"no article {item_id}")
    return send_json(request, {"data": article_json(found, site_url(request))},
                     max_age=ITEM_MAX_AGE)


def list_rubrics(request: Request) -> Response:
    site = site_url(request)
    with engine(request).connect() as conn:
        rows = rubrics.all_rubrics(conn)
    data = [{"slug": r.slug, "position": r.position, "name": dict(r.names),
             "articles": f"{site}/api/v1/articles?rubric={r.slug}"} for r in rows]
    return send_json(request, {"data": data}, max_age=META_MAX_AGE)


def list_sources(request: Request) -> Response:
    site = site_url(request)
    with engine(request).connect() as conn:
        rows = sources.all_sources(conn)
    return send_json(request, {"data": [source_json(s, site) for s in rows]},
                     max_age=META_MAX_AGE)


# ── stories: every report of one event ──────────────────────────────────────────────────────


def report_json(r: ItemSummary, site: str, duplicate_of: int | None) -> JsonObject:
    return {
        "id": r.id, "url": site + article_path(r.lang, r.id),
        "article": f"{site}/api/v1/articles/{r.id}", "lang": r.lang, "title": r.title,
        "published_at": iso(r.published_at), "source": source_json(r.source, site),
        "duplicate_of": duplicate_of,
    }


def story_json(v: stories.StoryView, site: str) -> JsonObject:
    rep = v.representative
    return {
        "id": v.id, "url": site + story_path(rep.lang, v.id), "title": rep.title,
        "representative": rep.id, "first_at": iso(v.first_at), "last_at": iso(v.last_at),
        "sources": v.sources, "langs": list(v.langs),
        "reports": [report_json(r, site, v.duplicate_of.get(r.id)) for r in v.reports],
    }


def list_stories(request: Request) -> Response:
    """`/api/v1/stories`: stories most recently reported first, a page at a time."""
    params = request.query_params
    lang = query.optional(params, "lang", query.lang)
    limit = query.optional(params, "limit", query.limit) or query.DEFAULT_LIMIT
    after = query.optional(params, "cursor", query.cursor)
    with engine(request).connect() as conn:
        found = stories.recent(conn, lang=lang, after=after, limit=limit + 1)
    page, site = found[:limit], site_url(request)
    cursor = (query.encode_cursor((page[-1].last_at, page[-1].id))
              if len(found) > limit else None)
    nxt = str(request.url.include_query_params(cursor=cursor)) if cursor else None
    body = {"data": [story_json(v, site) for v in page], "next_cursor": cursor, "next": nxt}
    return send_json(request, body, max_age=LIST_MAX_AGE)


def get_story(request: Request) -> Response:
    story_id = request.path_params["id"]
    with engine(request).connect() as conn:
        found = stories.get(conn, story_id) if 1 <= story_id <= query.MAX_ID else None
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return send_json(request, {"data": story_json(found, site_url(request))},
                     max_age=ITEM_MAX_AGE)


# ── events: what items announce (pipeline/extraction.py) ────────────────────────────────────

EVENT_OFFSET_CAP = 10_000  # deep enough for years of announcements; keeps OFFSET scans bounded


def event_json(listed: events.Listed, site: str) -> JsonObject:
    e, s = listed.event, listed.item.summary
    return {
        "id": e.id, "starts_at": iso(e.starts_at),
        "ends_at": iso(e.ends_at) if e.ends_at else None, "all_day": e.all_day,
        "place": e.place, "city": e.city, "text": e.span_text,
        "article": {"id": s.id, "url": site + article_path(s.lang, s.id),
                    "api": f"{site}/api/v1/articles/{s.id}", "lang": s.lang, "title": s.title,
                    "published_at": iso(s.published_at), "source": source_json(s.source, site)},
    }


def list_events(request: Request) -> Response:
    """`/api/v1/events`: upcoming events soonest first (ongoing ones included), or past ones
    most recent first (`when=past`), a page at a time, as `/{lang}/events` lists them."""
    params = request.query_params
    lang = query.optional(params, "lang", query.lang)
    when = params.get("when") or "upcoming"
    if when not in ("upcoming", "past"):
        raise BadParameter("when", f"must be upcoming or past, not {when!r}")
    limit = query.optional(params, "limit", query.limit) or query.DEFAULT_LIMIT
    offset = query.optional(params, "offset", lambda raw: query.whole(
        raw, "offset", EVENT_OFFSET_CAP, low=0)) or 0
    read = events.upcoming if when == "upcoming" else events.past
    now = dt.datetime.now(dt.UTC)
    with engine(request).connect() as conn:
        found = read(conn, now, (lang,) if lang else None, limit=limit + 1, offset=offset)
    more = len(found) > limit and offset + limit <= EVENT_OFFSET_CAP
    nxt = str(request.url.include_query_params(offset=offset + limit)) if more else None
    site = site_url(request)
    body = {"data": [event_json(f, site) for f in found[:limit]], "next": nxt}
    return send_json(request, body, max_age=LIST_MAX_AGE)

"""The OpenAPI 3.1 description of everything under /api, as data.

Served at /api/openapi.json and rendered as the /api/docs page; a test checks that its paths
and the app's /api routes are the same set, and schemathesis checks the answers against it.
"""

from __future__ import annotations

from typing import Any

from aqparat.web import query

JsonSchema = dict[str, Any]

_INTRO = """\
A read-only JSON API to every item the portal publishes: articles (one language version of one
publication) with filters and cursor pagination, stories (every report of one event), the
rubrics, and the sources.

**Envelope.** Answers are `{"data": …}`; lists add `next_cursor` and `next`. Every error, here
and under /feeds/, is `{"error": {"status": 404, "code": "not_found", "message": "…"}}`.

**Pagination.** Articles come newest first. When there are more, `next_cursor` is set and
`next` is this request's URL with `cursor` added; follow it until `next` is null. Cursors are
keyset positions, so items arriving meanwhile never shift or repeat a page.

**Caching.** Every answer has an `ETag` and `Cache-Control`; send the ETag back in
`If-None-Match` and an unchanged answer is `304 Not Modified` with no body.

**CORS.** Any origin may GET. **Empty parameters** (`?rubric=`) count as absent.

**Licence.** Each article carries `licence`, a note on who holds the rights to its text, and
`source_url`, the original to cite."""

LANG = {"type": "string", "enum": ["kk", "ru", "en"]}
DATE_OR_TIME = {"anyOf": [{"type": "string", "format": "date"},
                          {"type": "string", "format": "date-time"}]}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _query(name: str, schema: JsonSchema, description: str) -> JsonSchema:
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "schema": schema, "description": description}


PARAMETERS: dict[str, JsonSchema] = {
    "lang": _query("lang", LANG, "Only items written in this language."),
    "rubric": _query("rubric", {"type": "string", "pattern": f"^{query.SLUG.pattern}$"},
                     "Only items in this rubric (a slug from /api/v1/rubrics)."),
    "source": _query("source", {"type": "integer", "minimum": 1, "maximum": query.MAX_ID},
                     "Only items from this source (an id from /api/v1/sources)."),
    "since": _query("since", DATE_OR_TIME,
                    "Only items published at or after this instant. A date alone means the "
                    "start of that day in Asia/Almaty."),
    "until": _query("until", DATE_OR_TIME,
                    "Only items published before this instant. A date alone means the end of "
                    "that day in Asia/Almaty, so since=D&until=D is the day D."),
    "limit": _query("limit", {"type": "integer", "minimum": 1, "maximum": query.MAX_LIMIT,
                              "default": query.DEFAULT_LIMIT}, "Items per page."),
    "cursor": _query("cursor", {"type": "string", "pattern": f"^{query.CURSOR.pattern}$"},
                     "Where the previous page stopped: its `next_cursor`."),
    "q": {"name": "q", "in": "query", "required": True, "schema": {"type": "string",
                                                                  "minLength": 1},
          "description": "Words to find, in any of their forms; \"a phrase\" in double quotes; "
                         "-word leaves out items with that word. Every other character is text."},
    "sort": _query("sort", {"type": "string", "enum": ["relevance", "date"],
                            "default": "relevance"},
                   "relevance: title matches first, then the most relevant, then the newest; "
                   "date: newest first."),
    "offset": _query("offset", {"type": "integer", "minimum": 0, "maximum": 1000, "default": 0},
                     "Results to skip (search ranks at most the newest 1,000 matches)."),
    "id": {"name": "id", "in": "path", "required": True, "description": "The article's id.",
           "schema": {"type": "integer", "minimum": 1, "maximum": query.MAX_ID}},
    "story_id": {"name": "id", "in": "path", "required": True, "description": "The story's id.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": query.MAX_ID}},
    "story_lang": _query("lang", LANG, "Only stories with a report in this language."),
    "event_lang": _query("lang", LANG, "Only events of articles written in this language."),
    "when": _query("when", {"type": "string", "enum": ["upcoming", "past"],
                            "default": "upcoming"},
                   "upcoming: not over yet, soonest first; past: over, most recent first."),
    "event_offset": _query("offset", {"type": "integer", "minimum": 0, "maximum": 10_000,
                                      "default": 0}, "Events to skip."),
    "docs_lang": _query("lang", LANG, "Language of the page's interface (default kk)."),
    "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False,
                      "schema": {"type": "string"},
                      "description": "An ETag from an earlier answer: 304 if still current."},
}

_NULLABLE_STRING = {"type": ["string", "null"]}


def _names(value: JsonSchema) -> JsonSchema:
    return {"type": "object", "required": ["kk", "ru", "en"], "additionalProperties": False,
            "properties": {"kk": value, "ru": value, "en": value}}


_URL = {"type": "string", "format": "uri"}
_TIME = {"type": "string", "format": "date-time"}


def _object(properties: dict[str, JsonSchema], description: str = "") -> JsonSchema:
    schema: JsonSchema = {"type": "object", "required": list(properties),
                          "additionalProperties": False, "properties": properties}
    return {**schema, "description": description} if description else schema


def _data(item: JsonSchema) -> JsonSchema:
    return _object({"data": item})


SCHEMAS: dict[str, JsonSchema] = {
    "Source": _object({
        "id": {"type": "integer"},
        "kind": {"type": "string", "description": "govkz, feed, page or dump"},
        "key": {"type": "string", "description": "gov.kz entity slug, feed URL or portal"},
        "slug": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
                 "description": "Its page /{lang}/source/{slug} and feeds "
                                "/feeds/{lang}/source/{slug}/rss.xml; unlike the key, never "
                                "changed by a move."},
        "page": {**_URL, "description": "Its page on this portal, in Kazakh."},
        "name": _names(_NULLABLE_STRING),
        "entity_type": _NULLABLE_STRING, "region": _NULLABLE_STRING,
        "articles": {**_URL, "description": "This source's articles in this API."},
    }, "A body items come from."),
    "Rubric": _object({
        "slug": {"type": "string"}, "position": {"type": "integer"},
        "name": _names({"type": "string"}),
        "articles": _URL,
    }, "A topic items are filed under."),
    "Article": _object({
        "id": {"type": "integer"},
        "url": {**_URL, "description": "The article's page on this portal."},
        "lang": LANG,
        "original_lang": {"type": ["string", "null"], "enum": ["kk", "ru", "en", None],
                          "description": "The language the source says the original is in."},
        "title": {"type": "string"}, "lead": {"type": "string"},
        "body_html": {"type": "string", "description": "Sanitized HTML, a <p> per paragraph."},
        "body_text": {"type": "string", "description": "Paragraphs separated by a blank line."},
        "published_at": _TIME,
        "date_only": {"type": "boolean", "description": "The source gave a date, not a time."},
        "updated_at": _TIME,
        "source_url": {"type": ["string", "null"], "description": "The original, to cite."},
        "image_url": {"type": ["string", "null"], "description": "The source's picture."},
        "source": _ref("schemas", "Source"),
        "rubrics": {"type": "array", "items": {"type": "string"}},
        "licence": {"type": "string", "description": "Who holds the rights to the text."},
    }, "One language version of one publication."),
    "ArticlePage": _object({
        "data": {"type": "array", "items": _ref("schemas", "Article")},
        "next_cursor": {"type": ["string", "null"]},
        "next": {"type": ["string", "null"], "format": "uri"},
    }),
    "ArticleOne": _data(_ref("schemas", "Article")),
    "SearchHit": _object({
        "article": _ref("schemas", "Article"),
        "score": {"type": "number", "description": "Relevance, higher is better (0 with "
                  "sort=date)."},
        "in_title": {"type": "boolean", "description": "Every word is in the title (computed "
                     "for sort=relevance; false with sort=date)."},
        "also": {"type": "array", "items": {"type": "integer"},
                 "description": "Other articles of the same story (ids)."},
    }, "One search result."),
    "SearchPage": _object({
        "data": {"type": "array", "items": _ref("schemas", "SearchHit")},
        "query": _object({
            "q": {"type": "string"},
            "searched": {"type": "string", "description": "What was searched: q, or its "
                         "Cyrillic reading when q, typed in Latin letters, found nothing."},
            "suggestion": {**_NULLABLE_STRING, "description": "A Cyrillic reading of q "
                           "that also finds results."},
        }),
        "total": {"type": "integer", "description": "Results among the ranked matches."},
        "capped": {"type": "boolean", "description": "More than 1,000 matches: the newest "
                   "1,000 were ranked; narrow with since/until or rubric."},
        "next": {"type": ["string", "null"], "format": "uri"},
    }),
    "Report": _object({
        "id": {"type": "integer"},
        "url": {**_URL, "description": "The report's page on this portal."},
        "article": {**_URL, "description": "The report in this API (/api/v1/articles/{id})."},
        "lang": LANG, "title": {"type": "string"}, "published_at": _TIME,
        "source": _ref("schemas", "Source"),
        "duplicate_of": {"type": ["integer", "null"], "description": "The report whose text "
                         "this one repeats (exactly or edited), if any."},
    }, "One report of a story: an article, with the source that published it."),
    "Story": _object({
        "id": {"type": "integer"},
        "url": {**_URL, "description": "The story's page on this portal."},
        "title": {"type": "string", "description": "Its representative's title."},
        "representative": {"type": "integer", "description": "The earliest report's id."},
        "first_at": _TIME, "last_at": _TIME,
        "sources": {"type": "integer", "description": "Distinct sources among its reports."},
        "langs": {"type": "array", "items": LANG},
        "reports": {"type": "array", "items": _ref("schemas", "Report"),
                    "description": "Every report, oldest first."},
    }, "Every report of one event: duplicates, re-posts, follow-ups and other languages."),
    "StoryPage": _object({
        "data": {"type": "array", "items": _ref("schemas", "Story")},
        "next_cursor": {"type": ["string", "null"]},
        "next": {"type": ["string", "null"], "format": "uri"},
    }),
    "StoryOne": _data(_ref("schemas", "Story")),
    "Event": _object({
        "id": {"type": "integer"},
        "starts_at": {**_TIME, "description": "Local midnight (Asia/Almaty) when all_day."},
        "ends_at": {"type": ["string", "null"], "format": "date-time"},
        "all_day": {"type": "boolean", "description": "The text gave a day, not a time."},
        "place": {**_NULLABLE_STRING, "description": "Where, as the text says it."},
        "city": {**_NULLABLE_STRING, "description": "A gazetteer key for the place's city."},
        "text": {"type": "string", "description": "The words that announce it."},
        "article": _object({
            "id": {"type": "integer"},
            "url": {**_URL, "description": "The article's page on this portal."},
            "api": {**_URL, "description": "The article in this API."},
            "lang": LANG, "title": {"type": "string"}, "published_at": _TIME,
            "source": _ref("schemas", "Source"),
        }, "The article that announces it."),
    }, "Something an article announces: a meeting, a deadline, a hearing."),
    "EventPage": _object({
        "data": {"type": "array", "items": _ref("schemas", "Event")},
        "next": {"type": ["string", "null"], "format": "uri"},
    }),
    "RubricList": _data({"type": "array", "items": _ref("schemas", "Rubric")}),
    "SourceList": _data({"type": "array", "items": _ref("schemas", "Source")}),
    "Error": _object({"error": _object({
        "status": {"type": "integer"},
        "code": {"type": "string",
                 "enum": ["bad_request", "not_found", "method_not_allowed", "server_error"]},
        "message": {"type": "string"},
    })}, "The one error envelope of /api and /feeds."),
}

HEADERS: dict[str, JsonSchema] = {
    "ETag": {"description": "A hash of the body; send it back in If-None-Match.",
             "required": True, "schema": {"type": "string"}},
    "Cache-Control": {"description": "How long the answer may be reused.", "required": True,
                      "schema": {"type": "string"}},
}
_CACHE_HEADERS = {name: _ref("headers", name) for name in HEADERS}


def _answer(description: str, media_type: str | None = None,
            schema: JsonSchema | None = None) -> JsonSchema:
    answer: JsonSchema = {"description": description, "headers": _CACHE_HEADERS}
    if media_type:
        answer["content"] = {media_type: {"schema": schema or {}}}
    return answer


RESPONSES: dict[str, JsonSchema] = {
    "NotModified": _answer("Not modified: the client's copy (If-None-Match) is current."),
    "BadRequest": _answer("A parameter is not valid; the message names it.", "application/json",
                          _ref("schemas", "Error")),
    "NotFound": _answer("No such resource.", "application/json", _ref("schemas", "Error")),
}


def _get(operation_id: str, summary: str, params: list[str], ok: JsonSchema,
         errors: tuple[str, ...] = ("BadRequest",)) -> JsonSchema:
    responses = {"200": ok, "304": _ref("responses", "NotModified")}
    responses |= {"400" if e == "BadRequest" else "404": _ref("responses", e) for e in errors}
    return {"get": {
        "operationId": operation_id, "summary": summary,
        "parameters": [_ref("parameters", p) for p in (*params, "If-None-Match")],
        "responses": responses,
    }}


def _json(schema: str, description: str) -> JsonSchema:
    return _answer(description, "application/json", _ref("schemas", schema))


PATHS: dict[str, JsonSchema] = {
    "/api/v1/articles": _get(
        "listArticles", "Articles, newest first, filtered, a page at a time",
        ["lang", "rubric", "source", "since", "until", "limit", "cursor"],
        _json("ArticlePage", "A page of articles.")),
    "/api/v1/search": _get(
        "searchArticles", "Articles matching words, ranked, a page at a time",
        ["q", "lang", "rubric", "source", "since", "until", "sort", "limit", "offset"],
        _json("SearchPage", "A page of search results.")),
    "/api/v1/articles/{id}": _get(
        "getArticle", "One article", ["id"], _json("ArticleOne", "The article."),
        ("NotFound",)),
    "/api/v1/stories": _get(
        "listStories", "Stories, most recently reported first, a page at a time",
        ["story_lang", "limit", "cursor"], _json("StoryPage", "A page of stories.")),
    "/api/v1/stories/{id}": _get(
        "getStory", "One story with every report", ["story_id"],
        _json("StoryOne", "The story."), ("NotFound",)),
    "/api/v1/events": _get(
        "listEvents", "Events articles announce, upcoming or past, a page at a time",
        ["event_lang", "when", "limit", "event_offset"], _json("EventPage", "A page of events.")),
    "/api/v1/rubrics": _get("listRubrics", "Every rubric, in the portal's order", [],
                            _json("RubricList", "The rubrics."), ()),
    "/api/v1/sources": _get("listSources", "Every source, by id", [],
                            _json("SourceList", "The sources."), ()),
    "/api/openapi.json": _get("getSchema", "This document", [],
                              _answer("The OpenAPI 3.1 schema.", "application/json",
                                      {"type": "object"}), ()),
    "/api/docs": _get("getDocs", "This API's reference as an HTML page", ["docs_lang"],
                      _answer("The reference page.", "text/html", {"type": "string"})),
}

SCHEMA: JsonSchema = {
    "openapi": "3.1.0",
    "info": {"title": "aqparat API", "version": "1.0.0", "description": _INTRO},
    "paths": PATHS,
    "components": {"parameters": PARAMETERS, "schemas": SCHEMAS, "headers": HEADERS,
                   "responses": RESPONSES},
}

"""`/api/docs`: the API reference, rendered on the server from the same OpenAPI document.

Why not Swagger UI or Redoc: both need a megabyte of vendored JavaScript, while the site works
without JavaScript and will get a strict CSP. Each listing operation gets an HTML form whose
fields are its query parameters, so "try it" is a plain GET the browser shows as JSON; empty
fields count as absent in the API for exactly this reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from aqparat.store import articles
from aqparat.store.articles import ItemFilter
from aqparat.web import query
from aqparat.web.openapi import SCHEMA
from aqparat.web.pages import engine, renderer
from aqparat.web.responses import cached, json_bytes

MAX_AGE = 300


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str
    type: str
    required: bool
    description: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    summary: str
    params: tuple[Param, ...]
    responses: tuple[tuple[str, str], ...]  # (status, description)
    form: bool  # only query parameters: a GET form can send it


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = SCHEMA["components"][kind][name]
    return node


def type_text(schema: dict[str, Any]) -> str:
    """A short human description of a parameter's schema."""
    if "anyOf" in schema:
        return " | ".join(type_text(s) for s in schema["anyOf"])
    text = schema.get("format") or schema.get("type", "")
    if "minimum" in schema:
        text += f" {schema['minimum']}–{schema['maximum']}"
    if "pattern" in schema:
        text += f" /{schema['pattern']}/"
    return str(text)


def _param(node: dict[str, Any]) -> Param:
    p = _resolve(node)
    schema = p["schema"]
    return Param(p["name"], p["in"], type_text(schema), p["required"], p["description"],
                 tuple(schema.get("enum", ())))


def _operation(path: str, op: dict[str, Any]) -> Operation:
    params = tuple(_param(p) for p in op["parameters"])
    responses = tuple((code, _resolve(r)["description"]) for code, r in op["responses"].items())
    form = any(p.location == "query" for p in params) and all(
        p.location != "path" for p in params)
    return Operation(path, op["summary"], params, responses, form)


@cache
def operations() -> tuple[Operation, ...]:
    return tuple(_operation(path, item["get"]) for path, item in SCHEMA["paths"].items())


def markdown(text: str) -> Markup:
    """The little Markdown the schema's description uses: paragraphs, **bold**, `code`."""
    paragraphs = []
    for block in text.split("\n\n"):
        html = str(escape(" ".join(block.split())))
        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
        paragraphs.append(re.sub(r"`(.+?)`", r"<code>\1</code>", html))
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S704  (escaped above)


@cache
def schema_bytes() -> bytes:
    return json_bytes(SCHEMA)


def openapi_json(request: Request) -> Response:
    return cached(request, schema_bytes(), "application/json", max_age=MAX_AGE)


def api_docs(request: Request) -> Response:
    lang = query.optional(request.query_params, "lang", query.lang) or "kk"
    with engine(request).connect() as conn:
        newest = articles.records(conn, ItemFilter(), limit=1)
    page = renderer(request).page(
        request, "api_docs.html", lang, switch=lambda other: f"/api/docs?lang={other}",
        operations=operations(), intro=markdown(SCHEMA["info"]["description"]),
        example_id=newest[0].summary.id if newest else 1,
    )
    return cached(request, bytes(page.body), "text/html; charset=utf-8", max_age=MAX_AGE)

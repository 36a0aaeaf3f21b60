"""`/admin/`: the operator's pages. Reading needs a session; changing needs a session, a
same-origin request and the session's CSRF token (forms.checked_form), every time.

Changes go through the store's own functions (hide and unhide keep search in step; editor
rubrics survive re-collection; enabling a source makes it due now) and are logged with the
operator's name: the audit trail is the log.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat import data
from aqparat.store import articles, item_rubrics, sources, web_sources
from aqparat.web.admin import forms
from aqparat.web.admin.forms import admin_lang, redirect
from aqparat.web.pages import engine, path_id

log = logging.getLogger(__name__)
KINDS = ("govkz", *web_sources.WEB_KINDS)


def _signed_in_or_login(request: Request) -> tuple[str, str] | Response:
    """(operator name, CSRF token), or the redirect to the login page."""
    found = forms.current(request)
    if found is None:
        return redirect("/admin/login", admin_lang(request))
    return found[1].name, found[0].csrf


def home(request: Request) -> Response:
    who = _signed_in_or_login(request)
    if isinstance(who, Response):
        return who
    with engine(request).connect() as conn:
        states = [s for kind in KINDS for s in sources.states(conn, kind)]
    return forms.page(request, "home.html", operator=who[0], csrf=who[1], sources=states)


def find_item(request: Request) -> Response:
    """The dashboard's "item number" box: `?id=N` → that item's page."""
    raw = request.query_params.get("id", "").strip()
    lang = admin_lang(request)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return redirect("/admin/", lang, done="no_item")
    return redirect(f"/admin/items/{int(raw)}", lang)


def item_page(request: Request) -> Response:
    who = _signed_in_or_login(request)
    if isinstance(who, Response):
        return who
    item_id = path_id(request, "item_id")
    with engine(request).connect() as conn:
        found = articles.for_operator(conn, item_id)
        labels = item_rubrics.labels(conn, item_id) if found else []
    if found is None:
        raise HTTPException(404, f"no item {item_id}")
    return forms.page(request, "item.html", operator=who[0], csrf=who[1], item=found,
                      labels={lbl.slug: lbl for lbl in labels}, rubrics=data.rubrics())


def _set_status(request: Request, item_id: int, hidden: bool) -> bool:
    with engine(request).begin() as conn:
        return articles.hide(conn, item_id) if hidden else articles.unhide(conn, item_id)


async def _status(request: Request, hidden: bool) -> Response:
    operator, _form = await forms.checked_form(request)
    item_id = path_id(request, "item_id")
    if not await run_in_threadpool(_set_status, request, item_id, hidden):
        raise HTTPException(404, f"no item {item_id}")
    log.info("admin: %s %s item %d", operator.name, "hid" if hidden else "showed", item_id)
    done = "hidden" if hidden else "shown"
    return redirect(f"/admin/items/{item_id}", admin_lang(request), done=done)


async def hide_item(request: Request) -> Response:
    return await _status(request, hidden=True)


async def unhide_item(request: Request) -> Response:
    return await _status(request, hidden=False)


def _set_rubrics(request: Request, item_id: int, slugs: list[str]) -> None:
    known = {r.slug for r in data.rubrics()}
    if not set(slugs) <= known:
        raise HTTPException(400, "rubric: unknown rubric")
    with engine(request).begin() as conn:
        if articles.for_operator(conn, item_id) is None:
            raise HTTPException(404, f"no item {item_id}")
        item_rubrics.set_by_editor(conn, item_id, slugs)


async def set_rubrics(request: Request) -> Response:
    operator, form = await forms.checked_form(request)
    item_id = path_id(request, "item_id")
    slugs = form.get("rubric", [])
    await run_in_threadpool(_set_rubrics, request, item_id, slugs)
    log.info("admin: %s set item %d's rubrics to %s", operator.name, item_id,
             ", ".join(slugs) or "news")
    return redirect(f"/admin/items/{item_id}", admin_lang(request), done="rubrics")


def _set_enabled(request: Request, source_id: int, enabled: bool) -> bool:
    with engine(request).begin() as conn:
        row = sources.get(conn, source_id)
        return row is not None and sources.set_enabled(conn, row.key, enabled, kind=row.kind)


async def _enabled(request: Request, enabled: bool) -> Response:
    operator, _form = await forms.checked_form(request)
    source_id = path_id(request, "source_id")
    if not await run_in_threadpool(_set_enabled, request, source_id, enabled):
        raise HTTPException(404, f"no source {source_id}")
    log.info("admin: %s %s source %d", operator.name, "enabled" if enabled else "disabled",
             source_id)
    return redirect("/admin/", admin_lang(request), done="enabled" if enabled else "disabled")


async def enable_source(request: Request) -> Response:
    return await _enabled(request, True)


async def disable_source(request: Request) -> Response:
    return await _enabled(request, False)


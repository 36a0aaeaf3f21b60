"""What every operator page shares: the operator behind a request, the page's language, forms.

Forms are `application/x-www-form-urlencoded` and parsed here from a body the edge has already
bounded (`max_body_bytes`), with a bounded number of fields: no multipart parser, no uploads.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from aqparat import operators
from aqparat.model import LANGS, Lang
from aqparat.operators import Operator
from aqparat.web.admin import session
from aqparat.web.admin.session import Session
from aqparat.web.pages import renderer, settings

FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 100  # the rubric form has one field per rubric (~20)
# What a redirect after a change may ask the next page to confirm (`admin_done_*` strings).
DONE = frozenset({"hidden", "shown", "rubrics", "enabled", "disabled", "no_item"})

Form = dict[str, list[str]]


def secret_key(request: Request) -> str:
    """The key sessions are signed with: the setting, else one made when this worker first
    needed it (`aqparat serve` hands its workers a shared one when the setting is empty)."""
    state = request.app.state
    if not getattr(state, "admin_secret", None):
        state.admin_secret = settings(request).secret_key or secrets.token_urlsafe(32)
    return str(state.admin_secret)


def accounts(request: Request) -> dict[str, Operator]:
    return operators.load(Path(settings(request).operators_file))


def current(request: Request) -> tuple[Session, Operator] | None:
    """The signed-in operator, if the session is valid and its password unchanged."""
    found = session.read(request, secret_key(request))
    if found is None:
        return None
    operator = accounts(request).get(found.name)
    if operator is None or operator.fingerprint != found.fingerprint:
        return None
    return found, operator


def admin_lang(request: Request) -> Lang:
    """`?lang=`, else the browser's first kk/ru/en preference, else kk."""
    asked = request.query_params.get("lang", "")
    if asked in LANGS:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        code = "kk" if code == "kz" else code
        if code in LANGS:
            return code
    return "kk"


def url(path: str, lang: str, **params: str) -> str:
    return f"{path}?{urlencode({'lang': lang, **{k: v for k, v in params.items() if v}})}"


def redirect(path: str, lang: Lang, **params: str) -> Response:
    """303 See Other, never cached: it may carry a session cookie."""
    return RedirectResponse(url(path, lang, **params), status_code=303,
                            headers={"Cache-Control": "no-store"})


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    lang = admin_lang(request)
    path = request.url.path
    response = renderer(request).page(
        request, f"admin/{template}", lang, status=status,
        switch=lambda other: url(path, other), admin_url=lambda p, **kw: url(p, lang, **kw),
        done=done if (done := request.query_params.get("done", "")) in DONE else "", **context)
    response.headers["Cache-Control"] = "no-store"  # operator pages are never cached
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


async def read_form(request: Request) -> Form:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM:
        raise HTTPException(415, f"send the form as {FORM}")
    body = await request.body()
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True,
                        max_num_fields=MAX_FIELDS, strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, "the form is not valid UTF-8 or has too many fields") from exc


def first(form: Form, name: str) -> str:
    return (form.get(name) or [""])[0]


async def checked_form(request: Request) -> tuple[Operator, Form]:
    """The operator and form of a state-changing request: signed in, same-origin, and holding
    the session's CSRF token; a 403 otherwise, before anything is read from the store."""
    found = current(request)
    if found is None:
        raise HTTPException(403, "sign in first: /admin/login")
    if not session.same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    form = await read_form(request)
    session.require_post(request, found[0].csrf, first(form, "csrf"))
    return found[1], form

"""`/admin/login` and `/admin/logout`.

Attempts are rate limited per client before they get here (web/ratelimit.py: `login`), a
wrong name costs the same argon2 work as a wrong password (operators.verify), and a failure
is one log line naming the client, which is what fail2ban-style tools read.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from aqparat import operators
from aqparat.web.admin import forms, session
from aqparat.web.admin.forms import admin_lang, first, redirect

log = logging.getLogger(__name__)
MAX_PASSWORD = 1024  # characters read: argon2's cost does not depend on it, the parse does


def login_form(request: Request, *, failed: bool = False) -> Response:
    if forms.current(request) is not None and not failed:
        return redirect("/admin/", admin_lang(request))
    token = session.login_token(request)
    response = forms.page(request, "login.html", status=401 if failed else 200, failed=failed,
                          csrf=token, operator=None)
    session.write_login_token(response, request, token)
    return response


async def login(request: Request) -> Response:
    form = await forms.read_form(request)
    session.require_post(request, request.cookies.get(session.LOGIN_COOKIE), first(form, "csrf"))
    name = first(form, "name").strip().lower()[:64]
    password = first(form, "password")[:MAX_PASSWORD]
    accounts = forms.accounts(request)
    found = await run_in_threadpool(operators.verify, accounts, name, password)
    client = request.client.host if request.client else "unknown"
    if found is None:
        log.warning("admin: failed login as %r from %s", name, client)
        return login_form(request, failed=True)
    log.info("admin: %s logged in from %s", found.name, client)
    response = redirect("/admin/", admin_lang(request))
    session.write(response, request, forms.secret_key(request), session.open_session(found))
    return response


async def logout(request: Request) -> Response:
    operator, _form = await forms.checked_form(request)
    log.info("admin: %s logged out", operator.name)
    response = redirect("/admin/login", admin_lang(request))
    session.clear(response, request)
    return response

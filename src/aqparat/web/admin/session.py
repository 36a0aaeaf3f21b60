"""Operator sessions and the checks every state-changing request passes.

A session is a signed cookie (itsdangerous, HMAC-SHA1 over the secret key, timestamped): the
operator's name, the fingerprint of their password hash and a CSRF token. Nothing is kept on
the server, so any number of web workers share sessions through the secret key alone; a
session ends when its time is up, at logout, or when its operator's password changes.

A POST is accepted only when (1) it is not cross-site — `Sec-Fetch-Site` says same-origin
when a browser sends it, and `Origin`, when sent, is this site's — and (2) its form carries
the session's CSRF token. The cookie is `HttpOnly`, `SameSite=Strict`, limited to `/admin`,
and `Secure` whenever the request came over TLS. The login form has its own token, in a
short-lived cookie of its own, so a login cannot be forged either (login CSRF).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.operators import Operator

COOKIE = "aqparat_admin"
LOGIN_COOKIE = "aqparat_login"
PATH = "/admin"
MAX_AGE = 12 * 3600  # a working day; then log in again
LOGIN_MAX_AGE = 3600  # the login form's token


@dataclass(frozen=True, slots=True)
class Session:
    name: str
    fingerprint: str  # of the password hash it was opened with
    csrf: str


def serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="aqparat.admin.session")


def open_session(operator: Operator) -> Session:
    return Session(operator.name, operator.fingerprint, secrets.token_urlsafe(32))


def read(request: Request, secret: str) -> Session | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data: Any = serializer(secret).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(v, str) for v in data)):
        return None
    return Session(*data)


def _cookie_options(request: Request, path: str) -> dict[str, Any]:
    return {"path": path, "httponly": True, "samesite": "strict",
            "secure": request.url.scheme == "https"}


def write(response: Response, request: Request, secret: str, session: Session) -> None:
    value = serializer(secret).dumps([session.name, session.fingerprint, session.csrf])
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, **_cookie_options(request, PATH))


def clear(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, **_cookie_options(request, PATH))


def login_token(request: Request) -> str:
    """The login form's token: the one in its cookie, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)


def write_login_token(response: Response, request: Request, token: str) -> None:
    response.set_cookie(LOGIN_COOKIE, token, max_age=LOGIN_MAX_AGE,
                        **_cookie_options(request, f"{PATH}/login"))


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def same_origin(request: Request) -> bool:
    """Not cross-site, as far as the browser tells us (both headers are set by browsers, not
    by page scripts). A client that sends neither still needs the CSRF token."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def require_post(request: Request, expected_token: str | None, given_token: str | None) -> None:
    """403 unless the request is same-origin and carries the expected token."""
    if not same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    if not same_token(expected_token, given_token):
        raise HTTPException(403, "missing or stale form token: reload the page and try again")

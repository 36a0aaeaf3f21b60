"""ONE error handler: a JSON envelope for /api and feeds, a page in the reader's language otherwise.

The envelope is `{"error": {"status": 404, "code": "not_found", "message": "…"}}`; `docs/api.md`
and the OpenAPI schema's `Error` describe it.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import LANGS, Lang
from aqparat.web import budget, i18n
from aqparat.web.render import Renderer
from aqparat.web.responses import JSON, cached, for_machines, json_bytes

log = logging.getLogger(__name__)

_KEYS = {400: "bad_request", 404: "not_found", 405: "not_found",
         # Refusals of hostile or excessive requests (docs/security.md).
         403: "forbidden", 413: "too_large", 414: "too_large", 429: "rate_limited",
         503: "unavailable"}
ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
               500: "server_error", 403: "forbidden", 413: "too_large", 414: "uri_too_long",
               429: "rate_limited", 503: "unavailable"}
_MESSAGES = {
    404: "no such resource: {path}",
    405: "{path} is read-only: use GET",
    500: "the server failed on {path}; the failure is logged, try again later",
    403: "{path}: not allowed",
    429: "too many requests from your address: wait the seconds Retry-After gives, then retry",
    503: "{path} took too long to answer; retry later, or narrow the request",
}
BUSY_RETRY = "5"  # seconds a reader waits after a request the query budget stopped


class BadParameter(HTTPException):
    """A parameter a reader's tool sent is not valid: 400, with a message naming it."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(400, f"{name}: {problem}")


def reader_lang(request: Request) -> Lang:
    first = request.url.path.strip("/").split("/", 1)[0]
    return first if first in LANGS else "kk"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _message(request: Request, status: int, exc: Exception) -> str:
    detail = exc.detail if isinstance(exc, HTTPException) else ""
    if detail and detail != _phrase(status):
        return detail  # said on purpose by the code that raised it
    return _MESSAGES.get(status, _phrase(status)).format(path=request.url.path)


def envelope(request: Request, status: int, exc: Exception) -> Response:
    code = ERROR_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    body = {"error": {"status": status, "code": code, "message": _message(request, status, exc)}}
    headers = exc.headers if isinstance(exc, HTTPException) and exc.headers else None
    return cached(request, json_bytes(body), JSON, max_age=0, status=status, headers=headers)


def _classify(request: Request, exc: Exception) -> Exception:
    """A statement the query budget stopped is a 503, logged as one line, not a traceback."""
    if budget.exceeded(exc):
        log.warning("web: %s %s stopped by the query budget", request.method, request.url.path)
        return HTTPException(503, headers={"Retry-After": BUSY_RETRY})
    return exc


async def handle_error(request: Request, exc: Exception) -> Response:
    exc = _classify(request, exc)
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 500:
        log.exception("web: %s %s failed", request.method, request.url.path, exc_info=exc)
    if for_machines(request.url.path):
        return envelope(request, status, exc)
    key = _KEYS.get(status, "server_error" if status >= 500 else "bad_request")
    lang = reader_lang(request)
    _ = i18n.Translator(lang)
    renderer: Renderer = request.app.state.renderer
    page = renderer.page(request, "error.html", lang, status=status,
                         title=_(f"{key}_title"), text=_(f"{key}_text"))
    if isinstance(exc, HTTPException) and exc.headers:
        page.headers.update(exc.headers)  # Retry-After on a 429 page as in the envelope
    return page

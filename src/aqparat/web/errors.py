"""ONE error handler: a page in the reader's language (JSON for /api once it exists)."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import LANGS, Lang
from aqparat.web import i18n
from aqparat.web.render import Renderer

log = logging.getLogger(__name__)

_KEYS = {400: "bad_request", 404: "not_found", 405: "not_found"}


def reader_lang(request: Request) -> Lang:
    first = request.url.path.strip("/").split("/", 1)[0]
    return first if first in LANGS else "kk"


async def handle_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 500:
        log.exception("web: %s %s failed", request.method, request.url.path, exc_info=exc)
    key = _KEYS.get(status, "server_error" if status >= 500 else "bad_request")
    lang = reader_lang(request)
    _ = i18n.Translator(lang)
    renderer: Renderer = request.app.state.renderer
    return renderer.page(request, "error.html", lang, status=status,
                         title=_(f"{key}_title"), text=_(f"{key}_text"))

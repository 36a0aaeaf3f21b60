"""The least an ASGI application under granian can do: answer every request with the bytes of
the file named by $FLOOR_BODY. bench/web.py serves it beside nginx and aqparat, so the gap
between nginx and aqparat splits into granian's share and the application's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BODY = Path(os.environ["FLOOR_BODY"]).read_bytes()
HEADERS = [(b"content-type", b"text/html; charset=utf-8"),
           (b"content-length", str(len(BODY)).encode())]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":  # lifespan: nothing to start
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})

"""The least an ASGI application under granian can do: answer every request with the bytes of
the file named by $FLOOR_BODY — or, when $FLOOR_GZIP names a file and the request accepts
gzip, with that file's bytes as `Content-Encoding: gzip`, as nginx's `gzip_static` does.
bench/web.py serves it beside nginx and aqparat, so the gap between nginx and aqparat splits
into granian's share and the application's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _answer(path: str, *coding: tuple[bytes, bytes]) -> tuple[list[tuple[bytes, bytes]], bytes]:
    body = Path(path).read_bytes()
    return [(b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()), *coding], body


PLAIN = _answer(os.environ["FLOOR_BODY"])
GZIP = (_answer(os.environ["FLOOR_GZIP"], (b"content-encoding", b"gzip"), (b"vary",
                                                                          b"Accept-Encoding"))
        if os.environ.get("FLOOR_GZIP") else None)


def _accepts_gzip(scope: dict[str, Any]) -> bool:
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":  # lifespan: nothing to start
        return
    headers, body = GZIP if GZIP is not None and _accepts_gzip(scope) else PLAIN
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})

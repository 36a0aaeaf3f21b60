"""A fake gov.kz on 127.0.0.1 that behaves as ../shared/research/govkz.md describes.

* ``POST /api/v1/public/_/c/k6`` sets a ticket cookie; the news listing answers
  ``400 {"message": "notAllowed"}`` without a valid one (§1.2).
* ``GET /api/v1/public/content-manager/news?projects=eq:<slug>&page=N&size=S&lang=L``
  answers a bare JSON array, newest first, 1-based pages, size ≤ 100, ETag/304 (§1.1);
  ``created_date=gte:`` answers 500 as the real one does.
* ``POST /graphql`` answers the ``news`` query as ``{"data": {"news": [...]}}`` with string
  ids (§1.4); it can be told to ignore ``_sort`` as ARDFM-SYNC saw.
* ``/memleket/entities/...`` is the SPA's empty shell, ``/uploads/...`` a tiny image.
* Faults on demand (`Fault`): any status with an HTML body and optional Retry-After,
  truncated JSON, a JSON object instead of an array, a 200 HTML page, a page that stalls or
  trickles forever, tickets expiring mid-crawl.

Run it alone to look at it: ``python -m aqparat.testing.fake_govkz --port 8765``; the control
endpoints ``GET /_fake/requests`` and ``POST /_fake/faults`` (a Fault as JSON) serve tests that
drive it from another process.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aqparat.testing import govkz_world
from aqparat.testing.govkz_world import World

TICKET_COOKIE = "gk_ticket"  # the real cookie's name is unknown (govkz.md §1.2)
LISTING = "/api/v1/public/content-manager/news"
SPA_SHELL = (b'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>gov.kz'
             b'</title></head><body><div id="root"></div><script src="/static/js/main.js">'
             b"</script></body></html>")
ERROR_PAGE = "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
# A 1×1 JPEG is enough for "the image URL answers".
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b"
    "0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ff"
    "c0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0b"
    "ffda0008010100003f00d2cf20ffd9")


@dataclass(slots=True)
class Fault:
    """What to do instead of answering well, for requests that match (None matches any).

    kind: status | truncated | object | html | stall | trickle | expire_ticket |
    string_ids. `times` counts the requests it applies to (-1: every one).
    """

    kind: str
    slug: str | None = None
    lang: str | None = None
    page: int | None = None
    api: str = "rest"  # rest | graphql | ticket
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 30.0  # how long a stall or trickle lasts at most

    def matches(self, api: str, slug: str | None, lang: str | None, page: int | None) -> bool:
        return (self.api == api and self.times != 0
                and self.slug in (None, slug) and self.lang in (None, lang)
                and self.page in (None, page))


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    fault: Fault | None = None


class FakeGovKz:
    """The fake's state: world, tickets, faults, a log of requests. Thread-safe."""

    def __init__(self, world: World, *, host: str = "127.0.0.1", port: int = 0,
                 graphql_sorts: bool = True, require_hash: bool = False,
                 hash_salt: str = "$2a$10$HxyKf0Cy3Ecnp874AXBXOe") -> None:
        self.world = world
        self.graphql_sorts = graphql_sorts
        self.require_hash, self.hash_salt = require_hash, hash_salt
        self.tickets: set[str] = set()
        self.faults: list[Fault] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGovKz:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # stalled answers give up at once
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join()

    def __enter__(self) -> FakeGovKz:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def add_fault(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def expire_tickets(self) -> None:
        with self.lock:
            self.tickets.clear()

    def seen(self, api: str, **match: object) -> list[dict[str, Any]]:
        """Logged requests to `api` whose fields equal `match`."""
        with self.lock:
            return [r for r in self.requests
                    if r["api"] == api and all(r.get(k) == v for k, v in match.items())]

    # ── answers ─────────────────────────────────────────────────────────────────────────

    def _take_fault(self, api: str, slug: str | None, lang: str | None,
                    page: int | None) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(api, slug, lang, page):
                    fault.times -= 1 if fault.times > 0 else 0
                    return fault
        return None

    def ticket(self) -> Answer:
        token = secrets.token_hex(16)
        with self.lock:
            self.tickets.add(token)
        cookie = f"{TICKET_COOKIE}={token}; Path=/; HttpOnly"
        return Answer(200, b'{"ok":true}', headers={"Set-Cookie": cookie})

    def listing(self, query: dict[str, str], cookies: dict[str, str],
                headers: dict[str, str]) -> Answer:
        slug = _project(query.get("projects", ""))
        lang = _lang(query.get("lang") or headers.get("accept-language", "ru"))
        page, size = _int(query.get("page"), 1), min(_int(query.get("size"), 10), 100)
        fault = self._take_fault("rest", slug, lang, page)
        if fault is not None and fault.kind == "expire_ticket":
            self.expire_tickets()
        if not self._allowed(cookies, headers):
            return Answer(400, b'{"status":400,"message":"notAllowed"}')
        if "gte:" in query.get("created_date", ""):
            return _html_error(500)
        return self._page(slug, lang, page, size, fault, graphql=False)

    def _allowed(self, cookies: dict[str, str], headers: dict[str, str]) -> bool:
        with self.lock:
            ticketed = cookies.get(TICKET_COOKIE) in self.tickets
        return ticketed and (not self.require_hash or _hash_ok(headers, self.hash_salt))

    def graphql(self, payload: object) -> Answer:
        query, variables = _graphql_request(payload)
        slug = _project(_arg(query, "projects") or "")
        lang = _lang(_arg(query, "_lang") or "ru")
        size = min(_int(_arg(query, "_size"), 10), 1000)
        page_arg = _arg(query, "_page") or "1"
        page = _int(str(variables.get("page")) if page_arg == "$page" else page_arg, 1)
        fault = self._take_fault("graphql", slug, lang, page)
        return self._page(slug, lang, page, size, fault, graphql=True)

    def _page(self, slug: str | None, lang: str, page: int, size: int, fault: Fault | None,
              *, graphql: bool) -> Answer:
        if fault is not None and fault.kind not in ("expire_ticket", "string_ids"):
            return _faulty(fault)
        news = self.world.listing(slug, lang) if slug else []
        if graphql and not self.graphql_sorts:
            news = news[::-1]
        chosen = news[(page - 1) * size: page * size] if page >= 1 else []
        strings = graphql or (fault is not None and fault.kind == "string_ids")
        items = [n.as_json(lang, id_as_string=strings) for n in chosen]
        body = json.dumps({"data": {"news": items}} if graphql else items,
                          ensure_ascii=False).encode()
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
        return Answer(200, body, headers={"ETag": etag})


def _faulty(fault: Fault) -> Answer:
    good = json.dumps([{"id": 1, "title": "x", "created_date": "2020-01-01T10:00:00Z"}] * 40)
    if fault.kind == "status":
        answer = _html_error(fault.status)
        if fault.retry_after is not None:
            answer.headers["Retry-After"] = fault.retry_after
        return answer
    if fault.kind == "truncated":
        return Answer(200, good.encode()[:257])
    if fault.kind == "object":
        return Answer(200, b'{"error":"unexpected","timestamp":"2026-11-29T10:00:00Z"}')
    if fault.kind == "html":
        return Answer(200, ERROR_PAGE.format(status="Service").encode(), "text/html")
    return Answer(200, good.encode(), fault=fault)  # stall / trickle: sent by the handler


def _html_error(status: int) -> Answer:
    return Answer(status, ERROR_PAGE.format(status=status).encode(), "text/html; charset=utf-8")


def _project(value: str) -> str | None:
    slug = value.split(":", 1)[1] if ":" in value else value
    return slug.lower() or None


def _lang(value: str) -> str:
    code = value.split(",")[0].split("-")[0].strip().lower()
    return "kk" if code == "kz" else code if code in govkz_world.LANGS else "ru"


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.lstrip("-").isdigit() else default


def _arg(query: str, name: str) -> str | None:
    match = re.search(rf"\b{re.escape(name)}\s*:\s*(\"(?:[^\"\\]|\\.)*\"|\$?\w+)", query)
    if match is None:
        return None
    value = match.group(1)
    return str(json.loads(value)) if value.startswith('"') else value


def _graphql_request(payload: object) -> tuple[str, dict[str, Any]]:
    if not isinstance(payload, dict):
        return "", {}
    variables = payload.get("variables")
    return str(payload.get("query", "")), variables if isinstance(variables, dict) else {}


def _hash_ok(headers: dict[str, str], salt: str) -> bool:
    import bcrypt

    token, digest = headers.get("token", ""), headers.get("hash", "")
    if not token or not digest.startswith(salt):
        return False
    return bool(bcrypt.checkpw(token.encode(), digest.encode()))


def _handler(fake: FakeGovKz) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real server; every answer sized

        def log_message(self, format: str, *args: Any) -> None:
            return  # the request log is `fake.requests`

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            api, answer = self._route(method, parts.path, query, body, headers)
            self._log(method, parts.path, api, query, headers, answer)
            self._send(answer)

        def _route(self, method: str, path: str, query: dict[str, str], body: bytes,
                   headers: dict[str, str]) -> tuple[str, Answer]:
            if path.startswith("/_fake/"):
                return "control", self._control(method, path, body)
            if method == "POST" and path.startswith("/api/v1/public/_/c/"):
                return "ticket", fake.ticket()
            if method == "GET" and path.rstrip("/") == LISTING:
                return "rest", self._conditional(fake.listing(query, self._cookies(), headers))
            if method == "POST" and path == "/graphql":
                return "graphql", fake.graphql(_json(body))
            if path.startswith("/uploads/"):
                return "upload", Answer(200, TINY_JPEG, "image/jpeg")
            if path.startswith("/memleket/"):
                return "spa", Answer(200, SPA_SHELL, "text/html; charset=utf-8")
            return "other", _html_error(404)

        def _conditional(self, answer: Answer) -> Answer:
            etag = answer.headers.get("ETag")
            if answer.status == 200 and etag and self.headers.get("If-None-Match") == etag:
                return Answer(304, b"", headers={"ETag": etag})
            return answer

        def _control(self, method: str, path: str, body: bytes) -> Answer:
            if path == "/_fake/requests":
                with fake.lock:
                    return Answer(200, json.dumps(fake.requests).encode())
            if path == "/_fake/faults" and method == "POST":
                fake.add_fault(Fault(**_json(body)))
                return Answer(200, b'{"ok":true}')
            if path == "/_fake/faults/clear" and method == "POST":
                fake.clear_faults()
                return Answer(200, b'{"ok":true}')
            return _html_error(404)

        def _cookies(self) -> dict[str, str]:
            jar = SimpleCookie(self.headers.get("Cookie", ""))
            return {k: m.value for k, m in jar.items()}

        def _log(self, method: str, path: str, api: str, query: dict[str, str],
                 headers: dict[str, str], answer: Answer) -> None:
            if api == "control":
                return
            entry = {"method": method, "path": path, "api": api, "status": answer.status,
                     "slug": _project(query.get("projects", "")), "lang": query.get("lang"),
                     "page": _int(query.get("page"), 0) or None, **{
                         k: headers.get(k) for k in ("user-agent", "referer", "origin",
                                                     "accept-language", "if-none-match",
                                                     "token", "hash")}}
            with fake.lock:
                fake.requests.append(entry)

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if answer.fault is not None:
                self._slowly(answer.body, answer.fault)
            elif answer.status != 304:
                self.wfile.write(answer.body)

        def _slowly(self, body: bytes, fault: Fault) -> None:
            """A page that never ends: half of it, then silence (stall) or a byte now and
            then (trickle), until the client gives up, the fake stops or `seconds` pass."""
            self.close_connection = True
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault.kind == "stall":
                fake.stopping.wait(fault.seconds)
                return
            for byte in _bytes(body[len(body) // 2:]):
                if fake.stopping.wait(min(0.2, fault.seconds)):
                    return
                try:
                    self.wfile.write(byte)
                    self.wfile.flush()
                except OSError:
                    return

    return Handler


def _bytes(data: bytes) -> Iterator[bytes]:
    for i in range(len(data)):
        yield data[i: i + 1]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except json.JSONDecodeError:
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fixture", type=Path, help="news JSONL (default: the committed one)")
    parser.add_argument("--full", action="store_true",
                        help="serve all 300 items of ../shared/fixtures/govkz-real")
    args = parser.parse_args(argv)
    path = govkz_world.FULL_FIXTURE if args.full else args.fixture
    world = govkz_world.build(govkz_world.load_items(path))
    fake = FakeGovKz(world, port=args.port)
    print(f"fake gov.kz on {fake.url}/ serving {len(world.news)} news ids of "
          f"{', '.join(world.slugs())}; try\n  curl -c /tmp/jar -X POST {fake.url}"
          f"/api/v1/public/_/c/k6\n  curl -b /tmp/jar '{fake.url}{LISTING}?projects=eq:"
          f"{world.slugs()[0]}&page=1&size=5&lang=ru'", flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.server.server_close()


if __name__ == "__main__":
    main()

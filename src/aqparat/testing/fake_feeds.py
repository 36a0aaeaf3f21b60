"""A fake web of feeds and pages on 127.0.0.1, with the faults real sites have.

Serves `tests/fixtures/feeds/*` under ``/feeds/`` (ETag and Last-Modified on every answer,
304 on a match) and the article pages of `tests/fixtures/pages` under ``/articles/<name>``,
plus:

* ``/feeds/cp1251.xml``     windows-1251 bytes sent as ``charset=utf-8``;
* ``/feeds/error.xml``      a 200 that is an nginx 503 page;
* ``/moved.xml``            301 → ``/feeds/rss20-full.xml``; ``/temporary.xml`` the same by 302;
  ``/chain.xml``            301 → ``/temporary.xml`` → 302 → the feed;
* ``/bomb.xml``             ~65 KB of gzip that inflates to 64 MiB (Content-Encoding: gzip);
* ``/huge.xml``             declares 50 MiB; ``/huge-stream.xml`` sends 50 MiB, undeclared;
* ``/site/``                a page announcing two feeds (autodiscovery); ``/news/`` an index
  page linking six articles among menus, tags and a pager.

`routes` maps a path to an `Answer` and can be changed while the server runs (a feed that
gains an item, a page that disappears). `python -m aqparat.testing.fake_feeds --port 8766`
serves it alone.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
FEEDS = REPO / "tests" / "fixtures" / "feeds"
PAGES = REPO / "tests" / "fixtures" / "pages"
LAST_MODIFIED = "Tue, 17 Mar 2026 10:00:00 GMT"
MIB = 1024 * 1024
HUGE = 50 * MIB
TYPES = {".xml": "application/rss+xml; charset=utf-8", ".rdf": "application/rdf+xml",
         ".html": "text/html; charset=utf-8"}


@dataclass(slots=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[Any], None] | None = None  # writes the body itself (huge, endless)
    validators: bool = True  # ETag and Last-Modified, and 304 on a match
    etag: bool = True  # False: Last-Modified alone, as many CMSs send (304 on its match)


@functools.cache
def gzip_bomb(inflated: int = 64 * MIB) -> bytes:
    """A gzip member of `inflated` zero bytes, built in 1 MiB steps (about 65 KB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as zipped:
        chunk = b"\0" * MIB
        for _ in range(inflated // MIB):
            zipped.write(chunk)
    return out.getvalue()


def _redirect(status: int, location: str) -> Answer:
    return Answer(status, b"", headers={"Location": location}, validators=False)


def _stream_huge(wfile: Any) -> None:
    chunk = b"<!-- " + b"x" * (MIB - 9) + b" -->\n"
    for _ in range(HUGE // MIB):
        wfile.write(chunk)


def default_routes() -> dict[str, Answer]:
    routes: dict[str, Answer] = {}
    for path in sorted(FEEDS.iterdir()):
        if path.suffix in TYPES:
            routes[f"/feeds/{path.name}"] = Answer(200, path.read_bytes(), TYPES[path.suffix])
    for path in sorted(PAGES.glob("*.html")):
        routes[f"/articles/{path.stem}"] = Answer(200, path.read_bytes())
    routes["/feeds/error.xml"] = Answer(200, (FEEDS / "error-page.html").read_bytes(),
                                        validators=False)
    routes["/site/"] = Answer(200, (FEEDS / "site.html").read_bytes())
    routes["/news/"] = Answer(200, (FEEDS / "index.html").read_bytes())
    routes["/moved.xml"] = _redirect(301, "/feeds/rss20-full.xml")
    routes["/temporary.xml"] = _redirect(302, "/feeds/rss20-full.xml")
    routes["/chain.xml"] = _redirect(301, "/temporary.xml")
    routes["/bomb.xml"] = Answer(200, gzip_bomb(), "application/rss+xml",
                                 {"Content-Encoding": "gzip"}, validators=False)
    routes["/huge.xml"] = Answer(200, b"", "application/rss+xml",
                                 {"Content-Length": str(HUGE)}, validators=False)
    routes["/huge-stream.xml"] = Answer(200, b"", "application/rss+xml",
                                        stream=_stream_huge, validators=False)
    return routes


class FakeFeeds:
    """The fake's state: routes and a log of (method, path, If-None-Match, status)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes = default_routes()
        self.requests: list[dict[str, str | int | None]] = []
        self.flaky: dict[str, int] = {}  # path → how many requests get a 503 first
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeFeeds:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join()

    def __enter__(self) -> FakeFeeds:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def answer(self, path: str, headers: dict[str, str]) -> Answer:
        with self.lock:
            found = self.routes.get(path)
            if self.flaky.get(path, 0) > 0:  # busy for this many more requests
                self.flaky[path] -= 1
                return Answer(503, b"busy", headers={"Retry-After": "3"}, validators=False)
        if found is None:
            return Answer(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                          validators=False)
        if not found.validators:
            return found
        etag = '"' + hashlib.sha1(found.body, usedforsecurity=False).hexdigest() + '"'
        validators = {"ETag": etag} if found.etag else {}
        tagged = Answer(found.status, found.body, found.content_type,
                        {**found.headers, **validators, "Last-Modified": LAST_MODIFIED})
        sent = headers.get("if-none-match") if found.etag else headers.get("if-modified-since")
        if sent == (etag if found.etag else LAST_MODIFIED):
            return Answer(304, b"", headers=tagged.headers, validators=False)
        return tagged

    def seen(self, path: str) -> list[dict[str, str | int | None]]:
        with self.lock:
            return [r for r in self.requests if r["path"] == path]


def _handler(fake: FakeFeeds) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # the request log is `fake.requests`

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = self.path.split("?", 1)[0]
            answer = fake.answer(path, headers)
            with fake.lock:
                fake.requests.append({"path": path, "status": answer.status,
                                      "if-none-match": headers.get("if-none-match"),
                                      "if-modified-since": headers.get("if-modified-since"),
                                      "user-agent": headers.get("user-agent")})
            try:
                self._send(answer)
            except OSError:  # the client gave up (size cap): nothing more to say
                self.close_connection = True

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            if answer.stream is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "Content-Length" not in answer.headers:
                self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if answer.stream is not None:
                answer.stream(self.wfile)
            elif "Content-Length" in answer.headers and not answer.body:
                self.close_connection = True  # a declared size we never send
            elif answer.status != 304:
                self.wfile.write(answer.body)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    fake = FakeFeeds(port=args.port)
    print(f"fake feeds on {fake.url}/: try {fake.url}/feeds/rss20-full.xml, {fake.url}/site/, "
          f"{fake.url}/news/", flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.server.server_close()


if __name__ == "__main__":
    main()

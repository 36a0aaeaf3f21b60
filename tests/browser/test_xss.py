"""The XSS corpus (fixtures/xss/payloads.jsonl, ≥150 payloads) through every input path
(tests/hostile_world.py) and search, rendered in Chromium on every page type, in the feeds
and in the JSON API: no payload may run, and none may leave an element or attribute that
could run later.

The browser ignores the Content-Security-Policy here (`bypass_csp`): the sanitizer and the
templates must stop everything on their own; CSP is the second wall, tested by
`test_pages_work_under_the_csp`. Feeds and JSON are read as their consumers read them: a feed
reader shows RSS `description` and `content:encoded` and Atom `content type="html"` as HTML,
titles as text; an API client inserts `body_html` as HTML. Each is rendered so.

An execution is a dialog (every payload calls alert, confirm or prompt) or an uncaught page
error; an injection is any event-handler, style or srcdoc attribute, any javascript:/data:/
vbscript: URL, any element outside what our templates write (scripts other than the JSON-LD
block, frames, SVG, MathML, styles, templates…), or any article-body element outside the
sanitizer's allow-list. The test writes test-output/xss-report.json with the counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page

from aqparat import operators
from aqparat.store import db
from aqparat.store.schema import item, source
from aqparat.testing.serving import free_port
from aqparat.text.sanitize import ALLOWED_TAGS
from hostile_world import Payload, fill
from hostile_world import payloads as hostile_payloads

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "test-output" / "xss-report.json"
OPERATOR, PASSWORD = "auditor", "correct horse battery staple"
DOM_CHECK = (Path(__file__).parent / "xss_dom_check.js").read_text(encoding="utf-8")
NS = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}


@dataclass
class Portal:
    base: str
    payloads: list[Payload]
    items: list[tuple[int, str, str]]  # id, lang, source kind
    source_keys: list[str]
    stories: list[int]  # the largest first


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"aqparat serve exited with {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"aqparat serve did not answer {url}")


def _stored(engine: sa.Engine) -> tuple[list[tuple[int, str, str]], list[str], list[int]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(item.c.id, item.c.lang, source.c.kind)
                            .join(source, source.c.id == item.c.source_id).order_by(item.c.id))
        keys = conn.execute(sa.select(source.c.key).where(source.c.id.in_(
            sa.select(item.c.source_id)))).scalars()
        stories = conn.execute(sa.text("SELECT id FROM story ORDER BY items DESC, id LIMIT 150")
                               ).scalars() if "story" in sa.inspect(conn).get_table_names() \
            else []
        return ([(int(i), str(lang), str(kind)) for i, lang, kind in rows], list(keys),
                [int(s) for s in stories])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    tmp = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{tmp / 'hostile.db'}"
    engine = db.open_store(url, migrate=True)
    found = fill(engine, tmp)
    items, keys, stories = _stored(engine)
    engine.dispose()
    operators.add(tmp / "operators.toml", OPERATOR, PASSWORD)
    port = free_port()
    env = {**os.environ, "AQPARAT_DATABASE_URL": url, "AQPARAT_LOG_LEVEL": "ERROR",
           "AQPARAT_PAGE_SIZE": "100", "AQPARAT_OPERATORS_FILE": str(tmp / "operators.toml"),
           # This test is one client making thousands of searches on purpose.
           "AQPARAT_SEARCH_PER_MINUTE": "1000000", "AQPARAT_API_PER_MINUTE": "1000000"}
    proc = subprocess.Popen([sys.executable, "-m", "aqparat", "serve", "--port", str(port)],
                            env=env, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz", proc)
        yield Portal(base, found, items, keys, stories)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Watch:
    """What went wrong on which page: dialogs, page errors, console errors, DOM findings."""

    page: Page
    where: str = ""
    loads: int = 0
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.problems.append(f"{self.where}: error {e}"))
        self.page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"{self.where}: EXECUTED {dialog.type}({dialog.message!r})")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        # A broken image (a payload's src=x) is a failed load, not code: only other errors.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{self.where}: console {message.text[:200]}")

    def visit(self, url: str, *, dom: bool = True) -> None:
        """Open `url`; `dom=False` for a feed or JSON opened directly, which Chromium shows in
        a text viewer of its own (a styled <pre>): only an execution counts there."""
        self.where, self.loads = url, self.loads + 1
        response = self.page.goto(url)
        if response is None or response.status >= 500:
            self.problems.append(f"{url}: answered {response.status if response else None}")
        if dom:
            self._inspect()

    def render(self, label: str, html: str) -> None:
        """Show a document as a feed reader or an API client would build it."""
        self.where, self.loads = label, self.loads + 1
        self.page.set_content(html)
        self._inspect()

    def _inspect(self) -> None:
        found = self.page.evaluate(DOM_CHECK, sorted(ALLOWED_TAGS))
        self.problems += [f"{self.where}: {f}" for f in found]


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(bypass_csp=True, java_script_enabled=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def module_watch(context: BrowserContext) -> Watch:
    return Watch(context.new_page())


@pytest.fixture
def watch(module_watch: Watch) -> Watch:
    module_watch.problems.clear()  # a failed test's findings stay in its own report
    return module_watch


RESULTS: dict[str, dict[str, Any]] = {}


def _record(name: str, watch: Watch, before: int) -> None:
    """Count this test's page loads and findings into test-output/xss-report.json."""
    RESULTS[name] = {"loads": watch.loads - before, "problems": list(watch.problems)}
    executed = sum("EXECUTED" in p for r in RESULTS.values() for p in r["problems"])
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"payloads": len(hostile_payloads()), "executed": executed,
                                  "tests": RESULTS}, indent=1, ensure_ascii=False),
                      encoding="utf-8")
    watch.problems.clear()


def _edition(n: int) -> str:
    return ("kk", "kk-Latn", "kk-Arab")[n % 3]


def test_article_pages(hostile: Portal, watch: Watch) -> None:
    """Every stored item's page, in turn in the Cyrillic, Latin and Arabic-script editions
    (the editions re-serialize the whole page: a mutation-XSS surface of their own)."""
    before = watch.loads
    for n, (item_id, _lang, _kind) in enumerate(hostile.items):
        watch.visit(f"{hostile.base}/{_edition(n)}/news/{item_id}")
    problems = list(watch.problems)
    _record("articles", watch, before)
    assert len(hostile.payloads) >= 150
    assert not problems, problems[:20]


def _listing_paths(hostile: Portal) -> list[str]:
    per_page, count = 100, len(hostile.items)
    paths = [f"/{e}/" for e in ("kk", "ru", "en", "kk-Latn", "kk-Arab")]
    paths += [f"/{lang}/rubric/news?page={p}" for lang in ("kk", "ru", "en")
              for p in range(1, 2 + count // per_page // 3)]
    paths += [f"/kk/source/{quote(k, safe='')}" for k in hostile.source_keys if "/" not in k]
    paths += [f"/{_edition(n)}/story/{story_id}" for n, story_id in enumerate(hostile.stories)]
    paths += ["/kk/status", "/kk-Arab/status", "/kk/events", "/kk-Latn/events", "/api/docs",
              "/kk/news/999999999", "/ru/no-such-page", "/kk/search?q=%D0%A5%D0%B0%D0%B1%D0%B0"]
    return paths


def test_listing_and_other_pages(hostile: Portal, watch: Watch) -> None:
    """Home pages, rubric pages (all of them: 100 titles and leads each), source, status,
    events, API docs and error pages."""
    before = watch.loads
    for path in _listing_paths(hostile):
        watch.visit(hostile.base + path)
    problems = list(watch.problems)
    _record("listings", watch, before)
    assert not problems, problems[:20]


def test_search_queries(hostile: Portal, watch: Watch) -> None:
    """Each payload as a search query (it is shown back in the form, the title and the
    "nothing found" line), and searches that list the payload items with highlighting."""
    before = watch.loads
    for n, p in enumerate(hostile.payloads):
        watch.visit(f"{hostile.base}/{_edition(n)}/search?q={quote(p.text)}")
    for words in ("Хабарлама", "Дамп хабары", "Арна хабары", "alert", "script onerror"):
        for page in (1, 2):
            watch.visit(f"{hostile.base}/kk/search?q={quote(words)}&page={page}")
    problems = list(watch.problems)
    _record("search", watch, before)
    assert not problems, problems[:20]


def _fetch(url: str) -> bytes | None:
    """The answer's body; None for a 404 (a story without items in the feed's language)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def _reader_view(xml: bytes) -> str:
    """A feed as a reader shows it: titles as text, HTML fields as HTML."""
    root = ET.fromstring(xml)  # noqa: S314 - our own feed, from loopback
    parts = []
    for entry in root.iter("item"):
        parts.append(f"<h2>{escape(entry.findtext('title') or '')}</h2>"
                     f"<div>{entry.findtext('description') or ''}</div>"
                     f"<div>{entry.findtext('content:encoded', namespaces=NS) or ''}</div>")
    for entry in root.iter(f"{{{NS['atom']}}}entry"):
        parts.append(f"<h2>{escape(entry.findtext('atom:title', namespaces=NS) or '')}</h2>"
                     f"<p>{escape(entry.findtext('atom:summary', namespaces=NS) or '')}</p>"
                     f"<div>{entry.findtext('atom:content', namespaces=NS) or ''}</div>")
    return "<!DOCTYPE html><html><head><meta charset=utf-8></head><body>" + "".join(parts)


def _fields(value: Any, key: str = "") -> Iterator[str]:
    """Every string of a JSON answer as a client shows it: `…_html` as HTML, the rest as
    text."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _fields(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _fields(v, key)
    elif isinstance(value, str):
        yield f"<div>{value}</div>" if key.endswith("_html") else f"<p>{escape(value)}</p>"


def _client_view(data: Any) -> str:
    return ("<!DOCTYPE html><html><head><meta charset=utf-8></head><body>"
            + "".join(_fields(data)))


def _feed_urls(hostile: Portal) -> list[str]:
    urls = [f"/feeds/{lang}/{fmt}.xml" for lang in ("kk", "ru", "en") for fmt in ("rss", "atom")]
    urls += [f"/feeds/kk/rubric/news/{fmt}.xml" for fmt in ("rss", "atom")]
    urls += [f"/feeds/{lang}/story/{story_id}/rss.xml" for story_id in hostile.stories[:10]
             for lang in ("kk", "ru")]
    urls += [f"/feeds/kk/search/rss.xml?q={quote(w)}" for w in ("Хабарлама", "Дамп", "Арна")]
    urls += [f"/feeds/kk/search/atom.xml?q={quote(p.text)}" for p in hostile.payloads]
    return urls


def test_feeds_as_readers_show_them(hostile: Portal, watch: Watch) -> None:
    before = watch.loads
    for url in _feed_urls(hostile):
        if (xml := _fetch(hostile.base + url)) is not None:
            watch.render(url, _reader_view(xml))
    watch.visit(f"{hostile.base}/feeds/kk/rss.xml", dom=False)  # opened directly: as text
    problems = list(watch.problems)
    _record("feeds", watch, before)
    assert not problems, problems[:20]


def test_json_as_clients_show_it(hostile: Portal, watch: Watch) -> None:
    before = watch.loads
    urls = [f"/api/v1/articles?limit=100&lang={lang}" for lang in ("kk", "ru", "en")]
    urls += [f"/api/v1/articles/{item_id}" for item_id, _, _ in hostile.items[::7]]
    urls += [f"/api/v1/search?q={quote(p.text)}" for p in hostile.payloads[::3]]
    urls += ["/api/v1/search?q=%D0%A5%D0%B0%D0%B1%D0%B0%D1%80%D0%BB%D0%B0%D0%BC%D0%B0&limit=100"]
    urls += ["/api/v1/stories?limit=100", "/api/v1/sources"]
    urls += [f"/api/v1/stories/{story_id}" for story_id in hostile.stories[:20]]
    for url in urls:
        body = _fetch(hostile.base + url)
        assert body is not None, url
        watch.render(url, _client_view(json.loads(body)))
    watch.visit(f"{hostile.base}/api/v1/sources", dom=False)  # opened directly: as text
    problems = list(watch.problems)
    _record("json", watch, before)
    assert not problems, problems[:20]


def test_operator_pages(hostile: Portal, watch: Watch) -> None:
    """An operator sees source names (the dashboard) and item titles (item pages)."""
    before = watch.loads
    page = watch.page
    page.goto(f"{hostile.base}/admin/login?lang=en")
    page.fill("#admin-name", OPERATOR)
    page.fill("#admin-password", PASSWORD)
    page.click(".admin-form button[type=submit]")
    page.wait_for_url(f"{hostile.base}/admin/?lang=en")
    watch.visit(f"{hostile.base}/admin/?lang=ru")
    for item_id, _, _ in hostile.items[::9]:
        watch.visit(f"{hostile.base}/admin/items/{item_id}?lang=kk")
    problems = list(watch.problems)
    _record("admin", watch, before)
    assert not problems, problems[:20]

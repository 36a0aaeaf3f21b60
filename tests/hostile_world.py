"""A store filled with the XSS corpus (fixtures/xss/payloads.jsonl) through every input path
the portal has, each run for real:

* a portal dump (`ingest.import_dumps`): payloads in titles and body lines;
* gov.kz through the fake gov.kz on loopback (`crawl.run.Crawler`): titles, HTML bodies,
  short descriptions, hero image URLs;
* a feed source (RSS 2.0) and an Atom one, and a page source (index page → article pages),
  through `crawl.web.WebCrawler` against a small static server on loopback: titles, content,
  summaries, links, article pages;
* source names: every web source is named with payloads, in each language.

Search queries are the browser test's own input (tests/browser/test_xss.py).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aqparat.crawl.passes import PassOptions
from aqparat.crawl.run import Crawler, CrawlOptions
from aqparat.crawl.web import WebCrawler, WebOptions
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.ingest import default_options, import_dumps
from aqparat.sourcefile import WebSourceDef
from aqparat.sources.govkz_api import GovKzApi, GovKzOptions
from aqparat.store import web_sources
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz

PAYLOADS_FILE = Path(__file__).resolve().parent / "fixtures" / "xss" / "payloads.jsonl"
# Enough ordinary Kazakh around each payload for the language detector and the classifier.
KK_TEXT = ("Астанада мемлекеттік бағдарлама бойынша кеңес өтті. Әкімдік өкілдері тұрғындардың "
           "сұрақтарына жауап берді және жаңа жобаларды таныстырды.")
RU_TEXT = ("В Астане прошло совещание по государственной программе. Представители акимата "
           "ответили на вопросы жителей и представили новые проекты.")
LIMITS = FetchLimits(user_agent="aqparat/test (+mailto:test@example.invalid)", rate=0,
                     timeout=5, deadline=10, retries=0)


@dataclass(frozen=True, slots=True)
class Payload:
    id: str
    family: str
    text: str

    @property
    def line(self) -> str:
        """The payload on one line (dump lines, titles)."""
        return " ".join(self.text.splitlines()) or self.text


def payloads() -> list[Payload]:
    rows = [json.loads(line) for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()]
    return [Payload(r["id"], r["family"], r["payload"]) for r in rows]


# ── dumps ───────────────────────────────────────────────────────────────────────────────────


def dump_text(found: list[Payload]) -> str:
    lines = ["Жаңалықтар", "Қосымша"]
    for n, p in enumerate(found):
        lines += [f"Дамп хабары {n}: {p.line}", f"{1 + n % 28:02d}.03.2026", KK_TEXT, p.line]
        if n % 2:
            lines[-1] += (f"Ақпарат көзі : https://www.gov.kz/memleket/entities/astana/press/"
                          f"news/details/{700000 + n}?lang=kk")
    return "\n".join(lines) + "\n"


def import_dump(engine: sa.Engine, found: list[Payload], tmp: Path) -> None:
    path = tmp / "hostile-dump.txt"
    path.write_text(dump_text(found), encoding="utf-8")
    [report] = import_dumps(engine, [path], portal="hostile.example")
    assert report.ok, report.error


# ── gov.kz ──────────────────────────────────────────────────────────────────────────────────


def govkz_items(found: list[Payload]) -> list[dict[str, object]]:
    return [{"id": 800000 + n, "title": f"Хабарлама {n}: {p.line}",
             "created_date": f"2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
             "body": f"<!DOCTYPE html><html><head></head><body><p>{RU_TEXT}</p>{p.text}"
                     f"<p>{RU_TEXT}</p></body></html>"} for n, p in enumerate(found)]


def crawl_govkz(engine: sa.Engine, found: list[Payload]) -> None:
    world = govkz_world.build(govkz_items(found))
    for n, (news_id, news) in enumerate(sorted(world.news.items())):
        p = found[n]
        if p.family == "url":
            news.heropic = p.line  # a hero image URL of the source's choosing
        if n % 5 == 0:
            for lang in news.texts:
                world.edit(news_id, lang, body=None, short_description=p.text)
    with FakeGovKz(world) as fake, FetchClient(LIMITS) as client:
        # Russian only: every news id has its Russian text (a kk or en version may be missing
        # or the Russian fallback), and one version per id keeps the browser test short.
        api = GovKzApi(client, GovKzOptions(base_url=fake.url, page_size=100, langs=("ru",)))
        schedule = ScheduleOptions(intervals={t: dt.timedelta(hours=1)
                                              for t in ("hot", "warm", "cold")})
        crawler = Crawler(engine, api, CrawlOptions(PassOptions(), schedule, default_options()))
        reports = crawler.run_once(govkz_world.ENTITIES, force=True)
    assert all(r.langs_ok for r in reports), [r.errors for r in reports]


# ── feeds and pages, served from loopback ───────────────────────────────────────────────────


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(found: list[Payload], base: str) -> str:
    """The even-numbered payloads as RSS 2.0 items (the odd ones go to the Atom feed)."""
    items = "".join(
        f"<item><title>{html.escape(f'Арна хабары {n}: {p.line}')}</title>"
        f"<link>{base}/articles/{n}.html</link><guid>rss-{n}</guid>"
        f"<pubDate>Tue, {1 + n % 28:02d} Mar 2026 10:00:00 +0500</pubDate>"
        f"<description>{html.escape(p.text)}</description>"
        f"<content:encoded>{_cdata(f'<p>{KK_TEXT}</p>{p.text}<p>{KK_TEXT}</p>')}"
        f"</content:encoded></item>" for n, p in enumerate(found) if n % 2 == 0)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content='
            f'"http://purl.org/rss/1.0/modules/content/"><channel><title>{html.escape(found[0].line)}'
            f"</title><link>{base}/</link><language>kk</language>{items}</channel></rss>")


def atom(found: list[Payload], base: str) -> str:
    entries = "".join(
        f'<entry><title type="html">{html.escape(f"Атом хабары {n}: {p.line}")}</title>'
        f'<id>urn:x-hostile:{n}</id><link rel="alternate" href="{base}/articles/{n}.html"/>'
        f"<updated>2026-03-{1 + n % 28:02d}T10:00:00+05:00</updated>"
        f'<content type="html">{html.escape(f"<p>{KK_TEXT}</p>{p.text}<p>{KK_TEXT}</p>")}'
        f"</content></entry>" for n, p in enumerate(found) if n % 2)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:lang="kk"><title>Атом</title><id>urn:x-hostile</id>'
            f"<updated>2026-03-28T10:00:00+05:00</updated>{entries}</feed>")


def index_page(found: list[Payload]) -> str:
    links = "".join(f'<li><a href="/articles/{n}.html">{n}</a></li>' for n in range(len(found)))
    return f'<!DOCTYPE html><html lang="kk"><body><ul>{links}</ul></body></html>'


def article_page(n: int, p: Payload) -> str:
    return (f'<!DOCTYPE html><html lang="kk"><head><title>Бет {n}</title>'
            f'<meta property="article:published_time" content="2026-03-{1 + n % 28:02d}'
            f'T09:00:00+05:00"></head><body><nav><a href="/">Басты бет</a></nav><article>'
            f"<h1>Бет хабары {n}: {html.escape(p.line)}</h1><p>{KK_TEXT}</p><p>{KK_TEXT} "
            f"{p.text}</p><p>{KK_TEXT}</p></article><footer>©</footer></body></html>")


@dataclass
class Site:
    """What the loopback web server answers, by path."""

    payloads: list[Payload]
    base: str = ""
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)

    def build(self) -> None:
        self.documents = {"/feed.xml": ("application/rss+xml", rss(self.payloads, self.base)),
                          "/atom.xml": ("application/atom+xml", atom(self.payloads, self.base)),
                          "/index.html": ("text/html", index_page(self.payloads))}
        for n, p in enumerate(self.payloads):
            self.documents[f"/articles/{n}.html"] = ("text/html", article_page(n, p))


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            found = site.documents.get(self.path.split("?")[0])
            kind, text = found or ("text/plain", "not found")
            body = text.encode("utf-8")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    site.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site.base
    finally:
        server.shutdown()
        server.server_close()


def web_defs(found: list[Payload], base: str) -> list[WebSourceDef]:
    def names(offset: int) -> dict[Any, str]:
        return {lang: found[(offset + i) % len(found)].line for i, lang in
                enumerate(("kk", "ru", "en"))}

    return [WebSourceDef("feed", f"{base}/feed.xml", names(0)),
            WebSourceDef("feed", f"{base}/atom.xml", names(3)),
            WebSourceDef("page", f"{base}/index.html", names(6),
                         pattern=re.compile(r"/articles/\d+\.html$"))]


def crawl_web(engine: sa.Engine, found: list[Payload]) -> None:
    with serve(Site(found)) as base, FetchClient(LIMITS) as client:
        defs = web_defs(found, base)
        with engine.begin() as conn:
            for d in defs:
                web_sources.add(conn, d, origin="config")
        schedule = ScheduleOptions(intervals={t: dt.timedelta(hours=1)
                                              for t in ("hot", "warm", "cold")})
        web = WebCrawler(engine, client, CrawlOptions(PassOptions(), schedule,
                                                      default_options()),
                         WebOptions(max_articles=10_000, defs={d.url: d for d in defs}))
        reports = web.run_once(force=True)
    assert all(not r.errors for r in reports), [r.errors for r in reports]


def fill(engine: sa.Engine, tmp: Path) -> list[Payload]:
    """Every input path, each fed the whole corpus; returns the corpus."""
    found = payloads()
    import_dump(engine, found, tmp)
    crawl_govkz(engine, found)
    crawl_web(engine, found)
    return found

"""Fuzz targets: each feeds one input to one parser and lets only our own typed errors out.

The same functions are driven by hypothesis (test_fuzz_*.py, with structured strategies and
a time budget per profile) and by atheris (atheris_run.py, coverage-guided, on raw bytes).
A target returns normally or raises `Expected` when the parser refused the input the way it
should: an `AqparatError` (ParseError, SourceError…) or a 400 `BadParameter`. Anything else
escaping a target is a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from aqparat.errors import AqparatError
from aqparat.model import LANGS, RawItem
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.sources import dumps, feeds, govkz, opml, pages
from aqparat.store.fts import query as fts_query
from aqparat.text import dates, sanitize
from aqparat.web import query
from aqparat.web.errors import BadParameter
from aqparat.web.pages.search import read_form

ALMATY = ZoneInfo("Asia/Almaty")
CTX = govkz.ItemContext("mfa", "ru", "https://www.gov.kz", ALMATY, "mfa (ru page 1)")
NOW = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
PIPELINE = PipelineOptions(rubric_aliases={}, clock=lambda: NOW)
Expected = (AqparatError, BadParameter)


def text_of(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape").encode("utf-8", "replace").decode()


def run_pipeline(raw: RawItem | None) -> None:
    """A parser's item must also survive the pipeline: it is what the store receives."""
    if raw is not None:
        outcome = process(raw, PIPELINE)
        assert outcome.article is not None or outcome.reason


def dump_text(text: str) -> None:
    for raw in dumps.parse_dump(text, name="fuzz.txt", portal="fuzz.example"):
        assert raw.title
        assert raw.source_url is None or raw.source_url.startswith("http")


def dump(data: bytes) -> None:
    dump_text(text_of(data))


def govkz_object(obj: object) -> None:
    try:
        raw = govkz.to_raw_item(obj, CTX, 1)
    except AqparatError:
        return
    assert raw.image_url is None or raw.image_url.startswith(("https://", "http://"))
    run_pipeline(raw)


def govkz_listing(data: bytes) -> None:
    for n, obj in enumerate(govkz.listing_items(data, "fuzz")):
        try:
            govkz.to_raw_item(obj, CTX, n)
        except AqparatError:
            continue
    govkz.newest_first(govkz.listing_items(data, "fuzz"))


def feed(data: bytes) -> None:
    parsed = feeds.parse_feed(data, "https://feed.example/rss.xml")
    for entry in parsed.entries[:20]:
        raw = feeds.to_raw_item(parsed, entry, "https://feed.example/rss.xml")
        assert raw is None or raw.external_id
        run_pipeline(raw)


def page(data: bytes) -> None:
    article = pages.extract_article(data, "https://site.example/news/1")
    run_pipeline(pages.to_raw_item(article, "https://site.example/news"))


def opml_document(data: bytes) -> None:
    for found in opml.read(data, "fuzz.opml"):
        assert found.url.startswith(("http://", "https://"))


def date_text(data: bytes) -> None:
    text = text_of(data)
    anchor = dt.date(2026, 3, 17)
    for lang in LANGS:
        dates.find_dates(text[:2000], lang, anchor)
        dates.parse_date(text[:200], lang, anchor)
        for found in dates.find_dates(text[:300], lang, anchor):
            assert found.start < found.end
            _ = (found.starts_at, found.ends_at)  # the aware times the events stage reads
        with contextlib.suppress(ValueError):  # parse_number's documented refusal
            dates.parse_number(text[:100], lang)
    with contextlib.suppress(ValueError):  # parse_dmy's documented refusal
        dates.parse_dmy(text[:40])
    with contextlib.suppress(ValueError):  # the adapter turns it into a ParseError
        govkz.parse_created(text[:60], ALMATY)


def query_params(params: dict[str, str]) -> None:
    query.article_filter(params)
    form = read_form(params)
    fts_query.parse(form.q, LANGS)
    for name, parse in (("since", query.moment), ("until", query.moment)):
        if params.get(name):
            parse(params[name], name)
    if params.get("cursor"):
        query.cursor(params["cursor"])


def query_string(data: bytes) -> None:
    text = text_of(data)
    query_params(dict(zip(("q", "since", "until", "cursor", "limit", "source", "rubric",
                           "lang", "sort"), text.split("&"), strict=False)))


class _Markup(HTMLParser):
    """Every tag and attribute of sanitized HTML that the allow-list does not grant."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in sanitize.ALLOWED_TAGS:
            self.outside.append(f"<{tag}>")
        for name, value in attrs:
            granted = sanitize.ALLOWED_ATTRIBUTES.get(tag, set()) | sanitize.ALLOWED_ATTRIBUTES["*"]
            if name not in granted | {"rel"}:
                self.outside.append(f"<{tag} {name}>")
            elif name in ("href", "src") and scheme_of(value or "") not in (
                    None, *sanitize.URL_SCHEMES):
                self.outside.append(f"<{tag} {name}={(value or '')[:40]}>")


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def scheme_of(url: str) -> str | None:
    """The scheme a browser reads in `url` (WHATWG URL: C0 controls and spaces trimmed at the
    ends, tabs and newlines removed anywhere); None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    found = _SCHEME.match(cleaned)
    return found[1].lower() if found else None


def outside_allow_list(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.outside


def sanitized(data: bytes) -> None:
    html = text_of(data)
    for out in (sanitize.sanitize_html(html), sanitize.clean_html(html, "https://x.example/")):
        assert outside_allow_list(out) == [], (html, out)
    for block in sanitize.html_blocks(html, "https://x.example/"):
        assert outside_allow_list(block.html) == [], (html, block.html)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "dump": dump, "govkz": govkz_listing, "feed": feed, "page": page, "opml": opml_document,
    "dates": date_text, "query": query_string, "sanitize": sanitized,
}


def govkz_json(data: bytes) -> None:
    """Raw bytes as a gov.kz item object (atheris): JSON first, then the adapter."""
    try:
        obj = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    govkz_object(obj)


TARGETS["govkz_item"] = govkz_json

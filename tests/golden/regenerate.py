"""Golden files of the feed and page adapters: saved input → the complete expected JSON.

    .venv/bin/python tests/golden/regenerate.py     # rewrite tests/golden/expected/*.json

Inputs are the saved fixtures (tests/fixtures/feeds, tests/fixtures/pages), read as if served
from fixed URLs. Regenerate after a deliberate adapter change and read the diff: every
changed line is a behaviour change someone should have meant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from aqparat.errors import ParseError
from aqparat.sources import feeds, links, pages

REPO = Path(__file__).resolve().parents[2]
FEEDS = REPO / "tests" / "fixtures" / "feeds"
PAGES = REPO / "tests" / "fixtures" / "pages"
EXPECTED = Path(__file__).resolve().parent / "expected"
BASE = "https://feeds.example.kz"
CONTENT_TYPE = "application/rss+xml; charset=utf-8"  # what the fake sends (cp1251 too)
ARTICLE = re.compile(r"/articles/[a-z0-9-]+$")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def feed_case(path: Path) -> dict[str, Any]:
    url = f"{BASE}/feeds/{path.name}"
    try:
        feed = feeds.parse_feed(path.read_bytes(), url, CONTENT_TYPE)
    except ParseError as exc:
        return {"error": str(exc)}
    items = [feeds.to_raw_item(feed, entry, url) for entry in feed.entries]
    return {"feed": _plain(dataclasses.replace(feed, entries=())),
            "entries": _plain(list(feed.entries)), "raw_items": _plain(items)}


def page_case(path: Path) -> dict[str, Any]:
    url = f"{BASE}/articles/{path.stem}"
    article = pages.extract_article(path.read_bytes(), url, "text/html; charset=utf-8")
    return {"article": _plain(article), "raw_item": _plain(pages.to_raw_item(article, BASE))}


def html_case(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    url = f"{BASE}/{path.stem}/"
    return {"feed_links": _plain(links.feed_links(text, url)),
            "article_links": links.matching_links(text, url, ARTICLE)}


def cases() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(FEEDS.iterdir()):
        if path.suffix in (".xml", ".rdf"):
            found[f"feed-{path.name}"] = feed_case(path)
        elif path.suffix == ".html":
            found[f"html-{path.name}"] = html_case(path)
    for path in sorted(PAGES.glob("*.html")):
        found[f"page-{path.stem}"] = page_case(path)
    return found


def dump(case: dict[str, Any]) -> str:
    return json.dumps(case, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for name, case in cases().items():
        (EXPECTED / f"{name}.json").write_text(dump(case), encoding="utf-8")
    print(f"wrote {len(cases())} golden files to {EXPECTED}")


if __name__ == "__main__":
    main()

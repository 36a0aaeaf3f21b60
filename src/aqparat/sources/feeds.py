"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds → RawItem, through feedparser.

feedparser is lenient by design, so the decisions that matter are made here:

* bytes are decoded by `sources.encoding` first (a windows-1251 feed that claims UTF-8 is
  read as windows-1251), then handed over as UTF-8 in a stream: a `bytes` or `str` argument
  would be taken for a file name or a URL and opened;
* a document feedparser cannot call RSS or Atom (an HTML error page answered with 200) is a
  ParseError; malformed XML from which items were still recovered is kept, with a warning;
* an item's key is its guid (RSS) / id (Atom) / rdf:about, else its link, else a hash of its
  title and date; a guid repeated within one feed keeps its first (newest) item;
* HTML is not sanitized here: the pipeline's one allow-list (text/sanitize.py) does that.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

import feedparser

from aqparat.errors import ParseError
from aqparat.model import LANGS, Lang, RawItem
from aqparat.sources import encoding
from aqparat.sources.links import absolute

log = logging.getLogger(__name__)

FullText = Literal["auto", "always", "never"]
FULL_TEXT_MODES: tuple[FullText, ...] = ("auto", "always", "never")
MAX_KEY = 255  # longer guids and links are hashed: item.external_id is a bounded column
_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_TAGS = re.compile(r"<[^>]+>")
_ELLIPSIS = ("...", "…", "[…]", "[...]")
_LANG_BY_CODE: dict[str, Lang] = {**{lang: lang for lang in LANGS}, "kz": "kk"}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item as the feed gave it, keyed and typed, before any page is fetched."""

    key: str
    title: str
    link: str | None
    published: dt.date | dt.datetime | None
    published_raw: str | None
    body: str  # HTML as the feed gave it: full content, or the summary
    has_content: bool  # the feed carried a content element, not only a summary
    image_url: str | None
    lang: Lang | None
    position: int


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    format: str  # feedparser's version: rss20, rss10, atom10, ...
    title: str
    site_url: str | None
    lang: Lang | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...] = ()  # recovered from: malformed XML, wrong charset, repeats


def lang_code(value: object) -> Lang | None:
    """"kk-KZ", "ru_RU", "kz", "EN-us" → kk / ru / en; anything else None."""
    if not isinstance(value, str):
        return None
    return _LANG_BY_CODE.get(re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0])


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """A feed document → Feed; ParseError("feeds", url, line, problem) when it is none."""
    decoded = encoding.decode(body, content_type)
    parsed = _feedparser(decoded.text, url)
    warnings = [f"declared {'/'.join(decoded.declared)} but is {decoded.encoding}"
                ] if decoded.contradicted else []
    if not parsed.get("version"):
        raise ParseError("feeds", url, _line(parsed), f"not RSS or Atom: {_what(decoded.text)}")
    if parsed.get("bozo"):
        problem = _bozo(parsed)
        if not parsed.entries:
            raise ParseError("feeds", url, _line(parsed), f"malformed XML, no item readable "
                             f"({problem})")
        warnings.append(f"malformed XML ({problem}); {len(parsed.entries)} items recovered")
    meta = parsed.feed
    entries, repeats = _entries(parsed.entries, lang_code(meta.get("language")), url)
    if repeats:
        warnings.append(f"{repeats} item(s) repeat an earlier guid; the first was kept")
    site = _str(meta.get("link"))
    return Feed(url, str(parsed.version), _text(meta.get("title")),
                absolute(url, site) if site else None, lang_code(meta.get("language")),
                entries, tuple(warnings))


def _feedparser(text: str, url: str) -> Any:
    utf8 = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8", "replace")
    # No Content-Location: feedparser would resolve guids against it as URIs, and a feed
    # that moves host would then give every item a new key.
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        return feedparser.parse(io.BytesIO(utf8), response_headers=headers, sanitize_html=False)
    except Exception as exc:  # feedparser's many parsers may raise anything on hostile input
        raise ParseError("feeds", url, None, f"unreadable ({type(exc).__name__}: {exc})"
                         ) from exc


def _line(parsed: Any) -> int | None:
    exc = parsed.get("bozo_exception")
    getter = getattr(exc, "getLineNumber", None)
    try:
        return int(getter()) if getter else None
    except (TypeError, ValueError):
        return None


def _bozo(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    return f"{type(exc).__name__}: {message}"[:200]


def _what(text: str) -> str:
    """What a non-feed looks like, for the error message."""
    head = text[:4096]
    title = re.search(r"<title[^>]*>(.*?)</title", head, re.I | re.S)
    if re.search(r"<html|<!doctype html", head, re.I):
        named = f" titled {' '.join(title[1].split())[:80]!r}" if title else ""
        return f"an HTML page{named} (an error page, or a site whose feed has moved?)"
    shown = " ".join(head[:60].split())
    return f"starts {shown!r}" if shown else "empty document"


def _entries(raw: list[Any], feed_lang: Lang | None, url: str
             ) -> tuple[tuple[FeedEntry, ...], int]:
    kept: dict[str, FeedEntry] = {}
    for position, entry in enumerate(raw, 1):
        item = _entry(entry, position, feed_lang, url)
        if item.key in kept:
            continue
        kept[item.key] = item
    return tuple(kept.values()), len(raw) - len(kept)


def _entry(entry: Any, position: int, feed_lang: Lang | None, url: str) -> FeedEntry:
    title = _text(entry.get("title"))
    # dict.get: feedparser's own get() maps a missing "updated" onto "published" with a
    # DeprecationWarning on every entry whose published date is empty (fuzzing found it).
    raw_date = _str(entry.get("published")) or _str(dict.get(entry, "updated"))
    published = _date(raw_date, entry)
    raw_date = raw_date[:64] if raw_date else None  # item.published_raw's width
    href = _str(entry.get("link"))
    link = absolute(url, href) if href else None
    content = [c for c in entry.get("content") or [] if _str(c.get("value"))]
    body = max((c["value"] for c in content), key=len) if content else _str(
        entry.get("summary")) or ""
    detail = entry.get("title_detail") or {}
    return FeedEntry(
        key=entry_key(_str(entry.get("id")), link, title, raw_date), title=title, link=link,
        published=published, published_raw=raw_date, body=body, has_content=bool(content),
        image_url=_image(entry), lang=lang_code(detail.get("language")) or feed_lang,
        position=position)


def entry_key(guid: str | None, link: str | None, title: str, date: str | None) -> str:
    """guid → link → hash of title and date, as the item's external id."""
    for value in (guid, link):
        if value:
            return value if len(value) <= MAX_KEY else "g:" + _digest(value)
    return "h:" + _digest(f"{title}\n{date or ''}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:40]


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _text(value: object) -> str:
    """A title may carry markup (Atom type="html"): its text, spaces collapsed."""
    return " ".join(_TAGS.sub(" ", _str(value) or "").split())


def _date(raw: str | None, entry: Any) -> dt.date | dt.datetime | None:
    """The date as written, with its own offset (feedparser's parsed tuple is UTC only)."""
    if raw:
        for parse in (_rfc822, _iso):
            found = parse(raw)
            if found is not None:
                return found
    parsed = entry.get("published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)
    except (ValueError, OverflowError, OSError):  # feedparser read year -1 (fuzzing found it)
        return None


def _rfc822(raw: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(raw: str) -> dt.date | dt.datetime | None:
    text = raw.strip().replace("Z", "+00:00")
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(
            text)
    except ValueError:
        return None


def _image(entry: Any) -> str | None:
    candidates = [e for e in entry.get("enclosures") or []
                  if str(e.get("type", "")).startswith("image/")]
    candidates += list(entry.get("media_content") or []) + list(entry.get("media_thumbnail")
                                                                or [])
    for found in candidates:
        url = _str(found.get("href")) or _str(found.get("url"))
        if url and url.startswith(("http://", "https://")):
            return url
    return None


def needs_page(entry: FeedEntry, mode: FullText, summary_chars: int) -> bool:
    """Whether the item's own page should be fetched for its full text."""
    if entry.link is None or mode == "never":
        return False
    if mode == "always":
        return True
    if entry.has_content:
        return False
    text = " ".join(_TAGS.sub(" ", entry.body).split())
    return len(text) < summary_chars or text.endswith(_ELLIPSIS)


@dataclass(frozen=True, slots=True)
class PageText:
    """What the item's own page added (sources/pages.py's article, reduced)."""

    paragraphs: tuple[str, ...]
    html: str
    published: dt.date | dt.datetime | None
    published_raw: str | None
    image_url: str | None
    lang: Lang | None


def to_raw_item(feed: Feed, entry: FeedEntry, source_key: str,
                page: PageText | None = None) -> RawItem | None:
    """A RawItem; None when the item has neither a date nor a page that gives one (logged by
    the caller as a drop: a made-up date would change the item on every poll)."""
    published = entry.published or (page.published if page else None)
    if published is None:
        return None
    body = page.html if page and page.paragraphs else entry.body
    return RawItem(
        source_kind="feed", source_key=source_key, external_id=entry.key,
        title=entry.title, body=body, body_format="html", published=published,
        source_url=entry.link, declared_lang=entry.lang or (page.lang if page else None),
        origin=f"{feed.url} item {entry.position}", base_url=entry.link or feed.url,
        image_url=entry.image_url or (page.image_url if page else None),
        published_raw=(entry.published_raw if entry.published else
                       page.published_raw if page else None))

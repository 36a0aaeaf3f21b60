"""gov.kz, the government portal: its news URLs, and its news items mapped onto RawItem.

Every state body publishes at
``https://www.gov.kz/memleket/entities/<slug>/press/news/details/<id>?lang=<kk|ru|en>``;
the slug names the body and the id is the news item's number, shared by its language versions.
The API's item shape and its quirks are in ../shared/research/govkz.md §2; requests are in
`govkz_api.py`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit
from zoneinfo import ZoneInfo

from aqparat.errors import ParseError
from aqparat.model import LANGS, Lang, RawItem

HOSTS = frozenset({"gov.kz", "www.gov.kz"})

_SLUG = re.compile(r"[A-Za-z0-9_.-]+")
_NEWS_ID = re.compile(r"[0-9]+")
_DETAILS_PATH = re.compile(
    r"/memleket/entities/(?P<slug>[A-Za-z0-9_.-]+)/press/news/details/(?P<id>[0-9]+)/?"
)
# A dict rather than a membership test so mypy sees a Lang, not a str, come out.
_LANG_BY_CODE: dict[str, Lang] = {lang: lang for lang in LANGS}


@dataclass(frozen=True, slots=True)
class NewsRef:
    """One gov.kz news item as its URL names it."""

    slug: str
    news_id: str
    lang: Lang | None


def parse_news_url(url: str) -> NewsRef | None:
    """The news item a gov.kz news-details URL points at; None for any other URL."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # urlsplit rejects e.g. a bad IPv6 bracket: not a gov.kz URL either
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in HOSTS:
        return None
    match = _DETAILS_PATH.fullmatch(parts.path)
    if match is None:
        return None
    return NewsRef(match["slug"], match["id"], _lang_of(parts.query))


def _lang_of(query: str) -> Lang | None:
    codes = parse_qs(query).get("lang", [])
    return _LANG_BY_CODE.get(codes[0].lower()) if codes else None


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


def news_url(slug: str, news_id: str, lang: Lang) -> str:
    """The canonical URL of one language version of a gov.kz news item."""
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"not a gov.kz entity slug: {slug!r}")
    if not _NEWS_ID.fullmatch(news_id):
        raise ValueError(f"not a gov.kz news id: {news_id!r}")
    if lang not in LANGS:
        raise ValueError(f"not a portal language: {lang!r}")
    return f"https://www.gov.kz/memleket/entities/{slug}/press/news/details/{news_id}?lang={lang}"


# --- API items → RawItem (govkz.md §2.1–2.3) ----------------------------------------------

_CREATED = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)
_ENTITY_LINK = re.compile(r"/memleket/entities/([A-Za-z0-9_.-]+)")
_MIDNIGHT = dt.time()
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class ItemContext:
    """Where an item was read, for keys and messages: entity, language, page, position."""

    slug: str
    lang: Lang
    base_url: str
    timezone: ZoneInfo
    where: str  # "mfa (ru page 3)"

    def error(self, position: int, problem: str) -> ParseError:
        return ParseError("govkz", f"{self.where} item {position}", None, problem)


def parse_created(text: str, tz: ZoneInfo) -> dt.date | dt.datetime:
    """gov.kz `created_date` → a date (midnight means date only) or an aware datetime.

    The trailing "Z" is not UTC: hours cluster in the press office's working day (govkz.md
    §2.3), so the wall time is read in `tz`. An explicit numeric offset is honoured.
    """
    match = _CREATED.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"created_date {text[:40]!r} is not YYYY-MM-DDTHH:MM:SS")
    day = dt.date.fromisoformat(match["date"])
    clock = dt.time.fromisoformat(match["time"]) if match["time"] else _MIDNIGHT
    if clock == _MIDNIGHT:  # the 2019–2021 migration's date-only items (KREM, govkz.md §2.3)
        return day
    zone = match["zone"]
    if zone and zone != "Z":
        offset = dt.datetime.strptime(zone.replace(":", ""), "%z").tzinfo
        return dt.datetime.combine(day, clock, tzinfo=offset)
    return dt.datetime.combine(day, clock, tzinfo=tz)


def news_id(value: object) -> str | None:
    """The id as digits: REST gives an int, GraphQL a string (govkz.md §2.1)."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, int | str) else ""
    # 18 digits: far past any real id (≈1.2 million in 2026), and inside a 64-bit integer.
    if not (text.isascii() and text.isdigit() and len(text) <= 18) or int(text) == 0:
        return None
    return str(int(text))


def project_slugs(value: object) -> tuple[str, ...]:
    """`projects` as a string ("mfa", "mfa,mfa-geneva") or a list of them: valid slugs only."""
    parts: Iterable[object] = value if isinstance(value, list) else [value]
    found: list[str] = []
    for part in parts:
        if isinstance(part, str):
            found += [p for p in re.split(r"[\s,;]+", part) if _SLUG.fullmatch(p)]
    return tuple(dict.fromkeys(found))


def mentioned_slugs(obj: object) -> set[str]:
    """Entity slugs an item names: its `projects`, and `/memleket/entities/<slug>` links."""
    if not isinstance(obj, dict):
        return set()
    slugs = set(project_slugs(obj.get("projects")))
    for field_name in ("body", "short_description"):
        text = obj.get(field_name)
        if isinstance(text, str):
            slugs.update(_ENTITY_LINK.findall(text))
    return {s.lower() for s in slugs if _SLUG.fullmatch(s)}


def _text_field(obj: dict[str, Any], name: str, ctx: ItemContext, position: int) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        # JSON may carry "\ud800": a lone surrogate no encoder (nh3, the database) accepts.
        return _SURROGATE.sub("\ufffd", value)
    raise ctx.error(position, f"`{name}` is a {type(value).__name__}, expected text or null")


def to_raw_item(obj: object, ctx: ItemContext, position: int) -> RawItem:
    """One listing element → RawItem; anything unusable is a ParseError naming the item."""
    if not isinstance(obj, dict):
        raise ctx.error(position, f"expected a JSON object, got {type(obj).__name__}")
    ident = news_id(obj.get("id"))
    if ident is None:
        raise ctx.error(position, f"`id` {str(obj.get('id'))[:30]!r} is not a news id")
    title = _text_field(obj, "title", ctx, position)
    created = _text_field(obj, "created_date", ctx, position)
    if not created:
        raise ctx.error(position, f"news {ident} has no created_date")
    try:
        published = parse_created(created, ctx.timezone)
    except ValueError as exc:
        raise ctx.error(position, f"news {ident}: {exc}") from None
    # `body: null` happens (govkz.md §2.1): the short description is then all there is.
    body = _text_field(obj, "body", ctx, position) or _text_field(
        obj, "short_description", ctx, position) or ""
    heropic = _text_field(obj, "heropic", ctx, position)
    return RawItem(
        source_kind="govkz", source_key=ctx.slug, external_id=ident,
        title=html.unescape(title or ""), body=body, body_format="html", published=published,
        source_url=news_url(ctx.slug, ident, ctx.lang), declared_lang=ctx.lang,
        origin=f"{ctx.where} item {position}", base_url=ctx.base_url,
        image_url=_absolute(ctx.base_url, heropic), published_raw=created,
    )


def _absolute(base_url: str, path: str | None) -> str | None:
    """`heropic` is site-relative (`/uploads/…`, govkz.md §2.1); a malformed one is no picture."""
    if not path or not path.strip():
        return None
    try:
        url = urljoin(base_url, path.strip())
    except ValueError:
        return None
    return url if url.startswith(("https://", "http://")) else None


def listing_items(body: bytes, where: str) -> list[object]:
    """The items of a listing answer: a bare array (REST), `{"data": {"news": [...]}}`
    (GraphQL), or the `{content|data|items: [...]}` envelopes other clients tolerate."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError("govkz", where, None, f"answer is not JSON ({_preview(body)}): {exc}"
                         ) from None
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return _unwrap(data, where)
    raise ParseError("govkz", where, None,
                     f"expected a JSON array of news items, got {type(data).__name__}")


def _unwrap(data: dict[str, Any], where: str) -> list[object]:
    if data.get("errors"):
        raise ParseError("govkz", where, None, f"GraphQL answered errors: {_errors(data)}")
    inner = data.get("data")
    if isinstance(inner, dict) and isinstance(inner.get("news"), list):
        return list(inner["news"])
    for key in ("content", "data", "items"):
        if isinstance(data.get(key), list):
            return list(data[key])
    keys = ", ".join(sorted(map(str, data))[:5]) or "none"
    raise ParseError("govkz", where, None,
                     f"expected a JSON array of news items, got an object (keys: {keys})")


def _errors(data: dict[str, Any]) -> str:
    errors = data["errors"]
    if isinstance(errors, list):
        return "; ".join(str(e.get("message", e) if isinstance(e, dict) else e)
                         for e in errors)[:200]
    return str(errors)[:200]


def _preview(body: bytes) -> str:
    text = body[:60].decode("utf-8", "replace")
    return f"starts {' '.join(text.split())!r}, {len(body)} bytes"


def newest_first(items: list[object]) -> bool:
    """Whether a page is in created_date DESC order, as asked (GraphQL has been seen to ignore
    `_sort`: govkz.md §1.4). Dates in gov.kz's one format compare as strings."""
    dates = [i.get("created_date") for i in items if isinstance(i, dict)]
    texts = [d for d in dates if isinstance(d, str)]
    return all(a >= b for a, b in pairwise(texts))

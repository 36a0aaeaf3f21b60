"""RSS 2.0 and Atom feeds: a page's newest items, in full, for feed readers.

`/feeds/{lang}/{fmt}.xml` (an edition's home), `/feeds/{lang}/rubric/{slug}/{fmt}.xml` and
`/feeds/{lang}/source/{slug}/{fmt}.xml`, `/feeds/{lang}/story/{id}/{fmt}.xml` (a story's reports),
`fmt` being `rss` or `atom` (`urls.py` maps each page to its feeds; search has its own). A feed
holds the items *written in* its language: a reader subscribed to the Russian feed gets
Russian text or nothing, never Kazakh text under a Russian label. Each feed is computed once
as a `Feed` and rendered by either template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import html
import re
import uuid
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat import data
from aqparat.model import Lang
from aqparat.store import articles, rubrics, slugs, sources, stories
from aqparat.store.articles import ItemFilter, ItemRecord
from aqparat.text import sanitize
from aqparat.web import i18n
from aqparat.web.errors import BadParameter
from aqparat.web.pages import edition_lang, engine, path_id, renderer
from aqparat.web.pages import search as search_page
from aqparat.web.query import SLUG
from aqparat.web.responses import cached
from aqparat.web.urls import (
    FEED_FORMATS,
    FEED_MEDIA_TYPES,
    FeedFormat,
    article_path,
    feed_path,
    page_path,
    site_url,
)

FEED_SIZE = 30  # newest items per feed: a few days of one rubric, a morning of the home page
MAX_AGE = 300
# Entry and feed ids are UUIDv5 names under this namespace. Never change it: readers dedupe on
# ids, and deriving them from the item's natural key keeps them stable across hosts and even
# across a rebuilt store.
NAMESPACE = uuid.UUID("9850bc91-37f0-4ce5-8eb8-50ab3ee9ca79")
_EMPTY_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # a fixed date keeps empty feeds' ETags
# Characters XML 1.0 forbids anywhere; a stray one from a source would make the feed unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    url: str
    title: str
    lead: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    categories: tuple[tuple[str, str], ...]  # (slug, name in the feed's language)
    source_url: str | None

    @property
    def summary_html(self) -> str:
        """RSS `description` holds HTML (readers render it as such), so the plain-text lead
        is escaped as HTML here, then as XML by the template: a lead that reads
        `<script>…` is shown as those characters, never run (issue 11's XSS corpus)."""
        return html.escape(self.lead or self.title, quote=False)


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    lang: Lang
    title: str
    description: str
    page_url: str
    self_url: str
    updated: dt.datetime
    entries: tuple[Entry, ...]
    rubric_url: str  # categories' scheme: a rubric's page is this plus its slug


def entry_id(r: ItemRecord) -> str:
    # The slug, not the key: a feed source's key is its URL, which a 301 rewrites; its slug
    # stays (for a gov.kz entity the two are the same).
    s = r.summary
    key = f"item:{s.source.kind}:{s.source.slug}:{r.external_id}:{s.lang}"
    return uuid.uuid5(NAMESPACE, key).urn


def _entry(r: ItemRecord, site: str, names: dict[str, str]) -> Entry:
    s = r.summary
    web_source = r.source_url if r.source_url and r.source_url.startswith("http") else None
    return Entry(
        id=entry_id(r), url=site + article_path(s.lang, s.id), title=s.title, lead=s.lead,
        content_html=sanitize.sanitize_html(r.body_html), published=s.published_at,
        updated=max(r.updated_at, s.published_at), author=s.source.name(s.lang),
        categories=tuple((slug, names.get(slug, slug)) for slug in r.rubrics),
        source_url=web_source,
    )


def build(records: list[ItemRecord], *, lang: Lang, key: str, title: str, description: str,
          site: str, fmt: FeedFormat) -> Feed:
    """The feed of the page `page_path(lang, key)`, from its newest records."""
    names = {r.slug: r.names[lang] for r in data.rubrics()}
    entries = tuple(_entry(r, site, names) for r in records)
    return Feed(
        id=uuid.uuid5(NAMESPACE, f"feed:{lang}:{key}").urn, lang=lang, title=title,
        description=description, page_url=site + page_path(lang, key),
        self_url=site + feed_path(page_path(lang, key), fmt),
        updated=max((e.updated for e in entries), default=_EMPTY_UPDATED), entries=entries,
        rubric_url=f"{site}/{lang}/rubric/",
    )


def rfc822(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def to_xml(env: jinja2.Environment, feed: Feed, fmt: FeedFormat) -> bytes:
    xml = env.get_template(f"feeds/{fmt}.xml").render(
        feed=feed, rfc822=rfc822, rfc3339=rfc3339, _=i18n.Translator(feed.lang))
    return _NOT_XML.sub("", xml).encode()


def render(request: Request, feed: Feed, fmt: FeedFormat) -> Response:
    body = to_xml(renderer(request).env, feed, fmt)
    return cached(request, body, f"{FEED_MEDIA_TYPES[fmt]}; charset=utf-8", max_age=MAX_AGE)


def _format(request: Request) -> tuple[Lang, FeedFormat]:
    lang = edition_lang(request)
    fmt = request.path_params["fmt"]
    if fmt not in FEED_FORMATS:
        raise HTTPException(404, f"no such feed format {fmt!r}: use rss or atom")
    return lang, cast(FeedFormat, fmt)


def _respond(request: Request, records: list[ItemRecord], lang: Lang, fmt: FeedFormat, *,
             key: str, title: str, description: str) -> Response:
    feed = build(records, lang=lang, key=key, title=title, description=description,
                 site=site_url(request), fmt=fmt)
    return render(request, feed, fmt)


def home_feed(request: Request) -> Response:
    lang, fmt = _format(request)
    _ = i18n.Translator(lang)
    with engine(request).connect() as conn:
        records = articles.records(conn, ItemFilter(lang=lang), limit=FEED_SIZE)
    return _respond(request, records, lang, fmt, key="", title=_("site_name"),
                    description=_("tagline"))


def rubric_feed(request: Request) -> Response:
    lang, fmt = _format(request)
    _ = i18n.Translator(lang)
    slug = request.path_params["slug"]
    with engine(request).connect() as conn:
        rubric = rubrics.get(conn, slug) if SLUG.fullmatch(slug) else None
        if rubric is None:
            raise HTTPException(404, f"no rubric {slug!r}")
        records = articles.records(conn, ItemFilter(lang=lang, rubric=rubric.slug),
                                   limit=FEED_SIZE)
    name = rubric.name(lang)
    return _respond(request, records, lang, fmt, key=f"rubric/{rubric.slug}",
                    title=f"{name} · {_('site_name')}",
                    description=_("feed_rubric_description", rubric=name))


def source_feed(request: Request) -> Response:
    lang, fmt = _format(request)
    _ = i18n.Translator(lang)
    slug = request.path_params["slug"]  # the source page's own: /{lang}/source/{slug}
    with engine(request).connect() as conn:
        source = sources.by_slug(conn, slug) if slugs.SLUG.fullmatch(slug) else None
        if source is None:
            raise HTTPException(404, f"no source {slug!r}")
        records = articles.records(conn, ItemFilter(lang=lang, source_id=source.id),
                                   limit=FEED_SIZE)
    name = source.name(lang)
    return _respond(request, records, lang, fmt, key=f"source/{source.slug}",
                    title=f"{name} · {_('site_name')}",
                    description=_("feed_source_description", source=name))


def search_feed(request: Request) -> Response:
    """`/feeds/{lang}/search/{fmt}.xml?q=…`: the newest items matching a search (the search
    page's filters apply), written in the feed's language like every feed."""
    lang, fmt = _format(request)
    _ = i18n.Translator(lang)
    form = search_page.read_form(request.query_params)
    if not form.q:
        raise BadParameter("q", "is required: the words to search for")
    form = dataclasses.replace(form, sort="date",
                               filters=dataclasses.replace(form.filters, lang=lang))
    with engine(request).connect() as conn:
        found = search_page.find(conn, form, offset=0, limit=FEED_SIZE)
    records = [hit.record for hit in found.results.hits]
    feed = build(records, lang=lang, key="search", title=f"{_('search_feed_title', query=form.q)}"
                 f" · {_('site_name')}", description=_("search_feed_description", query=form.q),
                 site=site_url(request), fmt=fmt)
    qs = urlencode([(k, v) for k, v in form.params if k != "sort"])
    feed = dataclasses.replace(
        feed, id=uuid.uuid5(NAMESPACE, f"feed:{lang}:search?{qs}").urn,
        page_url=f"{feed.page_url}?{qs}", self_url=f"{feed.self_url}?{qs}")
    return render(request, feed, fmt)


def story_feed(request: Request) -> Response:
    """`/feeds/{lang}/story/{id}/{fmt}.xml`: a story's reports written in the feed's language,
    newest first: follow one event as more sources report it."""
    lang, fmt = _format(request)
    _ = i18n.Translator(lang)
    story_id = path_id(request, "story_id")
    with engine(request).connect() as conn:
        story = stories.get(conn, story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id}")
        ids = [r.id for r in reversed(story.reports) if r.lang == lang][:FEED_SIZE]
        found = articles.records_by_id(conn, ids)
    records = [found[i] for i in ids if i in found]
    title = story.representative.title
    return _respond(request, records, lang, fmt, key=f"story/{story.id}",
                    title=f"{title} · {_('site_name')}",
                    description=_("feed_story_description", title=title))

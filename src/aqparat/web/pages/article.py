"""`/{lang}/news/{id}`: one item: breadcrumb, rubrics, date and time, reading time, views, the
lead image with its credit, paragraphs, events it announces, *Ақпарат көзі* (the original in
the page's language when the source has it), other-language versions, the story's other
reports, related items, tags (entity, region, rubrics, names) and share links."""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aqparat.model import Lang
from aqparat.store import articles, events, related, stories
from aqparat.store import regions as store_regions
from aqparat.store.articles import ArticleView, ItemSummary
from aqparat.text import dates, reading
from aqparat.web import jsonld, share
from aqparat.web.pages import edition_lang, edition_langs, engine, path_id, renderer
from aqparat.web.pages.events import view
from aqparat.web.plural import counted
from aqparat.web.render import LOCAL_TZ
from aqparat.web.urls import site_url
from aqparat.web.views import ViewCounter, count_of

STORY_REPORTS = 10  # the story's other reports listed on the page; its own page has them all


def when_long(summary: ItemSummary, lang: Lang) -> str:
    """"2026 жылғы 18 наурыз, 11:30" / "18 марта 2026 г., 11:30"; no time when none given."""
    local = summary.published_at.astimezone(LOCAL_TZ)
    text = dates.format_date_long(local.date(), lang)
    return text if summary.date_only else f"{text}, {dates.format_time(local, lang)}"


def crumb(item: ArticleView) -> str | None:
    """The breadcrumb's rubric: the item's most specific (every item is also in `news`)."""
    slugs = [r.slug for r in item.rubrics]
    return next((slug for slug in slugs if slug != "news"), slugs[0] if slugs else None)


def source_link(item: ArticleView, urls: dict[str, str], lang: Lang) -> str | None:
    """*Ақпарат көзі*: the original in the page's language when the source published one
    (gov.kz: the same id with `?lang=`), else the item's own."""
    return urls.get(lang, item.source_url)


def story_reports(story: stories.StoryView | None, item: ArticleView,
                  shown: list[ItemSummary]) -> list[ItemSummary]:
    """The story's other reports: not the item, not its language versions, not the reports
    the page already links as another source's version (`shown`); oldest first."""
    if story is None:
        return []
    own = {item.summary.id, *(v.id for v in item.versions), *(r.id for r in shown)}
    return [r for r in story.reports if r.id not in own][:STORY_REPORTS]


def article_page(request: Request) -> Response:
    lang = edition_lang(request)
    counter: ViewCounter | None = getattr(request.app.state, "views", None)
    with engine(request).connect() as conn:
        item = articles.get(conn, path_id(request, "item_id"))
        if item is None:
            raise HTTPException(404)
        s = item.summary
        announced = events.of_item(conn, s.id)
        named = events.entities_of_item(conn, s.id)
        story = stories.get(conn, s.story_id) if s.story_id else None
        others = stories.other_versions(conn, item)
        langs, _ = edition_langs(conn, lang)
        near = stories.with_others(conn, related.related(conn, item, langs))
        reports = story_reports(story, item, others)
        link = source_link(item, related.source_urls(conn, s.id), lang)
        seen = counted(lang, "views", count_of(conn, counter, s.id))
    url = f"{site_url(request)}/{lang}/news/{s.id}"
    ld = jsonld.script_json(jsonld.news_article(item, lang, site_url(request)))
    now = dt.datetime.now(dt.UTC)
    return renderer(request).page(
        request, "article.html", lang, item=item, ld=ld,
        og_locale=jsonld.OG_LOCALES[s.lang], text_lang=s.lang,
        events=[view(e, lang, now) for e in announced],
        story_size=len(story.reports) if story else 1, other_versions=others,
        entities={kind: [n for n in named if n.kind == kind]
                  for kind in ("person", "body", "place")},
        crumb=crumb(item), when_long=when_long(s, lang), minutes=reading.minutes(item.body_text),
        region=store_regions.of_source(s.source),
        share=share.links(url, s.title), related=near, reports=reports, source_url=link,
        views=seen)

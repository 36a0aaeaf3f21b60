"""Queries on stories: keeping each story's figures and representatives right, and reading
stories for pages, the API and search. Assignment itself is pipeline/stories.py over
store/story_index.py; `file` below is what the store calls after saving an item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.model import LANGS, Article, Event
from aqparat.pipeline import stories as pipeline_stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.store import articles
from aqparat.store.articles import ItemSummary
from aqparat.store.schema import (
    event,
    item,
    item_band,
    item_fact,
    item_profile,
    source_sentence,
    story,
)

# ── keeping stories right ───────────────────────────────────────────────────────────────────


# Statements run for every filed item are built once (building cost more than running).
_NEW_STORY = story.insert().returning(story.c.id)
_RECOUNT = story.update().where(story.c.id == sa.bindparam("story")).values(
    representative_id=sa.bindparam("b_rep"), first_at=sa.bindparam("b_first"),
    last_at=sa.bindparam("b_last"), items=sa.bindparam("b_items"),
    sources=sa.bindparam("b_sources"), langs=sa.bindparam("b_langs"))


def create(conn: sa.Connection, at: dt.datetime,
           first: pipeline_stories.Report | None = None) -> int:
    """A new story; with `first`, already counted as that one report's story (what `refresh`
    would compute: one report is its own representative, shown or not)."""
    values = {"first_at": at, "last_at": at, "items": 0, "sources": 0, "langs": ""}
    if first is not None:
        values |= {"representative_id": first.item_id, "items": 1, "sources": 1,
                   "langs": first.lang if first.lang in LANGS else ""}
    return int(conn.execute(_NEW_STORY, values).scalar_one())


# Every column refresh reads is in ix_item_story_members (schema.py): one index range, no row.
_LINES = (sa.select(item.c.id, item.c.lang, item.c.published_at, item.c.source_id,
                    item.c.status, item.c.story_lead)
          .where(item.c.story_id == sa.bindparam("story")))
_LEAD = item.update().where(item.c.id == sa.bindparam("item")).values(
    story_lead=sa.bindparam("b_lead"))


def refresh(conn: sa.Connection, story_id: int) -> None:
    """Recount a story and choose its representatives (pipeline/stories.representative):
    shown reports only, unless all are hidden. A story left with no report is deleted. Only
    items whose lead flag changes are written."""
    rows = list(conn.execute(_LINES, {"story": story_id}))
    if not rows:
        conn.execute(story.delete().where(story.c.id == story_id))
        return
    shown = [r for r in rows if r.status == articles.SHOWN] or rows
    lines = [pipeline_stories.Line(r.id, r.lang, r.published_at) for r in shown]
    rep = pipeline_stories.representative(lines)
    assert rep is not None
    leads = pipeline_stories.leads(lines)
    conn.execute(_RECOUNT, {
        "story": story_id, "b_rep": rep.item_id, "b_first": min(r.published_at for r in rows),
        "b_last": max(r.published_at for r in rows), "b_items": len(shown),
        "b_sources": len({r.source_id for r in shown}),
        "b_langs": ",".join(code for code in LANGS if any(r.lang == code for r in shown))})
    changed = [{"item": r.id, "b_lead": r.id in leads} for r in rows
               if bool(r.story_lead) != (r.id in leads)]
    if changed:
        conn.execute(_LEAD, changed)


# What `joined` needs: the story's figures, its representative's place and status, and the
# report that joined (by primary keys: three rows).
_REP, _NEW = item.alias("rep"), item.alias("new")
_JOINING = (sa.select(story.c.representative_id, story.c.first_at, story.c.last_at,
                      story.c["items"].label("size"), story.c.sources, story.c.langs,
                      _REP.c.published_at.label("rep_at"), _REP.c.status.label("rep_status"),
                      _NEW.c.lang, _NEW.c.published_at, _NEW.c.source_id, _NEW.c.status)
            .select_from(story.join(_REP, _REP.c.id == story.c.representative_id)
                         .join(_NEW, _NEW.c.id == sa.bindparam("item")))
            .where(story.c.id == sa.bindparam("story")))
_OTHERS = (item.c.story_id == sa.bindparam("story"), item.c.status == articles.SHOWN,
           item.c.id != sa.bindparam("item"))
_LEAD_OF = sa.select(item.c.id, item.c.published_at).where(
    *_OTHERS, item.c.lang == sa.bindparam("lang"), item.c.story_lead)
_SOURCE_SEEN = sa.select(item.c.id).where(
    *_OTHERS, item.c.source_id == sa.bindparam("source")).limit(1)


def joined(conn: sa.Connection, story_id: int, item_id: int) -> None:
    """`refresh` after the new report `item_id` joined the story, without reading the story's
    other reports: a shown report joining a story with shown reports can only add itself to
    the figures, and can only take the lead of its own language (and so the representative)
    from the report that has it. Anything else is recounted. A story re-posted by hundreds
    of sources costs the same per report as one of two (a recount is one row per report)."""
    s = conn.execute(_JOINING, {"story": story_id, "item": item_id}).first()
    if s is None or s.rep_status != articles.SHOWN or s.status != articles.SHOWN:
        refresh(conn, story_id)
        return
    me = (s.published_at, item_id)
    params = {"story": story_id, "item": item_id}
    lead = conn.execute(_LEAD_OF, {**params, "lang": s.lang}).first()
    seen = conn.execute(_SOURCE_SEEN, {**params, "source": s.source_id}).first() is not None
    langs = {*s.langs.split(","), s.lang}
    conn.execute(_RECOUNT, {
        "story": story_id,
        "b_rep": item_id if me < (s.rep_at, s.representative_id) else s.representative_id,
        "b_first": min(s.first_at, s.published_at), "b_last": max(s.last_at, s.published_at),
        "b_items": s.size + 1, "b_sources": s.sources + (not seen),
        "b_langs": ",".join(code for code in LANGS if code in langs)})
    if lead is None or me < (lead.published_at, lead.id):  # filed as no lead (SqlIndex.file)
        conn.execute(_LEAD, [{"item": item_id, "b_lead": True}]
                     + ([{"item": lead.id, "b_lead": False}] if lead is not None else []))


def refresh_item(conn: sa.Connection, item_id: int) -> None:
    """After an item was shown or hidden: its story's representatives may change."""
    story_id = conn.execute(sa.select(item.c.story_id).where(item.c.id == item_id)).scalar()
    if story_id is not None:
        refresh(conn, story_id)


def report_of(article: Article, source_id: int, item_id: int, *,
              fresh: bool = False) -> pipeline_stories.Report:
    """The saved item `item_id` behind `article`, as story assignment sees it; `fresh`:
    inserted in this transaction."""
    return pipeline_stories.Report(item_id, source_id, article.external_id, article.lang,
                                   article.title, article.body_text, article.published_at,
                                   article.events, fresh=fresh, named=article.entities)


def file(conn: sa.Connection, article: Article, source_id: int, options: DedupOptions,
         item_id: int, *, fresh: bool = False) -> pipeline_stories.Assignment:
    """File a just-saved (new or changed) item in its story, in the caller's transaction."""
    from aqparat.store.story_index import SqlIndex  # the index builds on this module

    report = report_of(article, source_id, item_id, fresh=fresh)
    prepared = article.prepared.story if article.prepared is not None else None
    _, found = pipeline_stories.assign(SqlIndex(conn, options), report, options, prepared)
    return found


def keep(conn: sa.Connection, article: Article, source_id: int, options: DedupOptions,
         raw_page_id: int | None = None) -> articles.SaveResult:
    """Save an item (articles.save) and, if it is new or changed, file it in its story, in
    the caller's transaction: what every collector does with an article it keeps."""
    result, item_id = articles.save_row(conn, article, source_id, raw_page_id)
    if result != "unchanged":
        file(conn, article, source_id, options, item_id, fresh=result == "new")
    return result


def reset(conn: sa.Connection) -> None:
    """Forget every story (`aqparat stories rebuild` files every item again)."""
    for table in (item_profile, item_band, item_fact, source_sentence):
        conn.execute(table.delete())
    conn.execute(item.update().values(story_id=None, duplicate_of=None, story_lead=True))
    conn.execute(story.delete())


def stored_reports(conn: sa.Connection, *, after: tuple[dt.datetime, int] | None,
                   limit: int) -> list[pipeline_stories.Report]:
    """Stored items in publication order, a batch at a time (rebuild)."""
    query = (sa.select(item.c.id, item.c.source_id, item.c.external_id, item.c.lang,
                       item.c.title, item.c.body_text, item.c.published_at)
             .order_by(item.c.published_at, item.c.id).limit(limit))
    if after is not None:
        at, last = after
        query = query.where(sa.or_(item.c.published_at > at,
                                   sa.and_(item.c.published_at == at, item.c.id > last)))
    rows = list(conn.execute(query))
    announced = _events(conn, [r.id for r in rows])
    return [pipeline_stories.Report(r.id, r.source_id, r.external_id, r.lang, r.title,
                                    r.body_text, r.published_at, announced.get(r.id, ()))
            for r in rows]


def _events(conn: sa.Connection, ids: list[int]) -> dict[int, tuple[Event, ...]]:
    found: dict[int, list[Event]] = {}
    if not ids:
        return {}
    rows = conn.execute(sa.select(event).where(event.c.item_id.in_(ids))
                        .order_by(event.c.item_id, event.c.position))
    for r in rows:
        found.setdefault(r.item_id, []).append(Event(
            r.starts_at, r.ends_at, r.all_day, r.place, r.city, (r.span_start, r.span_end),
            r.span_text))
    return {k: tuple(v) for k, v in found.items()}


# ── reading stories ─────────────────────────────────────────────────────────────────────────


# Built once (see articles._IN_ORDER): every list page runs it.
_SOURCE_COUNTS = sa.select(story.c.id, story.c.sources).where(
    story.c.id.in_(sa.bindparam("ids", expanding=True)))


def with_others(conn: sa.Connection, found: Sequence[ItemSummary]) -> list[ItemSummary]:
    """Each summary with how many other sources its story has ("+N sources")."""
    ids = [s.story_id for s in found if s.story_id is not None]
    if not ids:
        return list(found)
    counts = {int(i): int(n) for i, n in conn.execute(_SOURCE_COUNTS, {"ids": ids})}
    return [dataclasses.replace(s, others=max(0, counts.get(s.story_id, 1) - 1))
            if s.story_id in counts else s for s in found]


def story_of(conn: sa.Connection, item_ids: Iterable[int]) -> dict[int, int]:
    """item id → story id, for the items that have one (search groups results by it)."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = conn.execute(sa.select(item.c.id, item.c.story_id)
                        .where(item.c.id.in_(ids), item.c.story_id.is_not(None)))
    return {int(i): int(s) for i, s in rows}


@dataclass(frozen=True, slots=True)
class StoryView:
    id: int
    first_at: dt.datetime
    last_at: dt.datetime
    sources: int
    langs: tuple[str, ...]
    representative: ItemSummary
    reports: list[ItemSummary]  # every shown report, oldest first
    duplicate_of: dict[int, int]  # report id → the report whose text it repeats

    @property
    def originals(self) -> list[ItemSummary]:
        """One entry per distinct text: reports that repeat no other shown report."""
        shown = {r.id for r in self.reports}
        return [r for r in self.reports if self.duplicate_of.get(r.id) not in shown]

    def same_text(self, report_id: int) -> list[ItemSummary]:
        """Reports repeating this one's text: one entry on the story page, every source."""
        return [r for r in self.reports if self.duplicate_of.get(r.id) == report_id]


def get(conn: sa.Connection, story_id: int) -> StoryView | None:
    row = conn.execute(sa.select(story).where(story.c.id == story_id)).first()
    if row is None:
        return None
    reports = articles.summaries(conn, [item.c.story_id == story_id])
    if not reports:
        return None
    dups = dict(conn.execute(sa.select(item.c.id, item.c.duplicate_of).where(
        item.c.story_id == story_id, item.c.duplicate_of.is_not(None))).all())
    rep = next((r for r in reports if r.id == row.representative_id), reports[0])
    return StoryView(row.id, row.first_at, row.last_at, row.sources,
                     tuple(x for x in row.langs.split(",") if x), rep, reports,
                     {int(k): int(v) for k, v in dups.items()})


def other_versions(conn: sa.Connection, view: articles.ArticleView) -> list[ItemSummary]:
    """Reports of the item's story in other languages that are not versions of the same
    publication (those are `view.versions`): "another source's version"."""
    s = view.summary
    if s.story_id is None:
        return []
    found = articles.summaries(conn, [item.c.story_id == s.story_id, item.c.lang != s.lang])
    own = {v.id for v in view.versions}
    return [r for r in found if r.id not in own]


Cursor = tuple[dt.datetime, int]  # (last_at, id): where a listing of stories stopped


def recent(conn: sa.Connection, *, lang: str | None, after: Cursor | None,
           limit: int) -> list[StoryView]:
    """Stories most recently active first (a report published latest), a page at a time."""
    query = sa.select(story.c.id).order_by(story.c.last_at.desc(), story.c.id.desc())
    if lang is not None:
        query = query.where(story.c.langs.contains(lang))
    if after is not None:
        at, last = after
        query = query.where(sa.or_(story.c.last_at < at,
                                   sa.and_(story.c.last_at == at, story.c.id < last)))
    ids = list(conn.execute(query.limit(limit)).scalars())
    return [view for i in ids if (view := get(conn, i)) is not None]


def count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(story)).scalar_one())

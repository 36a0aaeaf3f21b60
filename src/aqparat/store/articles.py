"""Queries on items (one language version of one publication): save, list, read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from aqparat.model import LANGS, Article, Lang, RubricLabel
from aqparat.store import item_rubrics, mentions, sources
from aqparat.store.fts import index
from aqparat.store.schema import item, item_rubric, rubric, source

SaveResult = Literal["new", "updated", "unchanged"]
SHOWN = "shown"


@dataclass(frozen=True, slots=True)
class ItemSummary:
    id: int
    title: str
    lead: str
    lang: Lang
    published_at: dt.datetime
    date_only: bool
    source: sources.SourceRow
    story_id: int | None = None  # pipeline/stories.py; None until the item is filed
    others: int = 0  # other sources of its story ("+N sources"; store/stories.with_others)
    image_url: str | None = None  # its picture (gov.kz `heropic`): the teaser's thumbnail


@dataclass(frozen=True, slots=True)
class ArticleView:
    summary: ItemSummary
    body_html: str
    body_text: str
    source_url: str | None
    original_lang: Lang | None
    rubrics: tuple[RubricLabel, ...]
    image_url: str | None = None
    versions: tuple[Version, ...] = ()  # the same publication in other languages


@dataclass(frozen=True, slots=True)
class Version:
    id: int
    lang: Lang
    title: str


def _item_values(article: Article) -> dict[str, object]:
    return {
        "original_lang": article.original_lang, "title": article.title, "lead": article.lead,
        "body_html": article.body_html, "body_text": article.body_text,
        "source_url": article.source_url, "published_at": article.published_at,
        "date_only": article.date_only, "content_hash": article.content_hash,
        "image_url": article.image_url, "published_raw": article.published_raw,
    }


# Built once: `save` runs per item, and building a statement cost more than running it.
_FIND = sa.select(item.c.id, item.c.content_hash).where(
    item.c.source_id == sa.bindparam("source"), item.c.external_id == sa.bindparam("external"),
    item.c.lang == sa.bindparam("lang"))
_INSERT = item.insert().returning(item.c.id)


def save(conn: sa.Connection, article: Article, source_id: int,
         raw_page_id: int | None = None) -> SaveResult:
    """Insert or update the row keyed (source, external id, language) and its classification
    (store/item_rubrics.py: an editor's labels are never replaced).

    `raw_page_id` names the archived answer a new or changed row was read from."""
    return save_row(conn, article, source_id, raw_page_id)[0]


def save_row(conn: sa.Connection, article: Article, source_id: int,
             raw_page_id: int | None = None) -> tuple[SaveResult, int]:
    """`save`, and the row's id (its story is filed next: store/stories.keep)."""
    found = conn.execute(_FIND, {"source": source_id, "external": article.external_id,
                                 "lang": article.lang}).first()
    now = dt.datetime.now(dt.UTC)
    if found is None:
        return "new", _insert(conn, article, source_id, raw_page_id, now)
    item_id = found.id
    result: SaveResult = "unchanged"
    if found.content_hash != article.content_hash:
        conn.execute(item.update().where(item.c.id == item_id)
                     .values(updated_at=now, raw_page_id=raw_page_id, **_item_values(article)))
        conn.execute(item_rubric.update().where(item_rubric.c.item_id == item_id)
                     .values(published_at=article.published_at))
        mentions.replace(conn, item_id, article)  # events and entities follow the content
        result = "updated"
    changed = item_rubrics.replace_classified(conn, item_id, article.rubrics,
                                              article.published_at)
    if result != "unchanged" and not changed:  # a changed rubric set already re-indexed it
        index.sync_item(conn, item_id)  # same transaction: search never lags the store
    return ("updated" if result == "unchanged" and changed else result), item_id


def _insert(conn: sa.Connection, article: Article, source_id: int, raw_page_id: int | None,
            now: dt.datetime) -> int:
    """A new row: nothing of it is stored yet, so its mentions, labels and search document
    are only written (nothing to read, compare or delete first)."""
    item_id: int = conn.execute(_INSERT, {
        "source_id": source_id, "external_id": article.external_id, "lang": article.lang,
        "first_seen": now, "updated_at": now, "raw_page_id": raw_page_id,
        **_item_values(article),
    }).scalar_one()
    mentions.add(conn, item_id, article)
    item_rubrics.classify_new(conn, item_id, article.rubrics, article.published_at)
    index.sync_new(conn, item_id, article, source_id)  # same transaction as the row
    return item_id


def set_status(conn: sa.Connection, item_id: int, status: Literal["shown", "hidden"]) -> bool:
    """Show or hide an item everywhere, search included; False if there is no such item."""
    from aqparat.store import stories  # stories reads through this module: imported here

    done = conn.execute(item.update().where(item.c.id == item_id).values(status=status))
    index.sync_item(conn, item_id)
    stories.refresh_item(conn, item_id)  # its story's representatives and counts follow
    return done.rowcount > 0


def hide(conn: sa.Connection, item_id: int) -> bool:
    """An operator takes an item off every page, feed, API answer and search (web/admin/)."""
    return set_status(conn, item_id, "hidden")


def unhide(conn: sa.Connection, item_id: int) -> bool:
    return set_status(conn, item_id, "shown")


@dataclass(frozen=True, slots=True)
class Moderated:
    """An item as an operator sees it: whatever its status."""

    id: int
    title: str
    lang: Lang
    status: str
    published_at: dt.datetime
    source: sources.SourceRow


def for_operator(conn: sa.Connection, item_id: int) -> Moderated | None:
    found = conn.execute(
        sa.select(item.c.id, item.c.title, item.c.lang, item.c.status, item.c.published_at,
                  *[c.label(f"s_{c.name}") for c in sources.ROW_COLUMNS])
        .select_from(_WITH_SOURCE)
        .where(item.c.id == item_id)).mappings().first()
    if found is None:
        return None
    return Moderated(found["id"], found["title"], found["lang"], found["status"],
                     found["published_at"], sources.row_from(found, "s_"))


_SUMMARY_COLUMNS = (
    item.c.id, item.c.title, item.c.lead, item.c.lang, item.c.published_at, item.c.date_only,
    source.c.id.label("s_id"), source.c.kind.label("s_kind"), source.c.key.label("s_key"),
    source.c.name_kk.label("s_name_kk"), source.c.name_ru.label("s_name_ru"),
    source.c.name_en.label("s_name_en"), source.c.entity_type.label("s_entity_type"),
    source.c.region.label("s_region"), source.c.slug.label("s_slug"), item.c.story_id,
    item.c.image_url,
)


# Statements every article or list page runs, built once with bound parameters: building them
# per call, and computing each new statement object's SQL cache key, cost more than SQLite took
# to answer them (py-spy on article pages at 1,000,000 items). A statement object reused keeps
# its cache key.
_WITH_SOURCE = item.join(source, source.c.id == item.c.source_id)
_IN_ORDER = (sa.select(*_SUMMARY_COLUMNS).select_from(_WITH_SOURCE)
             .where(item.c.id.in_(sa.bindparam("ids", expanding=True))))
_GET = (sa.select(*_SUMMARY_COLUMNS, item.c.body_html, item.c.body_text, item.c.source_url,
                  item.c.original_lang, item.c.external_id)
        .select_from(_WITH_SOURCE)
        .where(item.c.id == sa.bindparam("item_id"), item.c.status == SHOWN))
_LABELS = (sa.select(item_rubric.c.rubric_slug, item_rubric.c.score, item_rubric.c.origin,
                     item_rubric.c.reason)
           .join(rubric, rubric.c.slug == item_rubric.c.rubric_slug)
           .where(item_rubric.c.item_id == sa.bindparam("item_id"))
           .order_by(rubric.c.position))
_VERSIONS = (sa.select(item.c.id, item.c.lang, item.c.title)
             .where(item.c.source_id == sa.bindparam("source_id"),
                    item.c.external_id == sa.bindparam("external_id"),
                    item.c.lang != sa.bindparam("lang"), item.c.status == SHOWN))
_HAS_LANG = sa.select(sa.select(item.c.id).where(item.c.status == SHOWN,
                                                 item.c.lang == sa.bindparam("lang")).exists())


def _summary(m: sa.RowMapping) -> ItemSummary:
    return ItemSummary(m["id"], m["title"], m["lead"], m["lang"], m["published_at"],
                       m["date_only"], sources.row_from(m, "s_"), m["story_id"],
                       image_url=m["image_url"])


def summaries(conn: sa.Connection, where: list[sa.ColumnElement[bool]]) -> list[ItemSummary]:
    """Shown items matching `where`, oldest first (a story's reports)."""
    query = (sa.select(*_SUMMARY_COLUMNS)
             .select_from(_WITH_SOURCE)
             .where(item.c.status == SHOWN, *where)
             .order_by(item.c.published_at, item.c.id))
    return [_summary(m) for m in conn.execute(query).mappings()]


def older_than(at: sa.ColumnElement[dt.datetime], key: sa.ColumnElement[int],
               before: Position | None) -> list[sa.ColumnElement[bool]]:
    """Keyset pagination: the rows a newest-first list shows after `before`. A range on the
    date plus a tie-break rather than a row comparison, so both engines seek the (…, date,
    id) index to `before` and walk on from there: a page deep in a list costs what the first
    costs, where an OFFSET walks every row before it."""
    if before is None:
        return []
    moment, last = before
    return [at <= moment, sa.or_(at < moment, key < last)]


def rubric_keys(slug: str, langs: tuple[str, ...] | None, *, limit: int, offset: int = 0,
                before: Position | None = None) -> sa.Select[int]:
    """Ids of `in_rubric`'s rows, in order. It reads index entries only (migration 0010):
    item_rubric's (rubric_slug, published_at, item_id) for the order, item's (id, status,
    story_lead, lang) for the tests — so even page 500's OFFSET walks no item rows."""
    query = (
        sa.select(item_rubric.c.item_id)
        .select_from(item_rubric.join(item, item.c.id == item_rubric.c.item_id))
        .where(item_rubric.c.rubric_slug == slug, item.c.status == SHOWN, item.c.story_lead,
               *older_than(item_rubric.c.published_at, item_rubric.c.item_id, before))
        .order_by(item_rubric.c.published_at.desc(), item_rubric.c.item_id.desc())
        .limit(limit).offset(offset)
    )
    return query.where(item.c.lang.in_(langs)) if langs is not None else query


def in_order(conn: sa.Connection, ids: Sequence[int]) -> list[ItemSummary]:
    """The summaries of `ids`, in that order (one primary-key lookup each)."""
    if not ids:
        return []
    rows = conn.execute(_IN_ORDER, {"ids": list(ids)}).mappings()
    found = {m["id"]: _summary(m) for m in rows}
    return [found[i] for i in ids if i in found]


def in_rubric(conn: sa.Connection, slug: str, langs: tuple[str, ...] | None, *,
              limit: int, offset: int = 0, before: Position | None = None) -> list[ItemSummary]:
    """Shown items of a rubric, newest first (in `langs`, when given), one per story: its
    representative in the item's language (`story_lead`, store/stories.py); from `offset`,
    or after `before` (keyset)."""
    keys = rubric_keys(slug, langs, limit=limit, offset=offset, before=before)
    return in_order(conn, list(conn.execute(keys).scalars()))


def newest_in_rubrics(conn: sa.Connection, slugs: Sequence[str], langs: tuple[str, ...] | None,
                      *, limit: int) -> dict[str, list[ItemSummary]]:
    """`in_rubric`'s first `limit` items of each rubric (the home page's blocks): one index walk
    per rubric, all in one statement, then the summaries of them all in one more (an item is
    often in two)."""
    keys: dict[str, list[tuple[dt.datetime, int]]] = {slug: [] for slug in slugs}
    if slugs:
        for item_id, slug, at in conn.execute(_newest_keys(tuple(slugs), langs, limit)):
            keys[slug].append((at, item_id))
    ordered = {slug: [i for _, i in sorted(found, reverse=True)] for slug, found in keys.items()}
    summaries = {s.id: s for s in in_order(conn, list(dict.fromkeys(
        i for ids in ordered.values() for i in ids)))}
    return {slug: [summaries[i] for i in ids if i in summaries] for slug, ids in ordered.items()}


@functools.lru_cache(maxsize=128)
def _newest_keys(slugs: tuple[str, ...], langs: tuple[str, ...] | None,
                 limit: int) -> sa.CompoundSelect[int, str, dt.datetime]:
    """Each rubric's `rubric_keys` as a branch of one UNION ALL, with the columns that put its
    rows back in order (a union keeps no order). Built once per set of rubrics, editions and
    limit: building the branches cost 0.3 ms each, more than running them took."""
    branches = [rubric_keys(slug, langs, limit=limit)
                .add_columns(item_rubric.c.rubric_slug, item_rubric.c.published_at).subquery()
                for slug in slugs]
    return sa.union_all(*(sa.select(branch) for branch in branches))


def count_in_rubric(conn: sa.Connection, slug: str, langs: tuple[str, ...] | None, *,
                    up_to: int | None = None) -> int:
    """How many items `in_rubric` lists, counted up to `up_to` when given: a count walks every
    row it counts, and a page needs to know only whether there are more than it can show."""
    query = (sa.select(item.c.id).select_from(
        item_rubric.join(item, item.c.id == item_rubric.c.item_id))
        .where(item_rubric.c.rubric_slug == slug, item.c.status == SHOWN, item.c.story_lead))
    if langs is not None:
        query = query.where(item.c.lang.in_(langs))
    return _count(conn, query, up_to)


def _count(conn: sa.Connection, rows: sa.Select[tuple[int]], up_to: int | None) -> int:
    limited = rows.limit(up_to) if up_to is not None else rows
    return int(conn.execute(sa.select(sa.func.count()).select_from(limited.subquery()))
               .scalar_one())


def has_lang(conn: sa.Connection, lang: str) -> bool:
    return bool(conn.execute(_HAS_LANG, {"lang": lang}).scalar())


def get(conn: sa.Connection, item_id: int) -> ArticleView | None:
    found = conn.execute(_GET, {"item_id": item_id}).mappings().first()
    if found is None:
        return None
    labels = conn.execute(_LABELS, {"item_id": item_id})
    return ArticleView(
        summary=_summary(found), body_html=found["body_html"], body_text=found["body_text"],
        source_url=found["source_url"], original_lang=found["original_lang"],
        rubrics=tuple(RubricLabel(r.rubric_slug, r.score, r.origin, r.reason) for r in labels),
        image_url=found["image_url"],
        versions=versions(conn, found["s_id"], found["external_id"], found["lang"]),
    )


def versions(conn: sa.Connection, source_id: int, external_id: str,
             lang: str) -> tuple[Version, ...]:
    """Other shown language versions of one publication: same source, same external id
    (one gov.kz id carries every language, govkz.md §2.4); kk, ru, en order."""
    rows = conn.execute(_VERSIONS, {"source_id": source_id, "external_id": external_id,
                                    "lang": lang})
    order = {code: n for n, code in enumerate(("kk", "ru", "en"))}
    found = sorted(rows, key=lambda r: order.get(r.lang, 9))
    return tuple(Version(r.id, r.lang, r.title) for r in found)


def source_keys(source_id: int, *, limit: int, offset: int = 0,
                before: Position | None = None) -> sa.Select[int]:
    """Ids of `in_source`'s rows, in order: one backward walk of item's (source_id, status,
    published_at, id) index (migration 0010), whatever the source's size."""
    return (sa.select(item.c.id)
            .where(item.c.source_id == source_id, item.c.status == SHOWN,
                   *older_than(item.c.published_at, item.c.id, before))
            .order_by(item.c.published_at.desc(), item.c.id.desc())
            .limit(limit).offset(offset))


def in_source(conn: sa.Connection, source_id: int, *, limit: int, offset: int = 0,
              before: Position | None = None) -> list[ItemSummary]:
    """Shown items of one source, newest first (every language: a source page is the record
    of what that body published); from `offset`, or after `before` (keyset)."""
    keys = source_keys(source_id, limit=limit, offset=offset, before=before)
    return in_order(conn, list(conn.execute(keys).scalars()))


def count_in_source(conn: sa.Connection, source_id: int, *, up_to: int | None = None) -> int:
    query = sa.select(item.c.id).where(item.c.source_id == source_id, item.c.status == SHOWN)
    return _count(conn, query, up_to)


def listed(conn: sa.Connection, where: list[sa.ColumnElement[bool]],
           langs: tuple[str, ...] | None, *, limit: int, offset: int = 0,
           before: Position | None = None) -> list[ItemSummary]:
    """Shown items matching `where`, newest first, one per story (its `story_lead`), in
    `langs` when given: the list of pages built on `item` alone (a day of the archive, a
    region's sources); from `offset`, or after `before` (keyset)."""
    query = (
        sa.select(item.c.id)
        .where(item.c.status == SHOWN, item.c.story_lead, *where,
               *older_than(item.c.published_at, item.c.id, before))
        .order_by(item.c.published_at.desc(), item.c.id.desc())
        .limit(limit).offset(offset)
    )
    if langs is not None:
        query = query.where(item.c.lang.in_(langs))
    return in_order(conn, list(conn.execute(query).scalars()))


def count_listed(conn: sa.Connection, where: list[sa.ColumnElement[bool]],
                 langs: tuple[str, ...] | None, *, up_to: int | None = None) -> int:
    """How many items `listed` pages through (counted up to `up_to`, as `count_in_rubric`)."""
    query = sa.select(item.c.id).where(item.c.status == SHOWN, item.c.story_lead, *where)
    if langs is not None:
        query = query.where(item.c.lang.in_(langs))
    return _count(conn, query, up_to)


def count_items(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(item)).scalar_one())


# ── readers' tools: feeds, the JSON API, sitemaps, exports ──────────────────────────────────

Position = tuple[dt.datetime, int]  # (published_at, id): where a newest-first listing stopped


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Which shown items a reader's tool asks for; each field narrows, None means any."""

    lang: str | None = None
    rubric: str | None = None
    source_id: int | None = None
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive
    after: Position | None = None  # keyset pagination: only items listed after this one


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One item with everything feeds, the API and exports publish about it."""

    summary: ItemSummary
    external_id: str
    body_html: str
    body_text: str
    source_url: str | None
    original_lang: Lang | None
    updated_at: dt.datetime
    rubrics: tuple[str, ...]  # slugs, in rubric order
    image_url: str | None = None

    @property
    def position(self) -> Position:
        return (self.summary.published_at, self.summary.id)


_RECORD_COLUMNS = (*_SUMMARY_COLUMNS, item.c.external_id, item.c.body_html, item.c.body_text,
                   item.c.source_url, item.c.original_lang, item.c.updated_at)  # + image_url


def _conditions(f: ItemFilter) -> list[sa.ColumnElement[bool]]:
    where = [item.c.status == SHOWN]
    if f.lang is not None:
        where.append(item.c.lang == f.lang)
    if f.rubric is not None:
        # EXISTS, not IN: IN (subquery) makes SQLite list the whole rubric first (340 ms at
        # 200,000 items, bench/costly.py), EXISTS probes the walked rows only (0.2 ms).
        where.append(sa.exists().where(item_rubric.c.item_id == item.c.id,
                                       item_rubric.c.rubric_slug == f.rubric))
    if f.source_id is not None:
        where.append(item.c.source_id == f.source_id)
    if f.since is not None:
        where.append(item.c.published_at >= f.since)
    if f.until is not None:
        where.append(item.c.published_at < f.until)
    if f.after is not None:
        at, last_id = f.after
        where.append(sa.or_(item.c.published_at < at,
                            sa.and_(item.c.published_at == at, item.c.id < last_id)))
    return where


def _rubric_slugs(conn: sa.Connection, ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(item_rubric.c.item_id, item_rubric.c.rubric_slug)
        .join(rubric, rubric.c.slug == item_rubric.c.rubric_slug)
        .where(item_rubric.c.item_id.in_(ids)).order_by(rubric.c.position))
    slugs: dict[int, list[str]] = {}
    for item_id, slug in rows:
        slugs.setdefault(item_id, []).append(slug)
    return {k: tuple(v) for k, v in slugs.items()}


def _records(conn: sa.Connection, where: list[sa.ColumnElement[bool]],
             limit: int) -> list[ItemRecord]:
    rows = conn.execute(
        sa.select(*_RECORD_COLUMNS).select_from(_WITH_SOURCE)
        .where(*where).order_by(item.c.published_at.desc(), item.c.id.desc()).limit(limit)
    ).mappings().all()
    slugs = _rubric_slugs(conn, [m["id"] for m in rows])
    return [_record(m, slugs) for m in rows]


def _record(m: sa.RowMapping, slugs: dict[int, tuple[str, ...]]) -> ItemRecord:
    return ItemRecord(_summary(m), m["external_id"], m["body_html"], m["body_text"],
                      m["source_url"], m["original_lang"], m["updated_at"],
                      slugs.get(m["id"], ()), m["image_url"])


def records(conn: sa.Connection, f: ItemFilter, *, limit: int) -> list[ItemRecord]:
    """Shown items matching `f`, newest first (published_at, then id, both descending).

    Without a language, one query per language, merged: the index that orders items by date
    starts with (status, lang), so one query over every language would sort all of them
    (1.1 s at 200,000 items, bench/costly.py) where three index walks take milliseconds."""
    if f.lang is not None:
        return _records(conn, _conditions(f), limit)
    found = [r for lang in LANGS
             for r in _records(conn, _conditions(dataclasses.replace(f, lang=lang)), limit)]
    return sorted(found, key=lambda r: r.position, reverse=True)[:limit]


def record(conn: sa.Connection, item_id: int) -> ItemRecord | None:
    found = _records(conn, [item.c.status == SHOWN, item.c.id == item_id], 1)
    return found[0] if found else None


def records_by_id(conn: sa.Connection, ids: Sequence[int]) -> dict[int, ItemRecord]:
    """The shown items among `ids`, by id (a page of search results, in one query)."""
    if not ids:
        return {}
    # Status is tested here, not in SQL: with `status = 'shown'` beside `id IN (…)`, SQLite's
    # planner (no statistics) walks the status index, every shown item, instead of 20 keys.
    rows = conn.execute(
        sa.select(*_RECORD_COLUMNS, item.c.status)
        .select_from(_WITH_SOURCE)
        .where(item.c.id.in_(ids))).mappings().all()
    shown = [m for m in rows if m["status"] == SHOWN]
    slugs = _rubric_slugs(conn, [m["id"] for m in shown])
    return {m["id"]: _record(m, slugs) for m in shown}


def iter_records(conn: sa.Connection, f: ItemFilter, *, batch: int = 500) -> Iterator[ItemRecord]:
    """Every item matching `f`, newest first, read a keyset page at a time (exports)."""
    while page := records(conn, f, limit=batch):
        yield from page
        f = dataclasses.replace(f, after=page[-1].position)


def _month_key(conn: sa.Connection) -> sa.ColumnElement[str]:
    # UTC months: both engines store UTC, and a sitemap's partition needs no local calendar.
    if conn.dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", item.c.published_at), "YYYY-MM")
    return sa.func.strftime("%Y-%m", item.c.published_at)


@dataclass(frozen=True, slots=True)
class Month:
    month: str  # "YYYY-MM", UTC
    items: int
    last_updated: dt.datetime


def months(conn: sa.Connection) -> list[Month]:
    """Each UTC month that has shown items: how many, and when one last changed; oldest first."""
    key = _month_key(conn).label("month")
    rows = conn.execute(sa.select(key, sa.func.count(), sa.func.max(item.c.updated_at))
                        .where(item.c.status == SHOWN).group_by(key).order_by(key))
    return [Month(str(month), int(n), last) for month, n, last in rows]


def stamps_between(conn: sa.Connection, start: dt.datetime, end: dt.datetime, *, limit: int,
                   offset: int) -> list[tuple[int, dt.datetime]]:
    """(id, updated_at) of shown items published in [start, end), oldest first (sitemaps)."""
    rows = conn.execute(
        sa.select(item.c.id, item.c.updated_at)
        .where(item.c.status == SHOWN, item.c.published_at >= start, item.c.published_at < end)
        .order_by(item.c.published_at, item.c.id).limit(limit).offset(offset))
    return [(int(i), u) for i, u in rows]

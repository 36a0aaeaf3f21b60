"""Related items for an article page: reports that name the same people, bodies and places
in the same rubric, then the newest earlier items of the same source.

Bounded by design: each shared name contributes at most `PER_NAME` of the newest items naming
it (a backward scan of the (kind, name, item_id) index, migration 0006), so a name that
thousands of items carry costs what a rare one does. The country itself ("Қазақстан") is in
nearly every item and names nothing in particular: it is left out.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from aqparat.store import articles
from aqparat.store.articles import ArticleView, ItemSummary
from aqparat.store.schema import item, item_entity, item_rubric

PER_NAME = 200  # newest items looked at for each shared name
MAX_NAMES = 12  # names of the article looked at, in order of first mention
TOO_COMMON = frozenset({"kazakhstan"})  # gazetteer keys that relate nothing


def _names(conn: sa.Connection, item_id: int) -> list[tuple[str, str]]:
    rows = conn.execute(sa.select(item_entity.c.kind, item_entity.c.name, item_entity.c.key)
                        .where(item_entity.c.item_id == item_id)
                        .order_by(item_entity.c.position))
    return [(k, n) for k, n, key in rows if key not in TOO_COMMON][:MAX_NAMES]


def shared_names(conn: sa.Connection, item_id: int) -> Counter[int]:
    """Other items → how many of this item's names they carry (among each name's newest)."""
    shared: Counter[int] = Counter()
    for kind, name in _names(conn, item_id):
        ids = conn.execute(
            sa.select(item_entity.c.item_id)
            .where(item_entity.c.kind == kind, item_entity.c.name == name,
                   item_entity.c.item_id != item_id)
            .order_by(item_entity.c.item_id.desc()).limit(PER_NAME)).scalars()
        shared.update(set(ids))
    return shared


def _not_itself(view: ArticleView) -> list[sa.ColumnElement[bool]]:
    """Neither the item, nor its story, nor its other language versions."""
    s = view.summary
    where = [item.c.id != s.id, item.c.id.not_in([v.id for v in view.versions] or [0])]
    if s.story_id is not None:
        where.append(sa.or_(item.c.story_id.is_(None), item.c.story_id != s.story_id))
    return where


def _same_rubric(view: ArticleView) -> sa.ColumnElement[bool]:
    """Shares a rubric with the item; every item is in `news`, so it counts only when the
    item has no other."""
    slugs = [r.slug for r in view.rubrics if r.slug != "news"] or ["news"]
    return sa.exists().where(item_rubric.c.item_id == item.c.id,
                             item_rubric.c.rubric_slug.in_(slugs))


def related(conn: sa.Connection, view: ArticleView, langs: tuple[str, ...] | None, *,
            limit: int = 5) -> list[ItemSummary]:
    """Up to `limit` items: most shared names first (newest first among equals), then the
    same source's newest items published before this one."""
    shared = shared_names(conn, view.summary.id)
    found: list[ItemSummary] = []
    if shared:
        candidates = articles.listed(
            conn, [item.c.id.in_(list(shared)), _same_rubric(view), *_not_itself(view)],
            langs, limit=len(shared))
        found = sorted(candidates, key=lambda s: (-shared[s.id], -s.published_at.timestamp(),
                                                  -s.id))[:limit]
    if len(found) < limit:
        seen = [s.id for s in found]
        found += articles.listed(
            conn, [item.c.source_id == view.summary.source.id, item.c.id.not_in(seen or [0]),
                   item.c.published_at <= view.summary.published_at, *_not_itself(view)],
            langs, limit=limit - len(found))
    return found


def _source_urls() -> sa.Select[str, str]:
    other = item.alias("other")
    return (sa.select(other.c.lang, other.c.source_url)
            .select_from(item.join(other, sa.and_(other.c.source_id == item.c.source_id,
                                                  other.c.external_id == item.c.external_id)))
            .where(item.c.id == sa.bindparam("item_id"), other.c.source_url.is_not(None)))


# Built once: an alias of the wide item table makes a proxy of every column when first read,
# and building this statement on each article page took 12 % of the page's render (py-spy,
# 1,000,000 items); one statement object also keeps its SQL cache key, computed once.
_SOURCE_URLS = _source_urls()


def source_urls(conn: sa.Connection, item_id: int) -> dict[str, str]:
    """The original's URL in each language the source published the item in (the same
    (source, external id); one gov.kz id carries every language), shown or not: a hidden
    version is still the source's own page."""
    rows = conn.execute(_SOURCE_URLS, {"item_id": item_id})
    return {str(lang): str(url) for lang, url in rows}

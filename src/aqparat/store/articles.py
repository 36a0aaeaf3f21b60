"""Queries on items (one language version of one publication): save, list, read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from aqparat.model import Article, Lang, RubricLabel
from aqparat.store import sources
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


@dataclass(frozen=True, slots=True)
class ArticleView:
    summary: ItemSummary
    body_html: str
    body_text: str
    source_url: str | None
    original_lang: Lang | None
    rubrics: tuple[RubricLabel, ...]


def _item_values(article: Article) -> dict[str, object]:
    return {
        "original_lang": article.original_lang, "title": article.title, "lead": article.lead,
        "body_html": article.body_html, "body_text": article.body_text,
        "source_url": article.source_url, "published_at": article.published_at,
        "date_only": article.date_only, "content_hash": article.content_hash,
    }


def save(conn: sa.Connection, article: Article, source_id: int) -> SaveResult:
    """Insert or update the row keyed (source, external id, language); add new rubric labels."""
    key = (item.c.source_id == source_id, item.c.external_id == article.external_id,
           item.c.lang == article.lang)
    found = conn.execute(sa.select(item.c.id, item.c.content_hash).where(*key)).first()
    now = dt.datetime.now(dt.UTC)
    if found is None:
        item_id = conn.execute(item.insert().values(
            source_id=source_id, external_id=article.external_id, lang=article.lang,
            first_seen=now, updated_at=now, **_item_values(article),
        ).returning(item.c.id)).scalar_one()
        result: SaveResult = "new"
    else:
        item_id = found.id
        result = "unchanged"
        if found.content_hash != article.content_hash:
            conn.execute(item.update().where(item.c.id == item_id)
                         .values(updated_at=now, **_item_values(article)))
            conn.execute(item_rubric.update().where(item_rubric.c.item_id == item_id)
                         .values(published_at=article.published_at))
            result = "updated"
    added = _add_rubrics(conn, item_id, article)
    return "updated" if result == "unchanged" and added else result


def _add_rubrics(conn: sa.Connection, item_id: int, article: Article) -> int:
    have = set(conn.execute(sa.select(item_rubric.c.rubric_slug)
                            .where(item_rubric.c.item_id == item_id)).scalars())
    fresh = [label for label in article.rubrics if label.slug not in have]
    for label in fresh:
        conn.execute(item_rubric.insert().values(
            item_id=item_id, rubric_slug=label.slug, score=label.score, origin=label.origin,
            reason=label.reason, published_at=article.published_at,
        ))
    return len(fresh)


_SUMMARY_COLUMNS = (
    item.c.id, item.c.title, item.c.lead, item.c.lang, item.c.published_at, item.c.date_only,
    source.c.id.label("s_id"), source.c.kind.label("s_kind"), source.c.key.label("s_key"),
    source.c.name_kk.label("s_name_kk"), source.c.name_ru.label("s_name_ru"),
    source.c.name_en.label("s_name_en"), source.c.entity_type.label("s_entity_type"),
    source.c.region.label("s_region"),
)


def _summary(m: sa.RowMapping) -> ItemSummary:
    return ItemSummary(m["id"], m["title"], m["lead"], m["lang"], m["published_at"],
                       m["date_only"], sources.row_from(m, "s_"))


def in_rubric(conn: sa.Connection, slug: str, langs: tuple[str, ...] | None, *,
              limit: int, offset: int = 0) -> list[ItemSummary]:
    """Shown items of a rubric, newest first (in `langs`, when given)."""
    query = (
        sa.select(*_SUMMARY_COLUMNS)
        .select_from(item_rubric.join(item, item.c.id == item_rubric.c.item_id)
                     .join(source, source.c.id == item.c.source_id))
        .where(item_rubric.c.rubric_slug == slug, item.c.status == SHOWN)
        .order_by(item_rubric.c.published_at.desc(), item_rubric.c.item_id.desc())
        .limit(limit).offset(offset)
    )
    if langs is not None:
        query = query.where(item.c.lang.in_(langs))
    return [_summary(m) for m in conn.execute(query).mappings()]


def count_in_rubric(conn: sa.Connection, slug: str, langs: tuple[str, ...] | None) -> int:
    query = (sa.select(sa.func.count()).select_from(
        item_rubric.join(item, item.c.id == item_rubric.c.item_id))
        .where(item_rubric.c.rubric_slug == slug, item.c.status == SHOWN))
    if langs is not None:
        query = query.where(item.c.lang.in_(langs))
    return int(conn.execute(query).scalar_one())


def has_lang(conn: sa.Connection, lang: str) -> bool:
    query = sa.select(item.c.id).where(item.c.status == SHOWN, item.c.lang == lang).exists()
    return bool(conn.execute(sa.select(query)).scalar())


def get(conn: sa.Connection, item_id: int) -> ArticleView | None:
    found = conn.execute(
        sa.select(*_SUMMARY_COLUMNS, item.c.body_html, item.c.body_text, item.c.source_url,
                  item.c.original_lang)
        .select_from(item.join(source, source.c.id == item.c.source_id))
        .where(item.c.id == item_id, item.c.status == SHOWN)
    ).mappings().first()
    if found is None:
        return None
    labels = conn.execute(
        sa.select(item_rubric.c.rubric_slug, item_rubric.c.score, item_rubric.c.origin,
                  item_rubric.c.reason)
        .join(rubric, rubric.c.slug == item_rubric.c.rubric_slug)
        .where(item_rubric.c.item_id == item_id).order_by(rubric.c.position)
    )
    return ArticleView(
        summary=_summary(found), body_html=found["body_html"], body_text=found["body_text"],
        source_url=found["source_url"], original_lang=found["original_lang"],
        rubrics=tuple(RubricLabel(r.rubric_slug, r.score, r.origin, r.reason) for r in labels),
    )


def count_items(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(item)).scalar_one())

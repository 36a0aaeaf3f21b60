"""Articles for search tests, stored through `articles.save` (so the index hook runs).

`tests/fixtures/search/corpus.jsonl` holds real-shaped items derived from the seed page and
the real gov.kz items (`tests/fixtures/search/make_fixtures.py` rebuilds it from ../shared).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from aqparat import data
from aqparat.model import Article, Lang, RubricLabel
from aqparat.store import articles, rubrics, sources
from aqparat.store.schema import item

FIXTURES = Path(__file__).parent / "fixtures" / "search"
ALMATY = dt.timezone(dt.timedelta(hours=5))


@dataclass(frozen=True, slots=True)
class Doc:
    """One item to store: the fields search reads, with test-friendly defaults."""

    ref: str  # external id; tests refer to items by it
    title: str
    body: str = ""
    lead: str = ""
    lang: Lang = "kk"
    day: dt.date = dt.date(2026, 3, 17)
    source: str = "portal"
    rubrics: tuple[str, ...] = ("news",)


def article(doc: Doc) -> Article:
    digest = hashlib.sha256(f"{doc.title}\n{doc.lead}\n{doc.body}\n{doc.day}".encode()).hexdigest()
    labels = tuple(RubricLabel(slug, 1.0, "rule", "test") for slug in doc.rubrics)
    return Article(
        source_kind="dump", source_key=doc.source, external_id=doc.ref, lang=doc.lang,
        title=doc.title, lead=doc.lead, body_html="", body_text=doc.body,
        published_at=dt.datetime.combine(doc.day, dt.time(12), ALMATY), date_only=False,
        source_url=None, original_lang=None, content_hash=digest, rubrics=labels,
    )


def store(engine: sa.Engine, docs: Iterable[Doc]) -> dict[str, int]:
    """Save `docs`; their item ids by ref."""
    ids: dict[str, int] = {}
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())
        for doc in docs:
            source_id = sources.ensure(conn, "dump", doc.source, None)
            articles.save(conn, article(doc), source_id)
            ids[doc.ref] = item_id(conn, doc)
    return ids


def item_id(conn: sa.Connection, doc: Doc) -> int:
    return int(conn.execute(sa.select(item.c.id).where(
        item.c.external_id == doc.ref, item.c.lang == doc.lang)).scalar_one())


def corpus() -> list[Doc]:
    """The committed real-shaped corpus (kk from the seed page, ru from gov.kz items)."""
    docs = []
    with (FIXTURES / "corpus.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs.append(Doc(row["ref"], row["title"], row["body"], row["lead"], row["lang"],
                            dt.date.fromisoformat(row["day"]), row["source"],
                            tuple(row["rubrics"])))
    return docs


def refs(ids: dict[str, int], found: Sequence[int]) -> list[str]:
    """Item ids back to refs, in order."""
    by_id = {v: k for k, v in ids.items()}
    return [by_id[i] for i in found]

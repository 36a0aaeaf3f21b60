"""Items made for list tests (tests/integration/test_list_paging.py, test_maintenance.py):
the fields lists filter and order on, written straight into the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat import data
from aqparat.store import rubrics
from aqparat.store.schema import item, item_rubric, source

T0 = dt.datetime(2026, 3, 17, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Row:
    """One item as the test makes it: the fields the lists filter and order on."""

    minute: int  # few distinct minutes: many items share a publication time (ties)
    lang: str
    shown: bool
    lead: bool  # story_lead
    source: int  # 1 or 2
    rubric: bool  # in `economy` (every item is in `news`)


def fill(conn: sa.Connection, rows: list[Row]) -> list[int]:
    """Write `rows` as items (ids in list order); return their ids."""
    conn.execute(item_rubric.delete())
    conn.execute(item.delete())
    if conn.execute(sa.select(source.c.id).limit(1)).first() is None:
        rubrics.sync(conn, data.rubrics())
        conn.execute(source.insert(), [
            {"id": n, "kind": "govkz", "key": f"body-{n}", "name_kk": f"Орган {n}",
             "created_at": T0} for n in (1, 2)])
    ids = []
    for n, r in enumerate(rows, start=1):
        at = T0 + dt.timedelta(minutes=r.minute)
        conn.execute(item.insert().values(
            id=n, source_id=r.source, external_id=str(n), lang=r.lang, title=f"Хабар {n}",
            lead="Мәтін.", body_html="<p>Мәтін.</p>", body_text="Мәтін.", published_at=at,
            date_only=False, first_seen=at, updated_at=at, content_hash=str(n),
            status="shown" if r.shown else "hidden", story_lead=r.lead))
        slugs = ["news", "economy"] if r.rubric else ["news"]
        conn.execute(item_rubric.insert(), [
            {"item_id": n, "rubric_slug": s, "score": 1.0, "origin": "rule",
             "published_at": at} for s in slugs])
        ids.append(n)
    return ids


def newest_first(rows: list[Row], keep: list[bool]) -> list[int]:
    chosen = [(T0 + dt.timedelta(minutes=r.minute), n) for n, (r, k)
              in enumerate(zip(rows, keep, strict=True), start=1) if k]
    return [n for _, n in sorted(chosen, reverse=True)]

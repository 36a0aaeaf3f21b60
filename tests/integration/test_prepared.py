"""The store's work done ahead by the pipeline (model.Prepared: search terms, the story
description) changes nothing stored: generated items saved with it and without it give the
same rows in every table, stories, their index and the search index included."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlalchemy as sa

from aqparat.crawl.run import prepare_store
from aqparat.ingest import default_options
from aqparat.model import Article
from aqparat.pipeline.run import ALMATY, process
from aqparat.sources import govkz
from aqparat.store import db, schema, sources, stories
from aqparat.testing import synth_items

# Set by the clock when stored, not by the item.
STAMPS = {"first_seen", "updated_at", "created_at", "changed_at"}
SIGN_OFF = "Толық ақпарат министрліктің баспасөз қызметінде: +7 7172 74 00 00."


def articles(count: int) -> list[tuple[str, Article]]:
    options = dataclasses.replace(default_options(), prepare=True)  # as backfill's workers
    found = []
    for n in range(count):
        made = synth_items.item(5, n)
        obj = made.obj
        if n % 3 == 0:  # a sign-off its source repeats: boilerplate, described again on filing
            obj = {**obj, "body": f"{obj['body']}<p>{SIGN_OFF}</p>"}
        ctx = govkz.ItemContext(made.slug, made.lang, "https://www.gov.kz", ALMATY, f"#{n}")
        art = process(govkz.to_raw_item(obj, ctx, 1), options).article
        if art is not None:
            found.append((made.slug, art))
    return found


def stored(path: Path, items: list[tuple[str, Article]]) -> dict[str, list[tuple[object, ...]]]:
    engine = db.open_store(f"sqlite:///{path}", migrate=True)
    prepare_store(engine)
    options = default_options().stories
    with engine.begin() as conn:
        ids = {s.key: s.row.id for s in sources.states(conn)}
        for slug, art in items:
            stories.keep(conn, art, ids[slug], options)
            stories.keep(conn, art, ids[slug], options)  # again: unchanged
    tables = {}
    with engine.connect() as conn:
        for table in [*schema.metadata.sorted_tables, sa.table("search_doc")]:
            name = table.name
            columns = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({name})")
                       if r[1] not in STAMPS]
            rows = conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM {name}")  # noqa: S608
            tables[name] = sorted(map(tuple, rows), key=repr)
    engine.dispose()
    return tables


def test_prepared_articles_store_what_unprepared_ones_do(tmp_path: Path) -> None:
    items = articles(60)
    assert all(art.prepared is not None for _, art in items)
    bare = [(slug, dataclasses.replace(art, prepared=None)) for slug, art in items]
    ahead = stored(tmp_path / "prepared.db", items)
    assert len(ahead["item"]) == len(items) > 50
    assert len(ahead["search_doc"]) == len(items)
    assert all(ahead[name] for name in ("story", "item_profile", "item_fact", "item_band"))
    assert ahead == stored(tmp_path / "bare.db", bare)

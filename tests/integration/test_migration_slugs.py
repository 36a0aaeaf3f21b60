"""Migration 0009 gives every existing source a slug (gov.kz entities keep their keys, even
against a feed that would like the same one), unique, and takes the column away on the way
down; new rows get theirs from the column default. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from aqparat.store import db, slugs, sources
from aqparat.store.schema import source

ROWS = [  # (kind, key, the slug 0009 gives it), in id order: a feed named like a gov.kz
    # entity comes first, and the entity still keeps its key
    ("feed", "https://mfa/", "mfa-2"), ("govkz", "mfa", "mfa"),
    ("feed", "https://www.akorda.kz/rss", "akorda-kz-rss"),
    ("feed", "https://akorda.kz/rss.xml", "akorda-kz-rss-2"),
    ("page", "https://akorda.kz/rss", "akorda-kz-rss-3"),
    ("dump", "enbekshiqazaq.kz", "enbekshiqazaq.kz"),
]


def test_0009_fills_slugs_for_existing_rows_and_goes_back(database_url: str) -> None:
    engine = db.create_engine(database_url)
    try:
        db.upgrade(engine, "0008")
        with engine.begin() as conn:
            for kind, key, _ in ROWS:
                conn.execute(sa.text(
                    "INSERT INTO source (kind, key, enabled, created_at) "
                    "VALUES (:kind, :key, true, '2026-03-17 00:00:00')"),
                    {"kind": kind, "key": key})
        db.upgrade(engine)
        with engine.connect() as conn:
            found = [(r.kind, r.key, r.slug) for r in conn.execute(
                sa.select(source.c.kind, source.c.key, source.c.slug).order_by(source.c.id))]
        assert found == ROWS
        with engine.begin() as conn:  # the default continues where the migration stopped
            added = sources.add(conn, "https://akorda.kz/rss/", None, enabled=True,
                                origin="operator", kind="feed")
            assert conn.execute(sa.select(source.c.slug).where(source.c.id == added)
                                ).scalar_one() == "akorda-kz-rss-4"
        db.downgrade(engine, "0008")
        assert "slug" not in {c["name"] for c in sa.inspect(engine).get_columns("source")}
    finally:
        engine.dispose()


def test_the_default_picks_past_a_taken_slug_on_direct_inserts(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for n, key in enumerate(["s", "https://s/", "https://s", "https://s/index.html"]):
            conn.execute(source.insert().values(kind="feed" if n else "dump", key=key,
                                                created_at=dt.datetime.now(dt.UTC)))
        got = list(conn.execute(sa.select(source.c.slug).order_by(source.c.id)).scalars())
    assert got == ["s", "s-2", "s-3", "s-index"]
    assert all(slugs.SLUG.fullmatch(s) for s in got)

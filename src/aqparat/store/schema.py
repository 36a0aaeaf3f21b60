"""SQLAlchemy Core tables: DESIGN.md's data model. `migrations/` builds the same schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from aqparat.store import slugs

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on both engines.

    SQLite has no time-zone type: SQLAlchemy would silently drop the offset, so we store UTC
    there and re-attach it on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store: naive datetime refused; attach a time zone first")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


source = sa.Table(
    "source", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # govkz | feed | page | dump
    sa.Column("key", sa.String(512), nullable=False),  # entity slug, feed URL, portal name
    sa.Column("name_kk", sa.Text),
    sa.Column("name_ru", sa.Text),
    sa.Column("name_en", sa.Text),
    sa.Column("entity_type", sa.String(32)),
    sa.Column("region", sa.String(64)),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # The collector's state: a failed source is data (migration 0002).
    sa.Column("origin", sa.String(16), nullable=False, server_default="import"),
    # ^ seed (data/entities.toml) | operator (`sources add`) | discovered | import (a dump)
    sa.Column("tier", sa.String(8)),  # hot | warm | cold (fetch/schedule.py)
    sa.Column("rate_per_day", sa.Float),  # observed over the last 30 days
    sa.Column("status", sa.String(16)),  # ok | error | suspended; NULL: never fetched
    sa.Column("last_fetch_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # consecutive
    sa.Column("next_fetch_at", UTCDateTime),
    # A crawl worker's lease on the source (store/claims.py; migration 0011): several workers
    # on several hosts share one PostgreSQL, and a lease that runs out (a killed worker) is
    # taken over by another.
    sa.Column("claimed_by", sa.String(128)),
    sa.Column("claimed_until", UTCDateTime),
    # Its page and feeds' name, never changed by a move (store/slugs.py; migration 0009).
    sa.Column("slug", sa.String(128), nullable=False, default=slugs.column_default),
    sa.UniqueConstraint("kind", "key"),
    sa.UniqueConstraint("slug"),
)

item = sa.Table(
    "item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
    sa.Column("external_id", sa.String(512), nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("original_lang", sa.String(8)),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("lead", sa.Text, nullable=False),
    sa.Column("body_html", sa.Text, nullable=False),
    sa.Column("body_text", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Column("date_only", sa.Boolean, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="shown"),
    sa.Column("image_url", sa.Text),
    sa.Column("published_raw", sa.String(64)),  # the source's date string, as written
    sa.Column("raw_page_id", sa.Integer, sa.ForeignKey("raw_page.id", ondelete="SET NULL")),
    # Its story (pipeline/stories.py; migration 0005). No foreign keys: on SQLite adding one
    # makes Alembic rebuild `item` by DROP + RENAME, and the DROP would cascade to every row
    # that references an item. Stories are derived data (`aqparat stories rebuild`).
    sa.Column("story_id", sa.Integer),
    # The story's representative in this item's language: what lists show (one per story).
    sa.Column("story_lead", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("duplicate_of", sa.Integer),  # the earliest item with the same (or near) text
    # (source_id, external_id, lang) also links an item's language versions: same prefix.
    sa.UniqueConstraint("source_id", "external_id", "lang"),
    # Home and edition lists: newest shown items of one language.
    sa.Index(None, "status", "lang", "published_at", "id"),
    # A story's reports from index entries alone (store/stories.refresh, story pages): reading
    # a column behind the body from the row means walking its overflow pages (migration 0008).
    sa.Index("ix_item_story_members", "story_id", "published_at", "id", "lang", "source_id",
             "status", "story_lead"),
    # List pages read ids from index entries alone (migration 0010; store/articles.py):
    # what a rubric list tests of each item, and a source's shown items newest first.
    sa.Index(None, "id", "status", "story_lead", "lang"),
    sa.Index(None, "source_id", "status", "published_at", "id"),
)

rubric = sa.Table(
    "rubric", metadata,
    sa.Column("slug", sa.String(64), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name_kk", sa.Text, nullable=False),
    sa.Column("name_ru", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False),
)

item_rubric = sa.Table(
    "item_rubric", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("rubric_slug", sa.String(64), sa.ForeignKey("rubric.slug"), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),  # source | rule | entity | lexicon | ...
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    # Copied from item so a rubric page is one index range scan, newest first.
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Index(None, "rubric_slug", "published_at", "item_id"),
)

fetch_log = sa.Table(
    "fetch_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id")),
    sa.Column("target", sa.Text, nullable=False),  # the URL or file that was read
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("status", sa.String(16), nullable=False),  # ok | error
    sa.Column("items_new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text),
    sa.Index(None, "source_id", "id"),  # a source's latest fetch (status page)
)

# Where each (gov.kz entity, language) listing stands: checkpointed after every page, so a
# killed crawl resumes at the next page of the same pass.
crawl_cursor = sa.Table(
    "crawl_cursor", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("high_water", UTCDateTime),  # newest created_date of completed passes
    sa.Column("high_water_id", sa.BigInteger),  # highest id seen (a gap check's input)
    sa.Column("pass_kind", sa.String(16)),  # backfill | incremental | rescan; NULL: idle
    sa.Column("pass_page", sa.Integer, nullable=False, server_default="0"),  # last page done
    sa.Column("pass_started_at", UTCDateTime),
    sa.Column("pass_high_water", UTCDateTime),
    sa.Column("pass_high_water_id", sa.BigInteger),
    sa.Column("last_complete_at", UTCDateTime),
    sa.Column("last_rescan_at", UTCDateTime),
    sa.Column("etag", sa.Text),  # page 1's validators, for a conditional GET
    sa.Column("last_modified", sa.Text),
    sa.UniqueConstraint("source_id", "lang"),
)

# Raw answers, gzipped, one row per listing page that changed something: `aqparat replay`
# re-runs the pipeline from here with no network. A table rather than files so a page's
# archive, items and checkpoint commit together (a killed crawl leaves no orphan either way)
# and a crawl worker on another machine needs no shared disk.
raw_page = sa.Table(
    "raw_page", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("api", sa.String(8), nullable=False),  # rest | graphql
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("http_status", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("body_gz", sa.LargeBinary, nullable=False),
    sa.Column("error", sa.Text),  # set when the page could not be used: kept to diagnose
    sa.Index(None, "source_id", "id"),
)


# Events an item announces (pipeline/extraction.py; migration 0004). Replaced with the item's
# content: an item whose content hash is unchanged keeps its rows and their ids.
event = sa.Table(
    "event", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # order in the item; part of the iCal UID
    sa.Column("starts_at", UTCDateTime, nullable=False),  # local midnight when all_day
    sa.Column("ends_at", UTCDateTime),  # None: no end given; all_day: the last day's midnight
    sa.Column("all_day", sa.Boolean, nullable=False),
    # When the event is over: its end, else its start (the end of its last day when all_day).
    # Stored so "upcoming" and "past" are one index range each.
    sa.Column("until_at", UTCDateTime, nullable=False),
    sa.Column("place", sa.Text),
    sa.Column("city", sa.String(64)),  # gazetteer key
    sa.Column("span_start", sa.Integer, nullable=False),  # in item.body_text
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("span_text", sa.Text, nullable=False),
    sa.UniqueConstraint("item_id", "position"),
    sa.Index(None, "until_at", "starts_at"),
)

# People, bodies and places an item names, once per item. A table rather than a JSON column
# on item: "items naming X" is an indexed lookup on both engines, rows go with their item
# (ON DELETE CASCADE), and no JSON dialect differs between SQLite and PostgreSQL.
item_entity = sa.Table(
    "item_entity", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),  # order of first mention
    sa.Column("kind", sa.String(8), nullable=False),  # person | body | place
    sa.Column("name", sa.Text, nullable=False),  # canonical form
    sa.Column("role", sa.Text),
    sa.Column("key", sa.String(64)),  # gazetteer key of a known body or place
    sa.Column("mentions", sa.Integer, nullable=False),
    # With item_id: "the newest items naming X" is a backward range scan (store/related.py).
    sa.Index(None, "kind", "name", "item_id"),
)

# ── stories (pipeline/stories.py, store/stories.py; migration 0005) ──────────────────────────

# Reports of one event. Its representative is its earliest report; `sources` counts distinct
# sources ("+N sources" in lists is sources − 1).
story = sa.Table(
    "story", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("representative_id", sa.Integer, sa.ForeignKey("item.id", ondelete="SET NULL")),
    sa.Column("first_at", UTCDateTime, nullable=False),  # earliest publication
    sa.Column("last_at", UTCDateTime, nullable=False),  # latest publication
    sa.Column("items", sa.Integer, nullable=False),
    sa.Column("sources", sa.Integer, nullable=False),
    sa.Column("langs", sa.String(16), nullable=False),  # "kk,ru,en" order, those present
    sa.Index(None, "last_at", "id"),  # /api/v1/stories: most recently active first
)

# What verifying a duplicate candidate needs of an item (pipeline/stories.Profile).
item_profile = sa.Table(
    "item_profile", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # exact text (identity.py)
    sa.Column("signature", sa.LargeBinary),  # 128 little-endian uint32: MinHash
    sa.Column("terms", sa.Integer, nullable=False),
    sa.Column("title_terms", sa.Text, nullable=False),  # space-separated
    sa.Column("event", sa.String(64)),  # day/time|city of its first announced event
    sa.Column("numbers", sa.Text, nullable=False),  # space-separated
    # Copies of the item's story fields (written together by store/story_index.py, migration
    # 0008), so verifying a candidate never reads the `item` row, where these sit behind the
    # body. `at`: microseconds since 1970, UTC.
    sa.Column("story_id", sa.Integer),
    sa.Column("duplicate_of", sa.Integer),
    sa.Column("at", sa.BigInteger),
    sa.Index(None, "fingerprint"),
)

# LSH: an item under each of its MinHash bands (and a short item under its event). Band rows
# are hints: a candidate counts only through its item_profile row, so they need neither a
# foreign key nor an index on item_id (half the table's bytes): an item filed again deletes
# its keys recomputed from its stored signature (migration 0008).
item_band = sa.Table(
    "item_band", metadata,
    sa.Column("key", sa.BigInteger, primary_key=True),
    sa.Column("item_id", sa.Integer, primary_key=True),
    sqlite_with_rowid=False,  # the primary key is the table: half the bytes
)

# Facts (pipeline/facts.py) by publication time: "reports of the week stating X". `at` is
# seconds since 1970 (UTC): 8 bytes a row instead of a 26-character timestamp on SQLite.
item_fact = sa.Table(
    "item_fact", metadata,
    sa.Column("fact", sa.BigInteger, primary_key=True),
    sa.Column("at", sa.BigInteger, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Index(None, "item_id"),
    sqlite_with_rowid=False,
)

# How many items of a source used a sentence: from DedupOptions.boilerplate on, it is the
# source's boilerplate (sign-offs, contact blocks) and is left out of shingles and facts.
source_sentence = sa.Table(
    "source_sentence", metadata,
    sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("key", sa.BigInteger, primary_key=True),
    sa.Column("items", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)


# `aqparat backfill` (crawl/replay.py; migration 0011): how far each named run got. Saved in
# each batch's own transaction, so a killed backfill resumes after its last committed batch.
backfill_checkpoint = sa.Table(
    "backfill_checkpoint", metadata,
    sa.Column("name", sa.String(64), primary_key=True),  # archive | generate:<seed>
    sa.Column("position", sa.BigInteger, nullable=False),  # raw_page id, or items generated
    sa.Column("items", sa.BigInteger, nullable=False),  # items through the pipeline so far
    sa.Column("updated_at", UTCDateTime, nullable=False),
)


# How often each item's page was read (issue 9): counted in memory by each web process and
# added here in batches (web/views.py), so a page view costs no write. No row: never read.
item_view = sa.Table(
    "item_view", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("views", sa.BigInteger, nullable=False),
)


# The change counter (store/changes.py; migration 0007): database triggers bump a row on every
# write to what pages show; web processes compare the sum to drop their cached pages.
store_change = sa.Table(
    "store_change", metadata,
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.BigInteger, nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's comparison skips the search index: `search_*` tables are engine-specific (FTS5
    virtual and shadow tables on SQLite, a tsvector table on PostgreSQL), built by migration
    0003 and read only by store/fts/."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))

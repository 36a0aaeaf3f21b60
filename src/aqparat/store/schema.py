"""SQLAlchemy Core tables: DESIGN.md's data model. `migrations/` builds the same schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

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
    sa.UniqueConstraint("kind", "key"),
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
    sa.UniqueConstraint("source_id", "external_id", "lang"),
    # Home and edition lists: newest shown items of one language.
    sa.Index(None, "status", "lang", "published_at", "id"),
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
)

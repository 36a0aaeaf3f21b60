"""Initial store: sources, items, rubrics, item rubrics, fetch log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("name_kk", sa.Text),
        sa.Column("name_ru", sa.Text),
        sa.Column("name_en", sa.Text),
        sa.Column("entity_type", sa.String(32)),
        sa.Column("region", sa.String(64)),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source"),
        sa.UniqueConstraint("kind", "key", name="uq_source_kind_key"),
    )
    op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("external_id", sa.String(512), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("original_lang", sa.String(8)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("published_at", TZ, nullable=False),
        sa.Column("date_only", sa.Boolean, nullable=False),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="shown"),
        sa.PrimaryKeyConstraint("id", name="pk_item"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name="fk_item_source_id_source"),
        sa.UniqueConstraint("source_id", "external_id", "lang",
                            name="uq_item_source_id_external_id_lang"),
    )
    op.create_index("ix_item_status_lang_published_at_id", "item",
                    ["status", "lang", "published_at", "id"])
    op.create_table(
        "rubric",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name_kk", sa.Text, nullable=False),
        sa.Column("name_ru", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_rubric"),
    )
    op.create_table(
        "item_rubric",
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("rubric_slug", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("published_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("item_id", "rubric_slug", name="pk_item_rubric"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE",
                                name="fk_item_rubric_item_id_item"),
        sa.ForeignKeyConstraint(["rubric_slug"], ["rubric.slug"],
                                name="fk_item_rubric_rubric_slug_rubric"),
    )
    op.create_index("ix_item_rubric_rubric_slug_published_at_item_id", "item_rubric",
                    ["rubric_slug", "published_at", "item_id"])
    op.create_table(
        "fetch_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("items_new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items_updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_fetch_log"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name="fk_fetch_log_source_id_source"),
    )


def downgrade() -> None:
    op.drop_table("fetch_log")
    op.drop_index("ix_item_rubric_rubric_slug_published_at_item_id", table_name="item_rubric")
    op.drop_table("item_rubric")
    op.drop_table("rubric")
    op.drop_index("ix_item_status_lang_published_at_id", table_name="item")
    op.drop_table("item")
    op.drop_table("source")

"""gov.kz collector: source crawl state, item image/raw date/archive link, cursors, raw pages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), nullable=False,
                                   server_default="import"))
        batch.add_column(sa.Column("tier", sa.String(8)))
        batch.add_column(sa.Column("rate_per_day", sa.Float))
        batch.add_column(sa.Column("status", sa.String(16)))
        batch.add_column(sa.Column("last_fetch_at", TZ))
        batch.add_column(sa.Column("last_error", sa.Text))
        batch.add_column(sa.Column("failures", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_fetch_at", TZ))
    op.create_table(
        "raw_page",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("api", sa.String(8), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("fetched_at", TZ, nullable=False),
        sa.Column("http_status", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body_gz", sa.LargeBinary, nullable=False),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_raw_page"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="CASCADE",
                                name="fk_raw_page_source_id_source"),
    )
    op.create_index("ix_raw_page_source_id_id", "raw_page", ["source_id", "id"])
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("image_url", sa.Text))
        batch.add_column(sa.Column("published_raw", sa.String(64)))
        batch.add_column(sa.Column("raw_page_id", sa.Integer))
        batch.create_foreign_key("fk_item_raw_page_id_raw_page", "raw_page", ["raw_page_id"],
                                 ["id"], ondelete="SET NULL")
    op.create_index("ix_fetch_log_source_id_id", "fetch_log", ["source_id", "id"])
    op.create_table(
        "crawl_cursor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("high_water", TZ),
        sa.Column("high_water_id", sa.BigInteger),
        sa.Column("pass_kind", sa.String(16)),
        sa.Column("pass_page", sa.Integer, nullable=False, server_default="0"),
        sa.Column("pass_started_at", TZ),
        sa.Column("pass_high_water", TZ),
        sa.Column("pass_high_water_id", sa.BigInteger),
        sa.Column("last_complete_at", TZ),
        sa.Column("last_rescan_at", TZ),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_cursor"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="CASCADE",
                                name="fk_crawl_cursor_source_id_source"),
        sa.UniqueConstraint("source_id", "lang", name="uq_crawl_cursor_source_id_lang"),
    )


def downgrade() -> None:
    op.drop_table("crawl_cursor")
    op.drop_index("ix_fetch_log_source_id_id", table_name="fetch_log")
    with op.batch_alter_table("item") as batch:
        batch.drop_constraint("fk_item_raw_page_id_raw_page", type_="foreignkey")
        batch.drop_column("raw_page_id")
        batch.drop_column("published_raw")
        batch.drop_column("image_url")
    op.drop_index("ix_raw_page_source_id_id", table_name="raw_page")
    op.drop_table("raw_page")
    with op.batch_alter_table("source") as batch:
        for column in ("next_fetch_at", "failures", "last_error", "last_fetch_at", "status",
                       "rate_per_day", "tier", "origin"):
            batch.drop_column(column)

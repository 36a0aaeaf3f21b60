"""Stories: duplicates and reports of one event grouped (issue 5).

Existing items keep `story_lead` true (each its own story) until `aqparat stories rebuild`
files them: a migration must not depend on the dedup rules of the day.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _item_fk(ondelete: str, table: str, column: str = "item_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["item.id"], ondelete=ondelete,
                                   name=f"fk_{table}_{column}_item")


def upgrade() -> None:
    # Plain ADD COLUMNs: no constraint, so SQLite never rebuilds `item` (schema.py says why).
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer))
        batch.add_column(sa.Column("story_lead", sa.Boolean, nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("duplicate_of", sa.Integer))
    op.create_index("ix_item_story_id", "item", ["story_id"])
    op.create_table(
        "story",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("representative_id", sa.Integer),
        sa.Column("first_at", TZ, nullable=False),
        sa.Column("last_at", TZ, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("langs", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story"),
        _item_fk("SET NULL", "story", "representative_id"),
    )
    op.create_index("ix_story_last_at_id", "story", ["last_at", "id"])
    op.create_table(
        "item_profile",
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary),
        sa.Column("terms", sa.Integer, nullable=False),
        sa.Column("title_terms", sa.Text, nullable=False),
        sa.Column("event", sa.String(64)),
        sa.Column("numbers", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("item_id", name="pk_item_profile"),
        _item_fk("CASCADE", "item_profile"),
    )
    op.create_index("ix_item_profile_fingerprint", "item_profile", ["fingerprint"])
    op.create_table(
        "item_band",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "item_id", name="pk_item_band"),
        _item_fk("CASCADE", "item_band"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_item_band_item_id", "item_band", ["item_id"])
    op.create_table(
        "item_fact",
        sa.Column("fact", sa.BigInteger, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("fact", "at", "item_id", name="pk_item_fact"),
        _item_fk("CASCADE", "item_fact"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_item_fact_item_id", "item_fact", ["item_id"])
    op.create_table(
        "source_sentence",
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("source_id", "key", name="pk_source_sentence"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="CASCADE",
                                name="fk_source_sentence_source_id_source"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("source_sentence")
    op.drop_index("ix_item_fact_item_id", table_name="item_fact")
    op.drop_table("item_fact")
    op.drop_index("ix_item_band_item_id", table_name="item_band")
    op.drop_table("item_band")
    op.drop_index("ix_item_profile_fingerprint", table_name="item_profile")
    op.drop_table("item_profile")
    op.drop_index("ix_story_last_at_id", table_name="story")
    op.drop_table("story")
    op.drop_index("ix_item_story_id", table_name="item")
    with op.batch_alter_table("item") as batch:
        batch.drop_column("duplicate_of")
        batch.drop_column("story_lead")
        batch.drop_column("story_id")

"""Events an item announces and the named entities it mentions (issue 4).

Existing items get theirs when they are next imported or collected with changed content, or by
`aqparat replay`: a migration must not depend on the extraction rules of the day.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ),
        sa.Column("all_day", sa.Boolean, nullable=False),
        sa.Column("until_at", TZ, nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("city", sa.String(64)),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("span_text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE",
                                name="fk_event_item_id_item"),
        sa.UniqueConstraint("item_id", "position", name="uq_event_item_id_position"),
    )
    op.create_index("ix_event_until_at_starts_at", "event", ["until_at", "starts_at"])
    op.create_table(
        "item_entity",
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("key", sa.String(64)),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("item_id", "position", name="pk_item_entity"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE",
                                name="fk_item_entity_item_id_item"),
    )
    op.create_index("ix_item_entity_kind_name", "item_entity", ["kind", "name"])


def downgrade() -> None:
    op.drop_index("ix_item_entity_kind_name", table_name="item_entity")
    op.drop_table("item_entity")
    op.drop_index("ix_event_until_at_starts_at", table_name="event")
    op.drop_table("event")

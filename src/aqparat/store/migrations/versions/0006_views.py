"""Portal pages (issue 9): view counts and what the reader pages need.

`item_view` holds each item's view count, written in batches by the web processes
(web/views.py). The entity index gains `item_id` so "the newest items naming X" (related
items, store/related.py) is a backward range scan, not a sort of every item that names X.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_view",
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("views", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("item_id", name="pk_item_view"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE",
                                name="fk_item_view_item_id_item"),
    )
    op.drop_index("ix_item_entity_kind_name", table_name="item_entity")
    op.create_index("ix_item_entity_kind_name_item_id", "item_entity",
                    ["kind", "name", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_item_entity_kind_name_item_id", table_name="item_entity")
    op.create_index("ix_item_entity_kind_name", "item_entity", ["kind", "name"])
    op.drop_table("item_view")

"""Crawl workers on several hosts (issue 10): claims on due sources, backfill checkpoints.

`source.claimed_by` / `claimed_until` are a worker's lease on a source (store/claims.py);
`backfill_checkpoint` is how far each `aqparat backfill` run got. Plain ADD COLUMN (no
batch copy of `source`): both engines add a nullable column in place.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("source", sa.Column("claimed_by", sa.String(128)))
    op.add_column("source", sa.Column("claimed_until", TZ))
    op.create_table(
        "backfill_checkpoint",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("items", sa.BigInteger, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_backfill_checkpoint"),
    )


def downgrade() -> None:
    op.drop_table("backfill_checkpoint")
    op.drop_column("source", "claimed_until")
    op.drop_column("source", "claimed_by")

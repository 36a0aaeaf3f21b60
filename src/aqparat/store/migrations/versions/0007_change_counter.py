"""Page cache (issue 10): a change counter the web processes read cheaply.

`store_change` holds the counter; triggers on every table a page shows bump it
(store/changes.py explains their shape on each engine). `aqparat db upgrade` re-installs the
triggers after later migrations, since SQLite drops them with a rebuilt table.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aqparat.store import changes

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_change",
        sa.Column("slot", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slot", name="pk_store_change"),
    )
    changes.install(op.get_bind())


def downgrade() -> None:
    changes.uninstall(op.get_bind())
    op.drop_table("store_change")

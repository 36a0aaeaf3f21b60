"""Stories at size (issue 5): what the story index needs to stay fast (docs/stories.md).

- `item_profile` carries copies of its item's story id, duplicate and publication time, copied
  here from `item`: verifying a candidate no longer reads the item row, where those columns
  sit behind the body (overflow pages on SQLite).
- `item_band` loses its item_id index and its foreign key (rebuilt on SQLite): band rows are
  hints, and an item filed again deletes its keys recomputed from its signature.
- `item (story_id)` becomes `ix_item_story_members`, which holds every column a story's
  refresh reads: one index range, no item row.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

MEMBERS = ["story_id", "published_at", "id", "lang", "source_id", "status", "story_lead"]
COPY = ("UPDATE item_profile SET "
        "story_id = (SELECT item.story_id FROM item WHERE item.id = item_profile.item_id), "
        "duplicate_of = (SELECT item.duplicate_of FROM item WHERE item.id = item_profile.item_id),"
        " at = (SELECT {} FROM item WHERE item.id = item_profile.item_id)")
# `at`: microseconds since 1970 (UTC). SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.
FILL = {
    "sqlite": COPY.format("CAST(strftime('%s', item.published_at) AS INTEGER) * 1000000"
                          " + CAST(substr(item.published_at, 21, 6) AS INTEGER)"),
    "postgresql": COPY.format("CAST(EXTRACT(EPOCH FROM item.published_at) * 1000000"
                              " AS BIGINT)"),
}


FK = "fk_item_band_item_id_item"


def _band(*, fk: bool) -> sa.Table:
    """item_band as it is before the rebuild (SQLite's batch mode copies it)."""
    extra = [sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE", name=FK)]
    return sa.Table("item_band", sa.MetaData(),
                    sa.Column("key", sa.BigInteger, nullable=False),
                    sa.Column("item_id", sa.Integer, nullable=False),
                    sa.PrimaryKeyConstraint("key", "item_id", name="pk_item_band"),
                    *(extra if fk else []), sqlite_with_rowid=False)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table("item_profile") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer))
        batch.add_column(sa.Column("duplicate_of", sa.Integer))
        batch.add_column(sa.Column("at", sa.BigInteger))
    op.execute(FILL[op.get_bind().dialect.name])
    op.drop_index("ix_item_band_item_id", table_name="item_band")
    if _sqlite():
        with op.batch_alter_table("item_band", recreate="always",
                                  copy_from=_band(fk=True)) as batch:
            batch.drop_constraint(FK, type_="foreignkey")
    else:
        op.drop_constraint(FK, "item_band", type_="foreignkey")
    op.drop_index("ix_item_story_id", table_name="item")
    op.create_index("ix_item_story_members", "item", MEMBERS)


def downgrade() -> None:
    op.drop_index("ix_item_story_members", table_name="item")
    op.create_index("ix_item_story_id", "item", ["story_id"])
    op.execute("DELETE FROM item_band WHERE item_id NOT IN (SELECT id FROM item)")
    if _sqlite():
        with op.batch_alter_table("item_band", recreate="always",
                                  copy_from=_band(fk=False)) as batch:
            batch.create_foreign_key(FK, "item", ["item_id"], ["id"], ondelete="CASCADE")
    else:
        op.create_foreign_key(FK, "item_band", "item", ["item_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_item_band_item_id", "item_band", ["item_id"])
    with op.batch_alter_table("item_profile") as batch:
        batch.drop_column("at")
        batch.drop_column("duplicate_of")
        batch.drop_column("story_id")

"""Feed and page sources (issue 8): a slug for every source.

A feed or page source is keyed by its URL, which cannot be a path segment and changes when
the feed moves; `source.slug` is the stable name its page and feeds go by (store/slugs.py).
Rows that exist get theirs here, gov.kz entities first so that they keep their keys.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aqparat.store import slugs

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("slug", sa.String(128)))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, key FROM source ORDER BY CASE WHEN kind = 'govkz' THEN 0 ELSE 1 END, id"))
    taken: set[str] = set()
    for source_id, key in rows.all():
        slug = slugs.pick(slugs.base(key), taken)
        taken.add(slug)
        conn.execute(sa.text("UPDATE source SET slug = :slug WHERE id = :id"),
                     {"slug": slug, "id": source_id})
    with op.batch_alter_table("source") as batch:
        batch.alter_column("slug", existing_type=sa.String(128), nullable=False)
        batch.create_unique_constraint("uq_source_slug", ["slug"])


def downgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.drop_constraint("uq_source_slug", type_="unique")
        batch.drop_column("slug")

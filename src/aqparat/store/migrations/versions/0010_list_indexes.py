"""Store at size (issue 10): covering indexes for the list queries, keyset pagination.

A list page (rubric, source) first finds its items' ids, newest first, then reads those 20
rows (store/articles.py). Both indexes let the first step read index entries only:

- `item (id, status, story_lead, lang)`: what a rubric list tests of each item it walks in
  `item_rubric`'s (rubric_slug, published_at, item_id) order. Without it SQLite reads the item
  row, and `status` sits behind the title and the body: past the row's overflow pages.
- `item (source_id, status, published_at, id)`: a source's shown items newest first, one
  backward range scan instead of every item of the source sorted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

INDEXES = {
    "ix_item_id_status_story_lead_lang": ["id", "status", "story_lead", "lang"],
    "ix_item_source_id_status_published_at_id": ["source_id", "status", "published_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "item", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="item")

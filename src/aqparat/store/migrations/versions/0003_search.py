"""Full-text search: FTS5 on SQLite, tsvector + GIN on PostgreSQL (store/fts/).

The index holds our own stemmed terms, so neither engine's tokenizer or stemmer decides what
matches; both hold the same terms. Existing items are indexed by `aqparat db reindex`: a
migration must not depend on the stemmer of the day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

SQLITE = (
    # The terms of each shown item, keyed by the order key (store/fts/document.py: publication
    # second above the item id), which FTS5 uses as its rowid. No foreign key: batch
    # migrations rebuild `item` by DROP + RENAME, and a cascade would then empty this table
    # behind FTS5's back; a row whose item is gone is skipped when results are read.
    """CREATE TABLE search_doc (
        key INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL UNIQUE,
        title TEXT NOT NULL, lead TEXT NOT NULL, body TEXT NOT NULL, entity TEXT NOT NULL,
        meta TEXT NOT NULL)""",
    # `ascii`: split at ASCII spaces only in practice (terms are letters and digits); every
    # other character passes through untouched, so FTS5 indexes exactly our terms.
    """CREATE VIRTUAL TABLE search_fts USING fts5 (
        title, lead, body, entity, meta,
        content = 'search_doc', content_rowid = 'key', tokenize = 'ascii')""",
)

POSTGRESQL = (
    """CREATE TABLE search_doc (
        item_id INTEGER PRIMARY KEY REFERENCES item (id) ON DELETE CASCADE,
        key BIGINT NOT NULL,
        tsv TSVECTOR NOT NULL)""",
    "CREATE UNIQUE INDEX ix_search_doc_key ON search_doc (key)",
    "CREATE INDEX ix_search_doc_tsv ON search_doc USING gin (tsv)",
)


def upgrade() -> None:
    statements = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.execute("DROP TABLE search_doc")

"""`aqparat search` and `aqparat db reindex` through click's runner; and the one-time indexing
of a store that had items before the search index existed (migration 0003)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.store import db, search


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_path: Path) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(seed_path)]).exit_code == 0
    return runner


def test_search_prints_the_ranked_results(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["search", "--json", "референдумның"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["total"] == 2
    assert all("референдум" in hit["title"] for hit in found["hits"])
    table = runner.invoke(cli, ["search", "--lang", "kk", "Біржанов"])
    assert "Біржанов" in table.output
    assert "1 result(s)" in table.output


def test_search_refuses_bad_filters_and_empty_queries(runner: CliRunner) -> None:
    bad = runner.invoke(cli, ["search", "--since", "yesterday", "x"])
    assert bad.exit_code == 2
    assert "--since: must be an RFC 3339 date" in bad.output
    empty = runner.invoke(cli, ["search", "--", "-референдум"])
    assert empty.exit_code == 1
    assert "nothing to look for" in empty.output


def test_reindex_rebuilds_with_a_progress_bar(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["db", "reindex"])
    assert result.exit_code == 0, result.output
    assert "5/5" in result.output
    assert "search: 5 item(s) indexed" in result.output
    again = runner.invoke(cli, ["search", "--json", "референдум"])
    assert json.loads(again.output)["total"] == 2


def test_items_stored_before_the_index_existed_are_indexed_on_upgrade(
        database_url: str) -> None:
    engine = db.create_engine(database_url)
    db.upgrade(engine, "0002")
    now = dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC)
    # Tables as they stood at 0002: today's schema has columns (and defaults) it lacked.
    old_source = sa.table("source", *(sa.column(c) for c in ("id", "kind", "key", "created_at")))
    old_item = sa.table("item", *(sa.column(c) for c in (
        "id", "source_id", "external_id", "lang", "title", "lead", "body_html", "body_text",
        "published_at", "date_only", "first_seen", "updated_at", "content_hash")))
    with engine.begin() as conn:
        conn.execute(old_source.insert().values(id=1, kind="dump", key="p", created_at=now))
        conn.execute(old_item.insert().values(
            id=1, source_id=1, external_id="x", lang="kk", title="Референдум өтті", lead="",
            body_html="", body_text="Сайлаушылар белсенді болды.", published_at=now,
            date_only=False, first_seen=now, updated_at=now, content_hash="h"))
    db.upgrade(engine)
    with engine.connect() as conn:
        assert search.search(conn, "референдумда").total == 1
    engine.dispose()

"""Editor overrides, explanations and re-classification on a real store (SQLite and PostgreSQL),
and the same through the `aqparat` command."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from aqparat import reclassify
from aqparat.cli import cli
from aqparat.errors import StoreError
from aqparat.ingest import import_dumps
from aqparat.store import item_rubrics
from aqparat.store.schema import item, item_rubric

PORTAL = "enbekshiqazaq.kz"


def item_id(engine: sa.Engine, external_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(item.c.id).where(
            item.c.external_id == external_id)).scalar_one())


def rubric_set(engine: sa.Engine, iid: int) -> set[str]:
    with engine.connect() as conn:
        return {lbl.slug for lbl in item_rubrics.labels(conn, iid)}


def test_editor_override_survives_recollection_and_reclassification(
        engine: sa.Engine, seed_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    meeting = item_id(engine, "1183538")
    reclassify.set_rubrics(engine, meeting, ["society"])
    assert rubric_set(engine, meeting) == {"news", "society"}
    [report] = import_dumps(engine, [seed_path], portal=PORTAL)
    assert report.counts["unchanged"] == 5
    result = reclassify.reclassify(engine)
    assert (result.items, result.changed) == (4, 0)  # the edited item is not even read
    assert rubric_set(engine, meeting) == {"news", "society"}
    [editor] = [lbl for lbl in reclassify.explain(engine, meeting) if lbl.slug == "society"]
    assert (editor.origin, editor.reason) == ("editor", "set by an editor")


def test_reclassify_reports_items_whose_rubrics_changed(engine: sa.Engine,
                                                       seed_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    referendum = item_id(engine, "1183541")
    with engine.begin() as conn:  # a stale label, as an older lexicon would have left
        conn.execute(item_rubric.insert().values(
            item_id=referendum, rubric_slug="sport", score=0.6, origin="lexicon", reason="old",
            published_at=conn.execute(sa.select(item.c.published_at).where(
                item.c.id == referendum)).scalar_one()))
    ticks: list[int] = []
    result = reclassify.reclassify(engine, progress=ticks.append)
    assert (result.items, result.changed, len(ticks)) == (5, 1, 5)
    assert rubric_set(engine, referendum) == {"news", "politics"}


def test_unknown_item_or_rubric_is_refused(engine: sa.Engine, seed_path: Path) -> None:
    import_dumps(engine, [seed_path], portal=PORTAL)
    with pytest.raises(StoreError, match="no item 999999"):
        reclassify.set_rubrics(engine, 999999, ["politics"])
    with pytest.raises(StoreError, match="unknown rubric"):
        reclassify.set_rubrics(engine, item_id(engine, "1183541"), ["weather"])


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def test_cli_set_explain_and_reclassify(runner: CliRunner, seed_path: Path) -> None:
    assert runner.invoke(cli, ["import", str(seed_path)]).exit_code == 0
    explained = runner.invoke(cli, ["rubrics", "explain", "1"])
    assert explained.exit_code == 0, explained.output
    assert "entity kgd-akmola is a department" in explained.output
    assert "terms: " in explained.output
    edited = runner.invoke(cli, ["items", "set-rubrics", "1", "society", "economy"])
    assert edited.output.strip() == "item 1: news, society, economy (origin editor)"
    again = runner.invoke(cli, ["rubrics", "reclassify"])
    assert again.exit_code == 0, again.output
    assert "4 item(s) classified, 0 changed rubric" in again.output
    assert "editor" in runner.invoke(cli, ["rubrics", "explain", "1"]).output
    bad = runner.invoke(cli, ["items", "set-rubrics", "1", "weather"])
    assert bad.exit_code == 1
    assert "unknown rubric(s) weather" in bad.output

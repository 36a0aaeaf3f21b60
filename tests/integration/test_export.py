"""`aqparat export` through click's runner, on SQLite files holding the seed page."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.export import COLUMNS

GENEVA = "https://www.gov.kz/memleket/entities/mfa-geneva/press/news/details/1183541?lang=kk"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_path: Path) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)  # no stray aqparat.toml from the developer's directory
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(seed_path)]).exit_code == 0
    return runner


def jsonl(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["export", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_to_stdout_has_every_column_source_and_licence(runner: CliRunner) -> None:
    rows = jsonl(runner)
    assert len(rows) == 5
    assert all(list(r) == list(COLUMNS) for r in rows)
    assert all(r["licence"] and r["source_kind"] == "govkz" for r in rows)
    assert GENEVA in {r["source_url"] for r in rows}
    assert str(rows[0]["published_at"]).endswith("Z")
    assert rows == sorted(rows, key=lambda r: (str(r["published_at"]), int(str(r["id"]))),
                          reverse=True)


@pytest.mark.parametrize(("args", "count"), [
    (["--lang", "ru"], 0), (["--lang", "kk", "--rubric", "news"], 5),
    (["--since", "2026-03-17", "--until", "2026-03-17"], 5), (["--until", "2026-03-16"], 0),
    (["--source", "2"], 2),
])
def test_filters_are_the_apis(runner: CliRunner, args: list[str], count: int) -> None:
    assert len(jsonl(runner, *args)) == count


def test_bad_filters_are_usage_errors(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["export", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "--since: must be an RFC 3339 date" in result.output


def test_csv_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "items.csv"
    result = runner.invoke(cli, ["export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "export: 5 article(s) as csv" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 5
    assert list(rows[0]) == list(COLUMNS)
    assert {r["date_only"] for r in rows} <= {"true", "false"}
    assert all("news" in r["rubrics"].split() for r in rows)
    geneva = next(r for r in rows if r["source_url"] == GENEVA)
    assert "\n\n" in geneva["body_text"]  # multi-line cells survive the round trip


def test_parquet_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "items.parquet"
    result = runner.invoke(cli, ["export", "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 5
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert all("news" in rubrics for rubrics in table.column("rubrics").to_pylist())


def test_empty_parquet_export_is_a_valid_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "none.parquet"
    result = runner.invoke(cli, ["export", "--format", "parquet", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == 0


def test_parquet_without_pyarrow_fails_clearly_and_writes_nothing(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "items.parquet"
    result = runner.invoke(cli, ["export", "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 1
    assert "parquet needs pyarrow" in result.output
    assert "--format jsonl or csv" in " ".join(result.output.split())
    assert not out.exists()

"""The `aqparat` command through click's runner, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.store import db


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)  # no stray aqparat.toml from the developer's directory
    return CliRunner()


def test_import_reports_new_then_unchanged(runner: CliRunner, seed_path: Path) -> None:
    first = runner.invoke(cli, ["import", str(seed_path)])
    assert first.exit_code == 0, first.output
    assert "│   5 │       0 │         0 │ ok" in first.output
    again = runner.invoke(cli, ["import", str(seed_path)])
    assert "│   0 │       0 │         5 │ ok" in again.output


def test_import_of_a_truncated_dump_fails_naming_file_and_line(
        runner: CliRunner, seed_path: Path, tmp_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    broken = tmp_path / "cut.txt"
    broken.write_text(text[: text.index("Ақпарат көзі : https://www.gov.kz/") + 30],
                      encoding="utf-8")
    result = runner.invoke(cli, ["import", str(broken)])
    assert result.exit_code == 1
    assert f"dump: {broken}:5: source line has no complete URL" in " ".join(result.output.split())


def test_db_current_and_upgrade(runner: CliRunner) -> None:
    head = db.head_revision()  # every issue adds a revision: the test follows the newest
    assert f"store: empty (code needs {head})" in runner.invoke(cli, ["db", "current"]).output
    assert f"at revision {head}" in runner.invoke(cli, ["db", "upgrade"]).output
    assert f"store: {head} (code needs {head})" in runner.invoke(cli, ["db", "current"]).output


def test_serve_refuses_an_unmigrated_store_with_the_fix(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert "run `aqparat db upgrade`" in result.output


def test_config_show_masks_passwords(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["--database-url", "postgresql://ed:s3cret@db.example/aq", "config", "show"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    assert "ed:***@db.example" in result.output


def test_config_file_is_read_and_unknown_keys_refused(runner: CliRunner,
                                                      tmp_path: Path) -> None:
    (tmp_path / "aqparat.toml").write_text('page_size = 7\nportal = "example.kz"\n')
    shown = runner.invoke(cli, ["config", "show"]).output
    assert "example.kz" in shown
    (tmp_path / "aqparat.toml").write_text("page_sise = 7\n")
    result = runner.invoke(cli, ["config", "show"])
    assert result.exit_code == 1
    assert "unknown setting(s) page_sise" in result.output

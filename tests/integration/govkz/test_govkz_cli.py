"""`aqparat crawl`, `sources` and `replay` through click's runner, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aqparat.cli import cli
from aqparat.testing.fake_govkz import FakeGovKz


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGovKz) -> CliRunner:
    monkeypatch.setenv("AQPARAT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AQPARAT_GOVKZ_BASE_URL", fake.url)
    monkeypatch.setenv("AQPARAT_FETCH_RATE", "0")
    monkeypatch.setenv("AQPARAT_GOVKZ_PAGE_SIZE", "10")
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_crawl_once_then_replay(runner: CliRunner) -> None:
    first = runner.invoke(cli, ["crawl", "--once", "--source", "mfa"])
    assert first.exit_code == 0, first.output
    assert "crawl: 1 source(s): 67 new, 0 updated, 0 unchanged, 2 dropped, 0 errors" \
        in first.output
    again = runner.invoke(cli, ["replay", "--source", "mfa"])
    assert again.exit_code == 0, again.output
    assert "replay: 9 archived page(s): 0 new, 0 updated, 67 unchanged" in again.output


def test_crawl_of_a_disabled_source_says_how_to_enable_it(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["sources", "disable", "mfa"]).exit_code == 0
    result = runner.invoke(cli, ["crawl", "--once", "--source", "mfa"])
    assert result.exit_code == 1
    assert "no enabled source mfa" in result.output


def test_sources_list_add_enable_disable_show(runner: CliRunner) -> None:
    listed = runner.invoke(cli, ["sources", "list"])
    assert listed.exit_code == 0, listed.output
    assert "karaganda-osakarovka-esil" in listed.output
    added = runner.invoke(cli, ["sources", "add", "mfa-tokyo", "--type", "embassy",
                                "--name-en", "Embassy of Kazakhstan in Japan", "--disabled"])
    assert added.exit_code == 0, added.output
    shown = runner.invoke(cli, ["sources", "show", "mfa-tokyo"]).output
    assert "enabled: False" in shown
    assert "origin: operator" in shown
    assert "name_en: Embassy of Kazakhstan in Japan" in shown
    assert runner.invoke(cli, ["sources", "enable", "mfa-tokyo"]).exit_code == 0
    assert "enabled: True" in runner.invoke(cli, ["sources", "show", "mfa-tokyo"]).output
    again = runner.invoke(cli, ["sources", "add", "mfa-tokyo"])
    assert again.exit_code == 1
    assert "already known" in again.output
    bad = runner.invoke(cli, ["sources", "add", "not a slug"])
    assert bad.exit_code == 2
    missing = runner.invoke(cli, ["sources", "enable", "nowhere"])
    assert missing.exit_code == 1
    assert "sources add nowhere" in missing.output


def test_discovered_candidates_are_listed_for_review(runner: CliRunner) -> None:
    runner.invoke(cli, ["crawl", "--once", "--source", "mfa"])
    listed = runner.invoke(cli, ["sources", "list", "--candidates"]).output
    assert "mfa-geneva" not in listed  # a seed entity, not a candidate
    assert "almaty-geneva" not in listed  # never mentioned by mfa's items
    shown = runner.invoke(cli, ["sources", "show", "mfa"]).output
    assert "status: ok" in shown
    assert "cursor ru: high-water 2021" in shown


def test_crawling_the_real_site_needs_a_contact(runner: CliRunner,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AQPARAT_GOVKZ_BASE_URL", "https://www.gov.kz")
    result = runner.invoke(cli, ["crawl", "--once", "--source", "mfa"])
    assert result.exit_code == 1
    assert "contact_url is empty" in result.output

"""Docs stay honest: every setting is documented, the README starts with its two commands."""

from __future__ import annotations

from pathlib import Path

from aqparat import config

REPO = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        assert f"| `{setting.name}` | `{setting.env}` |" in doc, setting.name


def test_readme_starts_with_the_two_commands_ci_proves() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[2:6] if line.startswith("make ")]
    assert commands == ["make demo", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")

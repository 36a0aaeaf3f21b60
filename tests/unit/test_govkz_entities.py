"""data/entities.toml holds every slug ../shared/research/govkz.md names, with names and
valid types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aqparat import data

RESEARCH = Path(__file__).parents[3] / "shared" / "research" / "govkz.md"


def named_slugs(text: str) -> set[str]:
    """Slugs in §3's table of slug families (backticked, in the Examples column)."""
    section = text.split("## 3.", 1)[1].split("## 4.", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    found = {s for row in rows for s in re.findall(r"`([a-z0-9-]+)`", row.split("|")[2])}
    return found - {"gosorgan", "activities"}  # krem's row names two item fields too


def test_every_slug_the_research_names_is_known() -> None:
    if not RESEARCH.is_file():
        pytest.skip(f"{RESEARCH} is absent: the research note lives in ../shared")
    slugs = named_slugs(RESEARCH.read_text(encoding="utf-8"))
    assert len(slugs) >= 50
    assert slugs <= set(data.entities())


def test_entities_have_three_names_and_a_known_type() -> None:
    for slug, entity in data.entities().items():
        assert entity.type in data.ENTITY_TYPES, slug
        assert all(entity.names[lang].strip() for lang in ("kk", "ru", "en")), slug

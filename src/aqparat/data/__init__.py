"""Bundled data: rubric set, known gov.kz entities, demo dumps. Loaded once, validated on load."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from aqparat.errors import ConfigError
from aqparat.model import LANGS, Lang

DEMO_DIR = Path(str(resources.files(__name__) / "demo"))


@dataclass(frozen=True, slots=True)
class RubricDef:
    slug: str
    position: int
    names: dict[Lang, str]
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityDef:
    slug: str
    type: str | None
    region: str | None
    names: dict[Lang, str]


def _load(name: str) -> dict[str, Any]:
    text = (resources.files(__name__) / name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"data: {name} is not valid TOML: {exc}") from exc


def _names(entry: dict[str, Any], where: str) -> dict[Lang, str]:
    missing = [lang for lang in LANGS if not entry.get(lang)]
    if missing:
        raise ConfigError(f"data: {where} lacks a name in {', '.join(missing)}")
    return {lang: str(entry[lang]) for lang in LANGS}


@cache
def rubrics() -> tuple[RubricDef, ...]:
    entries = _load("rubrics.toml").get("rubric", [])
    return tuple(
        RubricDef(e["slug"], pos, _names(e, f"rubric {e.get('slug')}"), tuple(e.get("aliases", ())))
        for pos, e in enumerate(entries)
    )


@cache
def rubric_aliases() -> dict[str, str]:
    """Every printed rubric label (any language, casefolded) → our rubric slug."""
    table: dict[str, str] = {}
    for r in rubrics():
        for label in (*r.names.values(), *r.aliases, r.slug):
            table[label.casefold()] = r.slug
    return table


@cache
def entities() -> dict[str, EntityDef]:
    return {
        slug: EntityDef(slug, e.get("type"), e.get("region"), _names(e, f"entity {slug}"))
        for slug, e in _load("entities.toml").items()
    }

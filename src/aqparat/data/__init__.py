"""Bundled data: rubric set, known gov.kz entities, demo dumps. Loaded once, validated on load."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
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
    description: dict[Lang, str] = field(default_factory=dict)
    lexicon: dict[Lang, tuple[str, ...]] = field(default_factory=dict)
    entities: tuple[str, ...] = ()  # entity slugs; a trailing or leading * is a wildcard
    entity_types: tuple[str, ...] = ()


# gov.kz entity kinds (DESIGN.md's data model); data/entities.toml's `type` is one of them.
ENTITY_TYPES = frozenset({"ministry", "committee", "embassy", "oblast_akimat", "city_akimat",
                          "district_akimat", "department", "agency"})


@dataclass(frozen=True, slots=True)
class EntityDef:
    slug: str
    type: str | None
    region: str | None
    names: dict[Lang, str]
    rubrics: tuple[str, ...] = ()  # the rubrics its news leans to, when its slug says too little
    enabled: bool = True  # collected unless entities.toml says `enabled = false`


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


def _per_lang(entry: dict[str, Any], key: str, where: str) -> dict[Lang, Any]:
    table = entry.get(key, {})
    unknown = set(table) - set(LANGS)
    if unknown:
        raise ConfigError(f"data: {where} {key} names unknown language(s) {sorted(unknown)}")
    return {lang: table[lang] for lang in LANGS if lang in table}


def _rubric(entry: dict[str, Any], pos: int) -> RubricDef:
    where = f"rubric {entry.get('slug')}"
    lexicon = _per_lang(entry, "lexicon", where)
    return RubricDef(
        entry["slug"], pos, _names(entry, where), tuple(entry.get("aliases", ())),
        description=_per_lang(entry, "description", where),
        lexicon={lang: tuple(terms) for lang, terms in lexicon.items()},
        entities=tuple(entry.get("entities", ())),
        entity_types=tuple(entry.get("entity_types", ())),
    )


@cache
def rubrics() -> tuple[RubricDef, ...]:
    entries = _load("rubrics.toml").get("rubric", [])
    return tuple(_rubric(e, pos) for pos, e in enumerate(entries))


@cache
def rubric_aliases() -> dict[str, str]:
    """Every printed rubric label (any language, casefolded) → our rubric slug."""
    table: dict[str, str] = {}
    for r in rubrics():
        for label in (*r.names.values(), *r.aliases, r.slug):
            table[label.casefold()] = r.slug
    return table


def _entity(slug: str, entry: dict[str, Any], known: set[str]) -> EntityDef:
    hints = tuple(entry.get("rubrics", ()))
    unknown = [h for h in hints if h not in known]
    if unknown:
        raise ConfigError(f"data: entity {slug} names unknown rubric(s) {unknown}; "
                          f"use slugs from data/rubrics.toml")
    return EntityDef(slug, entry.get("type"), entry.get("region"), _names(entry, f"entity {slug}"),
                     hints, bool(entry.get("enabled", True)))


@cache
def entities() -> dict[str, EntityDef]:
    known = {r.slug for r in rubrics()}
    return {slug: _entity(slug, e, known) for slug, e in _load("entities.toml").items()}

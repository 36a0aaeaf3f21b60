"""Kazakhstan's regions (data/regions.toml) and which region a gov.kz entity belongs to.

An entity's region is what data/entities.toml (and so its `source` row) says; failing that,
its slug's words: gov.kz names regional bodies after their region (`akmola-kokshetau`,
`kostanai-madeniet`, `mvd-vko`), so the first word of the slug, then its last, is looked up
among each region's `slugs`. A ministry's slug (`mfa`, `edu`) names no region.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from aqparat.errors import ConfigError
from aqparat.model import LANGS, Lang

RegionKind = Literal["city", "oblast"]


@dataclass(frozen=True, slots=True)
class Region:
    key: str  # entities.toml's `region` value: "west_kazakhstan"
    kind: RegionKind
    names: dict[Lang, str]
    slugs: tuple[str, ...]  # gov.kz slug words that name it

    @property
    def slug(self) -> str:
        """Its URL form: /kk/region/west-kazakhstan."""
        return self.key.replace("_", "-")


def _region(key: str, entry: dict[str, object]) -> Region:
    missing = [lang for lang in LANGS if not entry.get(lang)]
    if missing or entry.get("kind") not in ("city", "oblast"):
        raise ConfigError(f"data: regions.toml [{key}] needs kind city|oblast and names in "
                          f"kk, ru, en (missing: {', '.join(missing) or 'kind'})")
    words = entry.get("slugs", [])
    assert isinstance(words, list)
    kind: RegionKind = "city" if entry["kind"] == "city" else "oblast"
    return Region(key, kind, {lang: str(entry[lang]) for lang in LANGS},
                  tuple(str(w) for w in words))


@cache
def regions() -> tuple[Region, ...]:
    text = (resources.files(__package__) / "regions.toml").read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"data: regions.toml is not valid TOML: {exc}") from exc
    return tuple(_region(key, entry) for key, entry in table.items())


@cache
def _by_word() -> dict[str, str]:
    return {word: r.key for r in regions() for word in r.slugs}


def by_slug(slug: str) -> Region | None:
    """The region a URL names (`west-kazakhstan`; the key, `west_kazakhstan`, too), or None."""
    return next((r for r in regions() if slug in (r.slug, r.key)), None)


def by_key(key: str | None) -> Region | None:
    return next((r for r in regions() if r.key == key), None) if key else None


def region_of(entity_slug: str, declared: str | None) -> Region | None:
    """The region of an entity: the declared one, else the one its slug's words name."""
    if declared:
        return by_key(declared)
    words = entity_slug.lower().split("-")
    for word in (words[0], words[-1]):
        if word in _by_word():
            return by_key(_by_word()[word])
    return None

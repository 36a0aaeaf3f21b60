"""The sources file (setting `sources_file`, default `sources.toml`): feed and page sources
with their own options, as configuration an operator keeps in version control.

    [[feed]]
    url = "https://www.akorda.kz/kz/rss"
    names = { kk = "Ақорда", ru = "Акорда", en = "Akorda" }
    type = "agency"            # an entity type: the poll tier until its own rate is known
    full_text = "auto"         # auto | always | never (default: setting feed_full_text)

    [[page]]
    url = "https://primeminister.kz/ru/news"      # the index page
    pattern = "/ru/news/[a-z0-9-]+$"             # which of its links are articles
    names = { ru = "Правительство" }

The store keeps every source's state; this file keeps what a source *is*. Each run adds the
file's sources to the store (enabled unless `enabled = false`); removing one from the file
does not delete its items.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aqparat.data import ENTITY_TYPES, EntityDef
from aqparat.errors import ConfigError
from aqparat.model import LANGS, Lang
from aqparat.sources.feeds import FULL_TEXT_MODES, FullText

WebKind = Literal["feed", "page"]
_KEYS = {"url", "names", "type", "region", "full_text", "pattern", "enabled"}


@dataclass(frozen=True, slots=True)
class WebSourceDef:
    kind: WebKind
    url: str
    names: dict[Lang, str]
    entity_type: str | None = None
    region: str | None = None
    pattern: re.Pattern[str] | None = None  # page sources: article links on the index
    full_text: FullText | None = None  # feed sources; None: the setting's default
    enabled: bool = True

    def entity(self) -> EntityDef:
        return EntityDef(self.url, self.entity_type, self.region, dict(self.names))


def load(path: Path) -> list[WebSourceDef]:
    """The file's sources; none when it does not exist."""
    if not path.is_file():
        return []
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"feed", "page"})
    if unknown:
        raise ConfigError(f"config: {path}: unknown table(s) {', '.join(unknown)}; use "
                          f"[[feed]] and [[page]]")
    return [parse_entry(kind, entry, f"{path}: [[{kind}]] {n}")
            for kind in ("feed", "page") for n, entry in enumerate(data.get(kind, []), 1)]


def parse_entry(kind: WebKind, entry: Any, where: str) -> WebSourceDef:
    if not isinstance(entry, dict):
        raise ConfigError(f"config: {where}: expected a table")
    extra = sorted(set(entry) - _KEYS)
    if extra:
        raise ConfigError(f"config: {where}: unknown key(s) {', '.join(extra)}")
    url = _url(entry.get("url"), where)
    pattern = _pattern(entry.get("pattern"), where)
    if kind == "page" and pattern is None:
        raise ConfigError(f"config: {where}: a page source needs `pattern`, the regular "
                          f"expression its article links match")
    return WebSourceDef(kind, url, _names(entry.get("names", {}), where),
                        _type(entry.get("type"), where), _optional(entry, "region", where),
                        pattern, _full_text(entry.get("full_text"), where),
                        bool(entry.get("enabled", True)))


def _url(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ConfigError(f"config: {where}: `url` must be an http(s) URL, got {value!r}")
    return value.strip()


def _pattern(value: object, where: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return re.compile(str(value))
    except re.error as exc:
        raise ConfigError(f"config: {where}: pattern {value!r} is not a regular expression "
                          f"({exc})") from exc


def _names(value: object, where: str) -> dict[Lang, str]:
    if not isinstance(value, dict) or not set(value) <= set(LANGS):
        raise ConfigError(f"config: {where}: `names` must be a table of kk/ru/en names")
    return {lang: str(value[lang]) for lang in LANGS if value.get(lang)}


def _type(value: object, where: str) -> str | None:
    if value is not None and value not in ENTITY_TYPES:
        raise ConfigError(f"config: {where}: type {value!r} is not one of "
                          f"{', '.join(sorted(ENTITY_TYPES))}")
    return None if value is None else str(value)


def _optional(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"config: {where}: `{key}` must be text")
    return value


def _full_text(value: object, where: str) -> FullText | None:
    if value is None:
        return None
    for mode in FULL_TEXT_MODES:
        if value == mode:
            return mode
    raise ConfigError(f"config: {where}: full_text {value!r} must be auto, always or never")

"""ONE table of settings. Precedence: defaults < aqparat.toml < AQPARAT_* environment < CLI flags.

Settings are read once at an entry point (`cli.py`, `web/asgi.py`) and passed down as a frozen
`Settings`; `text/` and `pipeline/` never read configuration.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from aqparat.errors import ConfigError

APP_NAME = "aqparat"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'aqparat.db'}"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Callable[[], Any]
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return f"AQPARAT_{self.name.upper()}"



SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", str, default_database_url,
            "Store: sqlite:///path.db (default, under the user data directory) or "
            "postgresql://user@host/db.", secret=True),
    Setting("host", str, lambda: "127.0.0.1", "Address `aqparat serve` listens on."),
    Setting("port", int, lambda: 8000, "Port `aqparat serve` listens on."),
    Setting("workers", int, lambda: 1, "Web worker processes (one per core in production)."),
    Setting("portal", str, lambda: "enbekshiqazaq.kz",
            "Name of the portal a dump came from; items without a source line are attributed "
            "to it."),
    Setting("home_items", int, lambda: 5, "Items shown in each rubric block on the home page."),
    Setting("page_size", int, lambda: 20, "Items per rubric page."),
    Setting("log_level", str, lambda: "INFO", "Logging level (DEBUG, INFO, WARNING, ERROR)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    host: str
    port: int
    workers: int
    portal: str
    home_items: int
    page_size: int
    log_level: str

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _convert(setting: Setting, raw: Any, where: str) -> Any:
    if not isinstance(raw, str):
        raw = str(raw)
    try:
        return setting.type(raw)
    except ValueError as exc:
        raise ConfigError(f"config: {where}: {setting.name} = {raw!r} is invalid ({exc})") from exc


def _read_toml(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"config: {path}: unknown setting(s) {', '.join(unknown)}; "
                          f"`aqparat config show` lists them")
    return data


def load(config_file: Path | None = None, env: Mapping[str, str] | None = None,
         **overrides: Any) -> Settings:
    """Resolve every setting: defaults < TOML file < environment < explicit overrides."""
    env = os.environ if env is None else env
    path = config_file or Path(env.get("AQPARAT_CONFIG", "aqparat.toml"))
    from_file = _read_toml(path) if path.is_file() else {}
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if overrides.get(setting.name) is not None:
            values[setting.name] = overrides[setting.name]
        elif setting.env in env:
            values[setting.name] = _convert(setting, env[setting.env], setting.env)
        elif setting.name in from_file:
            values[setting.name] = _convert(setting, from_file[setting.name], str(path))
        else:
            values[setting.name] = setting.default()
    return Settings(**values)


def describe(settings: Settings) -> list[tuple[str, str, str, str]]:
    """(name, env var, value, help) rows for `aqparat config show`; secrets masked."""
    rows = []
    for s in SETTINGS:
        value = str(getattr(settings, s.name))
        if s.secret:
            value = mask_url(value)
        rows.append((s.name, s.env, value, s.help))
    return rows


def mask_url(url: str) -> str:
    """Hide a password in a database URL: postgresql://u:***@h/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url

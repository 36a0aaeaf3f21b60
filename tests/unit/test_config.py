"""Settings precedence: defaults < aqparat.toml < AQPARAT_* environment < explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat import config
from aqparat.errors import ConfigError


def test_precedence(tmp_path: Path) -> None:
    toml = tmp_path / "a.toml"
    toml.write_text("port = 9000\npage_size = 30\nhome_items = 3\n")
    env = {"AQPARAT_PAGE_SIZE": "40", "AQPARAT_HOME_ITEMS": "4"}
    settings = config.load(toml, env=env, home_items=6)
    assert (settings.port, settings.page_size, settings.home_items) == (9000, 40, 6)
    assert settings.host == "127.0.0.1"


def test_default_store_is_sqlite_under_the_user_data_dir() -> None:
    url = config.load(env={}).database_url
    assert url.startswith("sqlite:///")
    assert url.endswith("aqparat.db")


def test_invalid_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="AQPARAT_PORT"):
        config.load(env={"AQPARAT_PORT": "eighty"})


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("port = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(bad, env={})


def test_every_setting_has_help_and_a_settings_field() -> None:
    fields = set(config.Settings.__dataclass_fields__)
    assert {s.name for s in config.SETTINGS} == fields
    assert all(s.help for s in config.SETTINGS)


@given(user=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
       password=st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True))
def test_mask_url_never_shows_the_password(user: str, password: str) -> None:
    masked = config.mask_url(f"postgresql://{user}:{password}@db.host:5432/aq")
    assert masked == f"postgresql://{user}:***@db.host:5432/aq"

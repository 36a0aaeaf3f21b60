"""Every interface string exists in kk, ru and en, and every key a template uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aqparat.model import LANGS
from aqparat.web import i18n

TEMPLATES = Path(i18n.__file__).parents[1] / "templates"
KEY_USE = re.compile(r"""_\(\s*["']([a-z_]+)["']""")


def test_catalogues_have_the_same_keys() -> None:
    keys = {lang: set(i18n.catalogue(lang)) for lang in LANGS}
    assert keys["kk"] == keys["ru"] == keys["en"]


def test_every_key_used_in_templates_and_code_exists() -> None:
    sources = [*TEMPLATES.glob("*.html"), *Path(i18n.__file__).parents[1].rglob("*.py")]
    used = {key for path in sources for key in KEY_USE.findall(path.read_text(encoding="utf-8"))}
    used |= {f"{k}_{part}" for k in ("not_found", "bad_request", "server_error")
             for part in ("title", "text")}
    assert used, "found no translated strings: the pattern is wrong"
    assert used <= set(i18n.catalogue("kk"))


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_across_languages(lang: str) -> None:
    def fields(text: str) -> set[str]:
        return set(re.findall(r"{(\w+)}", text))

    for key, text in i18n.catalogue(lang).items():  # type: ignore[arg-type]
        assert fields(text) == fields(i18n.catalogue("kk")[key]), key


def test_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        i18n.Translator("kk")("no_such_key")

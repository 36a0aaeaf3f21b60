"""Interface strings in kk, ru and en: one TOML catalogue per language, same keys in each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from aqparat.model import LANGS, Lang


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    text = (resources.files(__name__) / f"{lang}.toml").read_text(encoding="utf-8")
    return {k: str(v) for k, v in tomllib.loads(text).items()}


@dataclass(frozen=True, slots=True)
class Translator:
    """Called as `_(key, **values)` in templates; a missing key fails loudly, not blank."""

    lang: Lang

    def __call__(self, key: str, /, **values: object) -> str:
        return catalogue(self.lang)[key].format(**values)


def lang_name(lang: str) -> str:
    return catalogue(lang)["lang_name"] if lang in LANGS else lang

"""Counted phrases in each language's plural forms: "1 просмотр", "3 просмотра",
"5 просмотров". The CLDR plural rule (through Babel) picks the form, and a catalogue has one
key per form, `KEY_one`, `KEY_few`, `KEY_many`, `KEY_other` (every key in all three
catalogues: Kazakh and English use the `one`/`other` forms only, the rest repeat `other`)."""

from __future__ import annotations

from babel import Locale

from aqparat.model import Lang
from aqparat.text import dates
from aqparat.web import i18n


def counted(lang: Lang, key: str, count: int) -> str:
    form = Locale.parse(lang).plural_form(count)
    texts = i18n.catalogue(lang)
    text = texts.get(f"{key}_{form}", texts[f"{key}_other"])
    return text.format(count=dates.format_number(count, lang))

"""Pure helpers of the reader's pages: reading time, plural forms, share links, regions."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat import data
from aqparat.data import regions
from aqparat.model import LANGS
from aqparat.text import reading
from aqparat.web import i18n, share
from aqparat.web.pages.sources_list import TYPE_ORDER, type_key
from aqparat.web.plural import counted


@pytest.mark.parametrize(("words", "minutes"), [(0, 0), (1, 1), (180, 1), (181, 2), (900, 5)])
def test_reading_time_rounds_up_whole_minutes(words: int, minutes: int) -> None:
    assert reading.minutes(" ".join(["сөз"] * words)) == minutes


@given(st.text(alphabet="абвгғқңөүұһі -—.,\n0123", max_size=2000))
def test_reading_time_grows_with_the_text_and_is_never_zero_for_words(text: str) -> None:
    n = reading.minutes(text)
    assert (n == 0) == (reading.words(text) == 0)
    assert reading.minutes(text + " " + text) >= n


def test_hyphenated_and_apostrophe_words_count_once() -> None:
    assert reading.words("вице-министр O'Brien 87,15%") == 4  # 87 and 15 are numbers


@pytest.mark.parametrize(("lang", "count", "text"), [
    ("ru", 1, "1 просмотр"), ("ru", 2, "2 просмотра"), ("ru", 5, "5 просмотров"),
    ("ru", 11, "11 просмотров"), ("ru", 21, "21 просмотр"), ("ru", 24, "24 просмотра"),
    ("en", 1, "1 view"), ("en", 0, "0 views"), ("en", 12482, "12,482 views"),
    ("kk", 1, "1 рет көрсетілді"), ("kk", 4236, "4\u00a0236 рет көрсетілді"),
])
def test_view_counts_take_each_languages_plural_form(lang: str, count: int, text: str) -> None:
    assert counted(lang, "views", count) == text  # type: ignore[arg-type]


def test_share_links_carry_the_page_and_title_encoded() -> None:
    url, title = "https://aqparat.kz/kk/news/7?a=1&b=2", "Наурыз & «мереке» #1"
    found = {link.network: link.href for link in share.links(url, title)}
    assert set(found) == {"Telegram", "WhatsApp", "Facebook", "X", "VK", "email"}
    telegram = parse_qs(urlsplit(found["Telegram"]).query)
    assert telegram == {"url": [url], "text": [title]}
    assert parse_qs(urlsplit(found["Facebook"]).query) == {"u": [url]}
    mail = found["email"]
    assert mail.startswith("mailto:?subject=")
    assert "+" not in mail
    assert " " not in mail
    assert unquote(mail.split("body=", 1)[1]) == f"{title} {url}"


def test_every_entity_region_is_a_known_region() -> None:
    known = {r.key for r in regions.regions()}
    declared = {e.region for e in data.entities().values() if e.region}
    assert declared <= known
    assert len(regions.regions()) == 20  # 17 oblasts and 3 cities of republican significance


@pytest.mark.parametrize(("slug", "declared", "region"), [
    ("akmola-kokshetau", None, "akmola"),  # the slug's first word
    ("mvd-vko", None, "east_kazakhstan"),  # its last word
    ("kostanai-madeniet", None, "kostanay"),
    ("almobl", None, "almaty_oblast"),
    ("mfa", None, None),  # a ministry names no region
    ("mfa-geneva", None, None),
    ("anything", "karaganda", "karaganda"),  # declared wins
    ("astana-karaganda", "west_kazakhstan", "west_kazakhstan"),
])
def test_region_of_an_entity(slug: str, declared: str | None, region: str | None) -> None:
    found = regions.region_of(slug, declared)
    assert (found.key if found else None) == region


def test_region_slugs_round_trip() -> None:
    for region in regions.regions():
        assert regions.by_slug(region.slug) == region
        assert "_" not in region.slug


def test_every_source_type_has_a_name_in_every_language() -> None:
    for lang in LANGS:
        for kind in TYPE_ORDER:
            for plural in (False, True):
                assert i18n.catalogue(lang)[type_key(kind, plural=plural)]
    assert set(TYPE_ORDER) == {*data.ENTITY_TYPES, "other"}

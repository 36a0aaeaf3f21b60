"""gov.kz news-details URLs: which variants name a news item, and the canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.model import LANGS, Lang
from aqparat.sources.govkz import NewsRef, news_url, parse_news_url

DETAILS = "/memleket/entities/kgd-akmola/press/news/details/1183538"


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        (f"https://www.gov.kz{DETAILS}?lang=kk", "kk"),
        (f"https://www.gov.kz{DETAILS}", None),
        (f"http://www.gov.kz{DETAILS}?lang=ru", "ru"),
        (f"https://gov.kz{DETAILS}?lang=en", "en"),
        (f"https://www.gov.kz{DETAILS}/?lang=kk", "kk"),
        (f"https://www.gov.kz{DETAILS}/", None),
        (f"https://www.gov.kz{DETAILS}?utm_source=tg&lang=ru&page=2", "ru"),
        (f"https://www.gov.kz{DETAILS}?lang=en#top", "en"),
        (f"https://www.gov.kz{DETAILS}?lang=de", None),
        (f"https://www.gov.kz{DETAILS}?lang=", None),
        (f"HTTPS://WWW.GOV.KZ{DETAILS}?lang=KK", "kk"),
        (f"  https://www.gov.kz{DETAILS}?lang=kk \n", "kk"),
    ],
)
def test_news_details_url_variants(url: str, lang: Lang | None) -> None:
    assert parse_news_url(url) == NewsRef("kgd-akmola", "1183538", lang)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        f"https://example.org{DETAILS}?lang=kk",
        f"https://www.gov.kz.example.org{DETAILS}",
        f"https://notgov.kz{DETAILS}",
        f"ftp://www.gov.kz{DETAILS}",
        f"www.gov.kz{DETAILS}",
        "https://www.gov.kz/memleket/ent",
        "https://www.gov.kz/memleket/entities/kgd-akmola/press/news/details/",
        "https://www.gov.kz/memleket/entities/kgd-akmola/press/news/details/12ab",
        "https://www.gov.kz/memleket/entities/kgd-akmola/press/news/",
        "https://www.gov.kz/memleket/entities/kgd-akmola/documents/details/1183538",
        f"https://www.gov.kz{DETAILS}/extra",
        f"https://www.gov.kz/ru{DETAILS}",
        "http://[::1/memleket",
    ],
)
def test_other_urls_are_not_news(url: str) -> None:
    assert parse_news_url(url) is None


def test_news_url_is_canonical() -> None:
    assert news_url("sci", "1183442", "ru") == (
        "https://www.gov.kz/memleket/entities/sci/press/news/details/1183442?lang=ru"
    )


@pytest.mark.parametrize(
    ("slug", "news_id"), [("", "1"), ("a/b", "1"), ("a b", "1"), ("sci", ""), ("sci", "1a")]
)
def test_news_url_refuses_what_it_cannot_round_trip(slug: str, news_id: str) -> None:
    with pytest.raises(ValueError, match=r"gov\.kz"):
        news_url(slug, news_id, "kk")


@given(
    st.from_regex(r"[a-z0-9-]+", fullmatch=True),
    st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    st.sampled_from(LANGS),
)
def test_news_url_round_trips(slug: str, news_id: str, lang: Lang) -> None:
    assert parse_news_url(news_url(slug, news_id, lang)) == NewsRef(slug, news_id, lang)


@given(st.text())
def test_parse_news_url_never_raises(url: str) -> None:
    ref = parse_news_url(url)
    assert ref is None or isinstance(ref, NewsRef)

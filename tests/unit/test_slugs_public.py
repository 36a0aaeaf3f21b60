"""Source slugs (store/slugs.py) and the public host (web/public.py): table-driven cases and
properties over any key or Host header."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.store import slugs
from aqparat.web.public import _HOST, SiteRoot


@pytest.mark.parametrize(("key", "slug"), [
    ("mfa", "mfa"), ("kgd-akmola", "kgd-akmola"), ("enbekshiqazaq.kz", "enbekshiqazaq.kz"),
    ("https://www.akorda.kz/rss", "akorda-kz-rss"),
    ("https://www.akorda.kz/ru/rss.xml", "akorda-kz-ru-rss"),
    ("https://parlam.kz/ru/news/feed.php?lang=kk", "parlam-kz-ru-news-feed-lang-kk"),
    ("http://127.0.0.1:8123/feeds/rss20-full.xml", "127-0-0-1-feeds-rss20-full"),
    ("https://Example.KZ/News/", "example-kz-news"),
    ("https://akorda.kz/%D0%B6%D0%B0%D2%A3%D0%B0/rss", "akorda-kz-rss"),  # Cyrillic dropped
    ("https://", "source"), ("", "source"),
])
def test_slug_from_key(key: str, slug: str) -> None:
    assert slugs.base(key) == slug


@given(st.text(max_size=600))
def test_any_key_gives_a_routable_slug_with_room_for_a_suffix(key: str) -> None:
    slug = slugs.base(key)
    assert slugs.SLUG.fullmatch(slug)
    assert slugs.SLUG.fullmatch(f"{slug}-99999")
    assert slugs.base(key) == slug  # the same key, the same slug


@given(st.text(alphabet="ab-2", max_size=6), st.sets(st.text(alphabet="ab-23", max_size=8)))
def test_a_picked_slug_is_never_taken(wanted: str, taken: set[str]) -> None:
    picked = slugs.pick(wanted, taken)
    assert picked not in taken
    assert picked == wanted or picked.startswith(f"{wanted}-")


LOCAL = SiteRoot.parse("", "localhost, 127.0.0.1, ::1, .example.kz")
SCOPE = {"type": "http", "scheme": "http", "server": ("127.0.0.1", 8000)}


@given(st.text(max_size=80))
def test_whatever_the_host_the_app_sees_an_allowed_one(host: str) -> None:
    seen = LOCAL.host_for(SCOPE, host)
    final = host.strip() if seen is None else seen
    found = _HOST.fullmatch(final)
    assert found is not None
    assert LOCAL.allows(found["name"])
    assert seen is None or seen == "localhost:8000"


@given(st.text(max_size=80))
def test_with_a_public_url_the_host_is_always_its_own(host: str) -> None:
    root = SiteRoot.parse("https://aqparat.kz:8443/", "")
    assert root.host_for(SCOPE, host) == "aqparat.kz:8443"
    assert root.public_scheme == "https"

"""The edge's small parts: trusted proxies, client keys, token buckets, operator accounts."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from aqparat import operators
from aqparat.errors import ConfigError
from aqparat.web.clients import TrustedProxies, forwarded_client, limit_key
from aqparat.web.ratelimit import Buckets, Rate, is_api, is_login, is_search, retry_after

PROXIES = TrustedProxies.parse("10.0.0.0/8, ::1")


@pytest.mark.parametrize(("peer", "header", "client"), [
    ("10.0.0.2", "203.0.113.9", "203.0.113.9"),  # one trusted hop
    ("10.0.0.2", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client forged a hop
    ("10.0.0.2", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two trusted hops
    ("10.0.0.2", "not-an-address", "10.0.0.2"),  # garbage: stay with the proxy
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", "10.1.1.1", "10.1.1.1"),  # all trusted: the left-most is the client
])
def test_the_client_is_the_first_untrusted_hop_from_the_right(peer: str, header: str,
                                                              client: str) -> None:
    assert forwarded_client(peer, [header] if header else [], PROXIES) == client


def test_proxies_setting_is_checked() -> None:
    assert PROXIES.trusts("10.9.8.7")
    assert PROXIES.trusts("::1")
    assert not PROXIES.trusts("11.0.0.1")
    assert not PROXIES.trusts("testclient")
    assert not TrustedProxies.parse("").networks
    with pytest.raises(ConfigError):
        TrustedProxies.parse("10.0.0.0/8, localhost")


def test_an_ipv6_client_is_its_64() -> None:
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:ffff::9")
    assert limit_key("2001:db8:1:2::1") != limit_key("2001:db8:1:3::1")
    assert limit_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert limit_key("192.0.2.1") == "192.0.2.1"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = Buckets(Rate(6), clock=clock)  # 6 a minute: one every 10 s, a burst of 6
    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    wait = buckets.take("a")
    assert wait == pytest.approx(10.0)
    assert retry_after(wait) == "10"
    assert buckets.take("b") == 0.0  # another client has its own bucket
    clock.now += 10
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_the_bucket_table_is_bounded() -> None:
    buckets = Buckets(Rate(1), max_clients=3)
    for key in "abcde":
        buckets.take(key)
    assert list(buckets.table) == ["c", "d", "e"]


@pytest.mark.parametrize(("method", "path", "search", "api", "login"), [
    ("GET", "/kk/search", True, False, False),
    ("GET", "/kk-Latn/search", True, False, False),
    ("GET", "/feeds/ru/search/rss.xml", True, False, False),
    ("GET", "/api/v1/search", True, False, False),
    ("GET", "/api/v1/articles", False, True, False),
    ("POST", "/admin/login", False, False, True),
    ("GET", "/admin/login", False, False, False),
    ("GET", "/kk/news/1", False, False, False),
])
def test_which_requests_count_where(method: str, path: str, search: bool, api: bool,
                                    login: bool) -> None:
    assert (is_search(method, path), is_api(method, path), is_login(method, path)) == (
        search, api, login)


@pytest.fixture
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operators, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64,
                                                             parallelism=1))
    operators._dummy.cache_clear()


@pytest.mark.usefixtures("cheap")
def test_operator_accounts_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "ops" / "operators.toml"
    made = operators.add(path, "aigerim", "a long enough password")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert made.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in path.read_text()
    accounts = operators.load(path)
    assert operators.verify(accounts, "aigerim", "a long enough password") == made
    assert operators.verify(accounts, "aigerim", "wrong") is None
    assert operators.verify(accounts, "nobody", "a long enough password") is None
    with pytest.raises(ConfigError, match="exists"):
        operators.add(path, "aigerim", "another long password")
    again = operators.add(path, "aigerim", "another long password", replace=True)
    assert again.fingerprint != made.fingerprint
    operators.remove(path, "aigerim")
    assert operators.load(path) == {}


@pytest.mark.parametrize(("name", "password", "problem"), [
    ("Aigerim", "a long enough password", "not a name"),
    ("a b", "a long enough password", "not a name"),
    ("aigerim", "short", "at least"),
])
@pytest.mark.usefixtures("cheap")
def test_bad_accounts_are_refused(tmp_path: Path, name: str, password: str,
                                  problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        operators.add(tmp_path / "o.toml", name, password)


def test_a_hand_broken_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "o.toml"
    path.write_text('[operators.x]\npassword = "plain text"\n')
    with pytest.raises(ConfigError, match="argon2"):
        operators.load(path)
    path.write_text("not toml [")
    with pytest.raises(ConfigError):
        operators.load(path)


def test_refusals_and_operator_notices_are_translated() -> None:
    from aqparat.model import LANGS
    from aqparat.web import errors, i18n
    from aqparat.web.admin.forms import DONE

    keys = {f"{key}_{part}" for key in errors._KEYS.values() for part in ("title", "text")}
    keys |= {f"admin_done_{done}" for done in DONE}
    for lang in LANGS:
        assert keys <= set(i18n.catalogue(lang)), lang


def test_a_cursor_past_any_id_stays_inside_postgres_integers() -> None:
    import datetime as dt

    from aqparat.web import query

    at, item_id = query.cursor("0.9999999999")
    assert item_id == 0
    assert at == dt.datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC)


def test_a_feed_date_feedparser_cannot_place_is_no_date() -> None:
    import time

    from aqparat.sources import feeds

    struct = time.struct_time((-1, 1, 1, 0, 0, 0, 0, 1, 0))
    assert feeds._date(None, {"published_parsed": struct}) is None

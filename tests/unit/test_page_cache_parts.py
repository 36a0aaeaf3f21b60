"""The page cache's pure parts: coding negotiation, compression round trips, the byte-bounded
LRU, validators and hashed static names (web/encoding.py, cache.py, conditional.py,
static_assets.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import random
import re
from collections.abc import Coroutine
from pathlib import Path

import brotli
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers

from aqparat.web import encoding
from aqparat.web.cache import Pages
from aqparat.web.conditional import Answer, http_date
from aqparat.web.static_assets import StaticAssets, hashed_name

CODINGS = st.sampled_from(["br", "gzip", "deflate", "identity", "*", "zstd", "BR", " gzip "])
WEIGHTS = st.one_of(st.none(), st.sampled_from(["0", "0.0", "1", "0.5", "0.001", "x", ""]))
HEADER = st.lists(st.tuples(CODINGS, WEIGHTS), max_size=5).map(
    lambda parts: ", ".join(c if q is None else f"{c};q={q}" for c, q in parts))
PAGE = "<p>Қазақстан Республикасы Ғылым және жоғары білім министрлігі</p>\n" * 40


def test_the_best_accepted_coding_is_chosen() -> None:
    bodies = encoding.encode(PAGE.encode(), "text/html; charset=utf-8")
    assert set(bodies) == {"identity", "br", "gzip"}
    for header, expected in (("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", "identity"),
                             ("br;q=0, gzip", "gzip"), ("*", "br"), ("*;q=0", "identity"),
                             ("identity", "identity"), ("br;q=0, *", "gzip")):
        assert encoding.choose(header, bodies) == expected, header


@given(HEADER)
def test_a_chosen_coding_is_one_the_client_accepts(header: str) -> None:
    bodies = encoding.encode(PAGE.encode(), "text/html")
    chosen = encoding.choose(header, bodies)
    assert chosen in bodies
    said = {p.split(";")[0].strip().lower(): _weight(p) for p in header.split(",")}
    if chosen != "identity":  # the client named it, or `*`, with a weight above 0
        assert said.get(chosen, said.get("*", 0.0)) > 0
    else:  # or it accepts neither of ours
        assert all(said.get(c, said.get("*", 0.0)) <= 0 for c in ("br", "gzip"))


def _weight(part: str) -> float:
    if ";" not in part:
        return 1.0
    try:
        return float(part.split("=", 1)[1])
    except ValueError:
        return 0.0


@given(st.binary(max_size=4000), st.sampled_from(["text/html", "application/json",
                                                  "image/png", "application/rss+xml"]))
def test_every_coding_decodes_to_the_same_bytes(body: bytes, media: str) -> None:
    bodies = encoding.encode(body, media)
    assert bodies["identity"] == body
    if "br" in bodies:
        assert brotli.decompress(bodies["br"]) == body
    if "gzip" in bodies:
        assert gzip.decompress(bodies["gzip"]) == body
    assert all(len(v) < len(body) for k, v in bodies.items() if k != "identity")
    if not encoding.compressible(media):
        assert set(bodies) == {"identity"}


def _answer(size: int) -> Answer:
    return Answer(((b"content-type", b"text/plain"),), {"identity": b"x" * size}, "t",
                  dt.datetime(2026, 3, 17, tzinfo=dt.UTC), vary=False)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 3000)), max_size=60))
def test_the_cache_stays_under_its_bytes_and_keeps_the_newest(puts: list[tuple[int, int]]) -> None:
    pages = Pages(max_bytes=20_000)
    pages.at(1)
    for key, size in puts:
        pages.put((str(key),), 1, _answer(size))
        assert pages.bytes == sum(a.size for a in pages.entries.values()) <= 20_000
        assert pages.get((str(key),)) is not None  # what was just put is there
    pages.at(2)  # the store moved: nothing survives
    assert not pages.entries
    assert pages.bytes == 0


def test_an_answer_rendered_before_a_change_is_not_kept() -> None:
    pages = Pages(max_bytes=20_000)
    pages.at(5)
    pages.put(("a",), 4, _answer(10))
    assert pages.get(("a",)) is None


def _finish(step: Coroutine[object, object, int]) -> int:
    """Run a coroutine that never waits (its `send` only appends) to its end, without an event
    loop: the browser tests leave one running in this thread, where asyncio.run would refuse."""
    try:
        step.send(None)
    except StopIteration as done:
        return int(done.value)
    step.close()
    raise AssertionError("Answer.send waited for something")


def _sent(answer: Answer, accept: str, pages: Pages | None = None,
          request: dict[str, str] | None = None) -> tuple[int, dict[bytes, bytes], bytes]:
    """Send `answer` to a client that accepts `accept`: status, headers, body."""
    messages: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        messages.append(message)

    grew = _finish(answer.send(Headers({"accept-encoding": accept, **(request or {})}),
                               "GET", send))
    if pages is not None and grew:
        pages.grew(("k",), answer, grew)
    start, body = messages
    headers = dict(start["headers"])  # type: ignore[call-overload]
    return int(start["status"]), headers, bytes(body["body"])  # type: ignore[call-overload]


def _lazy_page() -> Answer:
    body = PAGE.encode()
    return Answer(((b"content-type", b"text/html"),), {"identity": body}, "p",
                  dt.datetime(2026, 3, 17, tzinfo=dt.UTC), vary=True,
                  offered=encoding.offered(body, "text/html"))


def test_a_coding_is_made_when_a_client_first_takes_it_and_counted_by_the_cache() -> None:
    answer, pages = _lazy_page(), Pages(max_bytes=100_000)
    pages.at(1)
    pages.put(("k",), 1, answer)
    status, headers, body = _sent(answer, "", pages)  # a crawler, wrk: nothing to compress
    assert (status, body, set(answer.bodies)) == (200, PAGE.encode(), {"identity"})
    assert b"content-encoding" not in headers
    status, headers, body = _sent(answer, "gzip, br", pages)
    assert headers[b"content-encoding"] == b"br"
    assert brotli.decompress(body) == PAGE.encode()
    assert headers[b"etag"] == b'"p-br"'
    assert headers[b"vary"] == b"Accept-Encoding"
    assert set(answer.bodies) == {"identity", "br"}  # gzip: still nobody's
    assert pages.bytes == answer.size == sum(a.size for a in pages.entries.values())
    before = answer.size
    _sent(answer, "br", pages)  # made once
    assert answer.size == before
    status, headers, body = _sent(answer, "gzip", pages)
    assert gzip.decompress(body) == PAGE.encode()
    assert pages.bytes == answer.size > before


def test_a_revalidation_needs_no_body_made() -> None:
    answer = _lazy_page()
    status, headers, body = _sent(answer, "br", request={"if-none-match": '"p"'})
    assert (status, body, headers[b"etag"]) == (304, b"", b'"p-br"')
    assert set(answer.bodies) == {"identity"}


def test_a_coding_no_smaller_than_the_bytes_is_dropped_for_identity() -> None:
    noise = random.Random(3).randbytes(3000)  # does not compress
    answer = Answer((), {"identity": noise}, "n", dt.datetime(2026, 3, 17, tzinfo=dt.UTC),
                    vary=True, offered=("br", "gzip"))
    status, headers, body = _sent(answer, "br, gzip")
    assert (status, body, set(answer.bodies)) == (200, noise, {"identity"})
    assert b"content-encoding" not in headers
    assert answer.available() == ["identity"]


def test_validators_match_across_codings_and_dates() -> None:
    answer = Answer((), {"identity": b"a", "br": b"b"}, "abc",
                    dt.datetime(2026, 3, 17, 10, 0, 0, 500_000, tzinfo=dt.UTC), vary=True)
    fresh = answer.fresh_for
    assert fresh(Headers({"if-none-match": '"abc-br"'}))
    assert fresh(Headers({"if-none-match": 'W/"abc", "x"'}))
    assert fresh(Headers({"if-none-match": "*"}))
    assert not fresh(Headers({"if-none-match": '"abcd"'}))
    assert fresh(Headers({"if-modified-since": "Tue, 17 Mar 2026 10:00:00 GMT"}))
    assert not fresh(Headers({"if-modified-since": "Tue, 17 Mar 2026 09:59:59 GMT"}))
    assert not fresh(Headers({"if-modified-since": "yesterday"}))
    assert http_date(dt.datetime(2026, 3, 17, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
                     ) == "Tue, 17 Mar 2026 10:00:00 GMT"


def test_static_names_follow_their_content(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: #111 }\n" * 30)
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "rss.svg").write_text("<svg/>")
    first = StaticAssets(tmp_path)
    url = first.url("site.css")
    assert re.fullmatch(r"/static/site\.[0-9a-f]{8}\.css", url)
    assert first.url("icons/rss.svg").startswith("/static/icons/rss.")
    assert set(first.answer("site.css").bodies) == {"identity", "br", "gzip"}
    (tmp_path / "site.css").write_text("body { color: #222 }\n" * 30)
    assert StaticAssets(tmp_path).url("site.css") != url
    assert hashed_name("a/b.min.css", "0123456789") == "a/b.min.01234567.css"

"""Feed and page adapters, decoding, redirects, the sources file and OPML: table-driven
cases, and hypothesis on arbitrary bytes (only our typed errors may come out)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aqparat.errors import ConfigError, ParseError
from aqparat.fetch.client import Response
from aqparat.sourcefile import load
from aqparat.sources import encoding, feeds, links, opml, pages, remote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
URL = "https://feeds.example.kz/feed.xml"
XMLISH = st.sampled_from([b"", b"<?xml version='1.0'?>", b"<rss version='2.0'><channel>",
                          b"<feed xmlns='http://www.w3.org/2005/Atom'>", b"<html><body>",
                          b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(XMLISH, st.binary(max_size=600))
def test_feed_parser_on_arbitrary_bytes_gives_a_feed_or_a_parse_error(head: bytes,
                                                                      tail: bytes) -> None:
    try:
        feed = feeds.parse_feed(head + tail, URL, "application/xml")
    except ParseError as exc:
        error = str(exc)
    else:
        for entry in feed.entries:
            assert entry.key
            feeds.to_raw_item(feed, entry, URL)
        return
    assert error.startswith(f"feeds: {URL}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"", b"<html><body><h1>T</h1><p>", b"<article><p>"]),
       st.binary(max_size=600))
def test_page_parser_on_arbitrary_bytes_gives_an_article_or_a_parse_error(
        head: bytes, tail: bytes) -> None:
    try:
        article = pages.extract_article(head + tail, "https://x.kz/a/1")
    except ParseError as exc:
        error = str(exc)
    else:
        assert article.paragraphs
        pages.to_raw_item(article, "https://x.kz/")
        return
    assert error.startswith("pages: https://x.kz/a/1: ")


@pytest.mark.parametrize("junk", ["<![0", "<![0 x>", "<![ if !IE]>", "<![a"])
def test_a_malformed_declaration_is_skipped_and_the_links_after_it_found(junk: str) -> None:
    page = f'<p>{junk}</p><a href="/a/1">one</a><link rel="alternate" href="/rss" ' \
           f'type="application/rss+xml">'
    assert links.matching_links(page, "https://x.kz/", re.compile("/a/")) == \
        ["https://x.kz/a/1"]
    assert [f.url for f in links.feed_links(page, "https://x.kz/")] == ["https://x.kz/rss"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_link_scanners_never_raise(text: str) -> None:
    links.feed_links(text, "https://x.kz/")
    links.matching_links(text, "https://x.kz/", re.compile("a"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_opml_reader_on_arbitrary_bytes_raises_only_parse_error(data: bytes) -> None:
    try:
        opml.read(b"<opml version='2.0'><body>" + data, "x.opml")
    except ParseError as exc:
        error = str(exc)
    else:
        return
    assert error.startswith("opml: x.opml")


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ("Заседание".encode("cp1251"), "text/xml; charset=utf-8", "cp1251"),
    ("Отырыс".encode(), "text/xml; charset=windows-1251", "utf-8"),
    (b"<?xml version='1.0' encoding='koi8-r'?>" + "Приём".encode("koi8-r"), None, "koi8-r"),
    ("Қазақстан Республикасы".encode("kz1048"), "text/html; charset=utf-8", "kz1048"),
    ("\ufeffAstana".encode(), None, "utf-8-sig"),
    (b"plain ascii", "text/html; charset=bogus-charset", "utf-8"),
])
def test_decoding_distrusts_declarations(body: bytes, content_type: str | None,
                                         expected: str) -> None:
    assert encoding.decode(body, content_type).encoding == expected


def test_a_contradicted_declaration_is_reported() -> None:
    decoded = encoding.decode("Заседание".encode("cp1251"), "text/xml; charset=utf-8")
    assert decoded.text == "Заседание"
    assert decoded.contradicted


def _response(hops: tuple[tuple[int, str], ...], final: str) -> Response:
    return Response(final, 200, {}, b"", hops)


@pytest.mark.parametrize(("hops", "final", "moved"), [
    ((), "https://a.kz/f", None),
    (((301, "https://a.kz/f"),), "https://b.kz/f", "https://b.kz/f"),
    (((308, "https://a.kz/f"),), "https://b.kz/f", "https://b.kz/f"),
    (((302, "https://a.kz/f"),), "https://b.kz/f", None),
    (((301, "https://a.kz/f"), (302, "https://b.kz/f")), "https://c.kz/f", "https://b.kz/f"),
    (((301, "https://a.kz/f"), (301, "https://b.kz/f")), "https://c.kz/f", "https://c.kz/f"),
    (((302, "https://a.kz/f"), (301, "https://b.kz/f")), "https://c.kz/f", None),
])
def test_only_a_leading_permanent_redirect_moves_a_source(
        hops: tuple[tuple[int, str], ...], final: str, moved: str | None) -> None:
    assert remote.moved_to("https://a.kz/f", _response(hops, final)) == moved


@pytest.mark.parametrize(("guid", "link", "title", "date", "key"), [
    ("abc", "https://x/1", "T", None, "abc"),
    (None, "https://x/1", "T", None, "https://x/1"),
    (None, None, "T", "Mon, 1 Jan", "h:" + "3f1d"),
    ("g" * 300, None, "T", None, "g:"),
])
def test_item_keys_are_guid_then_link_then_a_hash(guid: str | None, link: str | None,
                                                  title: str, date: str | None,
                                                  key: str) -> None:
    found = feeds.entry_key(guid, link, title, date)
    assert found.startswith(key[:2]) if key.endswith(":") or key.startswith("h:") else \
        found == key
    assert len(found) <= feeds.MAX_KEY


@pytest.mark.parametrize(("value", "lang"), [
    ("kk-KZ", "kk"), ("kz", "kk"), ("ru_RU", "ru"), ("EN-us", "en"), ("de", None), (None, None)])
def test_language_codes(value: str | None, lang: str | None) -> None:
    assert feeds.lang_code(value) == lang


def _entry(body: str, has_content: bool = False, link: str | None = "https://x/1"
           ) -> feeds.FeedEntry:
    return feeds.FeedEntry("k", "T", link, dt.date(2026, 1, 1), None, body, has_content,
                           None, None, 1)


@pytest.mark.parametrize(("entry", "mode", "wanted"), [
    (_entry("Short teaser"), "auto", True),
    (_entry("x " * 400), "auto", False),
    (_entry("x " * 400 + "…"), "auto", True),
    (_entry("Short", has_content=True), "auto", False),
    (_entry("Short", link=None), "always", False),
    (_entry("x " * 400, has_content=True), "always", True),
    (_entry("Short"), "never", False),
])
def test_when_an_items_page_is_fetched(entry: feeds.FeedEntry, mode: feeds.FullText,
                                       wanted: bool) -> None:
    assert feeds.needs_page(entry, mode, 600) is wanted


def test_feed_autodiscovery_reads_alternate_links_in_order() -> None:
    html = (FIXTURES / "feeds" / "site.html").read_text(encoding="utf-8")
    found = links.feed_links(html, "https://min.example.kz/ru/")
    assert [(f.url, f.type) for f in found] == [
        ("https://min.example.kz/feeds/rss20-full.xml", "rss"),
        ("https://min.example.kz/feeds/atom10.xml", "atom")]


def test_sources_file_errors_name_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[page]]\nurl = "https://x.kz/news"\npattern = "("\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[\[page\]\] 1: pattern '\(' is not a regular"):
        load(path)
    path.write_text('[[page]]\nurl = "https://x.kz/news"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="a page source needs `pattern`"):
        load(path)
    path.write_text('[[feed]]\nurl = "ftp://x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="`url` must be an http"):
        load(path)
    assert load(tmp_path / "missing.toml") == []


def test_opml_written_is_opml_2_and_reads_back() -> None:
    sources = [opml.OpmlSource("feed", "https://a.kz/rss", "Ақорда"),
               opml.OpmlSource("page", "https://b.kz/news", "Үкімет", "/news/[0-9]+$")]
    document = opml.write(sources, title="t", created=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert b'<opml version="2.0">' in document
    assert b"<dateCreated>Sun, 01 Mar 2026 00:00:00 GMT</dateCreated>" in document
    assert document.count(b"<outline ") == document.count(b' text="') == 2  # required
    assert opml.read(document, "x") == sources


def test_opml_reads_nested_folders_and_skips_the_rest() -> None:
    document = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Gov"><outline type="rss" text="A" xmlUrl="https://a.kz/rss"/>
      <outline text="no url"/><outline type="rss" text="dup" xmlUrl="https://a.kz/rss"/>
      </outline><outline type="link" text="plain link" url="https://c.kz/"/></body></opml>"""
    assert opml.read(document, "x") == [opml.OpmlSource("feed", "https://a.kz/rss", "A")]

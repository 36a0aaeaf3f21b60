"""Feeds stay well-formed whatever a source put in its text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from aqparat.store.articles import ItemRecord, ItemSummary
from aqparat.store.sources import SourceRow
from aqparat.web import feeds
from aqparat.web.render import build_environment

HOSTILE = "Tab\tok, \x00NUL \x0bVT \x1fUS \ufffe, <b>&amp; \ud800 \U0001f600 ]]> end"


def record(title: str, body: str) -> ItemRecord:
    source = SourceRow(1, "govkz", "mfa", {"kk": "СІМ", "ru": None, "en": None}, None, None,
                       "mfa")
    at = dt.datetime(2026, 3, 17, 4, 30, tzinfo=dt.UTC)
    summary = ItemSummary(7, title, title, "kk", at, False, source)
    return ItemRecord(summary, "1183541", body, body, "https://www.gov.kz/x?lang=kk&a=1", "kk",
                      at, ("news",))


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_forbidden_characters_are_dropped_and_markup_escaped(fmt: feeds.FeedFormat) -> None:
    # A lone surrogate cannot come out of the store (it is UTF-8), only a title could carry one.
    body = f"<p>{HOSTILE.replace(chr(0xD800), '')}</p><script>x()</script>"
    feed = feeds.build([record(HOSTILE, body)], lang="kk",
                       key="", title=HOSTILE, description="d", site="https://a.example", fmt=fmt)
    body = feeds.to_xml(build_environment(), feed, fmt)
    root = ET.fromstring(body)  # noqa: S314  (our own output; raises on any XML 1.0 error)
    text = "".join(root.itertext())
    assert "Tab\tok, NUL VT US , <b>&amp;  \U0001f600 ]]> end" in text
    assert "<script>" not in text  # the body is sanitized before it is escaped
    assert b"https://www.gov.kz/x?lang=kk&amp;a=1" in body


def test_ids_are_uuid5_names_of_the_natural_key() -> None:
    one, other = record("a", ""), record("b", "different text")
    assert feeds.entry_id(one) == feeds.entry_id(other)  # same source, external id, language
    assert feeds.entry_id(one).startswith("urn:uuid:")


def test_dates_in_both_formats() -> None:
    moment = dt.datetime(2026, 3, 17, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert feeds.rfc822(moment) == "Tue, 17 Mar 2026 04:30:00 GMT"
    assert feeds.rfc3339(moment) == "2026-03-17T04:30:00Z"

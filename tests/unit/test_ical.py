"""The iCalendar writer's line rules (RFC 5545 §3.1, §3.3.11), checked without a store."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aqparat.web.ical import escape_text, fold


def test_text_escapes() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_short_lines_are_not_folded() -> None:
    assert fold("SUMMARY:" + "x" * 67) == "SUMMARY:" + "x" * 67  # exactly 75 octets


def test_folding_never_splits_a_kazakh_letter() -> None:
    line = "SUMMARY:" + "қ" * 80  # two octets each
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if n else p for n, p in enumerate(pieces)) == line


@given(st.text(min_size=0, max_size=400).filter(lambda s: "\r" not in s and "\n" not in s))
def test_unfolding_gives_the_line_back(line: str) -> None:
    folded = fold(line)
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line

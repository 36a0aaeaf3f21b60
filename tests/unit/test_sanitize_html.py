"""Whole gov.kz bodies → sanitized HTML blocks and paragraphs (govkz.md §2.2 and §6), on the
real bodies of the committed fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.text import sanitize

FIXTURE = Path(__file__).parents[1] / "fixtures" / "govkz" / "news-ru.jsonl"
ITEMS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
BASE = "https://www.gov.kz"


@pytest.mark.parametrize("news", ITEMS, ids=lambda n: str(n["id"]))
def test_real_bodies_lose_wrapper_styles_and_entities(news: dict[str, str]) -> None:
    blocks = sanitize.html_blocks(news["body"], BASE)
    html = "".join(b.html for b in blocks)
    text = "\n".join(p for b in blocks for p in b.paragraphs)
    for banned in ("<html", "<body", "<head", "DOCTYPE", "style=", "class=", "<font",
                   "align=", "<span"):
        assert banned not in html
    for entity in ("&nbsp;", "&laquo;", "&raquo;", "&ndash;", "&mdash;"):
        assert entity not in text
    assert "\u00a0" not in text
    assert text.strip(), "every fixture body has text"
    assert 'src="/' not in html
    assert 'href="/uploads' not in html


def test_inline_images_become_absolute_and_the_first_is_found() -> None:
    html = sanitize.clean_html('<p>x<img src="/uploads/2020/10/2/ab_original.289523.jpg" '
                               'width="5" onerror="alert(1)"></p>', BASE)
    assert html == ('<p>x<img src="https://www.gov.kz/uploads/2020/10/2/'
                    'ab_original.289523.jpg" width="5"></p>')
    assert sanitize.first_image(html) == \
        "https://www.gov.kz/uploads/2020/10/2/ab_original.289523.jpg"


@pytest.mark.parametrize(("frame", "link"), [
    ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0"></iframe>',
     "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("<iframe width=560 src=//www.youtube-nocookie.com/embed/abcDEF12345>",
     "https://www.youtube.com/watch?v=abcDEF12345"),
    ('<IFRAME SRC="https://youtu.be/abcDEF12345"></IFRAME>',
     "https://www.youtube.com/watch?v=abcDEF12345"),
])
def test_youtube_frames_become_links(frame: str, link: str) -> None:
    [block] = sanitize.html_blocks(f"<p>До</p>{frame}", BASE)[1:]
    assert block.paragraphs == (link,)
    assert f'href="{link}"' in block.html


def test_other_frames_scripts_and_handlers_are_dropped() -> None:
    html = sanitize.clean_html('<iframe src="https://maps.example/x"></iframe>'
                               '<script>alert(1)</script><p onclick="x()">ok</p>', BASE)
    assert html == "<p>ok</p>"


def test_blocks_follow_the_markup() -> None:
    blocks = sanitize.html_blocks(
        "loose <b>text</b><div>first</div><div>second</div><ul><li>one</li><li>two</li></ul>"
        "<table><tr><td>a</td><td> </td><td>b</td></tr></table><p><img src='/u.png'></p>"
        "<p> </p>", BASE)
    assert [b.paragraphs for b in blocks] == [
        ("loose text",), ("first",), ("second",), ("one", "two"), ("a | b",), ()]
    assert blocks[-1].html == '<p><img src="https://www.gov.kz/u.png"></p>'


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcpdivlutrfmeхыә&;#\n")) |
               st.characters(), max_size=300))
def test_any_markup_gives_clean_blocks(html: str) -> None:
    for block in sanitize.html_blocks(html, BASE):
        assert "<script" not in block.html.lower()
        assert all(p == p.strip() and p for p in block.paragraphs)

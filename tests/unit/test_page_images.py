"""Body pictures as a page renders them (`sanitize_html(for_page=True)`): lazy, with an alt
(empty when the source gave none), and never a way for a source's text to add attributes."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from aqparat.text.sanitize import sanitize_html


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


def images(html: str) -> list[dict[str, str | None]]:
    parser = _Images()
    parser.feed(html)
    parser.close()
    return parser.found


def test_pictures_are_lazy_and_keep_or_get_an_alt() -> None:
    html = ('<p><img src="https://gov.kz/1.jpg" alt="Министр" width="320" height="267">'
            '<img src="https://gov.kz/2.jpg"></p>')
    found = images(sanitize_html(html, for_page=True))
    assert [(i["alt"], i["loading"], i["decoding"]) for i in found] == [
        ("Министр", "lazy", "async"), ("", "lazy", "async")]
    assert found[0]["width"] == "320"
    assert "loading" not in sanitize_html(html)  # stored bodies stay as the source gave them


TEXT = st.text(st.sampled_from('<>"\'= /&;aimgloadnerrt'), max_size=30)
# Text between the pictures as a source escapes it ("&lt;img" is text; a raw "<" is markup,
# which the allow-list handles).
BETWEEN = st.lists(st.sampled_from(["&lt;img ", "onerror=", '"', " alt=", "x", "&gt;"]),
                   max_size=6).map("".join)


@given(TEXT, TEXT, BETWEEN)
def test_no_text_in_a_body_becomes_an_attribute(alt: str, title: str, between: str) -> None:
    """Whatever a source writes in an alt, a title or the text around, every picture ends up
    with exactly the attributes a page allows, and an alt given is kept."""
    def attr(value: str) -> str:
        return value.replace("&", "&amp;").replace('"', "&quot;")

    html = (f'<p>{between}<img src="https://gov.kz/a.jpg" alt="{attr(alt)}">{between}'
            f'<img src="https://gov.kz/b.jpg" title="{attr(title)}">{between}</p>')
    found = images(sanitize_html(html, for_page=True))
    assert len(found) >= 2
    allowed = {"src", "alt", "width", "height", "title", "lang", "loading", "decoding"}
    for img in found:
        assert set(img) <= allowed, img
        assert img["alt"] is not None
        assert img["loading"] == "lazy"
    assert alt in [i["alt"] for i in found]

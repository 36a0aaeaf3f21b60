"""markup.map_text: a bare paragraph's quick path gives what the parser gives."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.text.markup import _TextMapper, map_text

PIECES = ["a", "б", " ", "&amp;", "&lt;", "&gt;", "&", "&#x41;", "&#65;", "&nbsp;", "&nbsp",
          "&amp", ">", ";", "&#", "&x;", "\n", "«", "&quot;", "'", '"', "&#0;", "&not", "&notit;"]
FNS: list[Callable[[str], str]] = [lambda s: s, lambda s: s.upper() + "&<>", lambda s: "x"]


def parsed(html: str, fn: Callable[[str], str]) -> str:
    mapper = _TextMapper(fn)
    mapper.feed(html)
    mapper.close()
    return "".join(mapper.out)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join), st.sampled_from(FNS))
def test_a_bare_paragraph_maps_as_the_parser_maps_it(inner: str,
                                                      fn: Callable[[str], str]) -> None:
    html = f"<p>{inner}</p>"
    assert map_text(html, fn) == parsed(html, fn)

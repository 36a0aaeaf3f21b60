"""Allow-list HTML cleaning (nh3) and plain paragraphs → HTML.

Source HTML is untrusted. Only these survive, everything else (scripts, styles, event handlers,
classes, fonts) is dropped: headings h2–h4, p, br, strong/b, em/i, u, s, sub, sup, blockquote,
ul/ol/li, table parts, a (http/https/mailto; rel="noopener noreferrer nofollow" added), img
(http/https only, with alt/width/height).
"""

from __future__ import annotations

from html import escape

import nh3

ALLOWED_TAGS = frozenset({
    "h2", "h3", "h4", "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs → `<p>` elements, every character escaped."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)

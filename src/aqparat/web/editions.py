"""Editions: which interface language and script a page is in, from its first path segment.

`/kk/`, `/ru/`, `/en/` are the three interface languages; `/kk-Latn/` and `/kk-Arab/` are the
Kazakh pages in the 2021 Latin alphabet and in Arabic script (tote). A script edition is not a
separate site: every page family computes its Kazakh page as usual, and `transliterate` rewrites
the finished HTML once (web/render.py), so a page family added later gets the editions for free.

What the rewrite changes, and why only that:

* text nodes (and the human-readable attributes `title`, `alt`, `aria-label`, `placeholder`,
  some `<meta content>`) whose language is `kk` — so items in ru or en, which templates mark
  with their own `lang`, stay untouched; URLs and e-mail addresses inside text stay as written;
* `lang="kk"` becomes the edition's tag, and in Arabic script an element in another language
  gets `dir="ltr"` so a Russian title reads left to right inside the right-to-left page;
* site links to `/kk/…` (`href`, `action`, `og:url`) point into the same edition, so a reader
  stays in their script; `<link rel=alternate>` keeps naming the Cyrillic page, and a link
  whose `hreflang` names another script (the script switch) keeps its target.

Markup, URLs, `<script>` (JSON-LD describes the original) and form values are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from aqparat.model import LANGS, Lang
from aqparat.text.translit import Script, transliterate


@dataclass(frozen=True, slots=True)
class Edition:
    """An interface language and, for Kazakh, a script other than Cyrillic."""

    lang: Lang
    script: Script | None = None

    @property
    def tag(self) -> str:
        """The first path segment and the `lang` attribute: `kk`, `kk-Latn`, `kk-Arab`."""
        return f"{self.lang}-{self.script}" if self.script else self.lang

    @property
    def rtl(self) -> bool:
        return self.script == "Arab"


SCRIPTS: tuple[Script, ...] = ("Latn", "Arab")
EDITIONS: dict[str, Edition] = {
    e.tag: e for e in (*(Edition(lang) for lang in LANGS), *(Edition("kk", s) for s in SCRIPTS))}


def from_segment(segment: object) -> Edition | None:
    return EDITIONS.get(segment) if isinstance(segment, str) else None


def from_path(path: str) -> Edition | None:
    """The edition a site path is in (`/kk-Latn/news/5` → kk-Latn); None outside editions."""
    return from_segment(path.lstrip("/").split("/", 1)[0])


def swap_segment(path: str, tag: str) -> str:
    """`path` with its first segment replaced by `tag` (`/kk/news/5` → `/kk-Latn/news/5`)."""
    rest = path.lstrip("/").split("/", 1)
    return f"/{tag}/{rest[1] if len(rest) > 1 else ''}"


# --- the rewrite ---------------------------------------------------------------------------

_TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder"})
# Meta tags whose content is prose in the page's language (not URLs, locales or dates).
_PROSE_META = frozenset({"description", "og:title", "og:description", "og:site_name",
                         "article:section"})
_MAIN_TEXT_META = frozenset({"og:title", "og:description"})  # the item's own words
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_RAW = frozenset({"script", "style"})
_UNTOUCHED = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rewrite:
    """One page's rewrite: the edition, the site's absolute root (links to it are ours), and
    whether the page's own text (`<title>`, og:title…) is Kazakh — an article in Russian keeps
    its title as written there."""

    edition: Edition
    site_url: str
    main_text_kk: bool = True

    def text(self, value: str) -> str:
        assert self.edition.script is not None
        script = self.edition.script
        parts = _UNTOUCHED.split(value)
        urls = [*_UNTOUCHED.findall(value), ""]
        return "".join(transliterate(p, script) + u for p, u in zip(parts, urls, strict=True))

    def link(self, value: str) -> str:
        for root in ("", self.site_url):
            if value.startswith(f"{root}/kk/") or value == f"{root}/kk":
                return root + swap_segment(value[len(root):], self.edition.tag)
        return value


Attrs = list[tuple[str, str | None]]


class _Rewriter(HTMLParser):
    def __init__(self, rewrite: Rewrite) -> None:
        super().__init__(convert_charrefs=True)
        self.rw = rewrite
        self.out: list[str] = []
        self.stack: list[tuple[str, str | None]] = []  # open elements and their own lang

    def lang(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang), "kk")

    def inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        own = dict(attrs).get("lang")
        self.out.append(self._tag(tag, attrs, own or self.lang()))
        if tag not in _VOID:
            self.stack.append((tag, own))

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        self.out.append(self._tag(tag, attrs, dict(attrs).get("lang") or self.lang()))

    def handle_endtag(self, tag: str) -> None:
        if self.inside(tag):
            while self.stack.pop()[0] != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        tag = self.stack[-1][0] if self.stack else ""
        if tag in _RAW:
            self.out.append(data)
        elif self.lang() == "kk" and (self.rw.main_text_kk or not self.inside("title")):
            self.out.append(escape(self.rw.text(data), quote=False))
        else:
            self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def _tag(self, tag: str, attrs: Attrs, lang: str) -> str:
        changed = _attributes(self.rw, tag, attrs, lang)
        if changed == attrs:
            return self.get_starttag_text() or ""
        return f"<{tag}{''.join(_attribute(k, v) for k, v in changed)}>"


def _attribute(name: str, value: str | None) -> str:
    return f" {name}" if value is None else f' {name}="{escape(value)}"'


def _attributes(rw: Rewrite, tag: str, attrs: Attrs, lang: str) -> Attrs:
    found = dict(attrs)
    out = [(k, _value(rw, tag, found, k, v, lang)) for k, v in attrs]
    if rw.edition.rtl and found.get("lang") in ("ru", "en") and "dir" not in found:
        out.append(("dir", "ltr"))  # a Russian or English item inside the right-to-left page
    return out


def _value(rw: Rewrite, tag: str, attrs: dict[str, str | None], name: str, value: str | None,
           lang: str) -> str | None:
    if value is None:
        return None
    if name == "lang" or (name == "hreflang" and _follows_edition(tag, attrs)):
        return rw.edition.tag if value == "kk" else value
    if name in ("href", "action") and _follows_edition(tag, attrs):
        return rw.link(value)
    if lang != "kk":
        return value
    if name in _TEXT_ATTRIBUTES:
        return rw.text(value)
    if tag == "meta" and name == "content":
        return _meta(rw, attrs, value)
    return value


def _follows_edition(tag: str, attrs: dict[str, str | None]) -> bool:
    """Links that stay in the reader's edition: not alternates, not the script switch."""
    if tag == "link":
        return attrs.get("rel") == "canonical"
    return attrs.get("hreflang") in (None, "kk")


def _meta(rw: Rewrite, attrs: dict[str, str | None], value: str) -> str:
    kind = attrs.get("property") or attrs.get("name") or ""
    if kind == "og:url":
        return rw.link(value)
    if kind in _PROSE_META and (rw.main_text_kk or kind not in _MAIN_TEXT_META):
        return rw.text(value)
    return value


def transliterate_page(html: str, rewrite: Rewrite) -> str:
    """A rendered Kazakh page as the edition's script shows it (see the module docstring)."""
    rewriter = _Rewriter(rewrite)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)



# --- the script switch ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScriptLink:
    """One entry of the header's script switch; `hreflang` names the script even for
    Cyrillic (`kk-Cyrl`), which is what keeps the rewrite from pointing it at the edition."""

    hreflang: str
    label: str  # each script's name written in itself, like language names
    href: str
    current: bool


_SCRIPT_LABELS = (("kk", "kk-Cyrl", "Кирилл"), ("kk-Latn", "kk-Latn", "Latyn"),
                  ("kk-Arab", "kk-Arab", "توتە"))


def script_links(path: str, query: str) -> list[ScriptLink]:
    """The page in each Kazakh script, query kept; none for a page outside a Kazakh edition."""
    here = from_path(path)
    if here is None or here.lang != "kk":
        return []
    suffix = f"?{query}" if query else ""
    return [ScriptLink(hreflang, label, swap_segment(path, tag) + suffix, tag == here.tag)
            for tag, hreflang, label in _SCRIPT_LABELS]

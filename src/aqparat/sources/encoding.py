"""Bytes from the web → text, when what a server declares cannot be trusted.

Kazakh and Russian sites still serve windows-1251 (and a few KZ-1048) pages and feeds, and
some of them say "UTF-8" in the Content-Type or the XML declaration while doing so: a parser
that believes them shows "Çàñåäàíèå" instead of "Заседание". The order below is chosen so
that the common lie loses: a byte order mark, then bytes that are valid UTF-8 (a windows-1251
text with Cyrillic letters is practically never valid UTF-8), then each declared charset that
decodes without an error, then a guess from the bytes (charset_normalizer, among the legacy
Cyrillic charsets, KZ-1048 told apart by its Kazakh letters).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass

import charset_normalizer

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_SNIFF = 4096  # the XML declaration or a <meta charset> sits at the very start


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python's codec name
    declared: tuple[str, ...]  # what the server and the document claimed, in that order

    @property
    def contradicted(self) -> bool:
        """The document claimed a charset and was not in it (worth a log line)."""
        return bool(self.declared) and not any(_same(d, self.encoding) for d in self.declared)


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match[1] if match else None


def declared_charsets(body: bytes, content_type: str | None) -> tuple[str, ...]:
    """Charsets claimed by the Content-Type, the XML declaration and a <meta>, in that order."""
    head = body[:_SNIFF]
    found = [header_charset(content_type)]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        found.append(match[1].decode("ascii") if match else None)
    return tuple(dict.fromkeys(c for c in found if c))


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """The text of `body`; never raises (a hopeless input comes out with U+FFFD in it)."""
    declared = declared_charsets(body, content_type)
    for bom, name in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(name, "replace"), name, declared)
    for name in ("utf-8", *_known(declared)):
        try:
            return Decoded(body.decode(name), name, declared)
        except UnicodeDecodeError:
            continue
    return Decoded(*_guess(body), declared)


# A guess is made among our region's legacy charsets only: on a short text an unrestricted
# detector picks anything (EBCDIC cp037 for one Russian word, measured).
_LEGACY = ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "cp1252"]
# KZ-1048 is windows-1251 with Kazakh letters in place of Serbian and Macedonian ones: a
# "windows-1251" text showing those letters is a Kazakh text in KZ-1048.
_SERBIAN = frozenset("ЂЃЊЌЋЏђѓњќћџ")


def _guess(body: bytes) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(body[:65536], cp_isolation=_LEGACY).best()
    name = codecs.lookup(best.encoding).name if best is not None else "cp1251"
    text = body.decode(name, "replace")
    if name == "cp1251" and _SERBIAN.intersection(text):
        return body.decode("kz1048", "replace"), "kz1048"
    return text, name


def _known(names: Iterable[str]) -> list[str]:
    found = []
    for name in names:
        try:
            found.append(codecs.lookup(name).name)
        except LookupError:
            continue
    return found


def _same(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False

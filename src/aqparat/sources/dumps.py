"""Portal dumps: a portal page as a reader's browser copied it, read into RawItems.

The grammar, one line at a time (blank lines between items are ignored)::

    dump    := block+
    block   := header item+
    header  := NAME NL MORE  |  NAME ws MORE           MORE: Қосымша | Подробнее | Ещё | Еще | More
    item    := TITLE NL DATE  |  TITLE ws DATE          DATE: dd.mm.yyyy
               body-line*
               [ body-text? SOURCE ws? ":" ws? URL ]    SOURCE: Ақпарат көзі | Источник | Source

An item without a source line ends where the next header or item starts, or at the end of the
file. Because that end is found by looking ahead, these are structural wherever they appear,
even inside a body:

* a line followed by a MORE line is a header;
* a line followed by a date line, or ending in whitespace and a date, is an item title;
* a line ending in ``SOURCE :`` and one token (or a token starting with http) is a source line.

``NAME ws MORE`` on one line is a header only when it is not a title, and inside a body only when
an item follows it, because "... More" can also end an ordinary English sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

from aqparat.errors import ParseError, SourceError
from aqparat.model import Lang, RawItem, SourceKind
from aqparat.sources.govkz import HOSTS as GOVKZ_HOSTS
from aqparat.sources.govkz import parse_news_url

MORE_LABELS: dict[str, tuple[str, ...]] = {
    "kk": ("Қосымша",),
    "ru": ("Подробнее", "Ещё", "Еще"),
    "en": ("More",),
}
SOURCE_LABELS: dict[str, tuple[str, ...]] = {
    "kk": ("Ақпарат көзі",),
    "ru": ("Источник",),
    "en": ("Source",),
}

_MORE = frozenset(label for labels in MORE_LABELS.values() for label in labels)
_SOURCES = tuple(label for labels in SOURCE_LABELS.values() for label in labels)
_EXPECTED_HEADER = "expected a rubric header (a line followed by 'Қосымша'/'Подробнее'/'More')"
_NO_DATE = "has no date: expected dd.mm.yyyy on the next line or at the end of the title"


def _alternatives(labels: Iterable[str]) -> str:
    # Browsers copy the space inside "Ақпарат көзі" as a no-break space as often as not.
    return "|".join(r"\s+".join(map(re.escape, label.split())) for label in labels)


def _cut_prefixes() -> list[str]:
    # Three letters are the least that still reads as the start of a label.
    cuts = {label[:end].rstrip() for label in _SOURCES for end in range(3, len(label) + 1)}
    return sorted(cuts, key=len, reverse=True)


_DATE = r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"
_DATE_LINE = re.compile(rf"\s*({_DATE})\s*")
_TRAILING_DATE = re.compile(rf"\s({_DATE})\s*$")
_CUT_DATE = re.compile(r"\s*[0-9]{1,2}\.(?:[0-9]{0,2}(?:\.[0-9]{0,4})?)?\s*")
_INLINE_MORE = re.compile(rf"\s(?:{_alternatives(sorted(_MORE))})$")
_SOURCE = re.compile(rf"(?:{_alternatives(_SOURCES)})\s*:")
# Glued to the text before it (as the seed glues it) or alone at the start of the line.
_CUT_SOURCE = re.compile(rf"(?:^|\S)(?:{_alternatives(_cut_prefixes())})\s*$")


class _Attribution(NamedTuple):
    kind: SourceKind
    key: str
    external_id: str | None
    lang: Lang | None
    url: str | None


class _SourceLine(NamedTuple):
    body_part: str  # what the body's last line carried before the label
    url: str
    text: str  # from the label on, for messages


def parse_dump(text: str, *, name: str, portal: str) -> list[RawItem]:
    """Every item of a dump once, in order of first appearance, with all its rubrics."""
    return _Parser(text, name, portal).run()


def read_dump(path: pathlib.Path, *, portal: str) -> list[RawItem]:
    """Read a dump file (UTF-8, BOM allowed, any line endings) and parse it."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"dump: {name}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        raise ParseError("dump", name, None, f"{problem}; save the dump as UTF-8") from exc
    return parse_dump(text, name=name, portal=portal)


class _Parser:
    def __init__(self, text: str, name: str, portal: str) -> None:
        text = text.removeprefix("\ufeff")
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.name = name
        self.portal = portal
        self.pos = 0
        self.rubric = ""  # "" until the first header: header names are never blank
        self.rubric_at = 0
        self.rubric_items = 0
        self.items: dict[tuple[object, ...], RawItem] = {}

    def run(self) -> list[RawItem]:
        if not any(line.strip() for line in self.lines):
            raise ParseError("dump", self.name, None, "empty dump: no rubric header found")
        while self.pos < len(self.lines):
            self._step()
        self._close_rubric()
        return list(self.items.values())

    def _step(self) -> None:
        at = self.pos
        if not self.lines[at].strip():
            self.pos += 1
        elif (header := self._header_at(at, in_body=False)) is not None:
            self._open_rubric(at, *header)
        elif not self.rubric:
            raise self._error(at, f"{_EXPECTED_HEADER}, found {_quote(self.lines[at])}")
        elif self._is_title(at):
            self._read_item(at)
        else:
            raise self._error(at, self._unexpected(at))

    def _open_rubric(self, at: int, name: str, after: int) -> None:
        self._close_rubric()
        self.rubric, self.rubric_at, self.rubric_items = name, at, 0
        self.pos = after

    def _close_rubric(self) -> None:
        if self.rubric and not self.rubric_items:
            raise self._error(self.rubric_at, f"rubric {_quote(self.rubric)} has no items")

    def _read_item(self, at: int) -> None:
        title, published, start = self._title_and_date(at)
        body: list[str] = []
        end = start
        while end < len(self.lines):
            source = _find_source(self.lines[end])
            if source is not None:
                attribution = self._attribute(end, source)
                self._add(at, title, published, [*body, source.body_part], attribution)
                self.pos = end + 1
                return
            if self._ends_body(end):
                break
            body.append(self.lines[end])
            end += 1
        if end == len(self.lines):
            self._check_complete(at, title, start)
        self._add(at, title, published, body, _Attribution("dump", self.portal, None, None, None))
        self.pos = end

    def _title_and_date(self, at: int) -> tuple[str, dt.date, int]:
        text = self.lines[at].strip()
        date_line = _DATE_LINE.fullmatch(self._stripped(at + 1))
        if date_line is not None:
            return text, self._date(at + 1, date_line[1]), at + 2
        trailing = _TRAILING_DATE.search(text)
        if trailing is None:  # callers check _is_title first; kept as a ParseError all the same
            raise self._error(at, f"item {_quote(text)} {_NO_DATE}")
        return text[: trailing.start()].strip(), self._date(at, trailing[1]), at + 1

    def _date(self, at: int, text: str) -> dt.date:
        day, month, year = (int(part) for part in text.split("."))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._error(at, f"invalid date '{text}'") from None

    def _attribute(self, at: int, source: _SourceLine) -> _Attribution:
        attribution = _attribution_of(source.url)
        if attribution is None:
            raise self._error(at, f"source line has no complete URL: {_quote(source.text)}")
        return attribution

    def _add(
        self, at: int, title: str, published: dt.date, body: list[str], origin: _Attribution
    ) -> None:
        item = RawItem(
            source_kind=origin.kind,
            source_key=origin.key,
            external_id=origin.external_id,
            title=title,
            body=_join_body(body),
            body_format="text",
            published=published,
            source_url=origin.url,
            declared_lang=origin.lang,
            rubric_labels=(self.rubric,),
            origin=f"{self.name}:{at + 1}",
        )
        self._remember(item)
        self.rubric_items += 1

    def _remember(self, item: RawItem) -> None:
        key = _identity(item)
        seen = self.items.get(key)
        if seen is None:
            self.items[key] = item
        elif self.rubric not in seen.rubric_labels:
            labels = (*seen.rubric_labels, self.rubric)
            self.items[key] = dataclasses.replace(seen, rubric_labels=labels)

    def _check_complete(self, at: int, title: str, start: int) -> None:
        """At the end of the file an item without a source line may be a cut one: say so."""
        filled = [i for i in range(start, len(self.lines)) if self.lines[i].strip()]
        if not filled:
            raise self._error(
                at,
                f"item {_quote(title)} ends the dump right after its date, with neither body "
                "nor source line: the dump looks truncated",
            )
        last = self.lines[filled[-1]]
        if _CUT_SOURCE.search(last):
            raise self._error(
                filled[-1],
                f"source line is cut: {_quote(last[-40:])}; expected 'Ақпарат көзі : <URL>'",
            )
        if _CUT_DATE.fullmatch(last):
            raise self._error(filled[-1], f"the dump ends in a cut date {_quote(last)}")

    def _header_at(self, at: int, *, in_body: bool) -> tuple[str, int] | None:
        """The rubric name and the line after the header, if a header starts at ``at``."""
        text = self.lines[at].strip()
        if not text or text in _MORE:
            return None
        if self._stripped(at + 1) in _MORE:
            return text, at + 2
        inline = _INLINE_MORE.search(text)
        if inline is None or self._is_title(at):
            return None
        if in_body and not self._title_follows(at + 1):
            return None
        return text[: inline.start()].strip(), at + 1

    def _is_title(self, at: int) -> bool:
        text = self.lines[at].strip()
        if not text or text in _MORE or _DATE_LINE.fullmatch(text):
            return False
        next_is_date = _DATE_LINE.fullmatch(self._stripped(at + 1)) is not None
        return next_is_date or _TRAILING_DATE.search(text) is not None

    def _title_follows(self, at: int) -> bool:
        while at < len(self.lines) and not self.lines[at].strip():
            at += 1
        return at < len(self.lines) and self._is_title(at)

    def _ends_body(self, at: int) -> bool:
        if not self.lines[at].strip():
            return False
        return self._header_at(at, in_body=True) is not None or self._is_title(at)

    def _unexpected(self, at: int) -> str:
        text = self.lines[at].strip()
        if text in _MORE:
            return f"found the label {_quote(text)} with no rubric name on the line before it"
        if _DATE_LINE.fullmatch(text):
            return f"found the date {_quote(text)} with no item title on the line before it"
        if _find_source(text) is not None:
            return f"found a source line {_quote(text)} with no item title and date before it"
        return f"item {_quote(text)} {_NO_DATE}"

    def _stripped(self, at: int) -> str:
        return self.lines[at].strip() if at < len(self.lines) else ""

    def _error(self, at: int, problem: str) -> ParseError:
        return ParseError("dump", self.name, at + 1, problem)


def _find_source(line: str) -> _SourceLine | None:
    """The source line a line ends in, if any; "Source: the ministry said" is body text."""
    labels = list(_SOURCE.finditer(line))
    if not labels:
        return None
    label = labels[-1]  # a label earlier in the line is body text quoting a source
    rest = line[label.end() :].strip()
    tokens = rest.split()
    if len(tokens) > 1 and not tokens[0].lower().startswith("http"):
        return None
    return _SourceLine(line[: label.start()], rest, line[label.start() :].strip())


def _attribution_of(url: str) -> _Attribution | None:
    """Who published the item a source URL points at; None for a missing or cut URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or len(url.split()) != 1:
        return None
    if host in GOVKZ_HOSTS:
        # The portal only links to news details: any other gov.kz path is a URL cut short.
        ref = parse_news_url(url)
        return None if ref is None else _Attribution("govkz", ref.slug, ref.news_id, ref.lang, url)
    if not _plausible_host(host):
        return None
    return _Attribution("page", host, url, None, url)


def _plausible_host(host: str) -> bool:
    # A cut URL often still parses; a host without a real top-level domain gives it away.
    if any(gov.startswith(host) for gov in GOVKZ_HOSTS):
        return False
    labels = host.split(".")
    return len(labels) > 1 and all(labels) and labels[-1].isalpha() and len(labels[-1]) > 1


def _identity(item: RawItem) -> tuple[object, ...]:
    if item.source_url is None:
        return ("text", item.title, item.published, item.body)
    return (item.source_kind, item.source_key, item.external_id, item.declared_lang)


def _join_body(lines: list[str]) -> str:
    """Body lines joined by newlines; a run of blank lines is one paragraph break."""
    kept: list[str] = []
    for line in lines:
        if line.strip():
            kept.append(line)
        elif kept and kept[-1]:
            kept.append("")
    return "\n".join(kept).rstrip()


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit]}…'"

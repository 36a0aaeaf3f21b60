"""Normalise article text and recover the paragraph breaks a page dump lost.

The portal's dump gives each body as one line: paragraphs are glued together
(``қолдады.Жалпы``, ``Ассамблеясы Кездесу`` written ``АссамблеясыКездесу``) and the title is
repeated at the start. This module undoes that with a few conservative, local rules:

* a sentence end ``. ! ? …`` (plus any closing ``» ” " )``) directly followed by an upper-case
  letter or an opening quote is a lost break, unless the word before ``.`` is a single letter
  (an initial, ``ж.``, ``қ.``) or a known abbreviation (``сағ.``, ``т.б.``, ``им.``, ``e.g.``);
* ``)`` directly followed by an upper-case letter or opening quote (``(SCO)SCO-ның``);
* a time ``HH:MM`` directly followed by an upper-case letter (``11:30Көкшетау``);
* camel glue: a word whose only inner capital follows ≥3 lower-case letters and starts a
  lower-case run (``АссамблеясыКездесу``, but not ``ҚазМұнайГаз``);
* nothing is ever split inside a URL, an e-mail address or a bare domain name.

Every rule looks only at the current paragraph-in-progress, so splitting is idempotent: running
:func:`recover_paragraphs` on its own output changes nothing. Splitting only ever happens at
glued positions, so no character other than whitespace is lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from itertools import pairwise

# Every Unicode "space separator" (category Zs; unchanged since Unicode 6.3); a test checks it
# against unicodedata so a future Unicode version cannot silently add one.
_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t"
)
# Zero-width characters, the soft hyphen, and bidi marks/embeddings/isolates (U+200E/F,
# U+202A–E, U+2066–9): text copied out of translators and editors carries them (anchor-site.md
# §3.2); our templates set direction with `dir`, never with characters in the text.
_INVISIBLE = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"
              "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Vertical tab, form feed, NEL and the Unicode line/paragraph separators end a line in practice.
_LINE_ENDS = "\r\x0b\x0c\x85\u2028\u2029"
# Any other C0/C1 control is noise from the dump and PostgreSQL refuses NUL in text columns.
_CONTROLS = "".join(
    chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n" + _LINE_ENDS
)
_CHAR_MAP: dict[int, str | None] = {
    **dict.fromkeys(map(ord, _SPACES), " "),
    **dict.fromkeys(map(ord, _INVISIBLE + _CONTROLS)),
    **dict.fromkeys(map(ord, _LINE_ENDS), "\n"),
}
_INVISIBLE_MAP: dict[int, str | None] = dict.fromkeys(map(ord, _INVISIBLE + _CONTROLS))
_INVISIBLE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE_MAP) + "]")
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")  # any key
_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGE_SPACES = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")

# Words written with a final "." that do not end a sentence. Single letters (initials, ж., қ.,
# г.) need no entry: any one-letter word before "." is treated as an abbreviation.
_ABBREVIATIONS = frozenset({
    "сағ", "көш", "обл", "ауд", "жж", "т.б", "т.с.с", "т.т", "мыс",
    "им", "ул", "пр", "просп", "кв", "тел", "стр", "рис", "табл", "см", "тыс", "млн", "млрд",
    "руб", "тг", "коп", "проф", "акад", "доц", "канд", "зам", "др", "гг",
    "т.е", "т.к", "т.д", "т.п", "т.н",
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "jr", "sr", "vs", "inc", "ltd", "corp",
})
# One-hump brand names that the camel-glue rule would otherwise split.
_CAMEL_KEEP = frozenset({
    "WhatsApp", "LinkedIn", "JavaScript", "TypeScript", "PowerPoint", "WordPress",
    "SmartBridge", "AstanaHub",
})
_CLOSERS = "»”)"
_OPENERS = "«“„"

# One scan finds every place a lost break may follow; each kind has its own judge below.
_NON_WORD_TRIGGERS = (r"(?P<end>[.!?…]+)"
                      r"|(?P<paren>\))"
                      r"|(?P<time>(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d)(?=[^\W\d_])")
_TRIGGER = re.compile(_NON_WORD_TRIGGERS + r"|(?P<word>[^\W\d_]+)")
# Camel glue needs a lower-case letter straight before an upper-case one. In text of these
# blocks (Latin, Greek, Cyrillic, punctuation) a character class can tell which letters are
# which, so a line with no such pair is scanned for the other triggers alone: each kind matches
# characters no other does, so those matches are the same, and the regex engine skips the
# words instead of a Python call judging each one.
_BLOCKS = [chr(c) for c in [*range(0x530), *range(0x2000, 0x2070), 0x2116]]
_OUTSIDE_BLOCKS = re.compile("[^\x00-\u052f\u2000-\u206f\u2116]")
_LOWER = "[" + "".join(re.escape(c) for c in _BLOCKS if c.islower()) + "]"
_UPPER = "[" + "".join(re.escape(c) for c in _BLOCKS if c.isupper()) + "]"
# Upper case first: the engine skips quickly to the (few) capitals, then looks behind each.
_CASE_PAIR = re.compile(f"{_UPPER}(?<={_LOWER}{_UPPER})")
_NON_WORD_TRIGGER = re.compile(_NON_WORD_TRIGGERS)
# What those other triggers start with. Their pattern cannot be scanned quickly (the engine
# tries its alternatives at every position), a class of characters can.
_NON_WORD_START = re.compile(r"[.!?…)\d]")
# A URL runs to the next space or quote. Paths may be Cyrillic (decoded links), so a paragraph
# glued straight after a URL cannot be told from it and stays glued: never splitting a link
# matters more than recovering that rare break.
_URL = re.compile(r"(?:https?://|www\.)[^\s\"<>«»“”]+", re.IGNORECASE)
# The look-behinds make each address match from its first character only: without them a
# long run of letters is rescanned from every position (quadratic time).
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9.-])(?:[A-Za-z0-9-]+\.)+(?:kz|ru|com|org|net|gov|edu|info|io|uz|kg)"
    r"(?![A-Za-z0-9])"
)
_DOMAIN_END = re.compile(r"\.(?:kz|ru|com|org|net|gov|edu|info|io|uz|kg)(?![A-Za-z0-9])")
_URL_TRAILING = ".,;:!?)"

_TITLE_SEPARATORS = re.compile(r"^[\s.,:;!?|\-–—]+")

# A sentence gap for leads: end punctuation, spaces, then something that starts a sentence.
_SENTENCE_GAP = re.compile(r"(?P<end>[.!?…]+)[»”\")]*(?P<gap> +)(?=[«“„\"(\d]|[^\W\d_])")
_NUMBER = re.compile(r"\d+(?:[ .,]\d+)*%?")


def normalize(text: str) -> str:
    """Canonical form of a text; idempotent.

    NFC; CRLF/CR (and VT, FF, NEL, U+2028/9) → LF; invisible characters (U+200B–U+200D,
    U+2060, U+FEFF, soft hyphen) and other control characters removed; every Unicode space
    separator and tab → ' '; runs of spaces collapsed; spaces stripped at both ends of every
    line; 3+ newlines → 2; leading and trailing whitespace of the whole text removed.
    """
    # Characters are mapped before NFC so that removing an invisible character between a
    # letter and its combining mark still lets the two compose. Most texts (and every text
    # already normalised: this runs several times on each) need none of the rewrites below,
    # and telling so costs a fraction of doing them, so each runs only when it has work.
    if _MAPPED.search(text) is not None:
        text = text.replace("\r\n", "\n").translate(_CHAR_MAP)
    text = unicodedata.normalize("NFC", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGE_SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(" \n")


def strip_invisible(text: str) -> str:
    """`text` without the invisible and control characters `normalize` removes, its
    whitespace untouched: for HTML text nodes, whose edge spaces separate words across tags."""
    return text.translate(_INVISIBLE_MAP) if _INVISIBLE_CHARS.search(text) else text


# --- the repeated title ---------------------------------------------------------------


def _title_key(title: str) -> str:
    """The title as compared with a body: normalised, without a trailing '.'."""
    return normalize(title).rstrip(" \n.")


def _match_prefix(key: str, body: str) -> int | None:
    """End index in ``body`` of a prefix equal to ``key``, ignoring case and whitespace."""
    i = 0
    for ch in key:
        if ch.isspace():
            continue
        while i < len(body) and body[i].isspace():
            i += 1
        if i == len(body) or body[i].casefold() != ch.casefold():
            return None
        i += 1
    return i


def _continues_word(last: str, following: str) -> bool:
    """True when ``following`` carries on the title's last word (``Ассамблея|сы``, ``202|6``).

    An upper-case letter or a digit after a letter is allowed: that is exactly the glue the
    dump produces (``талқыландыБүгін``, ``өткізеді2026``).
    """
    if last.isdigit():
        return following.isdigit()
    return last.isalpha() and following.islower()


def strip_repeated_title(title: str, body: str) -> str:
    """Remove a copy of ``title`` from the start of ``body``.

    Compared after :func:`normalize`, case-insensitively, ignoring whitespace differences and
    a trailing '.' on the title. On a match the rest of the (normalised) body is returned
    without the whitespace/punctuation that separated it from the title, so a body that is
    only the title gives ''. Otherwise, or when the title is empty, ``body`` is returned as is.
    """
    key = _title_key(title)
    if not key:
        return body
    text = normalize(body)
    end = _match_prefix(key, text)
    if end is None or _continues_word(key[-1], text[end : end + 1]):
        return body
    return _TITLE_SEPARATORS.sub("", text[end:])


def _same_text(a: str, b: str) -> bool:
    """Equal as titles are compared: normalised, case and whitespace ignored, no final '.'."""
    def squash(s: str) -> str:
        return "".join(_title_key(s).casefold().split())
    return squash(a) == squash(b)


# --- lost paragraph breaks -------------------------------------------------------------


def has_link_start(text: str) -> bool:
    """Whether `text` has what every `https?://` or `www.` (any case) link starts with."""
    return "://" in text or "www." in text.lower()


def _protected_spans(line: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and domain names: nothing inside them is a break."""
    spans = []
    # Each pattern runs only when what all its matches hold is there (they are tried at every
    # position, and most lines hold no address at all).
    patterns = [_URL] if has_link_start(line) else []
    patterns += [_EMAIL] if "@" in line else []
    patterns += [_DOMAIN] if _DOMAIN_END.search(line) else []
    for pattern in patterns:
        for m in pattern.finditer(line):
            # A sentence's own final punctuation is not part of the URL before it.
            end = len(m.group().rstrip(_URL_TRAILING)) + m.start()
            spans.append((m.start(), end))
    return spans


def _quote_is_open(line: str, start: int, pos: int) -> bool:
    """Whether a straight '"' is open at ``pos``: an odd number of them since ``start``."""
    return line.count('"', start, pos) % 2 == 1


def _starts_paragraph(line: str, pos: int, start: int) -> bool:
    """Whether the character at ``pos`` can begin a new paragraph."""
    if pos >= len(line):
        return False
    ch = line[pos]
    if ch == '"':
        return not _quote_is_open(line, start, pos)
    return ch.isupper() or ch in _OPENERS


def _skip_closers(line: str, pos: int, start: int) -> int:
    """Index after the closing quotes/brackets that belong to the sentence ending at ``pos``."""
    while pos < len(line) and (
        line[pos] in _CLOSERS or (line[pos] == '"' and _quote_is_open(line, start, pos))
    ):
        pos += 1
    return pos


def _word_before(line: str, dot: int, start: int) -> str:
    """The letters (and inner dots, as in ``т.б``) directly before the '.' at ``dot``.

    At most 12 characters: longer than any abbreviation, and it keeps ``А.Б.В.…`` linear.
    """
    i, low = dot, max(start, dot - 12)
    while i > low and (
        line[i - 1].isalpha() or (line[i - 1] == "." and i - 2 >= low and line[i - 2].isalpha())
    ):
        i -= 1
    return line[i:dot]


def _is_abbreviation(word: str) -> bool:
    """Initials and abbreviations keep their '.' inside the sentence."""
    last = word.rsplit(".", 1)[-1]
    return len(last) == 1 or word.lower() in _ABBREVIATIONS or last.lower() in _ABBREVIATIONS


def _after_sentence_end(line: str, m: re.Match[str], start: int) -> int | None:
    pos = _skip_closers(line, m.end(), start)
    if not _starts_paragraph(line, pos, start):
        return None
    # "…" or "!" cannot be an abbreviation's dot; only a lone "." is ambiguous.
    if m.group() == "." and _is_abbreviation(_word_before(line, m.start(), start)):
        return None
    return pos


def _after_paren(line: str, m: re.Match[str], start: int) -> int | None:
    # "(SCO)SCO-ның": a sub-heading ending in an acronym glued to the paragraph under it.
    return m.end() if _starts_paragraph(line, m.end(), start) else None


def _after_time(line: str, m: re.Match[str], start: int) -> int | None:
    return m.end() if line[m.end()].isupper() else None


def _inside_word(line: str, m: re.Match[str], start: int) -> int | None:
    word = m.group()
    inner = [i for i in range(1, len(word)) if word[i].isupper()]
    # Two or more inner capitals is a name (ҚазМұнайГаз), not glue.
    if len(inner) != 1 or word in _CAMEL_KEEP:
        return None
    i = inner[0]
    glued = i >= 3 and all(c.islower() for c in word[i - 3 : i]) and word[i + 1 : i + 2].islower()
    return m.start() + i if glued else None


_JUDGES: dict[str, Callable[[str, re.Match[str], int], int | None]] = {
    "end": _after_sentence_end,
    "paren": _after_paren,
    "time": _after_time,
    "word": _inside_word,
}


def _non_word_triggers(line: str) -> Iterator[re.Match[str]]:
    """`_NON_WORD_TRIGGER.finditer(line)`, tried only where a match can start."""
    resume = 0
    for at in _NON_WORD_START.finditer(line):
        if at.start() >= resume and (m := _NON_WORD_TRIGGER.match(line, at.start())):
            yield m
            resume = m.end()


def _breaks(line: str) -> Iterator[int]:
    """Positions of lost paragraph breaks in one line, left to right.

    Each judge sees only the text since the previous break (``start``), so a paragraph, fed
    back on its own, is judged exactly as it was inside the line: that makes splitting
    idempotent.
    """
    spans = _protected_spans(line)
    start = 0
    may_glue = _OUTSIDE_BLOCKS.search(line) or _CASE_PAIR.search(line)
    for m in _TRIGGER.finditer(line) if may_glue else _non_word_triggers(line):
        kind = str(m.lastgroup)
        if kind == "word" and m.group()[1:].islower():
            continue  # no inner capital, no camel glue: most words, decided without a call
        pos = _JUDGES[kind](line, m, start)
        if pos is None or pos <= start or any(a < pos < b for a, b in spans):
            continue
        yield pos
        start = pos


def _split_line(line: str) -> list[str]:
    cuts = [0, *_breaks(line), len(line)]
    return [line[a:b] for a, b in pairwise(cuts)]


def recover_paragraphs(text: str) -> list[str]:
    """Split ``text`` into paragraphs.

    The text is normalised; every line (blank-line separated or not) is a paragraph, and
    within a line the lost breaks described in the module docstring are recovered. Paragraphs
    are stripped and empty ones dropped. Idempotent:
    ``recover_paragraphs("\\n\\n".join(p)) == p`` for ``p = recover_paragraphs(x)``.
    """
    pieces = (piece.strip() for line in normalize(text).split("\n") for piece in _split_line(line))
    return [piece for piece in pieces if piece]


def clean_paragraphs(title: str, body: str) -> list[str]:
    """Paragraphs of ``body`` without the repeated title.

    Normalises both, strips a repeated title from the body's start, recovers paragraphs, and
    drops a first paragraph equal to the title.
    """
    title = normalize(title)
    paragraphs = recover_paragraphs(strip_repeated_title(title, normalize(body)))
    if paragraphs and title and _same_text(paragraphs[0], title):
        return paragraphs[1:]
    return paragraphs


# --- leads -----------------------------------------------------------------------------


def _sentences(paragraph: str) -> list[str]:
    """A paragraph cut at sentence ends followed by a space and a sentence start."""
    cuts = [0]
    for m in _SENTENCE_GAP.finditer(paragraph):
        nxt = paragraph[m.end()]
        if nxt.isalpha() and not nxt.isupper():
            continue
        if m.group("end") == "." and _is_abbreviation(_word_before(paragraph, m.start(), 0)):
            continue
        cuts.append(m.start("gap"))
    cuts.append(len(paragraph))
    return [paragraph[a:b].strip() for a, b in pairwise(cuts)]


def _cut_point(text: str, limit: int) -> int:
    """Last index ≤ ``limit`` where ``text`` may be cut: a space outside any number."""
    numbers = [m.span() for m in _NUMBER.finditer(text)]
    for i in range(min(limit, len(text) - 1), 0, -1):
        if text[i] == " " and not any(a < i < b for a, b in numbers):
            return i
    # One endless word: cut it, but still never inside a number.
    return next((a for a, b in numbers if a < limit < b), limit)


def _shorten(sentence: str, limit: int) -> str:
    head = sentence[: _cut_point(sentence, limit - 1)].rstrip(" ,;:–—-")
    return head + "…"


def first_sentences(paragraphs: list[str], limit: int = 220) -> str:
    """A lead for list pages: whole sentences from the first paragraph(s), ≤ ``limit`` chars.

    If the first sentence alone is longer it is cut at a word boundary and '…' is added (the
    result still fits ``limit``). Never cuts inside a number such as 87,15% or 12 482 613.
    """
    if limit < 2:
        raise ValueError(f"first_sentences: limit must be at least 2, got {limit}")
    # Lazily: a lead needs the first few sentences, not every paragraph cut into sentences.
    sentences = (s for p in paragraphs for s in _sentences(normalize(p)) if s)
    lead = next(sentences, "")
    if len(lead) > limit:
        return _shorten(lead, limit)
    for sentence in sentences:
        if len(lead) + 1 + len(sentence) > limit:
            break
        lead += " " + sentence
    return lead

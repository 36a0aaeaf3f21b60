"""Leftovers of the tools a text went through before it reached us: Markdown that was never
rendered, and the interface of an online translator pasted along with the translation.

research/anchor-site.md §3.2 and §3.6 show them on the portal we replace: "*Kyzylzhar-2
microdistrict … connected…*" (asterisks around a title), a stray ".png)" under a heading, and
Google Translate's character counter inside a title ("… alkogol'noy produktsii 141 / 5 000 On
August 14 …"). Zero-width characters, the third kind, are removed by `normalize.normalize`
(and `normalize.strip_invisible` inside HTML text nodes).

`clean_inline` works inside a line (titles, paragraphs, HTML text nodes):

* `**bold**` and `__bold__` → `bold`, and a `**` left alone at a line's edge goes; `*text*`
  wrapping the whole line → `text` (a lone `*`, a footnote mark or `2*3`, stays);
* `![alt](url)` → nothing; `[words](http…)` → `words` (the words stay, the address goes:
  what the reader of rendered Markdown saw);
* `## ` at the start of a line → nothing (a heading's marker);
* Google Translate's counter `141 / 5 000` (also `5000`, `5,000`) → nothing.

`is_residue` says whether a whole paragraph is residue and nothing else: a translator label
(`Перевод:`, `Translated by Google`, `Google Аудармашы арқылы аударылды`), a translator's
button row (`Отправить отзыв`, `Send feedback`, `Результаты перевода`), Markdown punctuation
alone (`**`, `##`), or a stray image-link tail (`.png)`). `clean_text` drops those lines and
cleans the rest.

Every function is idempotent, and only residue is removed: letters of the text itself stay.
"""

from __future__ import annotations

import re

_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_WRAPPED = re.compile(r"^\*(?=[^\s*])([^*]+)(?<=[^\s*])\*$")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\s]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|www\.|/)[^)\s]*\)")
_HEADING = re.compile(r"^#{1,6} +", re.MULTILINE)
# A bold marker whose partner was lost (another paragraph or tag got it): at a line's edge.
_EDGE_BOLD = re.compile(r"^(?:\*\*|__)(?=\S)|(?<=\S)(?:\*\*|__)$")
# Google Translate's "characters used / limit" under its input box; it sits where the pasted
# source text ended, so a new sentence (a capital) or the end of the line follows it, which
# keeps a scale such as "1 / 5 000 масштабта" out.
_CAPITAL = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_COUNTER = re.compile(rf"(?<![\d/])\d{{1,4}} / 5[ \u00a0,.]?000(?![\d/])(?=\s*$|\s*[{_CAPITAL}])")
_SPACES = re.compile(r" {2,}")
# Every inline rule needs one of these; most paragraphs have none and skip the rules at once.
_MARKS = re.compile(r"[*_#\[/]")
LONGEST_RESIDUE_LINE = 160  # the longest residue pattern below matches fewer characters

_TOOL = r"(?:google|yandex|яндекс|deepl|bing|microsoft|гугл|machine|машинный|машиналық)"
_RESIDUE_LINES = [
    # a translator label standing alone: "Перевод:", "Translation -"
    re.compile(r"^(?:translation|translated|machine[- ]translated|перевод|переведено|"
               r"аударма|аударылды|аударған)\s*[:–-]?$", re.I),
    # a credit naming the tool: "Translated by Google", "Перевод: Google", "Переведено с
    # помощью Яндекс Переводчика", "Google Translate", "Google аудармашы арқылы аударылды"
    re.compile(rf"^(?:translated|переведено|перевод|аударылды|аударма)\s*[:–-]?\s*"
               rf"(?:by|with|via|using|с помощью|через|в)?\s*{_TOOL}"
               rf"(?:\s+(?:translate|translator|переводчика?|переводчиком|аудармашысы?))?\.?$",
               re.I),
    re.compile(rf"^{_TOOL}\s+(?:translate|translator|переводчик|аудармашы)"
               rf"(?:\s+(?:арқылы\s+аударылды|арқылы))?\.?$", re.I),
    # the translator page's own buttons and headings
    re.compile(r"^(?:send feedback|отправить отзыв|пікір жіберу|translation results|"
               r"результаты перевода|аударма нәтижелері|source text|исходный текст|"
               r"бастапқы мәтін|text translation|перевод текста|side panels|боковые панели)"
               r"\s*$", re.I),
    # Markdown punctuation alone: "**", "##", "_"
    re.compile(r"^[*#_]{1,6}$"),
    # what is left of a Markdown image whose start was lost: ".png)", "img.jpg)"
    re.compile(r"^\S{0,80}\.(?:png|jpe?g|gif|webp|svg)\)?$", re.I),
]


def _inline_once(text: str) -> str:
    out = _IMAGE.sub("", text)
    out = _LINK.sub(r"\1", out)
    out = _HEADING.sub("", out)
    out = _EDGE_BOLD.sub("", _BOLD.sub(r"\2", _COUNTER.sub("", out)))
    stripped = out.strip()
    if _WRAPPED.match(stripped):
        out = _WRAPPED.sub(r"\1", stripped)
    return _SPACES.sub(" ", out) if out != text else out


def clean_inline(text: str) -> str:
    """`text` without inline Markdown and the translator's counter (see the module docstring)."""
    if not _MARKS.search(text):
        return text
    while True:  # until nothing changes: every change shortens the text, so this ends
        cleaned = _inline_once(text)
        if cleaned == text:
            return text
        text = cleaned


def is_residue(paragraph: str) -> bool:
    """Whether a whole paragraph is a tool's leftover and nothing the source wrote."""
    if len(paragraph) > LONGEST_RESIDUE_LINE:
        return False
    line = " ".join(paragraph.split())
    return bool(line) and any(p.match(line) for p in _RESIDUE_LINES)


def clean_text(text: str) -> str:
    """A plain text with residue lines dropped and every other line cleaned inline."""
    lines = (clean_inline(line) for line in text.split("\n") if not is_residue(line))
    return "\n".join(line for line in lines if not is_residue(line))

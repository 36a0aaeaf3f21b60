"""Search terms: tokenize, lower-case and stem text in kk / ru / en.

:func:`terms` is what the search index stores and what a query is turned into, so a query
``референдум`` finds ``референдумда``, ``референдумның`` and ``референдумға``, and
``Біржанов`` finds ``Біржановтың``: both sides go through the same function.

* Kazakh words go through our suffix stripper (:mod:`aqparat.text.kkstem`); Snowball (PyStemmer)
  has no Kazakh. Russian words go through Snowball Russian (``ё`` read as ``е``), Latin-script
  words through Snowball English — whatever the text's language, because a Latin word in a
  Kazakh text (``Invest``, ``SCO``) is not Kazakh. A Cyrillic word in English text is treated as
  Kazakh when it has a Kazakh letter, else as Russian.
* Every term is made only of letters and digits, so FTS5's ``unicode61`` tokenizer and
  PostgreSQL's ``simple`` parser keep it whole. Numbers are protected: ``12 482 613`` →
  ``12482613``; ``87,15%`` → ``87``, ``15`` (a phrase query on the same terms matches it);
  ``2/5`` → ``2``, ``5``. URLs and e-mail addresses become their lower-cased pieces, unstemmed.
* Hyphenated words give one term per part (``вице-министрі`` → ``вице``, ``министр``); a part
  that is only a case ending is dropped (``SCO-ның`` → ``sco``, ``15-інде`` → ``15``).

Stop words are never removed from the index (BM25 already discounts them); the curated
Kazakh list in ``data/stopwords-kk.txt`` serves keyword extraction, rubric rules and dedup
shingles through :func:`content_terms`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

import Stemmer

from aqparat.model import Lang
from aqparat.text.kkstem import CASE, PLURAL, POSSESSIVE, RELATIVE, stem_kk

_KAZAKH = frozenset("әғқңөұүһі")
_URL_SHAPE = r"(?P<url>(?:https?://|www\.)[^\s«»\"<>]+)"
_EMAIL_SHAPE = r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_OTHER_SHAPES = (
    r"(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"%?(?:-[^\W\d_]+)?"
    r"|(?P<word>[^\W\d_]+(?:[-‐][^\W\d_]+)*)"
)
_TOKEN = re.compile(f"{_URL_SHAPE}|{_EMAIL_SHAPE}|{_OTHER_SHAPES}")


@cache
def _token_pattern(links: bool, emails: bool) -> re.Pattern[str]:
    kinds = [_URL_SHAPE] * links + [_EMAIL_SHAPE] * emails + [_OTHER_SHAPES]
    return re.compile("|".join(kinds))


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """`_TOKEN.finditer(text)`, minus the alternatives that need what `text` lacks (a link
    needs "://" or "www.", an e-mail "@"): they cannot match, and the e-mail one, tried at
    every word, backtracks through the whole word before it fails."""
    pattern = _token_pattern("://" in text or "www." in text, "@" in text)
    return pattern.finditer(text)
_PIECES = re.compile(r"[^\W_]+")  # letters and digits: \w is str.isalnum() plus "_"
_HYPHEN = re.compile(r"[-‐]")
# Endings that can stand alone after a hyphen: "SCO-ның", "ТМҰ-ға", "2026-шы".
_BARE_ENDINGS = frozenset(
    e for slot in (RELATIVE, CASE, POSSESSIVE, PLURAL) for e, _ in slot
) | {"ші", "шы", "нші", "ншы", "сі", "сы", "інде", "ында", "і", "ы"}


@cache
def _snowball(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


def _is_latin(word: str) -> bool:
    return word.isascii()


@lru_cache(maxsize=131072)
def stem(word: str, lang: Lang) -> str:
    """The search key of one word (any case); see the module docstring for the dispatch."""
    word = word.lower().replace("i̇", "i")
    if not word or word.isdigit():
        return word
    if _is_latin(word):
        return str(_snowball("english").stemWord(word))
    if lang == "kk" or (lang == "en" and _KAZAKH & set(word)):
        return stem_kk(word)
    return str(_snowball("russian").stemWord(word.replace("ё", "е")))


def _number_terms(text: str) -> list[str]:
    core = re.sub(r"[ \u00a0\u202f]", "", text.split("%")[0])
    core = re.sub(r"-[^\W\d_]+$", "", core)
    return _PIECES.findall(core)


# Bounded like `stem`'s cache: a word's terms are asked for each time it occurs (index,
# shingles, rubric rules), and most words occur many times.
@lru_cache(maxsize=131072)
def _word_terms(text: str, lang: Lang) -> tuple[str, ...]:
    parts = _HYPHEN.split(text)
    if len(parts) > 1 and parts[-1].lower() in _BARE_ENDINGS:
        parts = parts[:-1]
    return tuple(stem(part, lang) for part in parts if part)


def terms(text: str, lang: Lang) -> list[str]:
    """Index / query terms of ``text``, in order (see the module docstring)."""
    return _terms_of(_tokens(text), lang)


def _terms_of(found: Iterable[re.Match[str]], lang: Lang) -> list[str]:
    out: list[str] = []
    for m in found:
        kind = m.lastgroup
        if kind == "word":
            out += _word_terms(m.group(), lang)
        elif kind == "number":
            out += _number_terms(m.group())
        else:
            out += [piece.lower() for piece in _PIECES.findall(m.group())]
    return out


@cache
def stop_words(lang: Lang) -> frozenset[str]:
    """Curated function words (lower case); only Kazakh has a list, others give an empty set."""
    if lang != "kk":
        return frozenset()
    text = (resources.files("aqparat.data") / "stopwords-kk.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.split("#")[0].strip()))


def content_terms(text: str, lang: Lang) -> list[str]:
    """:func:`terms` without stop words: for keywords, rubric rules and dedup shingles.

    Defined as the terms of the tokens left, joined by spaces. Those read as the same tokens,
    so their terms are taken as they are, unless a number is followed by a token starting
    with a digit: joined, "2 жылы 500" without its stop word reads "2 500", one number."""
    stops = stop_words(lang)
    keep = [m for m in _tokens(text) if m.group().lower() not in stops]
    if any(a.lastgroup == "number" and b.group()[:1].isdigit() for a, b in pairwise(keep)):
        return terms(" ".join(m.group() for m in keep), lang)
    return _terms_of(keep, lang)


# ── what the search index stores ────────────────────────────────────────────────────────────

MAX_TERM_CHARS = 60  # longer "words" are URLs, hashes or base64 that nobody types


def clean(found: Iterable[str]) -> list[str]:
    """Terms both search engines take verbatim: NFC, lower case, letters and digits only.

    The guard sits between :func:`terms` and the engines (store/fts/): FTS5's `ascii`
    tokenizer would split a term at ASCII punctuation and PostgreSQL would not, so such a term
    is split here first. Each term, NFC and lower-cased, is cut at whatever is not a letter or
    digit; done on all the terms joined by spaces, in three C calls instead of three a term
    (a space composes with nothing and lower-cases to itself, so no term affects another).
    """
    text = unicodedata.normalize("NFC", " ".join(found)).lower()
    return [t for t in _PIECES.findall(text) if len(t) <= MAX_TERM_CHARS]


def index_terms(text: str, lang: Lang) -> list[str]:
    """A text's search index terms (store/fts/document.py; the query side uses them too)."""
    return clean(terms(text, lang)) if text else []

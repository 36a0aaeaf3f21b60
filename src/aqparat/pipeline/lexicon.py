"""Rubric lexicons compiled to stem keys, and the matcher that counts them in a text.

A lexicon term is written in dictionary form (``жоғары білім``, ``банковский``); each word is
stemmed with the same stemmer as the text, and a phrase matches consecutive words. A key of five
letters or more also matches as a prefix of a text stem (``денсаулы`` finds ``денсаулығына``),
because the Kazakh stemmer leaves some case endings on, and the prefix query from a dictionary
form is what found 97 of 97 inflected forms in kazakh-nlp.md §4. Shorter keys must match
whole, or ``прав`` (право) would also find правительство and правила.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aqparat.data import RubricDef
from aqparat.model import LANGS, Lang

Terms = Callable[[str, Lang], list[str]]

PREFIX_MIN = 5  # shortest key that may match as a prefix (see the module docstring)
_KK_ALTERNATING = "кқгғпб"  # a final consonant that voices before a vowel: құқық → құқығы
_INDEX_CHARS = 3


@dataclass(frozen=True, slots=True)
class Term:
    rubric: str
    text: str  # as written in rubrics.toml, for the reasons an editor reads
    keys: tuple[str, ...]


def _key(stem: str, lang: Lang) -> str:
    if lang == "kk" and len(stem) > PREFIX_MIN and stem[-1] in _KK_ALTERNATING:
        return stem[:-1]
    return stem


def _word_matches(key: str, token: str) -> bool:
    return token == key or (len(key) >= PREFIX_MIN and token.startswith(key))


class Lexicon:
    """Every rubric's terms for one language, indexed by the first letters of their first key."""

    def __init__(self, lang: Lang, rubrics: Iterable[RubricDef], terms: Terms) -> None:
        self.lang = lang
        self._terms = terms
        self._index: dict[str, list[Term]] = defaultdict(list)
        for rubric in rubrics:
            for text in rubric.lexicon.get(lang, ()):
                keys = tuple(_key(s, lang) for s in terms(text, lang))
                if keys:
                    self._index[keys[0][:_INDEX_CHARS]].append(Term(rubric.slug, text, keys))
        for candidates in self._index.values():  # longest first: see count()
            candidates.sort(key=lambda t: (-len(t.keys), -sum(map(len, t.keys))))

    def count(self, text: str) -> dict[str, Counter[str]]:
        """rubric slug → {term as written: occurrences in `text`}.

        At one position a rubric counts only its longest matching term, so ``шетел`` and
        ``шетелдік`` do not both score the same word."""
        tokens = self._terms(text, self.lang)
        found: dict[str, Counter[str]] = defaultdict(Counter)
        for i, token in enumerate(tokens):
            taken: set[str] = set()
            for term in self._index.get(token[:_INDEX_CHARS], ()):
                if term.rubric not in taken and self._matches_at(term.keys, tokens, i):
                    found[term.rubric][term.text] += 1
                    taken.add(term.rubric)
        return found

    @staticmethod
    def _matches_at(keys: tuple[str, ...], tokens: list[str], start: int) -> bool:
        if start + len(keys) > len(tokens):
            return False
        return all(_word_matches(k, tokens[start + j]) for j, k in enumerate(keys))


def compile_all(rubrics: Iterable[RubricDef], terms: Terms) -> dict[Lang, Lexicon]:
    defs = tuple(rubrics)
    return {lang: Lexicon(lang, defs, terms) for lang in LANGS}

"""Rubric labels for an item: multi-label, each with a score, an origin and a reason.

Signals, in the order an editor would weigh them:

* **entity** — the issuing gov.kz body: ``sci`` is a ministry of science, ``mfa-*`` embassies
  lean to *Әлем*, akimats to *Аймақтар* (``data/rubrics.toml`` `entities`/`entity_types`, or an
  explicit ``rubrics`` hint in ``data/entities.toml``);
* **lexicon** — stemmed rubric terms in the item's language, title hits counting double.

A rubric is given when its evidence reaches :attr:`Weights.assign` and is not dwarfed by the
strongest rubric (:attr:`Weights.relative`). `news` holds every item; an item with no confident
topic stays in `news` alone. A rubric a portal printed never makes a label by itself (see
``data/rubrics.toml``): it is only mentioned in the reason. Editor labels are handled by the
store, which never lets a classification replace them.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from aqparat import data
from aqparat.data import EntityDef, RubricDef
from aqparat.model import Lang, RubricLabel, RubricOrigin
from aqparat.pipeline.lexicon import Lexicon, Terms, compile_all
from aqparat.text import stem

NEWS = "news"


@dataclass(frozen=True, slots=True)
class Weights:
    """Thresholds, tuned on the development part of tests/quality/rubrics/devset.jsonl only."""

    entity: float = 3.0  # what the issuing body alone is worth
    title: float = 2.0  # a term in the title counts this many body hits
    term_cap: float = 3.0  # one term repeated cannot carry a rubric by itself
    assign: float = 2.0  # evidence needed for a rubric
    relative: float = 0.4  # ... and at least this share of the strongest rubric's evidence
    # The topic of a press release is in its title and first sentences; reading whole bodies
    # of the 194 ardfm development items cut exact-match from 0.89 to 0.79 (incidental terms).
    body_chars: int = 300


@dataclass(frozen=True, slots=True)
class ItemText:
    """What the classifier reads: the same whether the item is new or re-read from the store."""

    title: str
    body: str
    lang: Lang
    source_kind: str = ""
    source_key: str = ""
    printed: tuple[str, ...] = ()  # rubric names the source printed beside the item


@dataclass(slots=True)
class Evidence:
    rubric: str
    entity: str = ""  # why the entity leans here, or ""
    entity_score: float = 0.0
    terms: Counter[str] = field(default_factory=Counter)  # term → weighted hits
    term_score: float = 0.0

    @property
    def score(self) -> float:
        return self.entity_score + self.term_score


class Classifier:
    def __init__(self, rubrics: Sequence[RubricDef], entities: Mapping[str, EntityDef],
                 terms: Terms, weights: Weights | None = None) -> None:
        self.rubrics = tuple(r for r in rubrics if r.slug != NEWS)
        self.entities = entities
        self.weights = weights or Weights()
        self._lexicons: dict[Lang, Lexicon] = compile_all(self.rubrics, terms)
        self._aliases = {a.casefold(): r.slug for r in rubrics
                         for a in (*r.aliases, *r.names.values(), r.slug)}
        self._hints: dict[str, dict[str, str]] = {}  # entity_hints by key: asked per item

    def evidence(self, item: ItemText) -> dict[str, Evidence]:
        found = {r.slug: Evidence(r.slug) for r in self.rubrics}
        self._add_entity(found, item)
        self._add_terms(found, item)
        return {slug: ev for slug, ev in found.items() if ev.score > 0}

    def classify(self, item: ItemText) -> tuple[RubricLabel, ...]:
        found = self.evidence(item)
        chosen = self.choose(found)
        labels = [RubricLabel(NEWS, 1.0, "rule", self._news_reason(item))]
        order = {r.slug: i for i, r in enumerate(self.rubrics)}
        for slug in sorted(chosen, key=order.__getitem__):
            labels.append(self._label(found[slug]))
        return tuple(labels)

    def choose(self, found: Mapping[str, Evidence]) -> list[str]:
        if not found:
            return []
        top = max(ev.score for ev in found.values())
        w = self.weights
        return [slug for slug, ev in found.items()
                if ev.score >= w.assign and ev.score >= w.relative * top]

    # ── signals ─────────────────────────────────────────────────────────────────────────────

    def _add_entity(self, found: dict[str, Evidence], item: ItemText) -> None:
        if item.source_kind != "govkz" or not item.source_key:
            return
        for slug, why in self.entity_hints(item.source_key).items():
            found[slug].entity, found[slug].entity_score = why, self.weights.entity

    def entity_hints(self, key: str) -> dict[str, str]:
        """rubric → why the entity `key` leans to it."""
        if key not in self._hints:
            self._hints[key] = self._entity_hints(key)
        return dict(self._hints[key])

    def _entity_hints(self, key: str) -> dict[str, str]:
        entity = self.entities.get(key)
        if entity is not None and entity.rubrics:
            return {slug: f"entity {key} is {_kind(entity)}" for slug in entity.rubrics}
        hints: dict[str, str] = {}
        for r in self.rubrics:
            if entity is not None and entity.type in r.entity_types:
                hints[r.slug] = f"entity {key} is {_kind(entity)}"
            elif any(fnmatch.fnmatchcase(key, p) for p in r.entities):
                hints[r.slug] = f"entity {key} is {_kind(entity) if entity else 'a known body'}"
        return hints

    def _add_terms(self, found: dict[str, Evidence], item: ItemText) -> None:
        lexicon = self._lexicons[item.lang]
        w = self.weights
        in_title = lexicon.count(item.title)
        in_body = lexicon.count(item.body[: w.body_chars])
        for slug in set(in_title) | set(in_body):
            ev = found[slug]
            for term in set(in_title[slug]) | set(in_body[slug]):
                hits = w.title * in_title[slug][term] + in_body[slug][term]
                ev.terms[term] = int(hits)
                ev.term_score += min(hits, w.term_cap)

    # ── reasons ─────────────────────────────────────────────────────────────────────────────

    def _label(self, ev: Evidence) -> RubricLabel:
        origin: RubricOrigin = "entity" if ev.entity_score >= ev.term_score else "lexicon"
        # score/(score + assign): 0.5 at the threshold, approaching 1 as evidence piles up
        score = round(ev.score / (ev.score + self.weights.assign), 3)
        return RubricLabel(ev.rubric, score, origin, explain(ev))

    def printed_rubric(self, name: str) -> str | None:
        """Our slug for a rubric name a portal printed, or None when we do not know it."""
        return self._aliases.get(name.strip().casefold())

    def _news_reason(self, item: ItemText) -> str:
        printed = [p for p in item.printed if self.printed_rubric(p) != NEWS]
        if not printed:
            return "every item is news"
        names = ", ".join(f"“{p}”" for p in printed)
        return f"every item is news; the source printed it under {names} (not trusted)"


def explain(ev: Evidence) -> str:
    parts = [ev.entity] if ev.entity else []
    if ev.terms:
        ranked = sorted(ev.terms.items(), key=lambda kv: (-kv[1], kv[0]))
        parts.append("terms: " + ", ".join(f"{t} ×{n}" for t, n in ranked[:6]))
    return "; ".join(parts)


_TYPE_PHRASE = {
    "ministry": "a ministry", "committee": "a committee", "embassy": "an embassy",
    "oblast_akimat": "a region's akimat", "city_akimat": "a city akimat",
    "district_akimat": "a district akimat", "department": "a department", "agency": "an agency",
}


def _kind(entity: EntityDef | None) -> str:
    if entity is None:
        return "a known body"
    article = _TYPE_PHRASE.get(entity.type or "", "a state body")
    return f"{article} ({entity.names['en']})"


def stem_terms() -> Terms:
    """The project stemmer (text/stem.py), the same one search indexes with."""
    return stem.terms


@cache
def default_classifier() -> Classifier:
    """The bundled rubric set and entities with the project stemmer, built once per process."""
    return Classifier(data.rubrics(), data.entities(), stem_terms())

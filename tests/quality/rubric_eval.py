"""Scoring the rubric classifier on the labelled set tests/quality/rubrics/devset.jsonl.

Shared by the quality test (floors) and ``rubrics_report.py`` (the full table). Items carry a
fixed ``split``: ``dev`` (tuning allowed) or ``heldout`` (a third, untouched until the rules
were done). Gold labels never include `news`, which every system gives every item; scoring it
would only flatter all of them equally.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aqparat import data
from aqparat.model import Lang
from aqparat.pipeline.rubrics import NEWS, Classifier, ItemText

DEVSET = Path(__file__).parent / "rubrics" / "devset.jsonl"
TOPICS = tuple(r.slug for r in data.rubrics() if r.slug != NEWS)


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    source: str
    lang: Lang
    item: ItemText
    gold: frozenset[str]
    split: str


def load(path: Path = DEVSET) -> list[Example]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [_example(r) for r in rows]


def _example(r: dict[str, object]) -> Example:
    entity = r["entity"]
    item = ItemText(
        title=str(r["title"]), body=str(r["lead"]), lang=r["lang"],  # type: ignore[arg-type]
        source_kind="govkz" if entity else "page", source_key=str(entity or r["source"]),
        printed=tuple(r["printed"]),  # type: ignore[arg-type]
    )
    return Example(str(r["id"]), str(r["source"]), r["lang"], item,  # type: ignore[arg-type]
                   frozenset(r["labels"]), str(r["split"]))  # type: ignore[arg-type]


Predict = Callable[[Example], frozenset[str]]


def classifier_predict(classifier: Classifier) -> Predict:
    return lambda ex: frozenset(lbl.slug for lbl in classifier.classify(ex.item)) - {NEWS}


def every_rubric(_: Example) -> frozenset[str]:
    """Baseline: what the seed page does, every item in every rubric."""
    return frozenset(TOPICS)


def entity_only(classifier: Classifier) -> Predict:
    """Baseline: the issuing entity's rubrics and nothing else."""
    def predict(ex: Example) -> frozenset[str]:
        if ex.item.source_kind != "govkz":
            return frozenset()
        return frozenset(classifier.entity_hints(ex.item.source_key))
    return predict


@dataclass(frozen=True, slots=True)
class Scores:
    micro_f1: float
    macro_f1: float
    per_rubric: dict[str, tuple[float, float, float, int]]  # P, R, F1, support
    exact: float  # share of items whose whole label set is right


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(examples: Sequence[Example], predict: Predict) -> Scores:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = 0
    for ex in examples:
        pred = predict(ex)
        exact += pred == ex.gold
        for slug in TOPICS:
            tp[slug] += slug in pred and slug in ex.gold
            fp[slug] += slug in pred and slug not in ex.gold
            fn[slug] += slug not in pred and slug in ex.gold
    per = {s: (*_prf(tp[s], fp[s], fn[s]), tp[s] + fn[s]) for s in TOPICS}
    present = [s for s in TOPICS if per[s][3] > 0]  # macro over rubrics the split contains
    macro = sum(per[s][2] for s in present) / len(present) if present else 0.0
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))[2]
    return Scores(micro, macro, per, exact / len(examples) if examples else 0.0)


def split(examples: Iterable[Example], name: str) -> list[Example]:
    return [ex for ex in examples if ex.split == name]

"""The rubric evaluation table: `.venv/bin/python tests/quality/rubrics_report.py [--split S]`.

Prints micro/macro F1 and per-rubric precision/recall of the classifier beside two baselines
from the same run ("every item in every rubric", "rubric from the entity alone"), on the
held-out third by default, then the same on the items not from the financial regulator (300 of
the 417 items are ardfm's and skew everything to economy), then how often a portal's printed
rubric matched the editor's labels.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from rubric_eval import (
    Example,
    Scores,
    classifier_predict,
    entity_only,
    every_rubric,
    load,
    score,
    split,
)

from aqparat.pipeline.rubrics import default_classifier


def _row(name: str, s: Scores) -> str:
    return f"{name:<28} micro-F1 {s.micro_f1:.3f}  macro-F1 {s.macro_f1:.3f}  exact {s.exact:.3f}"


def table(examples: list[Example], title: str) -> None:
    clf = default_classifier()
    systems = {"classifier (entity+lexicon)": classifier_predict(clf),
               "baseline: every rubric": every_rubric,
               "baseline: entity alone": entity_only(clf)}
    print(f"\n## {title} ({len(examples)} items)")
    results = {name: score(examples, predict) for name, predict in systems.items()}
    for name, s in results.items():
        print(_row(name, s))
    print(f"\n{'rubric':<12} {'n':>3}  {'P':>5} {'R':>5} {'F1':>5}   entity-alone P/R")
    ours, ent = results["classifier (entity+lexicon)"], results["baseline: entity alone"]
    for slug, (p, r, f, n) in ours.per_rubric.items():
        ep, er, _, _ = ent.per_rubric[slug]
        print(f"{slug:<12} {n:>3}  {p:5.2f} {r:5.2f} {f:5.2f}   {ep:.2f}/{er:.2f}")


def printed_precision(examples: list[Example]) -> None:
    clf = default_classifier()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for ex in examples:
        for name in ex.item.printed:
            slug = clf.printed_rubric(name)
            if slug is None or slug == "news":
                continue
            total[ex.source] += 1
            right[ex.source] += slug in ex.gold
    print("\n## printed rubric vs the editor's labels (all splits)")
    for source, n in total.most_common():
        print(f"{source:<22} {right[source]:>3} of {n:>3} right")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["heldout", "dev", "all"])
    args = parser.parse_args()
    examples = load()
    chosen = examples if args.split == "all" else split(examples, args.split)
    table(chosen, f"{args.split} split")
    table([e for e in chosen if e.source != "gov.kz/ardfm"], f"{args.split}, without ardfm")
    printed_precision(examples)


if __name__ == "__main__":
    main()

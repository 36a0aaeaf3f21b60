"""Print duplicate and story precision/recall on tests/quality/dedup/, and the curves the
default thresholds were chosen from (docs/stories.md quotes them). Run from the repository root:

    .venv/bin/python tests/quality/dedup_report.py
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dedup_eval import PR, assign_all, load_pairs, reports, score, split

from aqparat.pipeline.dedup import DedupOptions

SWEEPS: dict[str, list[float]] = {
    "near": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    "short_near": [0.5, 0.6, 0.7, 0.8, 0.9],
    "title": [0.3, 0.5, 0.7],
    "story_facts": [2, 3, 4, 5],
    "numbers": [0.0, 0.5, 0.8, 0.9, 1.0],
}


def _fmt(pr: PR) -> str:
    return f"P {pr.precision:.3f} R {pr.recall:.3f} ({pr.tp} tp, {pr.fp} fp, {pr.fn} fn)"


def main() -> None:
    pairs = load_pairs()
    reports()  # the pipeline once, before any timing matters
    print(f"{len(pairs)} pairs: " + ", ".join(
        f"{lab} {sum(p.label == lab for p in pairs)}" for lab in ("duplicate", "story",
                                                                 "different")))
    base = DedupOptions()
    placed = assign_all(base)
    for name in ("dev", "heldout", "all"):
        chosen = pairs if name == "all" else split(pairs, name)
        s = score(chosen, placed)
        print(f"{name:8} duplicates {_fmt(s.duplicates)} | stories {_fmt(s.stories)}")
    s = score(pairs, placed)
    print(f"missed (story), by kind: {s.missed}\ngrouped wrongly, by kind: {s.wrong}")
    dev = split(pairs, "dev")
    for field, values in SWEEPS.items():
        print(f"\n{field} (dev split; default {getattr(base, field)})")
        for value in values:
            s = score(dev, assign_all(dataclasses.replace(base, **{field: value})))
            print(f"  {value:>5}: duplicates {_fmt(s.duplicates)} | stories {_fmt(s.stories)}")


if __name__ == "__main__":
    main()

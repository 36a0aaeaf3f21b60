"""Loading the text gold sets and scoring them; shared by the ``test_gold_*`` quality tests.

Every gold file under ``tests/fixtures/text/`` marks each record's ``split``: ``dev`` (rules may
be tuned on it), ``heldout`` (kept aside until the rules were done; scored separately) or
``seed`` (the seed page, which the rules were written against: in-sample).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def load_jsonl(name: str) -> list[dict[str, Any]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated gold file; '#' lines and blank lines are comments."""
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class PR:
    """Counts of a set comparison, and precision / recall / F1 from them."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        counts = f"tp={self.tp} fp={self.fp} fn={self.fn}"
        return f"P={self.precision:.3f} R={self.recall:.3f} ({counts})"


def compare(pairs: Iterable[tuple[set[Any], set[Any]]]) -> PR:
    """Summed over (truth, predicted) pairs."""
    tp = fp = fn = 0
    for truth, predicted in pairs:
        tp += len(truth & predicted)
        fp += len(predicted - truth)
        fn += len(truth - predicted)
    return PR(tp, fp, fn)

"""Search finds Kazakh words in other forms than the reader typed: floors that only move up.

`search_eval.py` explains the corpus, the 190 hand-written (query, expected item) pairs and the
baseline; run it to see the table. Measured when the floors were set (SQLite, text/stem.py as
of this issue): ours recall@10 0.947, MRR 0.925 (seed page 1.000 / 0.964, other portals
0.917 / 0.903); plain FTS5 unicode61 without stemming 0.042 / 0.042. The floors sit a little
below, because the stemmer is still being tuned; raise them as it improves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from search_eval import Score, evaluate

FLOORS = {"all": (0.90, 0.88), "seed": (0.94, 0.94), "other": (0.88, 0.86)}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Score]]:
    return evaluate(Path(tmp_path_factory.mktemp("search-quality")))


def test_there_are_at_least_a_hundred_pairs(result: dict[str, dict[str, Score]]) -> None:
    assert result["ours"]["all"].pairs >= 100


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_recall_and_mrr_stay_above_their_floors(result: dict[str, dict[str, Score]],
                                                group: str) -> None:
    recall, mrr = FLOORS[group]
    got = result["ours"][group]
    assert got.recall >= recall, f"{group}: recall@10 {got.recall:.3f} < floor {recall}"
    assert got.mrr >= mrr, f"{group}: MRR {got.mrr:.3f} < floor {mrr}"


def test_stemming_beats_plain_fts5_by_far(result: dict[str, dict[str, Score]]) -> None:
    ours, plain = result["ours"]["all"], result["baseline"]["all"]
    assert ours.recall - plain.recall >= 0.5
    assert ours.mrr - plain.mrr >= 0.5

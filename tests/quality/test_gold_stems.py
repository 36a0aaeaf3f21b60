"""Stemming scored on ``stems.tsv`` (how it was made: the file's header).

A pair is right when the form and its headword get the same key; a merge is two different
headwords of the set sharing a key. Floors sit at the scores measured when the rules were done.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from text_gold import load_tsv

from aqparat.text.stem import stem

ROWS = load_tsv("stems.tsv")


def score(lang: str, split: str) -> tuple[float, int, int]:
    rows = [r for r in ROWS if r[0] == lang and r[1] == split]
    right = sum(stem(form, lang) == stem(head, lang) for _, _, form, head in rows)  # type: ignore[arg-type]
    keys: dict[str, set[str]] = defaultdict(set)
    for _, _, _, head in rows:
        keys[stem(head, lang)].add(head)  # type: ignore[arg-type]
    merges = sum(len(heads) - 1 for heads in keys.values())
    return right / len(rows), len(rows), merges


def test_gold_set_shape() -> None:
    assert len(ROWS) >= 200
    for lang in ("kk", "ru", "en"):
        rows = [r for r in ROWS if r[0] == lang]
        assert sum(r[1] == "heldout" for r in rows) * 3 >= len(rows), lang


# (lang, split, accuracy floor, most merges). Measured: kk dev 172/178 and held-out 92/98 = 0.939
# when the rules were frozen; then, after the held-out misses were seen (so no longer blind),
# four fixes (-ндағы misread, и harmony, two-letter stems, -тес/-дес/кеңес nouns) and place
# names as roots: kk dev 173/178 = 0.972, held-out 96/98 = 0.980. Snowball ru dev 27/33 = 0.818,
# held-out 16/23 = 0.696 (fleeting vowels, кредит → кред); en 18/18 and 12/12, one merge
# (observe / observer).
FLOORS = [
    ("kk", "dev", 0.97, 0), ("kk", "heldout", 0.97, 0),
    ("ru", "dev", 0.81, 0), ("ru", "heldout", 0.69, 0),
    ("en", "dev", 1.0, 1), ("en", "heldout", 1.0, 0),
]


@pytest.mark.parametrize(("lang", "split", "floor", "max_merges"), FLOORS)
def test_stem_accuracy(lang: str, split: str, floor: float, max_merges: int) -> None:
    accuracy, total, merges = score(lang, split)
    print(lang, split, f"{accuracy:.3f} of {total}, merges {merges}")
    assert accuracy >= floor
    assert merges <= max_merges


def test_seed_vocabulary_is_not_over_merged() -> None:
    """Distinct keys over the gold's Kazakh forms: a stripper that over-merges drops this."""
    forms = {r[2] for r in ROWS if r[0] == "kk"}
    heads = {r[3] for r in ROWS if r[0] == "kk"}
    keys = {stem(f, "kk") for f in forms}
    assert len(keys) >= len(heads) - 2, (len(keys), len(heads))

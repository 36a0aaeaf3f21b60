"""Paragraph-break recovery scored on ``paragraphs.jsonl`` (how it was made: its builder script).

A break is the number of non-space characters before it, so the score does not depend on the
spaces the recovery strips. Floors sit just under the scores measured when the rules were done
and only move up.
"""

from __future__ import annotations

import pytest
from text_gold import PR, compare, load_jsonl

from aqparat.text.normalize import clean_paragraphs
from aqparat.text.paragraphs import paragraphs

ITEMS = load_jsonl("paragraphs.jsonl")


def breaks(paras: list[str]) -> set[int]:
    out, n = set(), 0
    for p in paras[:-1]:
        n += len("".join(p.split()))
        out.add(n)
    return out


def score(split: str, recover: object) -> PR:
    chosen = [i for i in ITEMS if i["split"] == split]
    assert chosen, split
    return compare((breaks(i["paragraphs"]), breaks(recover(i["title"], i["glued"])))  # type: ignore[operator]
                   for i in chosen)


def test_gold_set_shape() -> None:
    splits = [i["split"] for i in ITEMS]
    assert splits.count("seed") == 5
    assert splits.count("heldout") * 3 >= splits.count("dev") + splits.count("heldout") - 2
    assert sum(1 for i in ITEMS if i["id"].startswith("govkz-")) >= 30
    for item in ITEMS:
        assert "".join(item["glued"].split()) .endswith("".join(item["paragraphs"][-1].split()))


# (split, function, precision floor, recall floor); measured: see the report in the test ids.
FLOORS = [
    pytest.param("seed", paragraphs, 1.0, 1.0, id="seed-paragraphs-P1.00-R1.00"),
    pytest.param("dev", paragraphs, 0.97, 0.88, id="dev-paragraphs-P0.981-R0.892"),
    pytest.param("heldout", paragraphs, 0.89, 0.73, id="heldout-paragraphs-P0.900-R0.739"),
    pytest.param("dev", clean_paragraphs, 0.96, 0.54, id="dev-clean_paragraphs-P0.970-R0.548"),
    pytest.param("heldout", clean_paragraphs, 0.91, 0.42, id="heldout-clean-P0.919-R0.425"),
]


@pytest.mark.parametrize(("split", "recover", "p_floor", "r_floor"), FLOORS)
def test_break_precision_and_recall(split: str, recover: object, p_floor: float,
                                    r_floor: float) -> None:
    result = score(split, recover)
    print(split, getattr(recover, "__name__", ""), result)
    assert result.precision >= p_floor, result
    assert result.recall >= r_floor, result

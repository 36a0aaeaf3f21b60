"""Scoring duplicate detection and story grouping on tests/quality/dedup/ (make_pairs.py).

Every item of the set goes through the real pipeline (pipeline/run.py), then through story
assignment in publication order, as the store would see them arrive (pipeline/stories.py on a
`MemoryIndex`). A labelled pair is then predicted:

* **duplicate** when both items have the same text root (the earliest item with their text);
* **same story** when both are in one story.

Duplicates are scored against `duplicate` labels; story grouping against `duplicate` and
`story` labels together (a duplicate is in its original's story). Pairs carry a fixed split by
a hash of their keys: `dev` (two thirds, thresholds were chosen on it) and `heldout`.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aqparat import data
from aqparat.model import RawItem
from aqparat.pipeline import stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.pipeline.story_index import MemoryIndex

HERE = Path(__file__).parent / "dedup"


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    label: str  # duplicate | story | different
    kind: str

    @property
    def split(self) -> str:
        return "heldout" if zlib.crc32(f"{self.a}|{self.b}".encode()) % 3 == 0 else "dev"


def load_pairs() -> list[Pair]:
    lines = (HERE / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    return [Pair(**json.loads(line)) for line in lines if line]


def _raw(row: dict[str, str]) -> RawItem:
    return RawItem("govkz", row["source"], row["external_id"], row["title"], row["body"],
                   "text", dt.datetime.fromisoformat(row["published"]), None,
                   row["lang"], origin=row["key"])  # type: ignore[arg-type]


@cache
def reports() -> tuple[tuple[str, stories.Report], ...]:
    """(key, report) of every item, cleaned by the pipeline, in publication order."""
    options = PipelineOptions(rubric_aliases=data.rubric_aliases())
    lines = (HERE / "items.jsonl").read_text(encoding="utf-8").splitlines()
    sources: dict[str, int] = {}
    out = []
    for n, line in enumerate(lines, 1):
        row = json.loads(line)
        art = process(_raw(row), options).article
        assert art is not None, row["key"]
        source_id = sources.setdefault(row["source"], len(sources) + 1)
        out.append((row["key"], stories.Report(
            n, source_id, art.external_id, art.lang, art.title, art.body_text,
            art.published_at, art.events)))
    return tuple(sorted(out, key=lambda kr: (kr[1].published_at, kr[1].item_id)))


@dataclass(frozen=True, slots=True)
class Placed:
    story: int
    root: int
    how: str


def assign_all(options: DedupOptions) -> dict[str, Placed]:
    index = MemoryIndex()
    placed = {}
    for key, report in reports():
        story_id, found = stories.assign(index, report, options)
        placed[key] = Placed(story_id, found.duplicate_of or report.item_id, found.how)
    return placed


@dataclass(frozen=True, slots=True)
class PR:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _pr(pairs: list[Pair], gold: set[str], predict: dict[tuple[str, str], bool]) -> PR:
    tp = sum(1 for p in pairs if p.label in gold and predict[(p.a, p.b)])
    fp = sum(1 for p in pairs if p.label not in gold and predict[(p.a, p.b)])
    fn = sum(1 for p in pairs if p.label in gold and not predict[(p.a, p.b)])
    return PR(tp, fp, fn)


@dataclass(frozen=True, slots=True)
class Scores:
    duplicates: PR
    stories: PR
    missed: dict[str, int]  # positive pairs missed (story grouping), by kind
    wrong: dict[str, int]  # negative pairs grouped, by kind


def score(pairs: list[Pair], placed: dict[str, Placed]) -> Scores:
    dup = {(p.a, p.b): placed[p.a].root == placed[p.b].root for p in pairs}
    same = {(p.a, p.b): placed[p.a].story == placed[p.b].story for p in pairs}
    missed: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)
    for p in pairs:
        if p.label != "different" and not same[(p.a, p.b)]:
            missed[p.kind] += 1
        if p.label == "different" and same[(p.a, p.b)]:
            wrong[p.kind] += 1
    return Scores(_pr(pairs, {"duplicate"}, dup), _pr(pairs, {"duplicate", "story"}, same),
                  dict(missed), dict(wrong))


def split(pairs: list[Pair], name: str) -> list[Pair]:
    return [p for p in pairs if p.split == name]

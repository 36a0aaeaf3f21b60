"""An in-memory `stories.Index`: the quality evaluation and bench/dedup.py run the same
assignment code as the store, without a database. Items are filed once each (the store's
index, store/stories.py, is the one that also handles an item filed again)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from aqparat.pipeline.stories import (
    Assignment,
    Keys,
    Line,
    Member,
    Profile,
    Report,
    Shared,
)

CANDIDATES = 256  # = store/story_index.CANDIDATES (pipeline/ cannot import store/)


class MemoryIndex:
    def __init__(self) -> None:
        self.members_by_id: dict[int, Member] = {}
        self.lines: dict[int, list[Line]] = defaultdict(list)  # story id → its reports
        self._publications: dict[tuple[int, str], int] = {}
        self._texts: dict[str, list[int]] = defaultdict(list)
        self._bands: dict[int, list[int]] = defaultdict(list)
        self._facts: dict[int, list[tuple[float, int]]] = defaultdict(list)
        self._units: Counter[tuple[int, int]] = Counter()
        self._next_story = 1

    def publication(self, report: Report) -> int | None:
        return self._publications.get((report.source_id, report.external_id))

    def boilerplate(self, source_id: int, units: Sequence[int], at_least: int) -> set[int]:
        return {u for u in units if self._units[(source_id, u)] >= at_least}

    def same_text(self, fingerprint: str, item_id: int) -> list[Member]:
        return [self.members_by_id[i] for i in self._texts.get(fingerprint, ()) if i != item_id]

    def near(self, bands: Sequence[int], item_id: int) -> list[Member]:
        found = {i for b in bands for i in self._bands.get(b, ()) if i != item_id}
        recent = sorted(found)[-CANDIDATES:]  # as the store's index: the most recent ones
        return [self.members_by_id[i] for i in recent]

    def members(self, item_ids: Sequence[int]) -> dict[int, Member]:
        return {i: self.members_by_id[i] for i in item_ids}

    def sharing(self, fact_keys: Sequence[int], since: dt.datetime, until: dt.datetime,
                item_id: int, limit: int) -> list[Shared]:
        lo, hi = since.timestamp(), until.timestamp()
        shared = []
        for fact in fact_keys:
            postings = self._facts.get(fact, [])
            start = bisect.bisect_left(postings, (lo, -1))
            for at, other in postings[start:start + limit]:
                if at > hi:
                    break
                if other != item_id:
                    shared.append(Shared(fact, other))
        return shared

    def file(self, report: Report, profile: Profile, keys: Keys,
             assignment: Assignment) -> int:
        story_id = assignment.story_id
        if story_id is None:
            story_id, self._next_story = self._next_story, self._next_story + 1
        self.members_by_id[report.item_id] = Member(
            report.item_id, story_id, assignment.duplicate_of, report.published_at, profile)
        self.lines[story_id].append(Line(report.item_id, report.lang, report.published_at))
        self._publications.setdefault((report.source_id, report.external_id), story_id)
        self._texts[profile.fingerprint].append(report.item_id)
        for band in keys.bands:
            self._bands[band].append(report.item_id)
        at = report.published_at.timestamp()
        for fact in keys.facts:
            bisect.insort(self._facts[fact], (at, report.item_id))
        self._units.update((report.source_id, u) for u in keys.units)
        return story_id

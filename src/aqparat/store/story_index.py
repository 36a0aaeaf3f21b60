"""`pipeline.stories.Index` on a connection: story assignment in the item's own transaction.

Everything lives in tables (schema.py: item_profile, item_band, item_fact, source_sentence),
so assignment works after a restart and several crawl workers share one index; a page or a
dump file that rolls back takes its items' stories with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aqparat.pipeline.stories import Assignment, Keys, Member, Profile, Report, Shared
from aqparat.store import stories
from aqparat.store.schema import item, item_band, item_fact, item_profile, source_sentence

CHUNK = 500  # values per IN (…): far below either engine's parameter limit


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MEMBER_COLUMNS = (item_profile, item.c.story_id, item.c.duplicate_of, item.c.published_at)


def _member(m: sa.RowMapping) -> Member:
    profile = Profile(m["fingerprint"], m["signature"], m["terms"], _words(m["title_terms"]),
                      m["event"], _words(m["numbers"]))
    return Member(m["item_id"], m["story_id"], m["duplicate_of"], m["published_at"], profile)


class SqlIndex:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def publication(self, report: Report) -> int | None:
        found = self.conn.execute(
            sa.select(item.c.story_id).where(
                item.c.source_id == report.source_id, item.c.external_id == report.external_id,
                item.c.id != report.item_id, item.c.story_id.is_not(None)).limit(1)).first()
        return None if found is None else int(found.story_id)

    def boilerplate(self, source_id: int, units: Sequence[int], at_least: int) -> set[int]:
        found: set[int] = set()
        for part in _chunks(list(units)):
            found |= set(self.conn.execute(sa.select(source_sentence.c.key).where(
                source_sentence.c.source_id == source_id, source_sentence.c.key.in_(part),
                source_sentence.c["items"] >= at_least)).scalars())
        return found

    def _where(self, *where: sa.ColumnElement[bool]) -> list[Member]:
        rows = self.conn.execute(
            sa.select(*_MEMBER_COLUMNS).join(item, item.c.id == item_profile.c.item_id)
            .where(item.c.story_id.is_not(None), *where)).mappings()
        return [_member(m) for m in rows]

    def same_text(self, fingerprint: str, item_id: int) -> list[Member]:
        return self._where(item_profile.c.fingerprint == fingerprint,
                           item_profile.c.item_id != item_id)

    def near(self, bands: Sequence[int], item_id: int) -> list[Member]:
        ids = set(self.conn.execute(sa.select(item_band.c.item_id).where(
            item_band.c.key.in_(list(bands)), item_band.c.item_id != item_id)).scalars())
        return sorted(self.members(sorted(ids)).values(), key=lambda m: m.item_id)

    def members(self, item_ids: Sequence[int]) -> dict[int, Member]:
        found: dict[int, Member] = {}
        for part in _chunks(list(item_ids)):
            found |= {m.item_id: m for m in self._where(item_profile.c.item_id.in_(part))}
        return found

    def sharing(self, fact_keys: Sequence[int], since: dt.datetime, until: dt.datetime,
                item_id: int, limit: int) -> list[Shared]:
        if not fact_keys:
            return []
        lo, hi = _seconds(since), _seconds(until)
        # One bounded index range per fact, all in one round trip.
        parts = [sa.select(item_fact.c.fact, item_fact.c.item_id)
                 .where(item_fact.c.fact == fact, item_fact.c.at.between(lo, hi),
                        item_fact.c.item_id != item_id)
                 .order_by(item_fact.c.at).limit(limit).subquery().select()
                 for fact in fact_keys]
        found = sa.union_all(*parts).subquery()
        rows = self.conn.execute(
            sa.select(found.c.fact, found.c.item_id, item.c.story_id)
            .join(item, item.c.id == found.c.item_id).where(item.c.story_id.is_not(None)))
        return [Shared(int(f), int(i), int(st)) for f, i, st in rows]

    def file(self, report: Report, profile: Profile, keys: Keys,
             assignment: Assignment) -> int:
        before = stories.detach(self.conn, report.item_id)
        story_id = assignment.story_id or stories.create(self.conn, report.published_at)
        self.conn.execute(item.update().where(item.c.id == report.item_id).values(
            story_id=story_id, duplicate_of=assignment.duplicate_of))
        self._remember(report, profile, keys, count_sentences=before is None)
        stories.refresh(self.conn, story_id)
        if before is not None and before != story_id:
            stories.refresh(self.conn, before)
        return story_id

    def _remember(self, report: Report, profile: Profile, keys: Keys, *,
                  count_sentences: bool) -> None:
        self.conn.execute(item_profile.insert().values(
            item_id=report.item_id, fingerprint=profile.fingerprint,
            signature=profile.signature, terms=profile.terms,
            title_terms=" ".join(sorted(profile.title_terms)), event=profile.event,
            numbers=" ".join(sorted(profile.numbers))))
        if keys.bands:
            self.conn.execute(item_band.insert(), [
                {"key": k, "item_id": report.item_id} for k in dict.fromkeys(keys.bands)])
        if keys.facts:
            self.conn.execute(item_fact.insert(), [
                {"fact": f, "at": _seconds(report.published_at), "item_id": report.item_id}
                for f in dict.fromkeys(keys.facts)])
        if keys.units and count_sentences:  # an edited item's sentences count once
            self._count_sentences(report.source_id, keys.units)

    def _count_sentences(self, source_id: int, units: Sequence[int]) -> None:
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        for part in _chunks(list(units)):
            insert = dialect.insert(source_sentence).values(
                [{"source_id": source_id, "key": k, "items": 1} for k in part])
            self.conn.execute(insert.on_conflict_do_update(
                index_elements=["source_id", "key"],
                set_={"items": source_sentence.c["items"] + 1}))

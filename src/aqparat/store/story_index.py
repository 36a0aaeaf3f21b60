"""`pipeline.stories.Index` on a connection: story assignment in the item's own transaction.

Everything lives in tables (schema.py: item_profile, item_band, item_fact, source_sentence),
so assignment works after a restart and several crawl workers share one index; a page or a
dump file that rolls back takes its items' stories with it.

Why it stays fast as the store grows (docs/stories.md, "At size"; bench/dedup_store.py):

- every lookup is one index range of a narrow table; a candidate is read from `item_profile`
  alone, never from `item`, whose story columns sit behind the body (overflow pages);
- what any one lookup returns is bounded: band candidates to the `CANDIDATES` most recent,
  each fact to `common_fact` + 1 postings of the week (`sharing`);
- statements are built once and reused with parameters: building SQLAlchemy constructs per
  item cost more than running them;
- filing writes the item's rows and, for a new story, one story row; a new report joining
  a story updates the story's figures from its row (store/stories.joined: reading the other
  reports would make a story re-posted by hundreds of sources quadratic), an edited one has
  its story recounted (store/stories.refresh, one index range); only items whose lead flag
  changes are written.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aqparat.pipeline import dedup
from aqparat.pipeline.dedup import DedupOptions
from aqparat.pipeline.stories import (
    Assignment,
    Keys,
    Member,
    Profile,
    Report,
    Shared,
    event_band,
)
from aqparat.store import stories
from aqparat.store.chunks import chunks
from aqparat.store.schema import item, item_band, item_fact, item_profile, source_sentence

# Band candidates verified per item, most recent first. Only a text re-posted by hundreds of
# sources reaches it, and then any of its copies leads to the same story and the same
# original (`duplicate_of` points at the earliest); the cap keeps that item's cost bounded.
CANDIDATES = 256
FACT_SLOTS = (4, 8, 16, 32, 64)  # `sharing` statements are built for these fact counts
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

p = item_profile.c
_MEMBER = (p.item_id, p.fingerprint, p.signature, p.terms, p.title_terms, p.event,
           p.numbers, p.story_id, p.duplicate_of, p.at)
_FILED = p.story_id.is_not(None)
_ME: sa.BindParameter[int] = sa.bindparam("me")

_PUBLICATION = (sa.select(p.story_id).select_from(item.join(item_profile,
                                                            p.item_id == item.c.id))
                .where(item.c.source_id == sa.bindparam("source"),
                       item.c.external_id == sa.bindparam("external"), item.c.id != _ME,
                       _FILED).limit(1))
_BOILERPLATE = sa.select(source_sentence.c.key).where(
    source_sentence.c.source_id == sa.bindparam("source"),
    source_sentence.c.key.in_(sa.bindparam("keys", expanding=True)),
    source_sentence.c["items"] >= sa.bindparam("at_least"))
# Only the earliest: all `decide` uses, and a text copied by hundreds of sources stays one row.
_SAME_TEXT = (sa.select(*_MEMBER).where(p.fingerprint == sa.bindparam("fingerprint"),
                                        p.item_id != _ME, _FILED)
              .order_by(p.at, p.item_id).limit(1))
_BANDED = (sa.select(item_band.c.item_id).distinct()
           .where(item_band.c.key.in_(sa.bindparam("keys", expanding=True)),
                  item_band.c.item_id != _ME)
           .order_by(item_band.c.item_id.desc()).limit(sa.bindparam("cap")))
_NEAR = sa.select(*_MEMBER).where(p.item_id.in_(_BANDED.scalar_subquery()), _FILED)
_MEMBERS = sa.select(*_MEMBER).where(p.item_id.in_(sa.bindparam("ids", expanding=True)),
                                     _FILED)
_FILED_AS = sa.select(p.story_id, p.signature, p.terms, p.event).where(p.item_id == _ME)
_STORY_OF = sa.select(item.c.story_id).where(item.c.id == _ME)
_FILE_ITEM = item.update().where(item.c.id == _ME).values(
    story_id=sa.bindparam("story"), duplicate_of=sa.bindparam("dup"),
    story_lead=sa.bindparam("b_lead"))
_BAND_ROW = item_band.insert()
_FACT_ROW = item_fact.insert()
_PROFILE_ROW = item_profile.insert()


@functools.cache
def _count_sentence(dialect: str) -> sa.Insert:
    """One more item of a source used this sentence (upsert: same text on both engines)."""
    insert = (sqlite if dialect == "sqlite" else postgresql).insert(source_sentence)
    upsert: sa.Insert = insert.on_conflict_do_update(
        index_elements=["source_id", "key"], set_={"items": source_sentence.c["items"] + 1})
    return upsert


def micros(moment: dt.datetime) -> int:
    """`item_profile.at`: exact, and 8 bytes instead of a 26-character text on SQLite."""
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def _moment(at: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=at)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _member(m: sa.RowMapping) -> Member:
    profile = Profile(m["fingerprint"], m["signature"], m["terms"], _words(m["title_terms"]),
                      m["event"], _words(m["numbers"]))
    return Member(m["item_id"], m["story_id"], m["duplicate_of"], _moment(m["at"]), profile)


@functools.cache
def _sharing(slots: int) -> sa.CompoundSelect[Any]:
    """Up to `limit` postings of each of `slots` facts in the window, in one statement: one
    bounded range of item_fact's primary key per fact. Unused slots are NULL: match nothing.

    Only item_fact is read, an index range each: a posting is written with its item's profile
    and story (`_remember`) and deleted with them (`_detach`), so every posting is of a filed
    item. (Joining item_profile to check cost 0.6 ms an item, half the statement.)"""
    parts = [sa.select(item_fact.c.fact, item_fact.c.item_id)
             .where(item_fact.c.fact == sa.bindparam(f"f{n}", type_=sa.BigInteger),
                    item_fact.c.at.between(sa.bindparam("lo"), sa.bindparam("hi")),
                    item_fact.c.item_id != _ME)
             .order_by(item_fact.c.at).limit(sa.bindparam("limit")).subquery().select()
             for n in range(slots)]
    return sa.union_all(*parts)


class SqlIndex:
    def __init__(self, conn: sa.Connection, options: DedupOptions | None = None) -> None:
        self.conn = conn
        self.options = options or DedupOptions()  # band keys of an item filed again

    def publication(self, report: Report) -> int | None:
        found = self.conn.execute(_PUBLICATION, {
            "source": report.source_id, "external": report.external_id,
            "me": report.item_id}).scalar()
        return None if found is None else int(found)

    def boilerplate(self, source_id: int, units: Sequence[int], at_least: int) -> set[int]:
        found: set[int] = set()
        for part in chunks(list(dict.fromkeys(units))):
            found |= set(self.conn.execute(_BOILERPLATE, {
                "source": source_id, "keys": part, "at_least": at_least}).scalars())
        return found

    def same_text(self, fingerprint: str, item_id: int) -> list[Member]:
        rows = self.conn.execute(_SAME_TEXT, {"fingerprint": fingerprint, "me": item_id})
        return [_member(m) for m in rows.mappings()]

    def near(self, bands: Sequence[int], item_id: int) -> list[Member]:
        if not bands:
            return []
        rows = self.conn.execute(_NEAR, {"keys": list(dict.fromkeys(bands)), "me": item_id,
                                         "cap": CANDIDATES})
        return sorted((_member(m) for m in rows.mappings()), key=lambda m: m.item_id)

    def members(self, item_ids: Sequence[int]) -> dict[int, Member]:
        found: dict[int, Member] = {}
        for part in chunks(item_ids):
            rows = self.conn.execute(_MEMBERS, {"ids": part}).mappings()
            found |= {m["item_id"]: _member(m) for m in rows}
        return found

    def sharing(self, fact_keys: Sequence[int], since: dt.datetime, until: dt.datetime,
                item_id: int, limit: int) -> list[Shared]:
        # A row is (fact, item_id), both integers: `tuple.__new__` makes the Shared without the
        # Python-level Shared.__new__ or int() (an item reads hundreds: 72 → 39 µs for 300).
        new = tuple.__new__
        shared: list[Shared] = []
        keys = list(dict.fromkeys(fact_keys))
        for part in chunks(keys, FACT_SLOTS[-1]):
            slots = next(n for n in FACT_SLOTS if n >= len(part))
            params: dict[str, object] = {f"f{n}": None for n in range(slots)}
            params |= {f"f{n}": fact for n, fact in enumerate(part)}
            params |= {"lo": int(since.timestamp()), "hi": int(until.timestamp()),
                       "me": item_id, "limit": limit}
            rows = self.conn.execute(_sharing(slots), params).all()  # ~100 rows: fetch at once
            shared += [new(Shared, row) for row in rows]
        return shared

    def file(self, report: Report, profile: Profile, keys: Keys,
             assignment: Assignment) -> int:
        before = None if report.fresh else self._detach(report.item_id)
        # A story of one: its figures are known, nothing to recount.
        story_id = (assignment.story_id
                    or stories.create(self.conn, report.published_at, first=report))
        self.conn.execute(_FILE_ITEM, {"me": report.item_id, "story": story_id,
                                       "dup": assignment.duplicate_of,
                                       "b_lead": assignment.story_id is None})
        self._remember(report, profile, keys, story_id, assignment.duplicate_of,
                       count_sentences=before is None)
        if assignment.story_id is not None and report.fresh:
            stories.joined(self.conn, story_id, report.item_id)
        elif assignment.story_id is not None:
            stories.refresh(self.conn, story_id)
        if before is not None and before != story_id:
            stories.refresh(self.conn, before)
        return story_id

    def _detach(self, item_id: int) -> int | None:
        """Forget what an item was filed under (it is about to be filed again); its story."""
        was = self.conn.execute(_FILED_AS, {"me": item_id}).first()
        if was is None:  # never filed here; a story set by other means is still left behind
            return self.conn.execute(_STORY_OF, {"me": item_id}).scalar()
        bands = dedup.bands(was.signature, self.options) if was.signature else []
        if was.event and was.terms < self.options.short_terms:
            bands.append(event_band(was.event))
        if bands:
            self.conn.execute(item_band.delete().where(
                item_band.c.item_id == item_id, item_band.c.key.in_(bands)))
        for table in (item_profile, item_fact):
            self.conn.execute(table.delete().where(table.c.item_id == item_id))
        return None if was.story_id is None else int(was.story_id)

    def _remember(self, report: Report, profile: Profile, keys: Keys, story_id: int,
                  duplicate_of: int | None, *, count_sentences: bool) -> None:
        self.conn.execute(_PROFILE_ROW, {
            "item_id": report.item_id, "fingerprint": profile.fingerprint,
            "signature": profile.signature, "terms": profile.terms,
            "title_terms": " ".join(sorted(profile.title_terms)), "event": profile.event,
            "numbers": " ".join(sorted(profile.numbers)), "story_id": story_id,
            "duplicate_of": duplicate_of, "at": micros(report.published_at)})
        if keys.bands:
            self.conn.execute(_BAND_ROW, [
                {"key": k, "item_id": report.item_id} for k in dict.fromkeys(keys.bands)])
        if keys.facts:
            self.conn.execute(_FACT_ROW, [
                {"fact": f, "at": int(report.published_at.timestamp()),
                 "item_id": report.item_id} for f in dict.fromkeys(keys.facts)])
        if keys.units and count_sentences:  # an edited item's sentences count once
            self._count_sentences(report.source_id, keys.units)

    def _count_sentences(self, source_id: int, units: Sequence[int]) -> None:
        self.conn.execute(_count_sentence(self.conn.dialect.name), [
            {"source_id": source_id, "key": k, "items": 1} for k in dict.fromkeys(units)])

"""One event, one story: each arriving item joins the story of what it repeats or follows up.

Incremental: an item is compared only with what an `Index` finds for it (store/stories.py on
the item's own transaction; `MemoryIndex` for evaluation and benchmarks), never with every
story. In order, the first rule that holds decides:

1. **version**  another language version of the same publication (same source, same id) has
                a story: that one (gov.kz publishes kk/ru/en under one id).
2. **exact**    an earlier item has the same text fingerprint (pipeline/identity.py).
3. **near**     an earlier item shares a MinHash band and its signature estimates a Jaccard
                of at least `near` (`short_near` when either item is short), and their
                numbers do not disagree (two akimats' reports on one template do).
4. **short**    a short item and an earlier one announce the same event (day, time, city)
                under titles with at least `title` term overlap.
5. **facts**    an earlier item published within `story_days` shares at least
                `story_facts` facts (pipeline/facts.py: numbers, dates, names, known bodies
                and places, all language-free), ignoring facts that more than
                `common_fact` reports of the window share, and does not announce an event
                on another day (one minister, two visits). This is also how a ministry's ru
                release and an akimat's kk re-post meet.
6. **new**      otherwise the item starts a story.

Rules 2–4 make the item a duplicate (`duplicate_of`: the earliest item with that text); 1 and 5
only put it in the story. Boilerplate never decides: sentences the item's source has used in
`boilerplate` earlier items are cut before shingles and facts are taken, so two embassies'
different news with one sign-off share nothing. An item joins the story of its best match and
stories are never merged, so one ambiguous item cannot chain two events together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol

from aqparat.model import Event, Lang, NamedEntity
from aqparat.pipeline import dedup, facts, identity
from aqparat.pipeline.dedup import DedupOptions

How = Literal["version", "exact", "near", "short", "facts", "new"]


@dataclass(frozen=True, slots=True)
class Report:
    """An item as story assignment sees it (stored or about to be)."""

    item_id: int
    source_id: int
    external_id: str
    lang: Lang
    title: str
    body_text: str
    published_at: dt.datetime
    events: tuple[Event, ...] = ()
    fresh: bool = False  # stored in this very transaction: never filed, in no story yet
    # The names in its title and sentences (pipeline/extraction.entities) when already found;
    # None: looked for again. (They are also the names of its facts' text when none of its
    # sentences is boilerplate.)
    named: tuple[NamedEntity, ...] | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """What verifying a candidate needs of an item; stored beside it."""

    fingerprint: str
    signature: bytes | None  # None: no content terms at all
    terms: int  # content terms once boilerplate is cut
    title_terms: frozenset[str]
    event: str | None  # dedup.event_key
    numbers: frozenset[str]

    def short(self, options: DedupOptions) -> bool:
        return self.terms < options.short_terms


@dataclass(frozen=True, slots=True)
class Keys:
    """What the index files an item under."""

    bands: tuple[int, ...]  # MinHash bands, plus the event key of a short item
    facts: tuple[int, ...]
    units: tuple[int, ...]  # its sentences, for its source's boilerplate counts


@dataclass(frozen=True, slots=True)
class Member:
    """An earlier item the index found, with its story."""

    item_id: int
    story_id: int
    duplicate_of: int | None
    published_at: dt.datetime
    profile: Profile

    @property
    def text_root(self) -> int:
        """The earliest item with this member's text."""
        return self.duplicate_of or self.item_id


class Shared(NamedTuple):
    """One fact posting found in the window: the filed item `item_id` states `fact`. (A named
    tuple: an item's facts find a few hundred, and a frozen dataclass costs more to make than
    the query that found them.)"""

    fact: int
    item_id: int


@dataclass(frozen=True, slots=True)
class Assignment:
    story_id: int | None  # None: start a story
    duplicate_of: int | None
    how: How


class Index(Protocol):
    def publication(self, report: Report) -> int | None:
        """The story of another language version of the same publication."""

    def boilerplate(self, source_id: int, units: Sequence[int], at_least: int) -> set[int]:
        """Which of `units` the source used in at least `at_least` earlier items."""

    def same_text(self, fingerprint: str, item_id: int) -> list[Member]:
        """Earlier items with this text fingerprint; the earliest of them is enough."""

    def near(self, bands: Sequence[int], item_id: int) -> list[Member]: ...

    def members(self, item_ids: Sequence[int]) -> dict[int, Member]: ...

    def sharing(self, fact_keys: Sequence[int], since: dt.datetime, until: dt.datetime,
                item_id: int, limit: int) -> list[Shared]:
        """Up to `limit` postings of each fact in the window, earliest first."""

    def file(self, report: Report, profile: Profile, keys: Keys,
             assignment: Assignment) -> int:
        """Store the item's profile, keys and story (creating it); return the story id."""


def event_band(event: str) -> int:
    """The band key a short item is also filed under: the event it announces."""
    return facts.key_hash(f"event:{event}")


def describe(report: Report, boilerplate: set[int],
             options: DedupOptions) -> tuple[Profile, Keys, list[dedup.Unit]]:
    """The item's profile and keys, its source's boilerplate sentences left out."""
    return _describe(report.title, report.body_text, report.lang, report.published_at,
                     report.events, boilerplate, options, report.named)


def _describe(title: str, body_text: str, lang: Lang, published_at: dt.datetime,
              events: Sequence[Event], boilerplate: set[int], options: DedupOptions,
              named: Sequence[NamedEntity] | None = None,
              ) -> tuple[Profile, Keys, list[dedup.Unit]]:
    units = dedup.units(body_text)
    kept = dedup.kept_text(units, boilerplate)
    terms = dedup.shingles_terms(kept, lang)
    shingles = dedup.shingles(terms)
    sig = dedup.signature(shingles, options) if shingles else None
    # The item's names were found in its title and all its sentences: with a sentence cut,
    # the text differs, and so may they.
    whole = not any(u.key in boilerplate for u in units)
    found = facts.extract(facts.text_of(title, kept), lang, published_at.date(),
                          named if whole else None)
    profile = Profile(identity.text_fingerprint(title, body_text), sig, len(terms),
                      dedup.title_terms(title, lang), dedup.event_key(events), found.numbers)
    bands = dedup.bands(sig, options) if sig else []
    if profile.event and profile.short(options):
        bands.append(event_band(profile.event))
    keys = Keys(tuple(bands), tuple(sorted(facts.key_hash(k) for k in found.keys)),
                tuple(dict.fromkeys(u.key for u in units)))
    return profile, keys, units


@dataclass(frozen=True, slots=True)
class Description:
    """`describe`'s answer for an item none of whose sentences is boilerplate, worked out
    before the item reaches the store (pipeline/run.py stage 7, in backfill's pool workers),
    so filing it only reads and writes the index. With boilerplate, or other options, `assign`
    describes the item again."""

    options: DedupOptions
    profile: Profile
    keys: Keys


def prepare(title: str, body_text: str, lang: Lang, published_at: dt.datetime,
            events: Sequence[Event], options: DedupOptions,
            named: Sequence[NamedEntity] | None = None) -> Description:
    profile, keys, _ = _describe(title, body_text, lang, published_at, events, set(), options,
                                 named)
    return Description(options, profile, keys)


def _numbers_agree(a: Profile, b: Profile, options: DedupOptions) -> bool:
    agreement = facts.agreement(a.numbers, b.numbers)
    return agreement is None or agreement >= options.numbers


def near_score(p: Profile, m: Profile, options: DedupOptions) -> float:
    """The signature's Jaccard estimate when it makes `p` and `m` near duplicates, else 0."""
    if p.signature is None or m.signature is None or not _numbers_agree(p, m, options):
        return 0.0
    score = dedup.similarity(p.signature, m.signature)
    bar = options.short_near if p.short(options) or m.short(options) else options.near
    return score if score >= bar else 0.0


def same_announcement(p: Profile, m: Profile, options: DedupOptions) -> bool:
    """Two items, one of them short, announcing one event under look-alike titles."""
    if not (p.short(options) or m.short(options)) or p.event is None or p.event != m.event:
        return False
    return dedup.jaccard(p.title_terms, m.title_terms) >= options.title


def _earliest(members: Iterable[Member]) -> Member | None:
    return min(members, key=lambda m: (m.published_at, m.item_id), default=None)


def _near(index: Index, report: Report, profile: Profile, keys: Keys,
          options: DedupOptions) -> Assignment | None:
    found = index.near(keys.bands, report.item_id)
    scored = [(near_score(profile, m.profile, options), m) for m in found]
    best = max(scored, key=lambda s: (s[0], -s[1].published_at.timestamp()), default=None)
    if best is not None and best[0] > 0:
        return Assignment(best[1].story_id, best[1].text_root, "near")
    short = _earliest(m for m in found if same_announcement(profile, m.profile, options))
    return Assignment(short.story_id, short.text_root, "short") if short else None


def by_facts(shared: Sequence[Shared], options: DedupOptions) -> list[int]:
    """Items sharing at least `story_facts` facts that are not too common, most first."""
    reach = Counter(s.fact for s in shared)
    counts = Counter(s.item_id for s in shared if reach[s.fact] <= options.common_fact)
    found = [(n, item_id) for item_id, n in counts.items() if n >= options.story_facts]
    return [item_id for _, item_id in sorted(found, reverse=True)]


def other_event(p: Profile, m: Profile) -> bool:
    """Both announce an event, on different days."""
    return bool(p.event and m.event and p.event[:10] != m.event[:10])


def _facts(index: Index, report: Report, profile: Profile, keys: Keys,
           options: DedupOptions) -> Assignment | None:
    if not keys.facts:
        return None
    window = dt.timedelta(days=options.story_days)
    shared = index.sharing(keys.facts, report.published_at - window,
                           report.published_at + window, report.item_id,
                           limit=options.common_fact + 1)  # one more: "too common" shows
    ranked = by_facts(shared, options)
    found = index.members(ranked)
    best = next((found[i] for i in ranked
                 if i in found and not other_event(profile, found[i].profile)), None)
    return Assignment(best.story_id, None, "facts") if best is not None else None


def decide(index: Index, report: Report, profile: Profile, keys: Keys,
           options: DedupOptions) -> Assignment:
    story_id = index.publication(report)
    if story_id is not None:
        return Assignment(story_id, None, "version")
    same = _earliest(index.same_text(profile.fingerprint, report.item_id))
    if same is not None:
        return Assignment(same.story_id, same.text_root, "exact")
    return (_near(index, report, profile, keys, options)
            or _facts(index, report, profile, keys, options)
            or Assignment(None, None, "new"))


def assign(index: Index, report: Report, options: DedupOptions,
           prepared: Description | None = None) -> tuple[int, Assignment]:
    """File `report` in its story (see the module docstring); the story id and why.
    `prepared`: its description without boilerplate, if that was worked out ahead."""
    if prepared is not None and prepared.options != options:
        prepared = None
    units = (prepared.keys.units if prepared is not None
             else [u.key for u in dedup.units(report.body_text)])
    boilerplate = index.boilerplate(report.source_id, units, options.boilerplate)
    if prepared is not None and not boilerplate:
        profile, keys = prepared.profile, prepared.keys
    else:
        profile, keys, _ = describe(report, boilerplate, options)
    found = decide(index, report, profile, keys, options)
    return index.file(report, profile, keys, found), found


# ── the story's face: which report stands for it ─────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Line:
    """A story member as the choice of representative sees it."""

    item_id: int
    lang: str
    published_at: dt.datetime


def representative(members: Iterable[Line]) -> Line | None:
    """The earliest report (then the lowest id): the original is published first, re-posts
    follow; and the choice never changes as later reports arrive, so a story's teaser and
    links stay put while it grows."""
    return min(members, key=lambda m: (m.published_at, m.item_id), default=None)


def leads(members: Iterable[Line]) -> set[int]:
    """The representative of each language: what that edition's lists show."""
    by_lang: dict[str, list[Line]] = {}
    for m in members:
        by_lang.setdefault(m.lang, []).append(m)
    return {rep.item_id for group in by_lang.values() if (rep := representative(group))}

"""The values that flow between stages: sources → RawItem → pipeline → Article → store → web.

Each is a frozen dataclass so a stage can be tested alone and replayed from stored input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # a value the pipeline makes for the store; the model needs only its name
    from aqparat.pipeline.stories import Description

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")

SourceKind = Literal["govkz", "feed", "page", "dump"]
BodyFormat = Literal["text", "html"]
RubricOrigin = Literal["source", "rule", "entity", "lexicon", "model", "editor"]


@dataclass(frozen=True, slots=True)
class RawItem:
    """One item exactly as a source gave it, mapped onto our field vocabulary."""

    source_kind: SourceKind
    source_key: str  # gov.kz entity slug, feed URL, or the portal a dump came from
    external_id: str | None  # the source's own id (gov.kz news id); None when it has none
    title: str
    body: str  # text or HTML, as given
    body_format: BodyFormat
    published: dt.date | dt.datetime  # a date alone when the source gave no time
    source_url: str | None
    declared_lang: Lang | None  # what the source claims; the text may disagree
    rubric_labels: tuple[str, ...] = ()  # rubric names as the source printed them
    origin: str = ""  # where it was read, for messages: "seed.txt:5"
    base_url: str | None = None  # what relative links in an HTML body resolve against
    image_url: str | None = None  # the item's picture, absolute (gov.kz `heropic`)
    published_raw: str | None = None  # the date exactly as the source wrote it


@dataclass(frozen=True, slots=True)
class RubricLabel:
    slug: str
    score: float
    origin: RubricOrigin
    reason: str = ""


EntityKind = Literal["person", "body", "place"]


@dataclass(frozen=True, slots=True)
class Event:
    """An event the article announces (text/events.py), in the store's terms."""

    starts_at: dt.datetime  # aware; local midnight when the text gave no time
    ends_at: dt.datetime | None  # None: the text gave no end
    all_day: bool  # the text gave a day, not a time
    place: str | None
    city: str | None  # gazetteer key (data/gazetteer.toml), e.g. "kokshetau"
    span: tuple[int, int]  # where body_text announces it
    text: str  # body_text[span[0]:span[1]]


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """A person, state body or place the article names (text/entities.py), once per item."""

    kind: EntityKind
    name: str  # canonical (nominative) form: what a search for it is made of
    role: str | None = None  # a person's role as written ("вице-министрі")
    key: str | None = None  # gazetteer key when the name is a known body or place
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Prepared:
    """Pure work the store would otherwise do while it holds the transaction, done by the
    pipeline instead when asked (pipeline/run.py stage 7: backfill's pool workers), so storing
    an item mostly writes. Derived from the article alone; the store uses it when it applies
    and works it out itself when it is missing."""

    # The title's, lead's and body's search index terms, each field's space-separated (terms
    # are letters and digits: text/stem.clean): one string pickles far faster than hundreds.
    search_terms: tuple[str, ...]
    story: Description  # the item's story description, boilerplate aside (pipeline/stories.py)


@dataclass(frozen=True, slots=True)
class Article:
    """One language version of one publication, cleaned and ready to store."""

    source_kind: SourceKind
    source_key: str
    external_id: str
    lang: Lang
    title: str
    lead: str
    body_html: str  # sanitized
    body_text: str  # paragraphs separated by one blank line
    published_at: dt.datetime  # aware
    date_only: bool
    source_url: str | None
    original_lang: Lang | None  # the language the source says the original is in
    content_hash: str
    rubrics: tuple[RubricLabel, ...] = field(default=())
    image_url: str | None = None
    published_raw: str | None = None
    events: tuple[Event, ...] = ()
    entities: tuple[NamedEntity, ...] = ()
    prepared: Prepared | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a pipeline stage decided: an article kept, or dropped with a reason."""

    article: Article | None
    reason: str = ""

    @property
    def kept(self) -> bool:
        return self.article is not None

    @classmethod
    def keep(cls, article: Article) -> Outcome:
        return cls(article)

    @classmethod
    def drop(cls, reason: str) -> Outcome:
        return cls(None, reason)

"""The values that flow between stages: sources → RawItem → pipeline → Article → store → web.

Each is a frozen dataclass so a stage can be tested alone and replayed from stored input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class RubricLabel:
    slug: str
    score: float
    origin: RubricOrigin
    reason: str = ""


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

"""RawItem → Article through numbered stages; each returns an Outcome (kept, or dropped + why).

1. text      normalize (text/chars.py), drop the repeated title; text bodies: recover
             paragraphs (text/paragraphs.py), then HTML; HTML bodies: sanitize, paragraphs
             from the markup's blocks, glue inside each recovered (pipeline/body.py);
             tool residue removed, ALL-CAPS titles in sentence case; an item with no
             text and no picture is held back (dropped, said why) — one with pictures or
             video only is kept and shown with a link to the original (article.html)
2. language  from the text itself; the source's declared language only breaks ties (and
             when it named the wrong one, stage 1 runs again for the right one's quotes)
3. time      a date alone becomes local midnight, marked date-only; a date before 1931
             or more than two days ahead drops the item (pipeline/published.py)
4. identity  stable external id, content hash
5. rubrics   news for all, plus the topics the issuing entity and the text support
             (pipeline/rubrics.py); a printed rubric is only mentioned in the reason
6. mentions  announced events and named entities (pipeline/extraction.py)
7. ahead     with `prepare`, what the store would otherwise work out while holding its
             transaction: the search index's terms and the story description
             (model.Prepared); the story itself is chosen when the item is saved
             (store/stories.file): it needs the store
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aqparat.model import Article, Event, Lang, NamedEntity, Outcome, Prepared, RawItem
from aqparat.pipeline import body, extraction, identity, published, rubrics, stories
from aqparat.pipeline.dedup import DedupOptions
from aqparat.text import lang, normalize, stem

log = logging.getLogger(__name__)


ALMATY = ZoneInfo("Asia/Almaty")  # gov.kz dates are Almaty wall time


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    rubric_aliases: Mapping[str, str]
    timezone: ZoneInfo = ALMATY
    lead_chars: int = 220
    classifier: rubrics.Classifier | None = None  # None: the bundled rubric set
    # Stage 3 refuses dates further ahead than this (pipeline/published.py); `clock` says when
    # "now" is (tests pass a fixed one).
    max_ahead: dt.timedelta = dt.timedelta(days=2)
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    # The story is chosen when the item is saved (store/stories.file): it needs the store.
    stories: DedupOptions = field(default_factory=DedupOptions)
    # Stage 7 pays off where another process stores the item (a backfill's pool workers: the
    # store is its serial part); a crawl, or one process, stores the article itself, and an
    # item the store finds unchanged needs none of it.
    prepare: bool = False


def _published_at(raw: RawItem, tz: ZoneInfo) -> tuple[dt.datetime, bool]:
    if isinstance(raw.published, dt.datetime):
        value = raw.published
        return (value if value.tzinfo else value.replace(tzinfo=tz)), False
    return dt.datetime.combine(raw.published, dt.time(), tzinfo=tz), True


def _text(raw: RawItem, hint: Lang | None) -> tuple[str, body.Body]:
    title = body.clean_title(raw.title, hint)
    return title, body.clean_body(title, raw, hint)


def process(raw: RawItem, options: PipelineOptions) -> Outcome:
    published_at, date_only = _published_at(raw, options.timezone)
    unusable = published.problem(published_at, options.clock(), options.max_ahead)
    if unusable:  # before any text work: the cheapest drop first
        return Outcome.drop(f"{raw.origin}: {unusable}")
    title, text = _text(raw, raw.declared_lang)
    if not title:
        return Outcome.drop(f"{raw.origin}: empty title")
    if not text.paragraphs and not body.has_media(text, raw.image_url):
        # research/anchor-site.md §3.1: the portal we replace printed such items as a title
        # and a Source line. We hold them back until gov.kz gives them a text or a picture.
        return Outcome.drop(f"{raw.origin}: empty body: no text, picture or video to show")
    language = lang.detect(f"{title}\n{text.text}", raw.declared_lang)
    if body.style_differs(raw.declared_lang, language):
        title, text = _text(raw, language)
    paragraphs, body_html, body_text = list(text.paragraphs), text.html, text.text
    labels = (options.classifier or rubrics.default_classifier()).classify(rubrics.ItemText(
        title, body_text, language, raw.source_kind, raw.source_key, raw.rubric_labels))
    unknown = [p for p in raw.rubric_labels if p.strip().casefold() not in options.rubric_aliases]
    if unknown:
        log.warning("pipeline: %s: unknown rubric(s) %s kept as news only; add them to "
                    "data/rubrics.toml aliases", raw.origin, ", ".join(map(repr, unknown)))
    lead = normalize.first_sentences(paragraphs, options.lead_chars)
    events = extraction.events(body_text, language, published_at, options.timezone)
    named = extraction.entities(title, body_text, language)
    return Outcome.keep(Article(
        source_kind=raw.source_kind,
        source_key=raw.source_key,
        external_id=identity.external_id(raw),
        lang=language,
        title=title,
        lead=lead,
        body_html=body_html,
        body_text=body_text,
        published_at=published_at,
        date_only=date_only,
        source_url=raw.source_url,
        original_lang=raw.declared_lang,
        content_hash=identity.content_hash(title, body_text, published_at),
        rubrics=labels,
        image_url=raw.image_url,
        published_raw=raw.published_raw,
        events=events,
        entities=named,
        prepared=(ahead(title, lead, body_text, language, published_at, events, named,
                        options.stories) if options.prepare else None),
    ))


def ahead(title: str, lead: str, body_text: str, language: Lang, published_at: dt.datetime,
          events: tuple[Event, ...], named: tuple[NamedEntity, ...],
          dedup: DedupOptions) -> Prepared:
    """Stage 7: the store's pure work on the item, done here (model.Prepared)."""
    terms = tuple(" ".join(stem.index_terms(text, language)) for text in (title, lead, body_text))
    return Prepared(terms, stories.prepare(title, body_text, language, published_at, events,
                                           dedup, named))

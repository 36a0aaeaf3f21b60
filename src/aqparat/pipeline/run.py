"""RawItem → Article through numbered stages; each returns an Outcome (kept, or dropped + why).

1. text      normalize (text/chars.py), drop the repeated title; text bodies: recover
             paragraphs (text/paragraphs.py), then HTML; HTML bodies: sanitize, paragraphs
             from the markup's blocks, glue inside each recovered (pipeline/body.py)
2. language  from the text itself; the source's declared language only breaks ties (and
             when it named the wrong one, stage 1 runs again for the right one's quotes)
3. time      a date alone becomes local midnight, marked date-only
4. identity  stable external id, content hash
5. rubrics   news for all, plus the topics the issuing entity and the text support
             (pipeline/rubrics.py); a printed rubric is only mentioned in the reason
6. mentions  announced events and named entities (pipeline/extraction.py)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aqparat.model import Article, Lang, Outcome, RawItem
from aqparat.pipeline import body, extraction, identity, rubrics
from aqparat.text import lang, normalize

log = logging.getLogger(__name__)


ALMATY = ZoneInfo("Asia/Almaty")  # gov.kz dates are Almaty wall time


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    rubric_aliases: Mapping[str, str]
    timezone: ZoneInfo = ALMATY
    lead_chars: int = 220
    classifier: rubrics.Classifier | None = None  # None: the bundled rubric set


def _published_at(raw: RawItem, tz: ZoneInfo) -> tuple[dt.datetime, bool]:
    if isinstance(raw.published, dt.datetime):
        value = raw.published
        return (value if value.tzinfo else value.replace(tzinfo=tz)), False
    return dt.datetime.combine(raw.published, dt.time(), tzinfo=tz), True


def _text(raw: RawItem, hint: Lang | None) -> tuple[str, body.Body]:
    title = body.clean_title(raw.title, hint)
    return title, body.clean_body(title, raw, hint)


def process(raw: RawItem, options: PipelineOptions) -> Outcome:
    title, text = _text(raw, raw.declared_lang)
    if not title:
        return Outcome.drop(f"{raw.origin}: empty title")
    language = lang.detect(f"{title}\n{text.text}", raw.declared_lang)
    if body.style_differs(raw.declared_lang, language):
        title, text = _text(raw, language)
    paragraphs, body_html, body_text = list(text.paragraphs), text.html, text.text
    published_at, date_only = _published_at(raw, options.timezone)
    labels = (options.classifier or rubrics.default_classifier()).classify(rubrics.ItemText(
        title, body_text, language, raw.source_kind, raw.source_key, raw.rubric_labels))
    unknown = [p for p in raw.rubric_labels if p.strip().casefold() not in options.rubric_aliases]
    if unknown:
        log.warning("pipeline: %s: unknown rubric(s) %s kept as news only; add them to "
                    "data/rubrics.toml aliases", raw.origin, ", ".join(map(repr, unknown)))
    return Outcome.keep(Article(
        source_kind=raw.source_kind,
        source_key=raw.source_key,
        external_id=identity.external_id(raw),
        lang=language,
        title=title,
        lead=normalize.first_sentences(paragraphs, options.lead_chars),
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
        events=extraction.events(body_text, language, published_at, options.timezone),
        entities=extraction.entities(title, body_text, language),
    ))

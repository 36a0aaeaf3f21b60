"""RawItem → Article through numbered stages; each returns an Outcome (kept, or dropped + why).

1. text      normalize, drop the repeated title, recover paragraphs, sanitize to HTML
2. language  from the text itself; the source's declared language only breaks ties
3. time      a date alone becomes local midnight, marked date-only
4. identity  stable external id, content hash
5. rubrics   news for all, plus the rubrics the source printed
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aqparat.model import Article, Outcome, RawItem
from aqparat.pipeline import identity, rubrics
from aqparat.text import lang, normalize, sanitize

log = logging.getLogger(__name__)


ALMATY = ZoneInfo("Asia/Almaty")  # gov.kz dates are Almaty wall time


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    rubric_aliases: Mapping[str, str]
    timezone: ZoneInfo = ALMATY
    lead_chars: int = 220


def _published_at(raw: RawItem, tz: ZoneInfo) -> tuple[dt.datetime, bool]:
    if isinstance(raw.published, dt.datetime):
        value = raw.published
        return (value if value.tzinfo else value.replace(tzinfo=tz)), False
    return dt.datetime.combine(raw.published, dt.time(), tzinfo=tz), True


def process(raw: RawItem, options: PipelineOptions) -> Outcome:
    title = " ".join(normalize.normalize(raw.title).split())
    if not title:
        return Outcome.drop(f"{raw.origin}: empty title")
    paragraphs = normalize.clean_paragraphs(title, raw.body)
    body_text = "\n\n".join(paragraphs)
    language = lang.detect(f"{title}\n{body_text}", raw.declared_lang)
    published_at, date_only = _published_at(raw, options.timezone)
    labels, unknown = rubrics.assign(raw, options.rubric_aliases)
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
        body_html=sanitize.paragraphs_to_html(paragraphs),
        body_text=body_text,
        published_at=published_at,
        date_only=date_only,
        source_url=raw.source_url,
        original_lang=raw.declared_lang,
        content_hash=identity.content_hash(title, body_text, published_at),
        rubrics=labels,
    ))

"""Jinja2 (autoescape on) with the filters every page shares: dates, numbers, safe HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from aqparat import data
from aqparat.model import LANGS, Lang
from aqparat.store.articles import ItemSummary
from aqparat.text import dates, sanitize
from aqparat.web import i18n

LOCAL_TZ = ZoneInfo("Asia/Almaty")


def when(summary: ItemSummary, lang: Lang) -> str:
    """The publication date as the language writes it; with the time when the source gave one."""
    local = summary.published_at.astimezone(LOCAL_TZ)
    text = dates.format_date(local.date(), lang)
    return text if summary.date_only else f"{text}, {dates.format_time(local, lang)}"


def iso(value: dt.datetime) -> str:
    return value.astimezone(LOCAL_TZ).isoformat()


def is_web_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def switch_url(path: str, lang: Lang, other: str) -> str:
    """The same page in another interface language: swap the first path segment."""
    prefix = f"/{lang}/"
    return f"/{other}/{path[len(prefix):]}" if path.startswith(prefix) else f"/{other}/"


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aqparat.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=when,
        iso=iso,
        number=lambda value, lang: dates.format_number(value, lang),
        # Stored bodies were sanitized at ingest; cleaning again on the way out costs
        # microseconds and means a bad row can never reach a reader unescaped.
        sanitized=lambda html: Markup(sanitize.sanitize_html(html)),  # noqa: S704
    )
    env.tests["web_url"] = is_web_url
    env.globals.update(LANGS=LANGS, lang_name=i18n.lang_name)
    return env


class Renderer:
    def __init__(self) -> None:
        self.env = build_environment()

    def page(self, request: Request, template: str, lang: Lang, *, status: int = 200,
             **context: Any) -> HTMLResponse:
        names = {r.slug: r.names[lang] for r in data.rubrics()}
        html = self.env.get_template(template).render(
            lang=lang,
            _=i18n.Translator(lang),
            switch_url=lambda other: switch_url(request.url.path, lang, other),
            rubric_name=lambda slug: names.get(slug, slug),
            **context,
        )
        return HTMLResponse(html, status_code=status)

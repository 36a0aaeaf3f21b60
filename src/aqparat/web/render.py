"""Jinja2 (autoescape on) with the filters every page shares: dates, numbers, safe HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from aqparat.web import editions, i18n, static_assets, urls

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


def switch_url(path: str, tag: str, other: str) -> str:
    """The same page in another interface language: swap the first path segment (`tag`, the
    edition's: `kk`, `kk-Latn`…)."""
    prefix = f"/{tag}/"
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
        sanitized=lambda html: Markup(  # noqa: S704
            sanitize.sanitize_html(html, for_page=True)),
    )
    env.tests["web_url"] = is_web_url
    env.globals.update(LANGS=LANGS, lang_name=i18n.lang_name,
                       static_url=static_assets.bundled().url)  # site.css → site.<hash>.css
    return env


class Renderer:
    def __init__(self) -> None:
        self.env = build_environment()

    def page(self, request: Request, template: str, lang: Lang, *, status: int = 200,
             switch: Callable[[str], str] | None = None, text_lang: Lang | None = None,
             **context: Any) -> HTMLResponse:
        """`switch` gives the page's URL in another language, for pages outside /{lang}/.
        `text_lang` is the language of the page's own text (an article's), when not `lang`.

        A page under /kk-Latn/ or /kk-Arab/ is rendered as the Kazakh page, then rewritten
        into its script (web/editions.py)."""
        edition = page_edition(request.url.path, lang)
        names = {r.slug: r.names[lang] for r in data.rubrics()}
        html = self.env.get_template(template).render(
            lang=lang,
            edition=edition,
            scripts=editions.script_links(request.url.path, request.url.query),
            _=i18n.Translator(lang),
            switch_url=switch or (lambda other: switch_url(request.url.path, edition.tag, other)),
            rubric_name=lambda slug: names.get(slug, slug),
            site_url=urls.site_url(request),
            # Only a page that exists has feeds: an error page at a feed-shaped path has none.
            feeds=urls.feed_links(request.url.path) if status == 200 else [],
            **context,
        )
        if edition.script is not None:
            html = editions.transliterate_page(html, editions.Rewrite(
                edition, urls.site_url(request), main_text_kk=text_lang in (None, "kk")))
        return HTMLResponse(html, status_code=status)


def page_edition(path: str, lang: Lang) -> editions.Edition:
    """The edition a page at `path` is shown in: its path's, when that speaks `lang` (an error
    page under /kk-Arab/ is a Kazakh page in Arabic script); else plain `lang`."""
    found = editions.from_path(path)
    return found if found is not None and found.lang == lang else editions.Edition(lang)

"""Open Graph and schema.org `NewsArticle` metadata for an article page.

JSON-LD sits in a `<script>` element, where HTML escaping does not apply: the JSON is written
with `<`, `>` and `&` as `\\u003c`, `\\u003e`, `\\u0026`, so no title can close the element or
open a comment, and the JSON still decodes to the same strings.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from aqparat import data
from aqparat.model import Lang
from aqparat.store.articles import ArticleView
from aqparat.web import i18n
from aqparat.web.render import is_web_url, iso
from aqparat.web.urls import article_path

OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


def news_article(item: ArticleView, lang: Lang, site: str) -> dict[str, Any]:
    """The page's schema.org description; names in the page's language `lang`."""
    s = item.summary
    names = {r.slug: r.names[lang] for r in data.rubrics()}
    body: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": s.title, "inLanguage": s.lang, "datePublished": iso(s.published_at),
        "url": site + article_path(lang, s.id),
        "mainEntityOfPage": site + article_path(lang, s.id),
        "author": {"@type": "GovernmentOrganization", "name": s.source.name(s.lang)},
        "publisher": {"@type": "Organization", "name": i18n.catalogue(lang)["site_name"],
                      "url": f"{site}/"},
        "articleSection": [names.get(r.slug, r.slug) for r in item.rubrics],
    }
    if s.lead:
        body["description"] = s.lead
    if is_web_url(item.source_url):
        body["isBasedOn"] = item.source_url
    if is_web_url(item.image_url):
        body["image"] = [item.image_url]
    return body


def script_json(value: dict[str, Any]) -> Markup:
    text = json.dumps(value, ensure_ascii=False)
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(safe)  # noqa: S704  (escaped above for the script context, not for HTML)

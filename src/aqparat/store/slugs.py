"""Every source's slug: the one name its page and feeds go by (`/{lang}/source/{slug}`,
`/feeds/{lang}/source/{slug}/rss.xml`, the API's source list, the sitemap, OPML).

A gov.kz entity keeps its key (`mfa`, `akorda`): gov.kz's own name, and the URLs readers
already have. A feed or page source is keyed by its URL, which has slashes and changes when
the site moves (a 301 rewrites the key, crawl/web.py); so its slug is made once, from host and
path, when the row is inserted — `https://www.akorda.kz/rss` → `akorda-kz-rss` — and never
changes after: links and feed subscriptions outlive the move. A taken slug gets `-2`, `-3`, ….

The slug is the column's default (schema.py), so every insert gets one whichever module
makes it; migration 0009 gave the rows that existed before it theirs.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import ExecutionContext

MAX_LEN = 128  # the column's size
# A key that can be a slug as it is: a gov.kz entity, a portal's host name.
_AS_IS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # what a slug route accepts
# File endings that say nothing about the source: /rss.xml and /rss name the same feed.
_ENDINGS = (".xml", ".rss", ".rdf", ".atom", ".php", ".html", ".htm", ".aspx", ".asp", ".jsp")
_ROOM = 8  # characters kept free for a `-N` suffix


def base(key: str) -> str:
    """The slug a source with this key would like: the key itself when it can be one, else
    the URL's host (without `www.`), path and query as lower-case words joined by `-`."""
    if _AS_IS.fullmatch(key):
        return key
    parts = urlsplit(key)
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path)
    ending = next((e for e in _ENDINGS if path.lower().endswith(e)), "")
    path = path[: len(path) - len(ending)]
    words = re.findall(r"[a-z0-9]+", f"{host} {path} {unquote(parts.query)}".lower())
    slug = "-".join(words)[: MAX_LEN - _ROOM].strip("-")
    return slug or "source"


def pick(wanted: str, taken: Collection[str]) -> str:
    """`wanted`, or the first `wanted-N` (N ≥ 2) not in `taken`."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def unique(conn: sa.Connection, wanted: str) -> str:
    # Imported here: schema.py imports this module for the column default.
    from aqparat.store.schema import source

    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    taken = conn.execute(sa.select(source.c.slug).where(
        sa.or_(source.c.slug == wanted, source.c.slug.like(like, escape="\\")))).scalars()
    return pick(wanted, set(taken))


def column_default(context: ExecutionContext) -> str:
    """The slug of the row being inserted (schema.py's default for `source.slug`)."""
    key = str(context.get_current_parameters()["key"])  # type: ignore[attr-defined]
    return unique(context.connection, base(key))

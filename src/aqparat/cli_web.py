"""`aqparat sources add-feed | import-opml | export-opml`: feed and page sources in and out.

Settings become options in `cli_crawl.py`; these commands only add rows and print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import sqlalchemy as sa

from aqparat import __version__, data
from aqparat.cli_crawl import _settings, _store, fetch_limits, web_defs
from aqparat.errors import ParseError
from aqparat.fetch.client import FetchClient
from aqparat.model import LANGS, Lang
from aqparat.sourcefile import WebSourceDef
from aqparat.sources import encoding, feeds, links, opml, remote
from aqparat.store import sources, web_sources
from aqparat.text import lang as text_lang


def _names(title: str) -> dict[Lang, str]:
    """A title with no language given is filed under the language it is written in."""
    return {text_lang.detect(title): title} if title.strip() else {}


def discover(client: FetchClient, url: str) -> tuple[str, feeds.Feed]:
    """The feed at `url`, or the first one the page at `url` announces."""
    fetched = remote.get(client, url, what=f"feed {url}")
    try:
        return fetched.moved_to or url, feeds.parse_feed(fetched.body, fetched.url,
                                                         fetched.content_type)
    except ParseError:
        html = encoding.decode(fetched.body, fetched.content_type).text
        announced = links.feed_links(html, fetched.url)
        if not announced:
            raise
    found = announced[0].url
    fetched = remote.get(client, found, what=f"feed {found} (announced by {url})")
    return fetched.moved_to or found, feeds.parse_feed(fetched.body, fetched.url,
                                                       fetched.content_type)


@click.command("add-feed")
@click.argument("url")
@click.option("--type", "entity_type", type=click.Choice(sorted(data.ENTITY_TYPES)))
@click.option("--name-kk")
@click.option("--name-ru")
@click.option("--name-en")
@click.option("--disabled", is_flag=True, help="Add it without collecting it yet.")
@click.pass_context
def add_feed(click_ctx: click.Context, url: str, entity_type: str | None, name_kk: str | None,
             name_ru: str | None, name_en: str | None, disabled: bool) -> None:
    """Add an RSS/Atom feed, or the feed a site's page announces (<link rel="alternate">)."""
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="URL")
    settings = _settings(click_ctx)
    with FetchClient(fetch_limits(settings)) as client:
        feed_url, feed = discover(client, url)
    given: dict[Lang, str | None] = {"kk": name_kk, "ru": name_ru, "en": name_en}
    names = {lang: name for lang, name in given.items() if name} or _names(feed.title)
    engine = _store(click_ctx)
    with engine.begin() as conn:
        added = web_sources.add(conn, WebSourceDef("feed", feed_url, names, entity_type,
                                                   enabled=not disabled), "operator")
    engine.dispose()
    if added is None:
        raise click.ClickException(f"sources: the feed {feed_url} is already known")
    via = f" (announced by {url})" if feed_url != url else ""
    click.echo(f"sources: added feed {feed_url}{via}: {feed.title or 'untitled'}, "
               f"{len(feed.entries)} item(s) now")


@click.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_opml(click_ctx: click.Context, path: Path) -> None:
    """Add the feeds (and page sources) of an OPML file."""
    found = opml.read(path.read_bytes(), str(path))
    configured = {d.url for d in web_defs(_settings(click_ctx)) if d.pattern is not None}
    engine = _store(click_ctx)
    added = 0
    with engine.begin() as conn:
        for source in found:
            added += _import_one(conn, source, source.url in configured)
    engine.dispose()
    click.echo(f"sources: {path}: {len(found)} source(s), {added} added, "
               f"{len(found) - added} already known")


def _import_one(conn: sa.Connection, source: opml.OpmlSource, configured: bool) -> int:
    # A page source needs its pattern in the sources file (configuration, not the store):
    # one that is not there yet is added disabled, with the lines to paste.
    enabled = source.kind == "feed" or configured
    added = web_sources.add(conn, WebSourceDef(source.kind, source.url, _names(source.title),
                                               enabled=enabled), "opml")
    if added is not None and source.slug:  # keep its page's name, unless taken here
        web_sources.set_slug(conn, added, source.slug)
    if added is not None and not enabled:
        click.echo(f"sources: page source {source.url} added disabled; add to the sources "
                   f"file, then enable it:\n[[page]]\nurl = {source.url!r}\n"
                   f"pattern = {source.pattern!r}", err=True)
    return int(added is not None)


@click.command("export-opml")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@click.pass_context
def export_opml(click_ctx: click.Context, output: Path | None) -> None:
    """Every feed and page source as OPML 2.0."""
    patterns = {d.url: d.pattern.pattern for d in web_defs(_settings(click_ctx)) if d.pattern}
    engine = _store(click_ctx)
    with engine.connect() as conn:
        states = web_sources.states(conn)
    engine.dispose()
    items = [opml.OpmlSource("feed" if s.row.kind == "feed" else "page", s.key,
                             _title(s.row), patterns.get(s.key), s.row.slug) for s in states]
    document = opml.write(items, title=f"aqparat {__version__} sources",
                          created=dt.datetime.now(dt.UTC))
    if output is None:
        click.echo(document.decode("utf-8"), nl=False)
    else:
        output.write_bytes(document)
        click.echo(f"sources: {len(items)} source(s) written to {output}", err=True)


def _title(row: sources.SourceRow) -> str:
    return next((row.names[lang] for lang in LANGS if row.names.get(lang)), "") or ""


def register(group: click.Group) -> None:
    for command in (add_feed, import_opml, export_opml):
        group.add_command(command)

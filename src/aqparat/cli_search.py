"""`aqparat search "…"` and `aqparat db reindex`: the search index from the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from aqparat.config import Settings
from aqparat.model import LANGS
from aqparat.store import db, search
from aqparat.store.fts import index
from aqparat.web.render import LOCAL_TZ

console = Console(stderr=True)


def _filters(options: dict[str, str | None]) -> search.Filters:
    from aqparat.web.errors import BadParameter
    from aqparat.web.pages.search import read_form  # the API's parser: same rules, messages

    try:
        form = read_form({k: v for k, v in options.items() if v}, lang="lang", since="since",
                         until="until")
    except BadParameter as exc:
        raise click.UsageError(f"--{exc.detail}") from exc
    return form.filters


def _table(results: search.Results) -> Table:
    table = Table(title=f"{results.total}{'+' if results.capped else ''} result(s)")
    for col in ("#", "id", "published", "lang", "title", "source"):
        table.add_column(col, justify="right" if col in {"#", "id"} else "left")
    for n, hit in enumerate(results.hits, 1):
        s = hit.record.summary
        table.add_row(str(n), str(s.id), f"{s.published_at.astimezone(LOCAL_TZ):%Y-%m-%d}",
                      s.lang, ("★ " if hit.in_title else "") + s.title, s.source.name(s.lang))
    return table


def _json(results: search.Results) -> str:
    return json.dumps({"total": results.total, "capped": results.capped, "hits": [
        {"id": h.record.summary.id, "title": h.record.summary.title, "lang": h.record.summary.lang,
         "score": round(h.score, 6), "in_title": h.in_title} for h in results.hits]},
        ensure_ascii=False, indent=2)


def search_cmd(settings: Settings, words: tuple[str, ...], sort: search.Sort, limit: int,
               as_json: bool, **options: str | None) -> None:
    """Search the store as the site does: WORDS, "a phrase" in quotes, -word to leave out."""
    engine = db.open_store(settings.database_url, migrate=False)
    try:
        with engine.connect() as conn:
            results = search.search(conn, " ".join(words), _filters(options), sort=sort,
                                    limit=limit)
    finally:
        engine.dispose()
    if as_json:
        click.echo(_json(results))
    elif results.query.empty:
        console.print("search: nothing to look for (only exclusions, punctuation or nothing)")
        sys.exit(1)
    else:
        Console().print(_table(results))


def reindex_cmd(settings: Settings) -> None:
    """Rebuild the search index from scratch, in one transaction (readers keep the old one)."""
    engine = db.open_store(settings.database_url, migrate=False)
    try:
        with engine.begin() as conn, Progress(
                TextColumn("reindex"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console) as bar:
            task = bar.add_task("items", total=index.count_shown(conn))
            done = index.rebuild(conn, progress=lambda n: bar.advance(task, n))
    finally:
        engine.dispose()
    console.print(f"search: {done} item(s) indexed")


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(LANGS), help="Only items written in this language.")
@click.option("--rubric", help="Only items in this rubric (slug).")
@click.option("--source", help="Only items from this source (id, as in /api/v1/sources).")
@click.option("--since", help="Published at or after: RFC 3339 date or date-time.")
@click.option("--until", help="Published before; a date alone includes that whole day.")
@click.option("--sort", type=click.Choice(search.SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, search.CAP), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def search_command(obj: Any, /, words: tuple[str, ...], sort: search.Sort, limit: int,
                   as_json: bool, **options: str | None) -> None:
    """Search the store as the site does: WORDS, "a phrase" in quotes, -word to leave out."""
    search_cmd(obj.settings, words, sort, limit, as_json, **options)


@click.command("reindex")
@click.pass_obj
def reindex_command(obj: Any) -> None:
    """Rebuild the search index from scratch, with a progress bar."""
    reindex_cmd(obj.settings)


def register(cli: click.Group, db_group: click.Group) -> None:
    cli.add_command(search_command)
    db_group.add_command(reindex_command)

"""The `aqparat` command. Settings are read here, once, and passed down."""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from aqparat import (
    __version__,
    cli_backfill,
    cli_crawl,
    cli_maintenance,
    cli_ops,
    cli_search,
    cli_stories,
    cli_web,
    cli_worker,
    config,
    data,
    export,
)
from aqparat.errors import AqparatError
from aqparat.ingest import ImportReport, default_options, import_dumps
from aqparat.log import setup_logging
from aqparat.model import LANGS
from aqparat.pipeline.run import PipelineOptions
from aqparat.store import db

console = Console(stderr=True)


class Context:
    def __init__(self, settings: config.Settings) -> None:
        self.settings = settings


pass_ctx = click.make_pass_decorator(Context)


class AqparatGroup(click.Group):
    """Typed errors carry a message a user can act on: print it, exit 1, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AqparatError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=AqparatGroup)
@click.version_option(__version__, prog_name="aqparat")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML settings file (default: ./aqparat.toml, or $AQPARAT_CONFIG).")
@click.option("--database-url", help="Override AQPARAT_DATABASE_URL for this command.")
@click.pass_context
def cli(click_ctx: click.Context, config_file: Path | None, database_url: str | None) -> None:
    """aqparat: state-body news collected, cleaned and published in kk, ru and en."""
    try:
        settings = config.load(config_file, database_url=database_url)
    except AqparatError as exc:
        raise click.ClickException(str(exc)) from exc
    setup_logging(settings.log_level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration is noise
    click_ctx.obj = Context(settings)


def main() -> None:
    cli()


# ── import ──────────────────────────────────────────────────────────────────────────────────


def _report_table(reports: list[ImportReport]) -> Table:
    table = Table(title="import")
    for col in ("file", "new", "updated", "unchanged", "result"):
        table.add_column(col, justify="right" if col in {"new", "updated", "unchanged"} else "left")
    for r in reports:
        c = r.counts
        table.add_row(r.target, str(c["new"]), str(c["updated"]), str(c["unchanged"]),
                      "ok" if r.ok else "[red]failed[/red]")
    return table


@cli.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--portal", help="Portal the dumps came from (items without a source line).")
@pass_ctx
def import_cmd(ctx: Context, paths: tuple[Path, ...], portal: str | None) -> None:
    """Import portal page dumps (text copied from a portal's pages). One transaction per file."""
    engine = db.open_store(ctx.settings.database_url, migrate=True)
    reports = import_dumps(engine, paths, portal=portal or ctx.settings.portal,
                           options=_pipeline_options(ctx.settings))
    console.print(_report_table(reports))
    for r in reports:
        if r.error:
            console.print(f"[red]error:[/red] {r.error}")
    if not all(r.ok for r in reports):
        sys.exit(1)


def _pipeline_options(settings: config.Settings) -> PipelineOptions:
    """Pipeline options from settings: the dedup thresholds (DedupOptions) among them."""
    return dataclasses.replace(default_options(), stories=cli_stories.dedup_options(settings))


# ── serve / demo ────────────────────────────────────────────────────────────────────────────


def _serve(settings: config.Settings) -> None:
    db.open_store(settings.database_url, migrate=False)  # fail here, clearly, not in a worker
    # Workers are fresh processes: they read the same settings from the environment, every
    # one of them, so a value from aqparat.toml or a flag reaches them too.
    for setting in config.SETTINGS:
        os.environ[setting.env] = str(getattr(settings, setting.name))
    # One signing key for every worker, or a session made by one would fail in the next.
    os.environ["AQPARAT_SECRET_KEY"] = settings.secret_key or secrets.token_urlsafe(32)
    console.print(f"aqparat: serving on [bold]http://{settings.host}:{settings.port}/[/bold]"
                  f" ({settings.workers} worker(s)); Ctrl+C stops")
    # The same process (pid, signals, terminal) goes on as web/server.py, without this
    # command's imports: granian's supervisor lives as long as the site (web/server.py).
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "aqparat.web.server"])  # noqa: S606


def _serve_options(f: Any) -> Any:
    f = click.option("--workers", type=click.IntRange(1, 64), help="Web worker processes.")(f)
    f = click.option("--port", type=click.IntRange(0, 65535), help="Port (default 8000).")(f)
    return click.option("--host", help="Address to listen on (default 127.0.0.1).")(f)


@cli.command()
@_serve_options
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the portal from the store (AQPARAT_DATABASE_URL)."""
    _serve(ctx.settings.replace(host=host, port=port, workers=workers))


@cli.command()
@_serve_options
@click.option("--database-url", "demo_url", help="Demo store (default: demo.db in the data dir).")
@pass_ctx
def demo(ctx: Context, host: str | None, port: int | None, workers: int | None,
         demo_url: str | None) -> None:
    """Load the bundled demo dumps into a demo store and serve it."""
    url = demo_url or f"sqlite:///{config.default_data_dir() / 'demo.db'}"
    settings = ctx.settings.replace(database_url=url, host=host, port=port, workers=workers)
    engine = db.open_store(url, migrate=True)
    reports = import_dumps(engine, sorted(data.DEMO_DIR.glob("*.txt")), portal=settings.portal,
                           options=_pipeline_options(settings))
    console.print(_report_table(reports))
    engine.dispose()
    _serve(settings)


# ── db ──────────────────────────────────────────────────────────────────────────────────────


@cli.group("db")
def db_group() -> None:
    """Schema maintenance (Alembic migrations, same for SQLite and PostgreSQL)."""


@db_group.command()
@pass_ctx
def upgrade(ctx: Context) -> None:
    """Create or upgrade the schema to the newest revision."""
    engine = db.open_store(ctx.settings.database_url, migrate=True)
    click.echo(f"store: at revision {db.current_revision(engine)}")


@db_group.command()
@click.argument("revision")
@pass_ctx
def downgrade(ctx: Context, revision: str) -> None:
    """Downgrade the schema to REVISION (`base` removes every table)."""
    db.downgrade(db.create_engine(ctx.settings.database_url), revision)


@db_group.command()
@pass_ctx
def current(ctx: Context) -> None:
    """Print the store's schema revision and the one this code needs."""
    engine = db.create_engine(ctx.settings.database_url)
    click.echo(f"store: {db.current_revision(engine) or 'empty'} (code needs {db.head_revision()})")


# ── export ──────────────────────────────────────────────────────────────────────────────────


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default="jsonl",
              show_default=True, help="parquet needs the `aqparat[parquet]` extra (pyarrow).")
@click.option("--output", "-o", default="-", show_default=True,
              type=click.Path(dir_okay=False, allow_dash=True), help="File to write; - is stdout.")
@click.option("--lang", type=click.Choice(LANGS), help="Only items written in this language.")
@click.option("--rubric", help="Only items in this rubric (slug).")
@click.option("--source", help="Only items from this source (id, as in /api/v1/sources).")
@click.option("--since", help="Published at or after: RFC 3339 date or date-time.")
@click.option("--until", help="Published before; a date alone includes that whole day.")
@pass_ctx
def export_cmd(ctx: Context, /, fmt: export.Format, output: str, **filters: str | None) -> None:
    """Export articles, newest first, each with its source URL and licence note."""
    from aqparat.web import query  # the API's own parser: same rules, same messages
    from aqparat.web.errors import BadParameter

    try:
        item_filter, _ = query.article_filter({k: v for k, v in filters.items() if v})
    except BadParameter as exc:
        raise click.UsageError(f"--{exc.detail}") from exc
    export.require(fmt)
    engine = db.open_store(ctx.settings.database_url, migrate=False)
    mode = "wb" if fmt == "parquet" else "w"
    with engine.connect() as conn, click.open_file(output, mode, atomic=output != "-") as out:
        count = export.write(conn, item_filter, fmt, out)
    console.print(f"export: {count} article(s) as {fmt} to {'stdout' if output == '-' else output}")


# ── config ──────────────────────────────────────────────────────────────────────────────────


@cli.group("config")
def config_group() -> None:
    """Settings."""


@config_group.command("show")
@pass_ctx
def config_show(ctx: Context) -> None:
    """Every setting as aqparat.toml would hold it, with its variable (secrets masked)."""
    for name, env, value, help_text in config.describe(ctx.settings):
        click.echo(f"# {help_text}\n# environment: {env}\n{name} = {value!r}\n")


# ── items / rubrics ─────────────────────────────────────────────────────────────────────────


@cli.group("items")
def items_group() -> None:
    """Editor actions on single items."""


@items_group.command("set-rubrics")
@click.argument("item_id", type=int)
@click.argument("slugs", nargs=-1, required=True)
@pass_ctx
def set_rubrics_cmd(ctx: Context, item_id: int, slugs: tuple[str, ...]) -> None:
    """Give item ITEM_ID exactly these rubrics (plus news); kept through re-collection and
    re-classification."""
    from aqparat import reclassify

    engine = db.open_store(ctx.settings.database_url, migrate=True)
    chosen = reclassify.set_rubrics(engine, item_id, slugs)
    click.echo(f"item {item_id}: {', '.join(label.slug for label in chosen)} (origin editor)")


@cli.group("rubrics")
def rubrics_group() -> None:
    """Rubric classification: explain an item's labels, re-label the whole store."""


@rubrics_group.command("explain")
@click.argument("item_id", type=int)
@pass_ctx
def explain_cmd(ctx: Context, item_id: int) -> None:
    """Print item ITEM_ID's rubrics with score, origin and reason."""
    from aqparat import reclassify

    labels = reclassify.explain(db.open_store(ctx.settings.database_url, migrate=False), item_id)
    if not labels:
        raise click.ClickException(f"store: item {item_id} has no rubrics (no such item?)")
    for label in labels:
        click.echo(f"{label.slug:<12} {label.score:5.3f}  {label.origin:<8} {label.reason}")


@rubrics_group.command("reclassify")
@pass_ctx
def reclassify_cmd(ctx: Context) -> None:
    """Re-label every item from data/rubrics.toml (editor-set items are left alone)."""
    from rich.progress import Progress

    from aqparat import reclassify

    engine = db.open_store(ctx.settings.database_url, migrate=True)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("reclassify", total=reclassify.count_reclassifiable(engine))
        report = reclassify.reclassify(engine, progress=lambda n: bar.advance(task, n))
    click.echo(f"rubrics: {report.items} item(s) classified, {report.changed} changed rubric")


# ── crawl, replay, sources: the gov.kz collector (cli_crawl.py) ─────────────────────────────

cli_crawl.register(cli)
cli_web.register(cli_crawl.sources_group)  # add-feed, import-opml, export-opml
cli_worker.register(cli)  # crawl workers sharing a store (crawl/worker.py)
cli_backfill.register(cli)  # replay / generate in batches with checkpoints (crawl/backfill.py)


# ── search, db reindex (cli_search.py) ──────────────────────────────────────────────────────

cli_search.register(cli, db_group)


# ── stories rebuild (cli_stories.py) ────────────────────────────────────────────────────────

cli_stories.register(cli)


# ── db check, backup, restore; operators (cli_ops.py) ───────────────────────────────────────

cli_ops.register(cli, db_group)


# ── db analyze, vacuum (cli_maintenance.py) ─────────────────────────────────────────────────

cli_maintenance.register(db_group)

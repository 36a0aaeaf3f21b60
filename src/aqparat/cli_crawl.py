"""`aqparat crawl`, `aqparat replay` and `aqparat sources`: the collector's commands.

Settings become the frozen option values the collector takes (FetchLimits, GovKzOptions,
CrawlOptions) here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from aqparat import __version__, data, sourcefile
from aqparat.cli_stories import dedup_options
from aqparat.config import Settings
from aqparat.crawl.passes import PassOptions
from aqparat.crawl.progress import RichProgress
from aqparat.crawl.replay import replay
from aqparat.crawl.run import Crawler, CrawlOptions, LogProgress, SourceReport, summary
from aqparat.crawl.web import WebCrawler, WebOptions, run_forever
from aqparat.crawl.worker import single_writer
from aqparat.errors import ConfigError
from aqparat.fetch.client import FetchClient, FetchLimits
from aqparat.fetch.schedule import ScheduleOptions
from aqparat.ingest import default_options
from aqparat.model import LANGS, Lang
from aqparat.pipeline.run import PipelineOptions
from aqparat.sourcefile import WebSourceDef
from aqparat.sources import govkz
from aqparat.sources.feeds import FULL_TEXT_MODES
from aqparat.sources.govkz_api import GovKzApi, GovKzOptions, parse_ticket_codes
from aqparat.store import cursors, db, sources, web_sources

console = Console(stderr=True)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


# ── settings → options ──────────────────────────────────────────────────────────────────────


def user_agent(settings: Settings) -> str:
    """Descriptive, with a way to reach us: gov.kz's operators should never have to guess."""
    host = urlsplit(settings.govkz_base_url).hostname or ""
    if settings.contact_url:
        return f"aqparat/{__version__} (+{settings.contact_url}; state-body news portal)"
    if host in LOOPBACK:
        return f"aqparat/{__version__} (loopback test run)"
    raise ConfigError("config: contact_url is empty; set it (AQPARAT_CONTACT_URL) to a URL or "
                      "mailto: where gov.kz operators can reach us before crawling "
                      f"{settings.govkz_base_url}")


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        user_agent=user_agent(settings), rate=settings.fetch_rate, jitter=settings.fetch_jitter,
        timeout=settings.fetch_timeout, deadline=settings.fetch_deadline,
        max_bytes=settings.fetch_max_bytes, retries=settings.fetch_retries,
        backoff=settings.fetch_backoff, backoff_max=settings.fetch_backoff_max)


def timezone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.govkz_timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"config: govkz_timezone {settings.govkz_timezone!r} is not a time "
                          f"zone name (like Asia/Almaty)") from exc


def langs(settings: Settings) -> tuple[Lang, ...]:
    wanted = [code.strip() for code in settings.govkz_langs.split(",") if code.strip()]
    chosen = tuple(lang for lang in LANGS if lang in wanted)
    if not chosen or len(chosen) != len(wanted):
        raise ConfigError(f"config: govkz_langs {settings.govkz_langs!r}: use kk, ru, en")
    return chosen


def govkz_options(settings: Settings) -> GovKzOptions:
    if not 1 <= settings.govkz_page_size <= 100:
        raise ConfigError("config: govkz_page_size must be from 1 to 100 (gov.kz's limit)")
    return GovKzOptions(
        base_url=settings.govkz_base_url.rstrip("/"),
        ticket_codes=parse_ticket_codes(settings.govkz_ticket_codes),
        hash_headers=settings.govkz_hash_headers, hash_salt=settings.govkz_hash_salt,
        page_size=settings.govkz_page_size, langs=langs(settings), timezone=timezone(settings),
        graphql=settings.govkz_graphql)


def crawl_options(settings: Settings) -> CrawlOptions:
    minutes = dt.timedelta(minutes=1)
    return CrawlOptions(
        passes=PassOptions(
            overlap=dt.timedelta(days=settings.crawl_overlap_days),
            rescan_window=dt.timedelta(days=settings.crawl_rescan_days),
            rescan_every=dt.timedelta(hours=settings.crawl_rescan_hours),
            max_pages=settings.govkz_max_pages),
        schedule=ScheduleOptions(
            intervals={"hot": settings.tier_hot_minutes * minutes,
                       "warm": settings.tier_warm_minutes * minutes,
                       "cold": settings.tier_cold_minutes * minutes},
            breaker_cooldown=settings.breaker_cooldown_minutes * minutes,
            breaker_failures=settings.breaker_failures),
        pipeline=pipeline_options(settings))


def web_defs(settings: Settings) -> list[WebSourceDef]:
    return sourcefile.load(Path(settings.sources_file))


def web_options(settings: Settings) -> WebOptions:
    mode = next((m for m in FULL_TEXT_MODES if m == settings.feed_full_text), None)
    if mode is None:
        raise ConfigError(f"config: feed_full_text {settings.feed_full_text!r}: use auto, "
                          f"always or never")
    return WebOptions(full_text=mode, summary_chars=settings.feed_summary_chars,
                      max_articles=settings.page_max_articles,
                      defs={d.url: d for d in web_defs(settings)},
                      sources_file=settings.sources_file)


def pipeline_options(settings: Settings) -> PipelineOptions:
    base = default_options()
    return PipelineOptions(rubric_aliases=base.rubric_aliases, timezone=timezone(settings),
                           stories=dedup_options(settings))


# ── commands ────────────────────────────────────────────────────────────────────────────────


def _settings(click_ctx: click.Context) -> Settings:
    settings: Settings = click_ctx.find_root().obj.settings
    return settings


@click.command()
@click.option("--once", is_flag=True, help="One run over the due sources, then exit.")
@click.option("--source", "keys", multiple=True, metavar="SLUG",
              help="Only these entities (repeatable); they are crawled now, due or not.")
@click.option("--force", is_flag=True, help="Crawl every enabled source now, due or not.")
@click.option("--rescan", is_flag=True, help="Re-read the re-scan window now (edits).")
@click.option("--kind", type=click.Choice(["all", "govkz", "web"]), default="all",
              show_default=True, help="gov.kz entities, feed and page sources, or both.")
@click.pass_context
def crawl(click_ctx: click.Context, once: bool, keys: tuple[str, ...], force: bool,
          rescan: bool, kind: str) -> None:
    """Collect gov.kz news, feeds and pages: every enabled source, politely, resumably."""
    settings = _settings(click_ctx)
    limits, options, web = fetch_limits(settings), crawl_options(settings), web_options(settings)
    engine = db.open_store(settings.database_url, migrate=True)
    try:
        with engine.begin() as conn:
            web_sources.sync_defs(conn, list(web.defs.values()))
        with single_writer(engine), FetchClient(limits) as client:  # SQLite: one crawler
            api = GovKzApi(client, govkz_options(settings))
            if sys.stderr.isatty():
                with RichProgress(console) as progress:
                    _crawl(Crawler(engine, api, options, progress=progress),
                           WebCrawler(engine, client, options, web, progress=progress),
                           once, keys or None, force, rescan, kind)
            else:
                _crawl(Crawler(engine, api, options, progress=LogProgress()),
                       WebCrawler(engine, client, options, web, progress=LogProgress()),
                       once, keys or None, force, rescan, kind)
    except KeyboardInterrupt:
        console.print("crawl: interrupted; the next run resumes at the last stored page")
    finally:
        engine.dispose()


def _crawl(crawler: Crawler, web: WebCrawler, once: bool, keys: tuple[str, ...] | None,
           force: bool, rescan: bool, kind: str = "all") -> None:
    govkz_too, web_too = kind in ("all", "govkz"), kind in ("all", "web")
    if not once:
        run_forever(crawler if govkz_too else None, web if web_too else None, keys)
        return
    # Naming sources is asking for them now: --source implies --force.
    reports = crawler.run_once(keys, force=force or bool(keys), rescan=rescan) if govkz_too \
        else []
    reports += web.run_once(keys, force=force or bool(keys)) if web_too else []
    _report(reports)
    if keys and len(reports) < len(keys):
        known = {r.key for r in reports}
        missing = ", ".join(k for k in keys if k not in known)
        raise click.ClickException(f"crawl: no enabled source {missing}; see `aqparat sources "
                                   f"list` and `aqparat sources enable`")
    if any(r.status != "ok" for r in reports):
        sys.exit(1)


def _report(reports: list[SourceReport]) -> None:
    total: Counter[str] = Counter()
    for r in reports:
        total.update(r.counts)
        for error in r.errors:
            console.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
    click.echo(f"crawl: {len(reports)} source(s): {summary(total)}")


@click.command("replay")
@click.option("--source", "keys", multiple=True, metavar="SLUG", help="Only these entities.")
@click.pass_context
def replay_cmd(click_ctx: click.Context, keys: tuple[str, ...]) -> None:
    """Re-run the pipeline on every archived gov.kz page, with no network."""
    settings = _settings(click_ctx)
    engine = db.open_store(settings.database_url, migrate=True)
    try:
        counts = replay(engine, base_url=settings.govkz_base_url.rstrip("/"),
                        timezone=timezone(settings), pipeline=pipeline_options(settings),
                        keys=keys or None)
    finally:
        engine.dispose()
    click.echo(f"replay: {counts['pages']} archived page(s): {summary(counts)}")


# ── sources ─────────────────────────────────────────────────────────────────────────────────


@click.group("sources")
def sources_group() -> None:
    """Sources: gov.kz entities (list, add, enable, disable, show) and feeds and pages
    (add-feed, import-opml, export-opml; `list --kind feed`)."""


def _store(click_ctx: click.Context) -> sa.Engine:
    settings = _settings(click_ctx)
    engine = db.open_store(settings.database_url, migrate=True)
    with engine.begin() as conn:
        sources.sync_entities(conn, data.entities())
        web_sources.sync_defs(conn, web_defs(settings))
    return engine


def _kind_of(conn: sa.Connection, key: str) -> str:
    """gov.kz for a slug; the kind of the feed or page source whose URL `key` is."""
    found = sources.by_key(conn, key)
    return found.kind if found is not None else "govkz"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


@sources_group.command("list")
@click.option("--candidates", is_flag=True, help="Only discovered slugs waiting for review.")
@click.option("--kind", type=click.Choice(["govkz", "feed", "page"]), default="govkz",
              show_default=True, help="Which kind of source to list.")
@click.pass_context
def sources_list(click_ctx: click.Context, candidates: bool, kind: str) -> None:
    """Every source of one kind (gov.kz entities by default) with its state."""
    engine = _store(click_ctx)
    with engine.connect() as conn:
        rows = sources.states(conn, kind)
    engine.dispose()
    if candidates:
        rows = [r for r in rows if r.origin == "discovered" and not r.enabled]
    table = Table(title="gov.kz sources" if kind == "govkz" else f"{kind} sources")
    for col in ("slug", "type", "enabled", "origin", "tier", "status", "last fetch",
                "next fetch", "failures"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.key, r.row.entity_type or "—", "yes" if r.enabled else "no", r.origin,
                      r.tier or "—", r.status or "never", _when(r.last_fetch_at),
                      _when(r.next_fetch_at), str(r.failures))
    Console(width=160).print(table)


@sources_group.command("add")
@click.argument("slug")
@click.option("--type", "entity_type", type=click.Choice(sorted(data.ENTITY_TYPES)))
@click.option("--region")
@click.option("--name-kk")
@click.option("--name-ru")
@click.option("--name-en")
@click.option("--disabled", is_flag=True, help="Add it without collecting it yet.")
@click.pass_context
def sources_add(click_ctx: click.Context, slug: str, disabled: bool, entity_type: str | None,
                region: str | None, name_kk: str | None, name_ru: str | None,
                name_en: str | None) -> None:
    """Add a gov.kz entity by its slug (the <slug> of /memleket/entities/<slug>)."""
    if not govkz.is_slug(slug):
        raise click.BadParameter(f"{slug!r} is not a gov.kz entity slug", param_hint="SLUG")
    engine = _store(click_ctx)
    with engine.begin() as conn:
        if sources.state(conn, slug) is not None:
            raise click.ClickException(f"sources: {slug} is already known; `aqparat sources "
                                       f"enable {slug}` collects it")
        given: dict[Lang, str | None] = {"kk": name_kk, "ru": name_ru, "en": name_en}
        names = {lang: name for lang, name in given.items() if name}
        entity = data.EntityDef(slug, entity_type, region, names)
        sources.add(conn, slug, entity, enabled=not disabled, origin="operator")
    engine.dispose()
    click.echo(f"sources: added {slug}{' (disabled)' if disabled else ''}")


def _toggle(click_ctx: click.Context, slug: str, enabled: bool) -> None:
    engine = _store(click_ctx)
    with engine.begin() as conn:
        found = sources.set_enabled(conn, slug, enabled, _kind_of(conn, slug))
    engine.dispose()
    if not found:
        raise click.ClickException(f"sources: no gov.kz source {slug}; `aqparat sources add "
                                   f"{slug}` adds it")
    click.echo(f"sources: {slug} {'enabled' if enabled else 'disabled'}")


@sources_group.command("enable")
@click.argument("slug")
@click.pass_context
def sources_enable(click_ctx: click.Context, slug: str) -> None:
    """Collect this entity (it becomes due at once)."""
    _toggle(click_ctx, slug, True)


@sources_group.command("disable")
@click.argument("slug")
@click.pass_context
def sources_disable(click_ctx: click.Context, slug: str) -> None:
    """Stop collecting this entity (its items stay)."""
    _toggle(click_ctx, slug, False)


@sources_group.command("show")
@click.argument("slug")
@click.pass_context
def sources_show(click_ctx: click.Context, slug: str) -> None:
    """One entity: names, state, cursors per language, last result."""
    engine = _store(click_ctx)
    with engine.connect() as conn:
        found = sources.state(conn, slug, _kind_of(conn, slug))
        marks = cursors.for_source(conn, found.row.id) if found else []
        last = sources.last_fetches(conn, [found.row.id]).get(found.row.id) if found else None
    engine.dispose()
    if found is None:
        raise click.ClickException(f"sources: no gov.kz source {slug}")
    for lang in LANGS:
        click.echo(f"name_{lang}: {found.row.names.get(lang) or '—'}")
    for label, value in (("page", f"/kk/source/{found.row.slug}"),
                         ("type", found.row.entity_type), ("region", found.row.region),
                         ("enabled", found.enabled), ("origin", found.origin),
                         ("tier", found.tier), ("rate_per_day", found.rate_per_day),
                         ("status", found.status or "never fetched"),
                         ("last_fetch", _when(found.last_fetch_at)),
                         ("next_fetch", _when(found.next_fetch_at)),
                         ("failures", found.failures), ("last_error", found.last_error)):
        click.echo(f"{label}: {'—' if value is None else value}")
    if last is not None:
        new, updated, unchanged = last.counts
        click.echo(f"last_result: {last.status}: {new} new, {updated} updated, "
                   f"{unchanged} unchanged")
    for c in marks:
        state = f"{c.pass_kind} pass at page {c.pass_page}" if c.pass_kind else "idle"
        click.echo(f"cursor {c.lang}: high-water {_when(c.high_water)}, {state}, last complete "
                   f"{_when(c.last_complete_at)}, last re-scan {_when(c.last_rescan_at)}")


COMMANDS = (crawl, replay_cmd, sources_group)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)

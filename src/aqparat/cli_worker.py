"""`aqparat worker`: one crawl worker of many sharing a store (docs/deploy.md).

Unlike `aqparat crawl`, it never migrates the store (run `aqparat db upgrade` once, before
starting workers on several hosts) and names itself in every lease it takes.
"""

from __future__ import annotations

import click

from aqparat.cli_crawl import (
    _report,
    _settings,
    crawl_options,
    fetch_limits,
    govkz_options,
    web_options,
)
from aqparat.crawl.run import Crawler, LogProgress, worker_name
from aqparat.crawl.web import WebCrawler
from aqparat.crawl.worker import Worker, WorkerOptions, single_writer
from aqparat.fetch.client import FetchClient
from aqparat.sources.govkz_api import GovKzApi
from aqparat.store import db, web_sources
from aqparat.store.claims import Lease


@click.command("worker")
@click.option("--kind", type=click.Choice(["all", "govkz", "web"]), default="all",
              show_default=True, help="gov.kz entities, feed and page sources, or both.")
@click.option("--source", "keys", multiple=True, metavar="SLUG", help="Only these sources.")
@click.option("--until-idle", is_flag=True,
              help="Exit once nothing is due and no other worker holds a source.")
@click.option("--name", default=None, help="This worker's name in leases [default: host:pid].")
@click.option("--lease", "lease_seconds", type=click.FloatRange(min=1), default=600.0,
              show_default=True, help="Seconds a claim lasts without a stored page; longer "
              "than the slowest page (fetch_deadline × retries).")
@click.pass_context
def worker(click_ctx: click.Context, kind: str, keys: tuple[str, ...], until_idle: bool,
           name: str | None, lease_seconds: float) -> None:
    """Crawl as one of several workers: claim a due source, crawl it, repeat."""
    settings = _settings(click_ctx)
    limits, options, web = fetch_limits(settings), crawl_options(settings), web_options(settings)
    lease = Lease(name or worker_name(), lease_seconds)
    engine = db.open_store(settings.database_url, migrate=False)
    try:
        with single_writer(engine), FetchClient(limits) as client:
            with engine.begin() as conn:
                web_sources.sync_defs(conn, list(web.defs.values()))
            progress = LogProgress()
            govkz = Crawler(engine, GovKzApi(client, govkz_options(settings)), options,
                            progress=progress, lease=lease) if kind != "web" else None
            webc = WebCrawler(engine, client, options, web, progress=progress,
                              lease=lease) if kind != "govkz" else None
            reports = Worker(engine, govkz, webc, WorkerOptions(
                keys or None, until_idle=until_idle), lease).run()
    except KeyboardInterrupt:
        click.echo("worker: interrupted; its sources are free again when their leases end",
                   err=True)
        return
    finally:
        engine.dispose()
    _report(reports)
    click.echo(f"worker {lease.worker}: {len(reports)} source(s) crawled")


def register(group: click.Group) -> None:
    group.add_command(worker)

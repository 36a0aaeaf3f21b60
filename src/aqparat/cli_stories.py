"""`aqparat stories …` and the dedup options every command that stores items uses."""

from __future__ import annotations

from typing import Any

import click

from aqparat.config import Settings
from aqparat.pipeline.dedup import DedupOptions


def dedup_options(settings: Settings) -> DedupOptions:
    """The thresholds of pipeline/dedup.py and pipeline/stories.py, from settings."""
    return DedupOptions(
        near=settings.dedup_near, short_near=settings.dedup_short_near,
        short_terms=settings.dedup_short_terms, title=settings.dedup_title,
        numbers=settings.dedup_numbers, boilerplate=settings.dedup_boilerplate,
        story_facts=settings.story_facts, story_days=settings.story_days,
        common_fact=settings.story_common_fact)


@click.group("stories")
def stories_group() -> None:
    """Duplicates and stories: reports of one event grouped."""


@stories_group.command("rebuild")
@click.pass_obj
def rebuild_command(obj: Any) -> None:
    """File every item in its story again, from scratch, with a progress bar."""
    from rich.console import Console
    from rich.progress import Progress

    from aqparat import regroup
    from aqparat.store import db

    settings: Settings = obj.settings
    engine = db.open_store(settings.database_url, migrate=True)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("stories", total=regroup.count_items(engine))
        counts = regroup.rebuild(engine, dedup_options(settings),
                                 progress=lambda n: bar.advance(task, n))
    filed = sum(v for k, v in counts.items() if k != "stories")
    how = ", ".join(f"{counts[k]} {k}" for k in ("version", "exact", "near", "short", "facts",
                                                  "new"))
    click.echo(f"stories: {filed} item(s) filed in {counts['stories']} stories ({how})")


def register(cli: click.Group) -> None:
    cli.add_command(stories_group)

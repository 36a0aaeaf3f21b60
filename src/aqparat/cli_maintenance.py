"""`aqparat db analyze | vacuum`: store maintenance (store/maintenance.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from aqparat.store import db, maintenance


def _run(obj: Any, name: str, task: Callable[[Any], maintenance.Done]) -> None:
    engine = db.open_store(obj.settings.database_url, migrate=False)
    try:
        done = task(engine)
    finally:
        engine.dispose()
    click.echo(f"{name}: done in {done.seconds:.1f} s; store {done.bytes_before / 2**20:,.1f} "
               f"→ {done.bytes_after / 2**20:,.1f} MiB")


@click.command("analyze")
@click.pass_obj
def analyze_command(obj: Any) -> None:
    """Refresh the planner's statistics from every index (not sampled). Cheap enough to run
    daily; run it after a large import or backfill."""
    _run(obj, "analyze", maintenance.analyze)


@click.command("vacuum")
@click.pass_obj
def vacuum_command(obj: Any) -> None:
    """Merge the search index, give deleted rows' space back to the disk (SQLite rewrites the
    file: it needs free space as large as the store) and refresh statistics."""
    _run(obj, "vacuum", maintenance.vacuum)


def register(db_group: click.Group) -> None:
    db_group.add_command(analyze_command)
    db_group.add_command(vacuum_command)

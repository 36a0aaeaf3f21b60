"""`aqparat db check | backup | restore` and `aqparat operators add | remove | list`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from aqparat import operators
from aqparat.store import backup, check, db

console = Console(stderr=True)


def _settings(obj: Any) -> Any:
    return obj.settings


# ── db ──────────────────────────────────────────────────────────────────────────────────────


@click.command("check")
@click.pass_obj
def check_command(obj: Any) -> None:
    """Check the store: foreign keys, the search index against the items, stories, labels.
    Exits 1 and lists what is wrong when anything is."""
    engine = db.open_store(_settings(obj).database_url, migrate=False)
    try:
        problems = check.run(engine)
    finally:
        engine.dispose()
    for problem in problems:
        click.echo(f"problem: {problem}")
    if problems:
        console.print(f"check: {len(problems)} problem(s); `aqparat db reindex` rebuilds the "
                      f"search index, `aqparat db restore` brings back a backup")
        sys.exit(1)
    console.print("check: the store is whole")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(obj: Any, path: Path) -> None:
    """Write a consistent copy of the running store to PATH (SQLite file, or a pg_dump
    archive for PostgreSQL)."""
    engine = db.open_store(_settings(obj).database_url, migrate=False)
    try:
        backup.backup(engine, path)
    finally:
        engine.dispose()
    console.print(f"backup: written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the store's contents.")
@click.pass_obj
def restore_command(obj: Any, path: Path, yes: bool) -> None:
    """Replace the store's contents with the backup at PATH, all or nothing."""
    if not yes:
        click.confirm(f"Replace everything in the store with {path}?", abort=True)
    engine = db.create_engine(_settings(obj).database_url)
    try:
        backup.restore(engine, path)
    finally:
        engine.dispose()
    console.print(f"restore: the store now holds {path}")


# ── operators ───────────────────────────────────────────────────────────────────────────────


@click.group("operators")
def operators_group() -> None:
    """Accounts that may sign in at /admin/ (argon2id hashes in `operators_file`)."""


def _file(obj: Any) -> Path:
    return Path(_settings(obj).operators_file)


@operators_group.command("add")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Set a new password for an existing operator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def add_command(obj: Any, name: str, replace: bool, password_stdin: bool) -> None:
    """Create operator NAME (asks for a password twice)."""
    operators.check_name(name)
    password = (sys.stdin.readline().rstrip("\n") if password_stdin else
                click.prompt("Password", hide_input=True, confirmation_prompt=True))
    operators.add(_file(obj), name, password, replace=replace)
    console.print(f"operators: {name} can sign in at /admin/ ({_file(obj)})")


@operators_group.command("remove")
@click.argument("name")
@click.pass_obj
def remove_command(obj: Any, name: str) -> None:
    """Remove operator NAME; their sessions end at once."""
    operators.remove(_file(obj), name)
    console.print(f"operators: {name} removed")


@operators_group.command("list")
@click.pass_obj
def list_command(obj: Any) -> None:
    """Operator names, one a line."""
    for name in sorted(operators.load(_file(obj))):
        click.echo(name)


def register(cli: click.Group, db_group: click.Group) -> None:
    for command in (check_command, backup_command, restore_command):
        db_group.add_command(command)
    cli.add_command(operators_group)

"""Operator accounts: a TOML file of names and argon2id password hashes.

    [operators.aigerim]
    password = "$argon2id$v=19$m=65536,t=3,p=4$…"

A file, not a table: the portal's store stays the readers' data (a backup or a restore never
carries or loses a login), the few accounts a portal has are edited by `aqparat operators`,
and no schema migration is needed. The file is written atomically, readable by its owner only.
Web workers read it at each login, so an account added or removed counts at once.

A session remembers a fingerprint of its operator's hash (`fingerprint`): changing a password
or removing an account ends every session it had.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from aqparat.errors import ConfigError

NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
MIN_PASSWORD = 12  # NIST SP 800-63B asks for at least 8; operators can hide any item
_HASHER = PasswordHasher()  # argon2id, RFC 9106's second recommended parameters


@cache
def _dummy() -> str:
    """Verified against when the name is unknown: a wrong name costs what a wrong password
    does, so timing tells no one which names exist."""
    return _HASHER.hash("not a password anyone has: makes unknown names take the same time")


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    password_hash: str

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ConfigError(f"operators: {name!r} is not a name: use lower-case latin letters, "
                          f"digits, '.', '_' or '-', at most 64")
    return name


def load(path: Path) -> dict[str, Operator]:
    """Every account in the file; none when the file does not exist."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"operators: {path}: cannot read it ({exc})") from exc
    table = data.get("operators", {})
    if not isinstance(table, dict):
        raise ConfigError(f"operators: {path}: [operators] must be a table of accounts")
    return {name: _operator(path, name, entry) for name, entry in table.items()}


def _operator(path: Path, name: str, entry: object) -> Operator:
    password = entry.get("password") if isinstance(entry, dict) else None
    if not NAME.fullmatch(name) or not isinstance(password, str) \
            or not password.startswith("$argon2"):
        raise ConfigError(f"operators: {path}: account {name!r} needs a password = "
                          f"\"$argon2…\" hash; recreate it with `aqparat operators add`")
    return Operator(name, password)


def save(path: Path, accounts: dict[str, Operator]) -> None:
    """Replace the file in one rename, mode 0600 (hashes are not for every local user)."""
    lines = ["# Operator accounts: `aqparat operators add|remove|list`. Argon2id hashes.\n"]
    for op in sorted(accounts.values(), key=lambda o: o.name):
        lines.append(f'\n[operators."{op.name}"]\npassword = "{op.password_hash}"\n')
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add(path: Path, name: str, password: str, *, replace: bool = False) -> Operator:
    accounts = load(path)
    if check_name(name) in accounts and not replace:
        raise ConfigError(f"operators: {name} exists; `--replace` sets a new password")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"operators: a password needs at least {MIN_PASSWORD} characters")
    accounts[name] = Operator(name, _HASHER.hash(password))
    save(path, accounts)
    return accounts[name]


def remove(path: Path, name: str) -> None:
    accounts = load(path)
    if accounts.pop(name, None) is None:
        raise ConfigError(f"operators: no operator {name!r} in {path}")
    save(path, accounts)


def verify(accounts: dict[str, Operator], name: str, password: str) -> Operator | None:
    """The operator, if `password` is theirs; the same work is done for an unknown name."""
    found = accounts.get(name)
    try:
        return found if _HASHER.verify(found.password_hash if found else _dummy(),
                                       password) and found else None
    except (VerificationError, InvalidHashError):
        return None

"""Fixtures for the operator pages' tests (test_admin.py, test_admin_guard.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from aqparat import operators
from aqparat.store import db


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its smallest: the tests sign in dozens of times; the real cost (64 MiB,
    t=3) is argon2-cffi's default and is what `operators` uses outside tests."""
    monkeypatch.setattr(operators, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64,
                                                             parallelism=1))
    operators._dummy.cache_clear()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """For what does not depend on the engine: the store's part runs on both elsewhere."""
    engine = db.open_store(f"sqlite:///{tmp_path / 'admin.db'}", migrate=True)
    yield engine
    engine.dispose()

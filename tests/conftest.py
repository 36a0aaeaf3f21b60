"""Shared fixtures: paths, stores on SQLite and PostgreSQL, the bundled and seed dumps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from aqparat.store import db

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_61e82a4af1ac5571.txt"
DEMO = REPO / "src" / "aqparat" / "data" / "demo"
FIXTURES = REPO / "tests" / "fixtures"
PG_ENV = "AQPARAT_TEST_POSTGRES_URL"

# Hypothesis budgets (`--hypothesis-profile=NAME`). `ci` — loaded by hypothesis itself when it
# sees CI=true — keeps the default 100 examples a property, derandomized: tests/fuzz/ runs each
# parser for about a second. `fuzz` is the long local run (minutes a parser):
#     .venv/bin/pytest tests/fuzz --hypothesis-profile=fuzz --durations=0
settings.register_profile("ci", settings.get_profile("ci"), max_examples=100)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])


@pytest.fixture
def seed_path() -> Path:
    """The real seed page; the bundled demo copy stands in where ../shared is absent."""
    return SEED if SEED.is_file() else DEMO / "kk-home.txt"


def _reset_postgres(url: str) -> None:
    engine = db.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store on each engine: a fresh SQLite file, a freshly emptied PostgreSQL db."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against "
                    f"(.ci/run sets it when one answers at 127.0.0.1:5432)")
    _reset_postgres(url)
    yield url
    _reset_postgres(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = db.open_store(database_url, migrate=True)
    yield engine
    engine.dispose()

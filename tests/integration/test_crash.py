"""`kill -9` at random points of import, crawl (against the fake gov.kz), reclassify and
reindex; after each kill `aqparat db check` passes, and once every command has run to the end
the store holds exactly what an uninterrupted run leaves.

Points are drawn with a fixed seed: two thirds at the k-th database step (killpoints.py: any
statement or commit of the command), a third at a random moment, each within the command's
length as it last ran to its end (a rerun on a full store is shorter). A point past the end
lets the command finish, which is a trial too; the test asserts that most trials killed.
test-output/crash-report.json counts them.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

import killpoints
from aqparat.ingest import default_options
from aqparat.pipeline.run import process
from aqparat.sources import dumps
from aqparat.store import check, db
from aqparat.store.schema import event, item, item_entity, item_rubric, source
from aqparat.testing import govkz_world
from aqparat.testing.fake_govkz import FakeGovKz
from killpoints import KILLED, Point

REPO = Path(__file__).resolve().parents[2]
DUMPS = [REPO / "src" / "aqparat" / "data" / "demo" / name
         for name in ("kk-home.txt", "ru-home.txt", "en-home.txt")] + sorted(
    (REPO / "tests" / "fixtures" / "dumps").glob("*_basic.txt"))
SEED = 20261129
TRIALS = {"sqlite": 52, "postgresql": 16}


@dataclass
class Store:
    url: str
    tmp: Path
    fake: FakeGovKz

    def env(self) -> dict[str, str]:
        return {"AQPARAT_GOVKZ_BASE_URL": self.fake.url, "AQPARAT_FETCH_RATE": "0",
                "AQPARAT_GOVKZ_PAGE_SIZE": "10", "AQPARAT_LOG_LEVEL": "CRITICAL",
                "AQPARAT_FETCH_TIMEOUT": "10", "AQPARAT_FETCH_RETRIES": "0"}

    def command(self, name: str) -> list[str]:
        base = ["--database-url", self.url]
        crawl = [a for slug in govkz_world.ENTITIES for a in ("--source", slug)]
        return base + {"import": ["import", *map(str, DUMPS)],
                       "crawl": ["crawl", "--once", *crawl],
                       "reclassify": ["rubrics", "reclassify"],
                       "reindex": ["db", "reindex"]}[name]

    def run(self, name: str, point: Point | None = None, steps: Path | None = None) -> int:
        return killpoints.run(self.command(name), env=self.env(), cwd=self.tmp, point=point,
                              steps_file=steps)


OPERATIONS = ("import", "crawl", "reclassify", "reindex")


def content(url: str) -> dict[str, object]:
    """What the store says, by natural keys (ids differ between two stores)."""
    engine = db.create_engine(url)
    natural = (source.c.kind, source.c.key, item.c.external_id, item.c.lang)
    joined = item.join(source, source.c.id == item.c.source_id)
    with engine.connect() as conn:
        items = conn.execute(sa.select(*natural, item.c.content_hash, item.c.status)
                             .select_from(joined)).all()
        labels = conn.execute(sa.select(*natural, item_rubric.c.rubric_slug, item_rubric.c.origin)
                              .select_from(joined.join(item_rubric))).all()
        events = conn.execute(sa.select(*natural, event.c.position, event.c.starts_at)
                              .select_from(joined.join(event))).all()
        names = conn.execute(sa.select(*natural, item_entity.c.position, item_entity.c.name)
                             .select_from(joined.join(item_entity))).all()
        indexed = conn.execute(sa.select(*natural).select_from(joined).where(
            item.c.id.in_(sa.text("SELECT item_id FROM search_doc")))).all()
    engine.dispose()
    return {name: sorted(map(tuple, rows)) for name, rows in (
        ("items", items), ("labels", labels), ("events", events), ("entities", names),
        ("indexed", indexed))}


def whole(url: str) -> list[check.Problem]:
    engine = db.create_engine(url)
    try:
        return check.run(engine)
    finally:
        engine.dispose()


@pytest.fixture
def fake() -> Iterator[FakeGovKz]:
    # 36 of the fixture's news ids: 12 per entity, two pages of 10 per entity and language.
    with FakeGovKz(govkz_world.build(govkz_world.load_items()[:36])) as server:
        yield server


@pytest.fixture(autouse=True)
def warm() -> None:
    """Load the language models, stemmers and lexicons once, here: every forked child then
    has them, and a trial costs its own work only."""
    options = default_options()
    for path in DUMPS[:3]:
        for raw in dumps.read_dump(path, portal="warm.example"):
            process(raw, options)


def uninterrupted(store: Store) -> tuple[dict[str, int], dict[str, float]]:
    """Every command to its end: each one's database steps and seconds."""
    steps, seconds = {}, {}
    for name in OPERATIONS:
        counter, start = store.tmp / f"{name}.steps", time.monotonic()
        assert store.run(name, steps=counter) == 0, name
        steps[name], seconds[name] = int(counter.read_text()), time.monotonic() - start
    return steps, seconds


def report(engine_name: str, outcomes: Counter[str]) -> None:
    """test-output/crash-report.json: trials per engine, command and outcome."""
    path = REPO / "test-output" / "crash-report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(path.read_text()) if path.is_file() else {}
    found[engine_name] = dict(sorted(outcomes.items()))
    path.write_text(json.dumps(found, indent=1))


def draw(rng: random.Random, steps: dict[str, int],
         seconds: dict[str, float]) -> tuple[str, Point]:
    """A command and a point inside it, as long as it last ran to its end: a command rerun on
    a full store does less (an import finds every item unchanged)."""
    name = rng.choice(OPERATIONS)
    if rng.random() < 2 / 3:
        return name, Point(step=rng.randint(1, steps[name]))
    return name, Point(seconds=rng.uniform(0.05, seconds[name]))


def test_kill_9_anywhere_leaves_a_whole_store_that_converges(
        database_url: str, fake: FakeGovKz, tmp_path: Path) -> None:
    reference = Store(f"sqlite:///{tmp_path / 'reference.db'}", tmp_path, fake)
    steps, seconds = uninterrupted(reference)
    expected = content(reference.url)
    assert expected["items"], "the uninterrupted run stored nothing"
    store, rng = Store(database_url, tmp_path, fake), random.Random(SEED)
    engine_name = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    db.open_store(database_url, migrate=True).dispose()
    outcomes: Counter[str] = Counter()
    counter = tmp_path / "trial.steps"
    for trial in range(TRIALS[engine_name]):
        name, point = draw(rng, steps, seconds)
        counter.unlink(missing_ok=True)
        start = time.monotonic()
        status = store.run(name, point, counter)
        assert status in (0, KILLED), f"trial {trial}: {name} at {point} exited {status}"
        if status == 0:  # it finished before the point: aim inside its new length next time
            steps[name] = max(1, int(counter.read_text()))
            seconds[name] = max(0.1, time.monotonic() - start)
        outcomes[f"{name} {'killed' if status == KILLED else 'finished'}"] += 1
        problems = whole(database_url)
        assert problems == [], f"trial {trial}: {name} killed at {point}: {problems}"
    killed = sum(n for k, n in outcomes.items() if k.endswith("killed"))
    report(engine_name, outcomes)
    # Step points past what a rerun still has to do, and timed points after a fast run ends,
    # finish instead of dying: how many do depends on the machine. A quarter still means
    # a dozen or more real kills per engine; every trial's integrity is checked above.
    assert killed >= TRIALS[engine_name] * 0.5, outcomes
    uninterrupted(store)
    assert whole(database_url) == []
    assert content(database_url) == expected, outcomes

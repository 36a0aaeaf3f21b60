"""Sources → pipeline → store, one transaction per unit of input (a dump file, later a page).

A unit either lands whole or not at all, so a failure never leaves half a file behind and a
re-run stores nothing twice (rows are keyed by source, external id and language).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from aqparat import data
from aqparat.errors import AqparatError, StoreError
from aqparat.model import RawItem
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.sources import dumps
from aqparat.store import rubrics, sources, stories
from aqparat.store.fts import index as search_index

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ImportReport:
    target: str
    counts: Counter[str] = field(default_factory=Counter)  # new / updated / unchanged / dropped
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_options() -> PipelineOptions:
    return PipelineOptions(rubric_aliases=data.rubric_aliases())


def store_items(conn: sa.Connection, raws: Iterable[RawItem], options: PipelineOptions,
                report: ImportReport) -> None:
    """Run each item through the pipeline and save it on `conn` (the caller's transaction)."""
    source_ids: dict[tuple[str, str], int] = {}
    entities = data.entities()
    with search_index.queued(conn):  # the items' search documents in one write
        for raw in raws:
            outcome = process(raw, options)
            if outcome.article is None:
                log.info("pipeline: dropped %s", outcome.reason)
                report.counts["dropped"] += 1
                continue
            art = outcome.article
            key = (art.source_kind, art.source_key)
            if key not in source_ids:
                entity = entities.get(art.source_key) if art.source_kind == "govkz" else None
                source_ids[key] = sources.ensure(conn, art.source_kind, art.source_key, entity)
            report.counts[stories.keep(conn, art, source_ids[key], options.stories)] += 1


def import_dump(engine: sa.Engine, path: Path, *, portal: str,
                options: PipelineOptions) -> ImportReport:
    report = ImportReport(str(path))
    started = dt.datetime.now(dt.UTC)
    try:
        raws = dumps.read_dump(path, portal=portal)
        with engine.begin() as conn:
            rubrics.sync(conn, data.rubrics())
            store_items(conn, raws, options, report)
            sources.log_fetch(conn, target=str(path), source_id=None, started=started,
                              status="ok", counts=_triple(report.counts))
    except AqparatError as exc:
        report.error, report.counts = str(exc), Counter()
    except sa.exc.SQLAlchemyError as exc:
        report.error, report.counts = f"store: {path}: {exc}", Counter()
    if report.error:
        _log_failure(engine, report, started)
    return report


def _triple(counts: Counter[str]) -> tuple[int, int, int]:
    return counts["new"], counts["updated"], counts["unchanged"]


def _log_failure(engine: sa.Engine, report: ImportReport, started: dt.datetime) -> None:
    """A failed unit is data: record it, in its own transaction, after the rollback."""
    try:
        with engine.begin() as conn:
            sources.log_fetch(conn, target=report.target, source_id=None, started=started,
                              status="error", error=report.error)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"store: cannot record the failure of {report.target}: {exc}") from exc


def import_dumps(engine: sa.Engine, paths: Iterable[Path], *, portal: str,
                 options: PipelineOptions | None = None) -> list[ImportReport]:
    opts = options or default_options()
    return [import_dump(engine, p, portal=portal, options=opts) for p in paths]

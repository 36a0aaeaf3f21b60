"""Editor and maintenance operations on rubric labels, wired store ↔ pipeline (like ingest.py).

`reclassify` re-labels every item no editor owns, in one transaction, so a lexicon change lands
whole or not at all; `set_rubrics` records an editor's choice; `explain` reads the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat import data
from aqparat.model import RubricLabel
from aqparat.pipeline.rubrics import Classifier, ItemText, default_classifier
from aqparat.store import item_rubrics, rubrics

Progress = Callable[[int], None]  # called with the number of items just done


@dataclass(frozen=True, slots=True)
class ReclassifyReport:
    items: int  # items classified (editor-owned ones are not touched)
    changed: int  # items whose rubric set changed


def count_reclassifiable(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return item_rubrics.count_unedited(conn)


def reclassify(engine: sa.Engine, classifier: Classifier | None = None,
               progress: Progress | None = None) -> ReclassifyReport:
    clf = classifier or default_classifier()
    items = changed = 0
    with engine.begin() as conn:
        rubrics.sync(conn, data.rubrics())  # a rubric new in rubrics.toml must exist first
        for row in item_rubrics.for_classification(conn):
            labels = clf.classify(ItemText(row.title, row.body_text, row.lang, row.source_kind,
                                           row.source_key))
            changed += item_rubrics.replace_classified(conn, row.id, labels, row.published_at)
            items += 1
            if progress is not None:
                progress(1)
    return ReclassifyReport(items, changed)


def set_rubrics(engine: sa.Engine, item_id: int, slugs: Sequence[str]) -> list[RubricLabel]:
    with engine.begin() as conn:
        return item_rubrics.set_by_editor(conn, item_id, slugs)


def explain(engine: sa.Engine, item_id: int) -> list[RubricLabel]:
    with engine.connect() as conn:
        return item_rubrics.labels(conn, item_id)

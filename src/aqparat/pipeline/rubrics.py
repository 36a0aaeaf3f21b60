"""Rubric labels for an article.

Every article is news (`news` holds everything). A source that printed the item under a rubric
contributes that rubric with origin `source`, kept apart from our own classification so a later
classifier can weigh or overrule it with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from aqparat.model import RawItem, RubricLabel

NEWS = "news"


def assign(raw: RawItem, aliases: Mapping[str, str]) -> tuple[tuple[RubricLabel, ...], list[str]]:
    """(labels, unknown printed rubric names)."""
    labels = [RubricLabel(NEWS, 1.0, "rule", "every item is news")]
    unknown: list[str] = []
    for printed in raw.rubric_labels:
        slug = aliases.get(printed.strip().casefold())
        if slug is None:
            unknown.append(printed)
        elif all(label.slug != slug for label in labels):
            reason = f"listed under “{printed}” by {raw.origin.rsplit(':', 1)[0] or 'the source'}"
            labels.append(RubricLabel(slug, 1.0, "source", reason))
    return tuple(labels), unknown

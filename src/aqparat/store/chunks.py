"""Values for an `IN (…)` list a bounded number at a time: a list of thousands of ids would
pass SQLite's limit on a statement's parameters (32,766), and PostgreSQL plans a long list
slowly. 500 is far below either."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

SIZE = 500

T = TypeVar("T")


def chunks(values: Sequence[T], size: int = SIZE) -> Iterator[list[T]]:
    """`values` in order, `size` at a time (the last run shorter)."""
    for start in range(0, len(values), size):
        yield list(values[start:start + size])

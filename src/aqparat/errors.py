"""Every error aqparat raises on purpose, in one tree.

    AqparatError
    ├── ConfigError          a setting is missing, malformed or contradicts another
    ├── SourceError          a source gave something we cannot use
    │   ├── ParseError       ... and we can say where: file/URL, line, what was expected
    │   └── FetchError       ... or never answered usefully: transport failure, HTTP status,
    │                        body over the size cap, deadline passed, retries used up
    └── StoreError           the database refused, or is at the wrong schema revision
        └── LeaseLostError   a crawl worker's lease on a source ran out and another took it

Messages start with the component ("dump: ", "store: ", "config: ") and say what to do next.
Library exceptions are translated at the boundary and chained with ``from``.
"""

from __future__ import annotations


class AqparatError(Exception):
    """Base of every error aqparat raises deliberately."""


class ConfigError(AqparatError):
    """A setting is missing, malformed, or contradicts another."""


class SourceError(AqparatError):
    """A source (gov.kz, a feed, a page, a dump) gave something we cannot use."""


class ParseError(SourceError):
    """Input could not be parsed; ``where`` names the file or URL and the line."""

    def __init__(self, component: str, where: str, line: int | None, problem: str) -> None:
        self.component = component
        self.where = where
        self.line = line
        self.problem = problem
        at = f"{where}:{line}" if line is not None else where
        super().__init__(f"{component}: {at}: {problem}")


class FetchError(SourceError):
    """A request failed for good (after any retries): `status` is the HTTP status, if any.

    `retry_after` is what the server asked us to wait (seconds), so a scheduler can honour it
    past the end of this run.
    """

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


class StoreError(AqparatError):
    """The store refused an operation or is not at the schema revision the code needs."""


class LeaseLostError(StoreError):
    """Another crawl worker holds the source now: this one's lease ran out while it worked
    (store/claims.py). What the page would have stored is rolled back."""

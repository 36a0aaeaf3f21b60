"""Crawl workers' leases on sources: several workers on several hosts share one store, and no
source is crawled by two of them at once.

A worker takes the next due source with `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL: rows
another worker is claiming at this instant are skipped, not waited for) and writes its lease
(`claimed_by`, `claimed_until`) in the same transaction; the lease, not the row lock, is what
keeps others away while it crawls, and every stored page renews it (`renew`, inside the page's
own transaction). A lease that runs out — its worker was killed, or hung past the lease — is
free to take: the next worker resumes at the source's last checkpoint. A worker that finds its
lease gone when renewing stops that source before storing anything (`LeaseLostError`).

SQLite ignores FOR UPDATE; there the claim is still safe (the UPDATE re-checks the lease, and
SQLite has one writer), and `crawl/worker.py` lets only one worker run per SQLite file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from aqparat.errors import LeaseLostError
from aqparat.store.schema import source


@dataclass(frozen=True, slots=True)
class Lease:
    """Who claims (a worker name, unique per process) and for how long at a time."""

    worker: str
    seconds: float = 600.0

    def until(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.seconds)


def _free(now: dt.datetime, dead: frozenset[str] = frozenset()) -> sa.ColumnElement[bool]:
    free = sa.or_(source.c.claimed_until.is_(None), source.c.claimed_until <= now)
    return sa.or_(free, source.c.claimed_by.in_(sorted(dead))) if dead else free


def holders(conn: sa.Connection, now: dt.datetime) -> set[str]:
    """Workers holding a lease now (the caller may know some of them are dead)."""
    return set(conn.execute(sa.select(source.c.claimed_by).distinct().where(
        source.c.claimed_until > now, source.c.claimed_by.is_not(None))).scalars())


def next_due(conn: sa.Connection, kind: str | tuple[str, ...], lease: Lease,
             now: dt.datetime, *, keys: tuple[str, ...] | None = None, force: bool = False,
             skip: frozenset[int] = frozenset(), dead: frozenset[str] = frozenset()
             ) -> int | None:
    """Claim the next due, enabled, unclaimed source of `kind` and return its id (None: none).

    Order as `fetch.schedule.due`: never fetched first, then the longest overdue, then key;
    `force` takes sources due or not (in key order), except the ids in `skip` (this run's).
    Leases of the workers in `dead` (known to have died) count as run out."""
    kinds = (kind,) if isinstance(kind, str) else kind
    query = (sa.select(source.c.id)
             .where(source.c.kind.in_(kinds), source.c.enabled.is_(True), _free(now, dead))
             .limit(1).with_for_update(skip_locked=True))
    if keys is not None:
        query = query.where(source.c.key.in_(keys))
    if skip:
        query = query.where(source.c.id.not_in(sorted(skip)))
    if force:
        query = query.order_by(source.c.key, source.c.id)
    else:
        query = query.where(sa.or_(source.c.next_fetch_at.is_(None),
                                   source.c.next_fetch_at <= now)).order_by(
            source.c.next_fetch_at.is_not(None), source.c.next_fetch_at, source.c.key)
    found = conn.execute(query).scalar_one_or_none()
    if found is None:
        return None
    taken = conn.execute(source.update().where(source.c.id == found, _free(now, dead))
                         .values(claimed_by=lease.worker, claimed_until=lease.until(now)))
    return int(found) if taken.rowcount == 1 else None


def renew(conn: sa.Connection, source_id: int, lease: Lease, now: dt.datetime,
          what: str) -> None:
    """Extend this worker's lease, in the caller's transaction; raise LeaseLostError (rolling
    the transaction back) if another worker took the source meanwhile."""
    done = conn.execute(source.update().where(source.c.id == source_id,
                                              source.c.claimed_by == lease.worker)
                        .values(claimed_until=lease.until(now)))
    if done.rowcount != 1:
        raise LeaseLostError(f"crawl: {what}: worker {lease.worker} lost its lease (it ran out "
                             f"and another worker took the source); nothing of this page was "
                             f"stored")


def release(conn: sa.Connection, source_id: int, lease: Lease) -> None:
    """Free the source, if this worker still holds it."""
    conn.execute(source.update().where(source.c.id == source_id,
                                       source.c.claimed_by == lease.worker)
                 .values(claimed_by=None, claimed_until=None))


def held_by_others(conn: sa.Connection, kind: str | tuple[str, ...], lease: Lease,
                   now: dt.datetime, keys: tuple[str, ...] | None = None
                   ) -> dt.datetime | None:
    """When the soonest lease of another worker runs out (None: no source is claimed)."""
    kinds = (kind,) if isinstance(kind, str) else kind
    query = sa.select(sa.func.min(source.c.claimed_until)).where(
        source.c.kind.in_(kinds), source.c.enabled.is_(True), source.c.claimed_until > now,
        source.c.claimed_by != lease.worker)
    if keys is not None:
        query = query.where(source.c.key.in_(keys))
    value: dt.datetime | None = conn.execute(query).scalar_one_or_none()
    return value

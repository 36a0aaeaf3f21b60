"""Queries on sources: the bodies and feeds items come from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aqparat.data import EntityDef
from aqparat.model import Lang
from aqparat.store.schema import fetch_log, item, source


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    kind: str
    key: str
    names: dict[str, str | None]
    entity_type: str | None
    region: str | None
    slug: str  # its page's and feeds' name (store/slugs.py): the key for gov.kz entities

    def name(self, lang: Lang) -> str:
        return self.names.get(lang) or self.names.get("kk") or self.key


def ensure(conn: sa.Connection, kind: str, key: str, entity: EntityDef | None) -> int:
    """The id of source (kind, key), inserting it first if new; known names fill gaps."""
    found = conn.execute(
        sa.select(source.c.id, source.c.name_kk).where(source.c.kind == kind, source.c.key == key)
    ).first()
    names = {f"name_{lang}": name for lang, name in entity.names.items()} if entity else {}
    extra = {"entity_type": entity.type, "region": entity.region} if entity else {}
    if found is not None:
        if names and found.name_kk is None:
            conn.execute(source.update().where(source.c.id == found.id).values(**names, **extra))
        return int(found.id)
    inserted = conn.execute(source.insert().values(
        kind=kind, key=key, created_at=dt.datetime.now(dt.UTC), **names, **extra,
    ).returning(source.c.id))
    return int(inserted.scalar_one())


def row_from(mapping: sa.RowMapping, prefix: str = "") -> SourceRow:
    return SourceRow(
        id=mapping[f"{prefix}id"], kind=mapping[f"{prefix}kind"], key=mapping[f"{prefix}key"],
        names={lang: mapping[f"{prefix}name_{lang}"] for lang in ("kk", "ru", "en")},
        entity_type=mapping[f"{prefix}entity_type"], region=mapping[f"{prefix}region"],
        slug=mapping[f"{prefix}slug"],
    )


def log_fetch(conn: sa.Connection, *, target: str, source_id: int | None, started: dt.datetime,
              status: str, counts: tuple[int, int, int] = (0, 0, 0),
              error: str | None = None) -> None:
    new, updated, unchanged = counts
    conn.execute(fetch_log.insert().values(
        source_id=source_id, target=target, started_at=started,
        finished_at=dt.datetime.now(dt.UTC), status=status, items_new=new,
        items_updated=updated, items_unchanged=unchanged, error=error,
    ))


_ROW_COLUMNS = (source.c.id, source.c.kind, source.c.key, source.c.name_kk, source.c.name_ru,
                source.c.name_en, source.c.entity_type, source.c.region, source.c.slug)
ROW_COLUMNS = _ROW_COLUMNS  # what `row_from` reads


def all_sources(conn: sa.Connection) -> list[SourceRow]:
    """Every source, in id order (the JSON API's list; ids never change)."""
    rows = conn.execute(sa.select(*_ROW_COLUMNS).order_by(source.c.id))
    return [row_from(m) for m in rows.mappings()]


def get(conn: sa.Connection, source_id: int) -> SourceRow | None:
    found = conn.execute(sa.select(*_ROW_COLUMNS).where(source.c.id == source_id))
    mapping = found.mappings().first()
    return row_from(mapping) if mapping else None


# ── the collector's view: enabled, schedule, last result (issue 3) ──────────────────────────


@dataclass(frozen=True, slots=True)
class SourceState:
    """A source with its crawl state: what the scheduler, `sources` and /status read."""

    row: SourceRow
    enabled: bool
    origin: str
    tier: str | None
    rate_per_day: float | None
    status: str | None  # ok | error | suspended; None: never fetched
    last_fetch_at: dt.datetime | None
    last_error: str | None
    failures: int
    next_fetch_at: dt.datetime | None

    @property
    def key(self) -> str:
        return self.row.key


def _state(m: sa.RowMapping) -> SourceState:
    return SourceState(row_from(m), bool(m["enabled"]), m["origin"], m["tier"],
                       m["rate_per_day"], m["status"], m["last_fetch_at"], m["last_error"],
                       int(m["failures"]), m["next_fetch_at"])


def states(conn: sa.Connection, kind: str = "govkz", *, keys: tuple[str, ...] | None = None,
           enabled_only: bool = False) -> list[SourceState]:
    query = sa.select(source).where(source.c.kind == kind).order_by(source.c.key)
    if keys is not None:
        query = query.where(source.c.key.in_(keys))
    if enabled_only:
        query = query.where(source.c.enabled.is_(True))
    return [_state(m) for m in conn.execute(query).mappings()]


def state_by_id(conn: sa.Connection, source_id: int) -> SourceState | None:
    found = conn.execute(sa.select(source).where(source.c.id == source_id)).mappings().first()
    return _state(found) if found else None


def state(conn: sa.Connection, key: str, kind: str = "govkz") -> SourceState | None:
    found = states(conn, kind, keys=(key,))
    return found[0] if found else None


def by_key(conn: sa.Connection, key: str) -> SourceRow | None:
    """A source by its key, gov.kz first (a slug is one of its entities), then any kind."""
    rows = conn.execute(sa.select(source).where(source.c.key == key)
                        .order_by((source.c.kind != "govkz"), source.c.id)).mappings().first()
    return row_from(rows) if rows else None


def by_slug(conn: sa.Connection, slug: str) -> SourceRow | None:
    """The source whose page is /{lang}/source/{slug} (store/slugs.py)."""
    found = conn.execute(sa.select(*_ROW_COLUMNS).where(source.c.slug == slug))
    mapping = found.mappings().first()
    return row_from(mapping) if mapping else None


def _entity_values(entity: EntityDef) -> dict[str, object]:
    names = {f"name_{lang}": name for lang, name in entity.names.items()}
    return {**names, "entity_type": entity.type, "region": entity.region}


def sync_entities(conn: sa.Connection, entities: Mapping[str, EntityDef]) -> int:
    """Add known entities missing from the store (enabled, origin seed); refresh the names
    and types of rows that have none. Returns how many were added."""
    have = {r.key: r.name_kk for r in conn.execute(
        sa.select(source.c.key, source.c.name_kk).where(source.c.kind == "govkz"))}
    added = 0
    now = dt.datetime.now(dt.UTC)
    for slug, entity in entities.items():
        if slug not in have:  # several crawl workers may start at once: insert if absent
            added += _insert_if_absent(conn, {
                "kind": "govkz", "key": slug, "enabled": entity.enabled, "origin": "seed",
                "created_at": now, **_entity_values(entity)})
        elif have[slug] is None:
            conn.execute(source.update().where(source.c.kind == "govkz", source.c.key == slug)
                         .values(**_entity_values(entity)))
    return added


def add(conn: sa.Connection, key: str, entity: EntityDef | None, *, enabled: bool,
        origin: str, kind: str = "govkz") -> int:
    values = _entity_values(entity) if entity else {}
    inserted = conn.execute(source.insert().values(
        kind=kind, key=key, enabled=enabled, origin=origin,
        created_at=dt.datetime.now(dt.UTC), **values).returning(source.c.id))
    return int(inserted.scalar_one())


def set_enabled(conn: sa.Connection, key: str, enabled: bool, kind: str = "govkz") -> bool:
    """Enable or disable; enabling also makes the source due now and forgets old failures."""
    values: dict[str, object] = {"enabled": enabled}
    if enabled:
        values.update(next_fetch_at=None, failures=0)
    done = conn.execute(source.update().where(source.c.kind == kind, source.c.key == key)
                        .values(**values))
    return bool(done.rowcount)


def discover(conn: sa.Connection, slugs: Iterable[str]) -> list[str]:
    """Slugs seen in items but unknown to the store, added as disabled candidates."""
    wanted = sorted(set(slugs))
    if not wanted:
        return []
    known = set(conn.execute(sa.select(source.c.key).where(
        source.c.kind == "govkz", source.c.key.in_(wanted))).scalars())
    fresh = [slug for slug in wanted if slug not in known]
    # Two crawl workers may discover the same slug at once (store/claims.py): the second
    # insert is a no-op, not a unique violation that would roll back its page.
    now = dt.datetime.now(dt.UTC)
    return [slug for slug in fresh if _insert_if_absent(conn, {
        "kind": "govkz", "key": slug, "enabled": False, "origin": "discovered",
        "created_at": now})]


def _insert_if_absent(conn: sa.Connection, values: dict[str, object]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on either engine; whether a row was added."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    done = conn.execute(dialect.insert(source).values(**values).on_conflict_do_nothing())
    return bool(done.rowcount)


def record_result(conn: sa.Connection, source_id: int, *, status: str, error: str | None,
                  failures: int, tier: str, rate_per_day: float | None,
                  next_fetch_at: dt.datetime) -> None:
    conn.execute(source.update().where(source.c.id == source_id).values(
        status=status, last_error=error, failures=failures, tier=tier,
        rate_per_day=rate_per_day, next_fetch_at=next_fetch_at,
        last_fetch_at=dt.datetime.now(dt.UTC)))


def observed_rate(conn: sa.Connection, source_id: int, now: dt.datetime,
                  days: int = 30) -> float:
    """Publications a day over the last `days` (one per news id, however many languages)."""
    since = now - dt.timedelta(days=days)
    query = (sa.select(sa.func.count(sa.distinct(item.c.external_id)))
             .where(item.c.source_id == source_id, item.c.published_at >= since))
    return int(conn.execute(query).scalar_one()) / days


@dataclass(frozen=True, slots=True)
class FetchRecord:
    started_at: dt.datetime
    status: str
    counts: tuple[int, int, int]
    error: str | None


def last_fetches(conn: sa.Connection, source_ids: Iterable[int]) -> dict[int, FetchRecord]:
    """Each source's latest fetch_log row."""
    ids = list(source_ids)
    if not ids:
        return {}
    latest = (sa.select(sa.func.max(fetch_log.c.id)).where(fetch_log.c.source_id.in_(ids))
              .group_by(fetch_log.c.source_id))
    rows = conn.execute(sa.select(fetch_log).where(fetch_log.c.id.in_(latest))).mappings()
    return {m["source_id"]: FetchRecord(
        m["started_at"], m["status"],
        (m["items_new"], m["items_updated"], m["items_unchanged"]), m["error"]) for m in rows}

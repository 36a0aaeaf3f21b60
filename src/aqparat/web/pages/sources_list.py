"""`/{lang}/sources`: every source, grouped by type (ministries, committees, akimats, …) and,
within a type, by region (national bodies first, then cities and oblasts in data/regions.toml
order). A source with items links to its page."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from aqparat.data import regions
from aqparat.model import Lang
from aqparat.store import regions as store_regions
from aqparat.store import sources
from aqparat.text.collate import sort_key
from aqparat.web.pages import edition_lang, engine, renderer

# The reading order of types: national bodies, then regional ones, then everything else.
TYPE_ORDER = ("ministry", "agency", "committee", "embassy", "city_akimat", "oblast_akimat",
              "district_akimat", "department", "other")


def type_of(row: sources.SourceRow) -> str:
    """The source's type as the pages name it: an entity type, or "other" (feeds, sites)."""
    return row.entity_type if row.entity_type in TYPE_ORDER else "other"


def type_key(kind: str, *, plural: bool = False) -> str:
    """The catalogue key of a type's name: `etype_ministry`, plural `etypes_ministry`."""
    return f"etype{'s' if plural else ''}_{kind}"


@dataclass(frozen=True, slots=True)
class RegionGroup:
    region: regions.Region | None  # None: national
    sources: list[sources.SourceRow]


@dataclass(frozen=True, slots=True)
class TypeGroup:
    type: str
    regions: list[RegionGroup]

    @property
    def label_key(self) -> str:
        return type_key(self.type, plural=True)


def grouped(rows: list[sources.SourceRow], lang: Lang) -> list[TypeGroup]:
    order = {r.key: n for n, r in enumerate(regions.regions())}
    found: dict[str, dict[str | None, list[sources.SourceRow]]] = {}
    for row in rows:
        region = store_regions.of_source(row)
        found.setdefault(type_of(row), {}).setdefault(region.key if region else None,
                                                      []).append(row)
    return [TypeGroup(kind, [
        RegionGroup(regions.by_key(key), sorted(members, key=lambda r: sort_key(r.name(lang))))
        for key, members in sorted(found[kind].items(),
                                   key=lambda kv: -1 if kv[0] is None else order[kv[0]])])
        for kind in TYPE_ORDER if kind in found]


def sources_page(request: Request) -> Response:
    lang = edition_lang(request)
    with engine(request).connect() as conn:
        rows = sources.all_sources(conn)
        with_items = store_regions.with_items(conn)
    return renderer(request).page(request, "sources.html", lang,
                                  groups=grouped(rows, lang), with_items=with_items)

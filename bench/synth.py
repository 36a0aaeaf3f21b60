"""Synthetic stores of any size: N realistic items written straight into a store, so the pages,
search and crawl workers can be measured at 1 M and 5 M items (bench/scale.py, bench/web.py).

    .venv/bin/python bench/synth.py sqlite:////tmp/aqparat-1m.db 1000000 [--seed 7]
    .venv/bin/python bench/synth.py postgresql://postgres@127.0.0.1/aqparat_1m 1000000

    from synth import build; built = build("sqlite:///x.db", 100_000, seed=7)

What is realistic about them, and where it comes from:
- **Words**: the vocabulary of tests/fixtures/search/corpus.jsonl (Kazakh, Russian, English
  press releases), ../shared's 300 real gov.kz items (Russian) and seed dump (Kazakh), drawn
  with their frequencies; 35 % of Kazakh words take a plural, possessive or case ending with
  vowel harmony (research stack.md §2), so the text is as inflected as real Kazakh.
- **Lengths**: title 6–14 words; lead one or two sentences; body 3–5 paragraphs with a
  median near 130 words — the median of the 300 real gov.kz items.
- **Sources**: data/entities.toml's entities first, then synthetic ones up to `sources` (gov.kz
  has thousands of akimats, departments and embassies), publishing Zipf-distributed (s = 1):
  a few ministries publish most, most district bodies little.
- **Rubrics**: every item is in `news`; each source leans to one topical rubric (60 %),
  otherwise a Zipf-drawn one; one item in five has a second.
- **Languages and versions**: a publication appears in Russian or Kazakh first, and 60 % of
  them also in the other language, 10 % in English: versions share source and external id,
  as gov.kz's do.
- **Dates**: 2015-01 to 2026-11, the volume growing fourfold over the years; ids follow
  publication order with a few hours' jitter, as a crawl in date order would assign them.
- **Stories**: a publication is its own story, except one in ten that reports what another
  source published just before (a story with several sources); `story_lead` marks each
  language's representative (pipeline/stories.leads).
- **Search index**: `store.fts.document` terms written by the store's own engine code —
  PostgreSQL's `add`; on SQLite the stored terms batch by batch and the FTS5 index in one
  pass at the end (`store_terms`, `index_stored`: indexing one by one grows costlier as the
  index grows) — so search works; `aqparat db check` confirms them.

Not written: dedup profiles and bands, facts, events, entities named in items — derived data
that no list, article or search page reads.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aqparat import data
from aqparat.pipeline import stories as pipeline_stories
from aqparat.store import db, rubrics
from aqparat.store.fts import document
from aqparat.store.fts import postgres as fts_postgres
from aqparat.store.fts import sqlite as fts_sqlite
from aqparat.store.schema import item, item_rubric, source, story

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/search.py's writer came first: its word pattern and Kazakh endings by vowel harmony.
from search import ENDINGS, TAG, WORD, _harmony

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = (REPO / "tests" / "fixtures" / "search" / "corpus.jsonl",
           SHARED / "fixtures" / "govkz-real" / "news-ardfm.jsonl")
SEED = SHARED / "seed"
START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
GROWTH = 4.0  # the last day publishes GROWTH × as much as the first
BATCH = 5000  # publications per transaction
SYNTH_TYPES = ("district_akimat", "department", "committee", "city_akimat", "embassy",
               "agency")
SYNTH_NAMES = {
    "kk": "{region} {n}-{kind}", "ru": "{kind} {n} ({region})", "en": "{kind} {n}, {region}"}
KIND_NAMES = {
    "district_akimat": ("аудан әкімдігі", "Акимат района", "District akimat"),
    "department": ("департамент", "Департамент", "Department"),
    "committee": ("комитет", "Комитет", "Committee"),
    "city_akimat": ("қала әкімдігі", "Акимат города", "City akimat"),
    "embassy": ("елшілік", "Посольство", "Embassy"),
    "agency": ("агенттік", "Агентство", "Agency"),
}


# ── vocabulary ──────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class Vocab:
    """Word forms with their cumulative frequencies, and each form's index terms once
    computed (stemming is what indexing costs — docs/search.md — and a vocabulary of tens of
    thousands of forms needs it once per form, not once per occurrence)."""

    words: list[str]
    cum: list[float]  # cumulative frequencies, for random.choices
    lang: str
    terms: list[list[str] | None] = field(default_factory=list)

    def terms_of(self, i: int) -> list[str]:
        found = self.terms[i]
        if found is None:
            found = self.terms[i] = document.text_terms(self.words[i], self.lang)
        return found


def _texts() -> Iterator[tuple[str, str]]:
    """(language, text) of every real text we hold."""
    for path in CORPORA:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            lang = row.get("lang", "ru")
            text = " ".join(str(row.get(k, "")) for k in ("title", "lead", "short_description",
                                                          "body"))
            yield (lang if lang in ("kk", "ru", "en") else "ru"), TAG.sub(" ", text)
    if SEED.is_dir():
        for path in sorted(SEED.glob("*.txt")):
            yield "kk", path.read_text(encoding="utf-8")


def _forms(word: str, lang: str, count: int) -> list[tuple[str, float]]:
    """A word's forms and their shares of its count: in Kazakh, 35 % of occurrences carry one
    of the endings its vowel harmony allows."""
    if lang != "kk":
        return [(word, count)]
    endings = ENDINGS[_harmony(word)]
    share = 0.35 * count / len(endings)
    return [(word, 0.65 * count)] + [(word + e, share) for e in endings]


def vocabularies() -> dict[str, Vocab]:
    counts: dict[str, Counter[str]] = {"kk": Counter(), "ru": Counter(), "en": Counter()}
    for lang, text in _texts():
        counts[lang].update(WORD.findall(text))
    out = {}
    for lang, c in counts.items():
        words: list[str] = []
        total, cum = 0.0, []
        for w in sorted(c):
            for form, share in _forms(w, lang, c[w]):
                words.append(form)
                total += share
                cum.append(total)
        out[lang] = Vocab(words, cum, lang, [None] * len(words))
    return out


# ── sources ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class SourceSpec:
    key: str
    names: dict[str, str]
    entity_type: str | None
    region: str | None
    rubric: str  # the topical rubric it leans to


def source_specs(count: int, rng: random.Random, topical: Sequence[str]) -> list[SourceSpec]:
    """The real entities (data/entities.toml) first, then synthetic ones up to `count`;
    list order is publishing rank (Zipf)."""
    real = data.entities()
    regions = sorted({e.region for e in real.values() if e.region}) or ["astana"]
    specs = [SourceSpec(slug, {str(k): v for k, v in e.names.items()}, e.type, e.region,
                        e.rubrics[0] if e.rubrics else rng.choice(topical))
             for slug, e in sorted(real.items())]
    for n in range(len(specs), count):
        kind = rng.choice(SYNTH_TYPES)
        region = rng.choice(regions)
        names = {lang: SYNTH_NAMES[lang].format(region=region.title(), n=n, kind=k)
                 for lang, k in zip(("kk", "ru", "en"), KIND_NAMES[kind], strict=True)}
        specs.append(SourceSpec(f"synth-{kind}-{n}", names, kind, region, rng.choice(topical)))
    return specs[:count]


def zipf_cum(n: int, s: float = 1.0) -> list[float]:
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cum.append(total)
    return cum


# ── items ───────────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class Text:
    """A generated text and its index terms, made together (the terms of each word are
    computed once: stemming is what indexing costs — docs/search.md)."""

    text: str
    terms: list[str]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(slots=True)
class Writer:
    """Random texts with their index terms, reproducible from the seed."""

    rng: random.Random
    vocab: dict[str, Vocab] = field(default_factory=vocabularies)
    _names: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def text(self, lang: str, n: int, *, sentences: bool) -> Text:
        v = self.vocab[lang]
        picks = self.rng.choices(range(len(v.words)), cum_weights=v.cum, k=n)
        words = [v.words[i] for i in picks]
        known, terms = v.terms, []
        for i in picks:
            found = known[i]
            terms += v.terms_of(i) if found is None else found
        if not sentences:
            return Text(_capital(" ".join(words)), terms)
        out, i = [], 0
        while i < len(words):
            k = self.rng.randint(6, 16)
            out.append(_capital(" ".join(words[i:i + k])) + ".")
            i += k
        return Text(" ".join(out), terms)

    def entity_terms(self, name: str, lang: str) -> list[str]:
        """A source's name's terms, computed once: it recurs in every item of the source."""
        found = self._names.get((name, lang))
        if found is None:
            found = self._names[(name, lang)] = document.text_terms(name, lang)
        return found


@dataclass(slots=True)
class Built:
    items: int
    stories: int
    sources: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class _Batch:
    items: list[dict[str, object]] = field(default_factory=list)
    rubrics: list[dict[str, object]] = field(default_factory=list)
    docs: list[tuple[int, document.Document]] = field(default_factory=list)
    members: dict[int, list[dict[str, object]]] = field(default_factory=dict)  # story → items
    stories: list[dict[str, object]] = field(default_factory=list)


class Synth:
    """Publications in date order, a batch at a time. Batch i is a function of (seed, i)
    alone — its items get ids `first_id + i × size …`, its stories `first_story + i × size …`
    — so worker processes can make batches in parallel and the store is the same."""

    def __init__(self, n: int, seed: int, specs: Sequence[SourceSpec], source_ids: list[int],
                 topical: Sequence[str], first_id: int, first_story: int, size: int) -> None:
        self.n, self.seed, self.size = n, seed, size
        self.rng = random.Random(seed)
        self.writer = Writer(random.Random(seed + 1))
        self.specs, self.source_ids = specs, source_ids
        self.source_cum = zipf_cum(len(specs))
        self.topical, self.topical_cum = list(topical), zipf_cum(len(topical), 0.8)
        self.first_id, self.first_story = first_id, first_story
        self.next_id = self.next_story = 0
        self.span = (END - START).total_seconds()

    @property
    def batches(self) -> int:
        return -(-self.n // self.size)

    def _when(self, fraction: float) -> dt.datetime:
        """The moment a fraction of the way through the volume: the inverse of a density
        growing linearly from 1 to GROWTH, plus a few hours' jitter, in gov.kz's hours."""
        a = GROWTH - 1
        x = (math.sqrt(1 + a * (a + 2) * fraction) - 1) / a
        day = START + dt.timedelta(seconds=int(x * self.span))
        hour = self.rng.choice((3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13))  # 08–18 Almaty, in UTC
        return day.replace(hour=hour, minute=self.rng.randrange(60),
                           second=self.rng.randrange(60))

    def _rubrics(self, spec: SourceSpec) -> list[str]:
        rng = self.rng
        if rng.random() < 0.15:
            return ["news"]
        first = spec.rubric if rng.random() < 0.6 else rng.choices(
            self.topical, cum_weights=self.topical_cum)[0]
        if rng.random() < 0.2:
            second = rng.choices(self.topical, cum_weights=self.topical_cum)[0]
            return list(dict.fromkeys(("news", first, second)))
        return ["news", first]

    def _langs(self) -> list[str]:
        rng = self.rng
        first = "ru" if rng.random() < 0.5 else "kk"
        langs = [first]
        if rng.random() < 0.6:
            langs.append("kk" if first == "ru" else "ru")
        if rng.random() < 0.1:
            langs.append("en")
        return langs

    def _version(self, batch: _Batch, at: dt.datetime, rank: int, lang: str, ext: str,
                 rubric_set: list[str], story_id: int) -> None:
        rng, w, spec = self.rng, self.writer, self.specs[rank]
        item_id, self.next_id = self.next_id, self.next_id + 1
        title = w.text(lang, rng.randint(6, 14), sentences=False)
        lead = w.text(lang, rng.randint(15, 30), sentences=True)
        paras = [w.text(lang, max(8, int(rng.lognormvariate(3.4, 0.5))), sentences=True)
                 for _ in range(rng.randint(3, 5))]
        body_text = "\n\n".join(p.text for p in paras)
        shown = rng.random() >= 0.001  # an operator hid one in a thousand
        seen = at + dt.timedelta(minutes=rng.randint(5, 600))
        row = {
            "id": item_id, "source_id": self.source_ids[rank], "external_id": ext,
            "lang": lang, "original_lang": None, "title": title.text, "lead": lead.text,
            "body_html": "".join(f"<p>{p.text}</p>" for p in paras), "body_text": body_text,
            "source_url": f"https://www.gov.kz/memleket/entities/{spec.key}/press/news/details/"
                          f"{ext}?lang={lang}",
            "published_at": at, "date_only": rng.random() < 0.05, "first_seen": seen,
            "updated_at": seen, "content_hash": f"{item_id:064x}",
            "status": "shown" if shown else "hidden",
            "image_url": f"https://www.gov.kz/uploads/{ext}.jpg" if rng.random() < 0.4 else None,
            "published_raw": None, "raw_page_id": None, "story_id": story_id,
            "story_lead": False, "duplicate_of": None,
        }
        batch.items.append(row)
        batch.members.setdefault(story_id, []).append(row)
        batch.rubrics += [{"item_id": item_id, "rubric_slug": slug, "score": 1.0,
                           "origin": "rule", "reason": "", "published_at": at}
                          for slug in rubric_set]
        if shown:
            body: list[str] = []
            for p in paras:
                body += p.terms
            entity = w.entity_terms(spec.names.get(lang) or "", lang)
            fields = (title.terms, lead.terms, body, entity)
            caps = [document.CAPS[f] for f in document.FIELDS]
            meta = (document.lang_token(lang), document.source_token(self.source_ids[rank]),
                    *sorted(map(document.rubric_token, set(rubric_set))))
            batch.docs.append((item_id, document.Document(
                document.key(at, item_id),
                tuple(tuple(f[:c]) for f, c in zip(fields, caps, strict=True)), meta)))

    def batch(self, i: int) -> _Batch:
        """Batch i: items i × size up to (i + 1) × size of the n, with their stories."""
        self.rng = random.Random(self.seed * 1_000_003 + i)
        self.writer.rng = random.Random(self.seed * 7_919 + i)
        start = i * self.size
        count = min(self.size, self.n - start)
        self.next_id, self.next_story = self.first_id + start, self.first_story + start
        batch, recent = _Batch(), list[int]()
        while len(batch.items) < count:
            at = self._when((start + len(batch.items)) / self.n)
            rank = bisect.bisect_left(self.source_cum, self.rng.random() * self.source_cum[-1])
            rubric_set = self._rubrics(self.specs[rank])
            # One in ten reports what another source published just before: one story.
            if recent and self.rng.random() < 0.1:
                story_id = self.rng.choice(recent)
            else:
                story_id, self.next_story = self.next_story, self.next_story + 1
            recent = [*recent[-29:], story_id]
            ext = str(10_000_000 + self.next_id)
            for lang in self._langs()[:count - len(batch.items)]:
                self._version(batch, at, rank, lang, ext, rubric_set, story_id)
        batch.stories = _story_rows(batch)
        return batch


def _story_rows(batch: _Batch) -> list[dict[str, object]]:
    """Each story's figures and representatives, as store/stories.refresh computes them."""
    rows = []
    for story_id, members in batch.members.items():
        shown = [m for m in members if m["status"] == "shown"] or members
        lines = [pipeline_stories.Line(int(str(m["id"])), str(m["lang"]),
                                       m["published_at"]) for m in shown]  # type: ignore[arg-type]
        rep = pipeline_stories.representative(lines)
        assert rep is not None
        leads = pipeline_stories.leads(lines)
        for m in members:
            m["story_lead"] = m["id"] in leads
        dates = [line.published_at for line in lines]
        rows.append({"id": story_id, "representative_id": rep.item_id, "first_at": min(dates),
                     "last_at": max(dates), "items": len(shown),
                     "sources": len({m["source_id"] for m in shown}),
                     "langs": ",".join(c for c in ("kk", "ru", "en")
                                       if any(m["lang"] == c for m in shown))})
    return rows


# ── writing ─────────────────────────────────────────────────────────────────────────────────


def _sources(conn: sa.Connection, specs: Sequence[SourceSpec]) -> list[int]:
    """Each spec's source id, inserting the ones the store lacks."""
    have = dict(conn.execute(sa.select(source.c.key, source.c.id)
                             .where(source.c.kind == "govkz")).all())
    now = dt.datetime.now(dt.UTC)
    missing = [{"kind": "govkz", "key": s.key, "name_kk": s.names.get("kk"),
                "name_ru": s.names.get("ru"), "name_en": s.names.get("en"),
                "entity_type": s.entity_type, "region": s.region, "created_at": now,
                "origin": "seed" if not s.key.startswith("synth-") else "discovered"}
               for s in specs if s.key not in have]
    if missing:
        conn.execute(source.insert(), missing)
        have = dict(conn.execute(sa.select(source.c.key, source.c.id)
                                 .where(source.c.kind == "govkz")).all())
    return [int(have[s.key]) for s in specs]


_SYNTH: Synth | None = None  # the forked workers' copy


def _make(i: int) -> _Batch:
    assert _SYNTH is not None
    return _SYNTH.batch(i)


def _parts(synth: Synth, workers: int) -> Iterator[_Batch]:
    """The batches in order; made by `workers` forked processes, at most two each ahead of
    the writer (a batch is tens of megabytes)."""
    if workers <= 0:
        yield from (synth.batch(i) for i in range(synth.batches))
        return
    global _SYNTH  # handed to the forked workers, which inherit it
    _SYNTH = synth
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[AsyncResult[_Batch]] = deque()
        for i in range(synth.batches):
            pending.append(pool.apply_async(_make, (i,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _big_cache(dbapi_conn: Any, _record: object) -> None:
    dbapi_conn.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB


def _index_cache_kib() -> int:
    """A page cache for the FTS5 index pass: half the machine's memory, at most 8 GiB."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return min(memory // 2, 8 * 2**30) // 1024


def _next(conn: sa.Connection, column: sa.Column[int]) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(column), 0))).scalar_one()) + 1


def build(url: str, n: int, seed: int = 7, *, sources: int = 2000, batch: int = BATCH,
          workers: int = 0, progress: Callable[[int], None] | None = None) -> Built:
    """Add `n` items to the store at `url` (migrated to the head first), with their rubrics,
    stories and search index; `progress(k)` after each batch of k items. With `workers`,
    that many processes make the batches while this one writes them."""
    engine = db.create_engine(url)
    if engine.dialect.name == "sqlite":
        # FTS5 merges its segments as it grows: with SQLite's default 2 MB page cache every
        # merge re-reads them from the OS (the rate fell from 935 to 353 items/s by 20,000).
        sa.event.listen(engine, "connect", _big_cache)
    db.upgrade(engine, backfill=False)
    started = time.perf_counter()
    rng = random.Random(seed)
    with engine.begin() as conn:
        defs = data.rubrics()
        rubrics.sync(conn, defs)
        topical = [r.slug for r in defs if r.slug != "news"]
        specs = source_specs(sources, rng, topical)
        source_ids = _sources(conn, specs)
        synth = Synth(n, seed, specs, source_ids, topical, _next(conn, item.c.id),
                      _next(conn, story.c.id), batch)
    stories_written = 0
    sqlite = engine.dialect.name == "sqlite"
    for part in _parts(synth, workers):
        with engine.begin() as conn:
            conn.execute(item.insert(), part.items)
            conn.execute(story.insert(), part.stories)  # after: it names its representative
            conn.execute(item_rubric.insert(), part.rubrics)
            if sqlite:  # terms now, the FTS5 index in one pass at the end (fts_sqlite docs)
                fts_sqlite.store_terms(conn, part.docs)
            else:
                fts_postgres.add(conn, part.docs)
        stories_written += len(part.stories)
        if progress:
            progress(len(part.items))
    if not sqlite:
        with engine.begin() as conn:  # rows came with their ids: move the sequences past them
            for table in (item, story):  # our own table names, never input
                name = table.name
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {name}))"))
    if sqlite:
        with engine.begin() as conn:
            # The one pass merges segments that outgrow any small cache: with 256 MiB it read
            # 29 GB from the OS for 200,000 items (50 s of CPU) and ran for over 40 minutes at
            # 1 M; with room for the whole index, 0.3 GB and 33 s.
            cache_kib = _index_cache_kib()
            conn.exec_driver_sql(f"PRAGMA cache_size = -{cache_kib}")
            conn.exec_driver_sql(f"PRAGMA mmap_size = {cache_kib * 1024}")
            fts_sqlite.index_stored(conn)
    seconds = time.perf_counter() - started
    engine.dispose()
    return Built(n, stories_written, len(specs), seconds)


def ticker(n: int) -> Callable[[int], None]:
    state = {"done": 0, "t": time.perf_counter()}

    def tick(k: int) -> None:
        state["done"] += k
        rate = state["done"] / (time.perf_counter() - state["t"])
        print(f"\r  items {state['done']:,}/{n:,} ({rate:,.0f}/s)", end="", file=sys.stderr,
              flush=True)

    return tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="sqlite:///path.db or postgresql://user@host/db")
    parser.add_argument("n", type=int, help="items to add")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2,
                        help="processes making batches while the main one writes (0: none)")
    args = parser.parse_args()
    built = build(args.url, args.n, args.seed, sources=args.sources, workers=args.workers,
                  progress=ticker(args.n))
    print(file=sys.stderr)
    print(f"{built.items:,} items, {built.stories:,} stories, {built.sources:,} sources in "
          f"{built.seconds:,.1f} s: {built.rate:,.0f} items/s")


if __name__ == "__main__":
    main()

"""Generated gov.kz listing items for `aqparat backfill --generate N` and bench/backfill.py:
as many as wanted, each one the same whatever order or batch it is made in.

Realistic where the pipeline's cost depends on it: the text is real gov.kz sentences (the
fake gov.kz's world: real Russian bodies, Kazakh and English versions derived word by word),
re-mixed and with a quarter of the words swapped for others of the same language, so
almost no two items are near-duplicates by accident and no sentence is every item's
boilerplate; HTML paragraphs as gov.kz writes them; entities from data/entities.toml with a
Zipf-like share (a few ministries publish most); languages kk 40 %, ru 45 %, en 15 %; one
item a minute going back in time from a fixed date. Item n is a function of (seed, n) alone,
so a resumed backfill regenerates exactly the items it had not stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from aqparat import data
from aqparat.model import Lang
from aqparat.testing import govkz_world

FIRST_ID = 50_000_000  # far above real gov.kz ids (≈1.2 million in 2026)
NEWEST = dt.datetime(2026, 11, 28, 18, 0)
LANG_SHARES: tuple[tuple[Lang, float], ...] = (("kk", 0.40), ("ru", 0.45), ("en", 0.15))
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[А-ЯЁӘҒҚҢӨҰҮҺІA-Z«])")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w{4,}")


@dataclass(frozen=True, slots=True)
class Generated:
    """One listing element (as gov.kz's JSON gives it) and where it is listed."""

    slug: str
    lang: Lang
    obj: dict[str, object]


@dataclass(frozen=True, slots=True)
class _Pool:
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    words: tuple[str, ...]


@functools.cache
def _pools() -> dict[str, _Pool]:
    path = govkz_world.FULL_FIXTURE if govkz_world.FULL_FIXTURE.is_file() else None
    world = govkz_world.build(govkz_world.load_items(path))
    pools: dict[str, _Pool] = {}
    for lang in govkz_world.LANGS:
        texts = [n.texts[lang] for n in world.news.values() if lang in n.texts]
        sentences = [s for t in texts for s in _sentences(t.get("body") or "")]
        words = sorted({w for s in sentences for w in _WORD.findall(s)})
        pools[lang] = _Pool(tuple(str(t["title"]) for t in texts), tuple(sentences),
                            tuple(words))
    return pools


def _sentences(body: str) -> list[str]:
    text = " ".join(_TAG.sub(" ", body).replace("&nbsp;", " ").split())
    return [s for s in _SENTENCE.split(text) if 30 <= len(s) <= 400]


@functools.cache
def _slugs() -> tuple[tuple[str, ...], tuple[float, ...]]:
    slugs = tuple(sorted(data.entities()))
    return slugs, tuple(1.0 / (rank + 1) for rank in range(len(slugs)))


def _mutate(sentence: str, pool: _Pool, rng: random.Random) -> str:
    return _WORD.sub(lambda m: rng.choice(pool.words) if rng.random() < 0.25 else m.group(),
                     sentence)


def item(seed: int, n: int) -> Generated:
    """The n-th generated item of `seed`."""
    rng = random.Random(seed * 1_000_003 + n)
    slugs, weights = _slugs()
    slug = rng.choices(slugs, weights)[0]
    lang = rng.choices([lang for lang, _ in LANG_SHARES], [w for _, w in LANG_SHARES])[0]
    pool = _pools()[lang]
    paragraphs = []
    for _ in range(rng.randint(2, 7)):
        chosen = rng.sample(pool.sentences, rng.randint(1, 4))
        paragraphs.append(" ".join(_mutate(s, pool, rng) for s in chosen))
    body = "".join(f'<p align="justify">{p}</p>\n' for p in paragraphs)
    created = NEWEST - dt.timedelta(minutes=n, seconds=rng.randint(0, 59))
    return Generated(slug, lang, {
        "id": FIRST_ID + seed * 100_000_000 + n, "title": _mutate(rng.choice(pool.titles),
                                                                   pool, rng),
        "slug": f"news-{n}", "created_date": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "heropic": f"/uploads/synth/{n}.jpg" if n % 4 == 1 else None,
        "short_description": None, "body": f"<html><body>\n{body}</body></html>",
        "projects": slug,
    })


def items(seed: int, start: int, stop: int) -> Iterator[Generated]:
    for n in range(start, stop):
        yield item(seed, n)

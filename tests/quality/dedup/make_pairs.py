"""Build the duplicate/story evaluation set (items.jsonl, pairs.jsonl; both committed).

Real-shaped text only: the seed page (../shared/seed/), the real gov.kz items
(../shared/fixtures/govkz-real/news-ardfm.jsonl), the re-posts people make of them (a new
opening line, a changed title, trimmed, a contact block appended, words dropped, all at once),
hand-written translations and follow-ups (texts.py), and hard negatives: embassies' different
news under one sign-off, akimats' monthly reports on one template, announcements on one
template, and the real items closest in shingles among different releases. Labels:
`duplicate` (the same text, edited), `story` (another report or language of the same event),
`different`. Every base item is cleaned by the real pipeline first. Run from the repository
root (deterministic):

    .venv/bin/python tests/quality/dedup/make_pairs.py
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from aqparat import data
from aqparat.model import RawItem
from aqparat.pipeline import dedup
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.sources import dumps

sys.path.insert(0, str(Path(__file__).parent))
import texts

HERE = Path(__file__).parent
SHARED = HERE.parents[3] / "shared"
SEED = SHARED / "seed" / "000_61e82a4af1ac5571.txt"
REAL = SHARED / "fixtures" / "govkz-real" / "news-ardfm.jsonl"
ALMATY = dt.timezone(dt.timedelta(hours=5))
OPTIONS = PipelineOptions(rubric_aliases=data.rubric_aliases())


@dataclass(frozen=True)
class Item:
    key: str
    source: str
    external_id: str
    lang: str
    title: str
    paragraphs: list[str]
    published: dt.datetime

    def json(self) -> dict[str, str]:
        return {"key": self.key, "source": self.source, "external_id": self.external_id,
                "lang": self.lang, "title": self.title, "body": "\n\n".join(self.paragraphs),
                "published": self.published.isoformat()}

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class Builder:
    rng: random.Random
    items: dict[str, Item] = field(default_factory=dict)
    pairs: list[dict[str, str]] = field(default_factory=list)
    _n: itertools.count[int] = field(default_factory=itertools.count)

    def add(self, item: Item) -> Item:
        self.items[item.key] = item
        return item

    def derived(self, base: Item, source: str, lang: str | None = None, **changes: object) -> Item:
        n = next(self._n)
        item = replace(base, key=f"x{n}", source=source, external_id=str(900000 + n),
                       lang=lang or base.lang, **changes)  # type: ignore[arg-type]
        return self.add(item)

    def pair(self, a: Item, b: Item, label: str, kind: str) -> None:
        self.add(a), self.add(b)
        self.pairs.append({"a": a.key, "b": b.key, "label": label, "kind": kind})


def _cleaned(raw: RawItem, key: str) -> Item:
    art = process(raw, OPTIONS).article
    assert art is not None, raw.origin
    return Item(key, art.source_key, art.external_id, art.lang, art.title,
                art.body_text.split("\n\n"), art.published_at.astimezone(ALMATY))


def seed_items() -> list[Item]:
    seen: dict[str, Item] = {}
    for raw in dumps.read_dump(SEED, portal="enbekshiqazaq.kz"):
        key = f"seed:{raw.external_id}"
        seen.setdefault(key, _cleaned(raw, key))
    return list(seen.values())


def real_items() -> list[Item]:
    found = []
    for line in REAL.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = dt.datetime.fromisoformat(r["created_date"].replace("Z", ""))
        raw = RawItem("govkz", "ardfm", str(r["id"]), r["title"], r["body"], "html", published,
                      None, "ru", origin=f"ardfm:{r['id']}")
        found.append(_cleaned(raw, f"ardfm:{r['id']}"))
    return found


# ── re-post edits ───────────────────────────────────────────────────────────────────────────

REPOSTERS = [f"akimat-{slug}" for _, slug in texts.PLACES]


def contact(lang: str, poster: str) -> str:
    n = REPOSTERS.index(poster)
    place, slug = texts.PLACES[n]
    return texts.CONTACTS[lang].format(place=place, slug=slug, n=10 + n, m=20 + 3 * n)


def opening(b: Builder, it: Item) -> list[str]:
    return [b.rng.choice(texts.OPENINGS[it.lang]), *it.paragraphs]


def retitle(b: Builder, it: Item) -> str:
    forms = {"ru": ["Официально: {t}", "{t} (официальная информация)", "АРРФР: {t}"],
             "kk": ["Ресми: {t}", "{t} (ресми ақпарат)"], "en": ["Official: {t}"]}
    return b.rng.choice(forms[it.lang]).format(t=it.title)


def trimmed(it: Item) -> list[str]:
    if len(it.paragraphs) >= 3:
        return it.paragraphs[:-1]
    words = it.paragraphs[-1].split()
    return [*it.paragraphs[:-1], " ".join(words[: max(8, len(words) * 3 // 4)])]


def dropped_words(b: Builder, it: Item) -> list[str]:
    out = []
    for p in it.paragraphs:
        words = [w for w in p.split() if b.rng.random() > 0.03]
        out.append(" ".join(words))
    return [" ".join(out[:2]), *out[2:]] if len(out) > 2 else out


EDITS = ["opening", "title", "trim", "contact", "words", "all"]


def repost(b: Builder, base: Item, edit: str, poster: str, hours: float) -> Item:
    title, paras = base.title, list(base.paragraphs)
    if edit in ("opening", "all"):
        paras = opening(b, base)
    if edit in ("title", "all"):
        title = retitle(b, base)
    if edit == "trim":
        paras = trimmed(base)
    if edit in ("contact", "all"):
        paras = [*paras, contact(base.lang, poster)]
    if edit == "words":
        paras = dropped_words(b, base)
    return b.derived(base, poster, title=title, paragraphs=paras,
                     published=base.published + dt.timedelta(hours=hours))


def duplicates(b: Builder, long_: list[Item], short: list[Item]) -> None:
    for n, base in enumerate(long_[:34]):
        for edit in b.rng.sample(EDITS, 3):
            poster = REPOSTERS[(n + EDITS.index(edit)) % len(REPOSTERS)]
            b.pair(base, repost(b, base, edit, poster, b.rng.uniform(1, 60)), "duplicate", edit)
    for n, base in enumerate(short[:16]):
        for edit in b.rng.sample(["opening", "title", "contact", "words"], 2):
            poster = REPOSTERS[(n + EDITS.index(edit)) % len(REPOSTERS)]
            b.pair(base, repost(b, base, edit, poster, b.rng.uniform(1, 60)), "duplicate",
                   f"short-{edit}")
    for n, base in enumerate(long_[34:44] + short[16:20]):
        copy = b.derived(base, REPOSTERS[n % len(REPOSTERS)],
                         published=base.published + dt.timedelta(hours=3))
        b.pair(base, copy, "duplicate", "exact")


# ── same story: follow-ups and translations ─────────────────────────────────────────────────

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[А-ЯA-ZӘҒҚҢӨҰҮҺІ«\d])")
FOLLOW_INTRO = {"ru": "Ранее регулятор сообщал об этом решении. Приводим основные цифры.",
                "kk": "Бұл туралы бұрын хабарланған болатын. Негізгі деректерді ұсынамыз."}
FOLLOW_END = {"ru": "Подробнее — на официальном интернет-ресурсе Агентства.",
              "kk": "Толығырақ — Агенттіктің ресми интернет-ресурсында."}


def numbered_sentences(it: Item) -> list[str]:
    found = [s for p in it.paragraphs for s in _SENTENCE.split(p)]
    return [s for s in found if re.search(r"\d{3,}|\d+,\d+", s)]


def follow_ups(b: Builder, pool: list[Item]) -> None:
    made = 0
    for base in pool:
        picked = numbered_sentences(base)
        if len(picked) < 3 or base.lang not in FOLLOW_INTRO or made >= 30:
            continue
        chosen = b.rng.sample(picked, 3)
        body = [FOLLOW_INTRO[base.lang], *chosen, FOLLOW_END[base.lang]]
        title = f"{' '.join(base.title.split()[:6])}: подробности"
        item = b.derived(base, "nationalbank", title=title, paragraphs=body,
                         published=base.published + dt.timedelta(days=b.rng.uniform(0.5, 3)))
        b.pair(base, item, "story", "follow-up")
        made += 1


def translations(b: Builder, by_key: dict[str, Item]) -> None:
    for key, (lang, title, body) in texts.TRANSLATIONS.items():
        base = by_key[key]
        poster = "mfa" if key.startswith("seed") else "akimat-akmola"
        item = b.derived(base, poster, lang=lang, title=title, paragraphs=body,
                         published=base.published + dt.timedelta(hours=b.rng.uniform(2, 30)))
        b.pair(base, item, "story", "translation")


# ── hard negatives ──────────────────────────────────────────────────────────────────────────

EMBASSIES = ["mfa-geneva", "mfa-ankara", "mfa-seoul", "mfa-berlin", "mfa-tashkent",
             "mfa-beijing", "mfa-washington", "mfa-paris", "mfa-london", "mfa-tokyo"]
WEEK = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY)


def embassy_news(b: Builder) -> None:
    """Each embassy posts its own news, always ending with the same MFA paragraph; before
    that, two routine posts with the same ending (the source's history)."""
    posted = []
    for n, (lang, title, body) in enumerate(texts.EMBASSY_NEWS):
        src = EMBASSIES[n]
        for k in range(2):
            routine = [f"Елшілік {k + 1}-ші апта бойынша консулдық қабылдау кестесін жариялады."
                       if lang == "kk" else
                       f"Посольство опубликовало график консульского приёма на {k + 1}-ю неделю.",
                       texts.SIGN_OFF[lang]]
            b.add(Item(f"{src}:r{k}", src, f"{src}-r{k}", lang,
                       "Консулдық қабылдау" if lang == "kk" else "Консульский приём", routine,
                       WEEK + dt.timedelta(days=k - 7, hours=n)))
        posted.append(b.add(Item(f"{src}:news", src, f"{src}-1", lang, title,
                                 [*body, texts.SIGN_OFF[lang]],
                                 WEEK + dt.timedelta(hours=5 * n))))
    for a, c in itertools.combinations(posted, 2):
        if a.lang == c.lang:
            b.pair(a, c, "different", "embassy-sign-off")


def akimat_reports(b: Builder) -> None:
    rng, made = b.rng, {}
    for lang, names in texts.DISTRICTS.items():
        title_t, body_t = texts.AKIMAT_REPORT[lang]
        for n, district in enumerate(names):
            fill = {"district": district, "month": texts.MONTHS[lang],
                    "jobs": rng.randint(40, 400), "loans": rng.randint(5, 90),
                    "sum": rng.randint(50, 2000), "roads": rng.randint(3, 60),
                    "houses": rng.choice([24, 36, 45, 60, 72, 90])}
            made[(lang, n)] = b.add(Item(
                f"report:{lang}:{n}", f"akimat-district-{lang}-{n}", f"r{lang}{n}", lang,
                title_t.format(**fill), [p.format(**fill) for p in body_t],
                dt.datetime(2026, 4, 2, 9 + n, 0, tzinfo=ALMATY)))
    for (la, na), (lb, nb) in itertools.combinations(made, 2):
        if la == lb:
            b.pair(made[(la, na)], made[(lb, nb)], "different", "akimat-template")
    for n in range(4):
        base = made[("kk", n)]
        b.pair(base, repost(b, base, "opening", "akimat-akmola", 5), "duplicate",
               "akimat-repost")


def announcements(b: Builder) -> None:
    title_t, body_t = texts.ANNOUNCEMENT
    made = []
    for n, (role, name, place, day, time, city, street, venue) in enumerate(texts.ANNOUNCED):
        fill = {"role": role, "name": name, "place_gen": place, "day": day, "time": time,
                "city": city, "street": street, "venue": venue}
        made.append(b.add(Item(f"announce:{n}", f"kgd-{n}", f"a{n}", "kk",
                               title_t.format(**fill), [p.format(**fill) for p in body_t],
                               dt.datetime(2026, 3, 17, 9, n, tzinfo=ALMATY))))
    for a, c in itertools.combinations(made, 2):
        b.pair(a, c, "different", "announcement-template")
    for n, base in enumerate(made[:6]):
        edit = ["opening", "title", "all"][n % 3]
        b.pair(base, repost(b, base, edit, REPOSTERS[n], 2), "duplicate", f"short-{edit}")


def shingle_set(it: Item) -> set[str]:
    terms = dedup.shingles_terms(" ".join(it.paragraphs), "ru")
    return set(dedup.shingles(terms))


def lookalikes(b: Builder, pool: list[Item], count: int) -> None:
    """Different real releases whose shingles overlap most (licence and appointment notices
    share their template); pairs with identical bodies are left out, being the same text."""
    sets = {it.key: shingle_set(it) for it in pool}
    scored = []
    for a, c in itertools.combinations(pool, 2):
        sa, sc = sets[a.key], sets[c.key]
        if sa and sc and sa != sc:
            scored.append((len(sa & sc) / len(sa | sc), a.key, c.key))
    scored.sort(reverse=True)
    by_key = {it.key: it for it in pool}
    for _, a, c in scored[:count]:
        b.pair(by_key[a], by_key[c], "different", "real-lookalike")


def randoms(b: Builder, pool: list[Item], count: int) -> None:
    for _ in range(count):
        a, c = b.rng.sample(pool, 2)
        b.pair(a, c, "different", "random")


def main() -> None:
    b = Builder(random.Random(5))
    seed, real = seed_items(), real_items()
    by_key = {it.key: it for it in seed + real}
    b.pair(by_key["seed:1183541"], by_key["seed:1183542"], "story", "seed-referendum")
    translations(b, by_key)
    free = [it for it in real if it.key not in texts.TRANSLATIONS]
    b.rng.shuffle(free)
    long_ = [it for it in free if it.words >= 80]
    short = [it for it in free if 25 <= it.words < 80]
    duplicates(b, long_, short)
    follow_ups(b, long_[44:] + long_[:34])
    embassy_news(b)
    akimat_reports(b)
    announcements(b)
    lookalikes(b, real, 45)
    randoms(b, real + seed, 40)
    write(b)


def write(b: Builder) -> None:
    items = sorted(b.items.values(), key=lambda it: (it.published, it.key))
    with (HERE / "items.jsonl").open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it.json(), ensure_ascii=False) + "\n")
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for p in b.pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    labels = {lab: sum(p["label"] == lab for p in b.pairs)
              for lab in ("duplicate", "story", "different")}
    print(f"{len(items)} items, {len(b.pairs)} pairs: {labels}")


if __name__ == "__main__":
    main()

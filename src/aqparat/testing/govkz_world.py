"""The news a fake gov.kz serves: real gov.kz items (their Russian bodies, HTML exactly as the
API gave it) spread over several entities, with Kazakh and English versions derived from them.

No kk/en originals exist in the fixtures, so the derived versions keep each real body's markup
(wrapper, entities, tables, images) and swap every Cyrillic word for a Kazakh or English word
picked by hash: the language detector sees Kazakh or English, the HTML cleaner sees gov.kz's
markup. The world also carries the shapes govkz.md §6 asks fixtures to have: `body: null` with
a short description, `heropic`, a YouTube frame, `projects` as a string and as a list, a link
to another entity, an English translation missing, a Kazakh listing that falls back to the
Russian text.
"""

from __future__ import annotations

import copy
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "fixtures" / "govkz" / "news-ru.jsonl"
FULL_FIXTURE = REPO.parent / "shared" / "fixtures" / "govkz-real" / "news-ardfm.jsonl"
ENTITIES = ("ardfm", "mfa", "almaty")
LANGS = ("kk", "ru", "en")

_KK_WORDS = (
    "әкімдік", "қызмет", "мемлекеттік", "өңір", "бағдарлама", "жұмыс", "тұрғындар", "ақпарат",
    "қаржы", "нарық", "үкімет", "шешім", "жиналыс", "өтініш", "құжат", "реттеу", "даму",
    "қорғау", "ұйым", "кеңес", "жобасы", "қаңтар", "тәртіп", "ережелер", "сұрақтар", "жауап",
    "көмек", "мүмкіндік", "өкілдер", "қалалық", "аудандық", "білім", "денсаулық", "ғылым",
    "өндіріс", "сақтандыру", "несие", "төлем", "салық", "кәсіпкер", "азаматтар", "құқық",
    "мәселе", "қатысушылар", "іс-шара", "бүгін", "өткізілді", "жүргізілді", "туралы", "және",
)
_EN_WORDS = (
    "agency", "market", "financial", "regulation", "development", "ministry", "citizens",
    "meeting", "decision", "program", "service", "public", "region", "report", "insurance",
    "bank", "credit", "payment", "license", "council", "project", "rules", "questions",
    "answers", "support", "opportunity", "officials", "city", "district", "education",
    "health", "science", "industry", "taxes", "business", "rights", "issue", "participants",
    "event", "today", "held", "conducted", "about", "and", "the", "of", "for", "with", "new",
    "state",
)
_TOKENS = re.compile(r"(<[^>]*>|&[#A-Za-z0-9]+;)")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")


def _swap(word: str, pool: tuple[str, ...]) -> str:
    choice = pool[zlib.crc32(word.lower().encode()) % len(pool)]
    return choice.capitalize() if word[:1].isupper() else choice


def translate(text: str, lang: str) -> str:
    """Every Cyrillic word outside tags and entities → a Kazakh or English word."""
    if lang == "ru":
        return text
    pool = _KK_WORDS if lang == "kk" else _EN_WORDS
    parts = _TOKENS.split(text)
    return "".join(part if _TOKENS.fullmatch(part) else
                   _CYRILLIC_WORD.sub(lambda m: _swap(m.group(), pool), part) for part in parts)


@dataclass(slots=True)
class News:
    """One gov.kz news id: fields shared by all languages, and each language's text."""

    id: int
    slug: str
    created_date: str
    heropic: str | None
    projects: str | list[str]
    texts: dict[str, dict[str, str | None]]  # lang → title, body, short_description

    def as_json(self, lang: str, *, id_as_string: bool = False) -> dict[str, object]:
        text = self.texts[lang]
        return {
            "id": str(self.id) if id_as_string else self.id, "title": text["title"],
            "slug": f"news-{self.id}", "created_date": self.created_date,
            "heropic": self.heropic, "short_description": text["short_description"],
            "body": text["body"], "projects": copy.copy(self.projects),
        }


@dataclass(slots=True)
class World:
    news: dict[int, News] = field(default_factory=dict)

    def listing(self, slug: str, lang: str) -> list[News]:
        """What `projects=eq:<slug>` lists in `lang`, newest first (ties: higher id first)."""
        found = [n for n in self.news.values() if n.slug == slug and lang in n.texts]
        return sorted(found, key=lambda n: (n.created_date, n.id), reverse=True)

    def slugs(self) -> list[str]:
        return sorted({n.slug for n in self.news.values()})

    def edit(self, news_id: int, lang: str, **text: str | None) -> None:
        """An editor changes an item after it was published (and maybe collected)."""
        self.news[news_id].texts[lang].update(text)

    def redate(self, news_id: int, created_date: str) -> None:
        self.news[news_id].created_date = created_date

    def expected_keys(self) -> set[tuple[str, str, str]]:
        """(slug, id, lang) of every version a complete crawl must store: translations that
        exist and are not the Russian fallback text."""
        return {(n.slug, str(n.id), lang) for n in self.news.values()
                for lang in n.texts if not _is_fallback(n, lang)}


def _is_fallback(news: News, lang: str) -> bool:
    return lang != "ru" and news.texts[lang]["body"] == news.texts["ru"]["body"] \
        and news.texts[lang]["title"] == news.texts["ru"]["title"]


def load_items(path: Path | None = None) -> list[dict[str, object]]:
    source = path or FIXTURE
    return [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _texts(item: dict[str, object], n: int) -> dict[str, dict[str, str | None]]:
    title, body = str(item["title"]), item.get("body")
    texts = {lang: {"title": translate(title, lang),
                    "body": translate(str(body), lang) if body is not None else None,
                    "short_description": None} for lang in LANGS}
    if n % 7 == 3:
        del texts["en"]  # a translation that was never made
    if n % 11 == 5:
        texts["kk"] = dict(texts["ru"])  # gov.kz answering kk with the Russian text
    return texts


def _shape(news: News, n: int, slugs: tuple[str, ...]) -> None:
    """The §6 fixture shapes, spread deterministically over the items of each entity."""
    position = n // len(slugs)
    if position % 4 == 1:
        news.heropic = (f"/uploads/2020/9/14/{news.id:032x}_original.{news.id % 99999}.JPG")
    if position % 5 == 2:
        news.projects = [news.slug, f"{news.slug}-geneva"]
    if position == 3:
        for text in news.texts.values():
            body = text["body"] or ""
            text["short_description"] = re.sub(r"<[^>]+>", " ", body)[:160].strip() or "—"
            text["body"] = None
    if position == 4:
        frame = ('<p><iframe width="560" height="315" src="https://www.youtube.com/embed/'
                 'dQw4w9WgXcQ" frameborder="0" allowfullscreen></iframe></p>')
        link = '<p><a href="/memleket/entities/karaganda-transport/press?lang=ru">→</a></p>'
        for text in news.texts.values():
            text["body"] = (text["body"] or "").replace("</body>", frame + link + "</body>")


def build(items: Iterable[dict[str, object]], slugs: tuple[str, ...] = ENTITIES) -> World:
    """Items dealt round-robin to `slugs` in id order, each in kk, ru and en."""
    world = World()
    for n, item in enumerate(sorted(items, key=lambda i: int(str(i["id"])))):
        slug = slugs[n % len(slugs)]
        news = News(int(str(item["id"])), slug, str(item["created_date"]), None, slug,
                    _texts(item, n))
        _shape(news, n, slugs)
        world.news[news.id] = news
    return world

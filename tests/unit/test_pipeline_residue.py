"""Stage 1 through `pipeline.run.process`: what a stored item may never carry — an ALL-CAPS
title, tool residue, zero-width characters — and the empty-body rule (an item with nothing to
show is held back with a reason; one with only pictures is kept)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat.model import Article, RawItem
from aqparat.pipeline.body import clean_title
from aqparat.pipeline.run import PipelineOptions, process
from aqparat.text.residue import clean_inline, is_residue

NOW = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
OPTIONS = PipelineOptions(rubric_aliases={}, clock=lambda: NOW)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202c"


def raw(title: str, body: str, fmt: str = "html", image: str | None = None) -> RawItem:
    return RawItem(source_kind="govkz", source_key="mod", external_id="1136231", title=title,
                   body=body, body_format=fmt,  # type: ignore[arg-type]
                   published=dt.date(2026, 3, 17),
                   source_url="https://www.gov.kz/memleket/entities/mod/press/news/details/1",
                   declared_lang="kk", image_url=image)


def kept(item: RawItem) -> Article:
    outcome = process(item, OPTIONS)
    assert outcome.article is not None, outcome.reason
    return outcome.article


def test_a_shouting_title_and_residue_in_the_body_are_cleaned_before_storing() -> None:
    article = kept(raw(
        "ШЫМКЕНТТЕ ЖАҢА МЕКТЕП АШЫЛДЫ: ҚР БІЛІМ МИНИСТРІ ҚАТЫСТЫ",
        "<p>Перевод:</p><p>**Бүгін** Шымкент\u200bте [жаңа мектеп](https://gov.kz/a) "
        "ашылды. 141 / 5 000</p><h2>## Мектеп туралы</h2><p>Translated by Google</p>"
        "<p>Мектеп 1200 оқушыға арналған.</p>"))
    assert article.title == "Шымкентте жаңа мектеп ашылды: ҚР білім министрі қатысты"
    for text in (article.body_text, article.body_html, article.lead):
        for residue in ("**", "##", "](", "5 000", "Перевод", "Translated", "\u200b"):
            assert residue not in text, (residue, text)
    assert article.body_text.split("\n\n") == [
        "Бүгін Шымкентте жаңа мектеп ашылды.", "Мектеп туралы",
        "Мектеп 1200 оқушыға арналған."]
    assert '<a href="https://gov.kz/a"' not in article.body_html  # the link was text, not markup


def test_a_text_body_loses_residue_lines() -> None:
    article = kept(raw("Кездесу өтті", "Кездесу өтті\nGoogle Translate\nӘкім тұрғындармен "
                       "кездесті.\n.png)\nСұрақтарға жауап берді.", fmt="text"))
    assert article.body_text == "Әкім тұрғындармен кездесті.\n\nСұрақтарға жауап берді."


def test_an_item_with_nothing_to_show_is_held_back_with_a_reason() -> None:
    """anchor-site.md §3.1: mod 1136231 was a title and a Source line; we do not publish it."""
    for body in ("", "<p>Әскери қызметші</p>", "<p>\u200b</p><p>Translated by Google</p>"):
        outcome = process(raw("Әскери қызметші", body), OPTIONS)
        assert not outcome.kept
        assert "empty body" in outcome.reason
        assert "1136231" not in outcome.reason or outcome.reason  # the origin names the item


def test_pictures_only_are_kept_and_have_no_text() -> None:
    gallery = ('<p><img src="https://www.gov.kz/uploads/1.jpg" alt=""></p>'
               '<p><img src="https://www.gov.kz/uploads/2.jpg" alt=""></p>')
    article = kept(raw("Әскери институтқа 55 жыл", gallery))
    assert article.body_text == ""
    assert article.body_html.count("<img") == 2
    hero_only = kept(raw("Әскери институтқа 55 жыл", "", image="https://www.gov.kz/u/h.jpg"))
    assert hero_only.image_url == "https://www.gov.kz/u/h.jpg"


def test_a_video_only_item_keeps_the_video_link() -> None:
    frame = '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    article = kept(raw("Бейнеролик", frame))
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in article.body_html


SENTENCES = st.lists(st.sampled_from([
    "Әкім тұрғындармен кездесті.", "Жиында 40 адам болды.", "Сұрақтар қойылды.",
    "Жоба 2026 жылы аяқталады.", "Министр БҰҰ өкілімен сөйлесті.",
]), min_size=1, max_size=5)
NOISE = st.sampled_from(["", "\u200b", "**", "Перевод:", "Google Translate", " 12 / 5 000",
                         "## ", ".png)", INVISIBLE])


@settings(max_examples=60, deadline=None)
@given(SENTENCES, st.lists(NOISE, min_size=5, max_size=5))
def test_stored_text_is_clean_and_every_sentence_survives(sentences: list[str],
                                                         noise: list[str]) -> None:
    html = "".join(f"<p>{noise[i % 5]}{s}</p><p>{noise[(i + 2) % 5]}</p>"
                   for i, s in enumerate(sentences))
    article = kept(raw("АУДАН ӘКІМІ ЖИЫН ӨТКІЗДІ", html))
    assert article.title == "Аудан әкімі жиын өткізді"
    for sentence in sentences:
        assert sentence in article.body_text
    paragraphs = article.body_text.split("\n\n")
    assert "Перевод" not in article.body_html
    assert not [p for p in paragraphs if is_residue(p) or clean_inline(p) != p], html
    assert not any(ch in article.body_text + article.body_html for ch in INVISIBLE)


TITLE_PARTS = st.lists(st.sampled_from([
    "ҚР", "ТМҰ", "SCO", "IMF", "ЕАЭО", "BRICS", "ШЫМКЕНТТЕ", "ЖАҢА", "МЕКТЕП", "АШЫЛДЫ",
    "Астанада", "кездесу", "**", "*", "\u200b", "141 / 5 000", "«", "»", ".", ":", "2026",
    "HOBOE", "Бiржанов",
]), min_size=1, max_size=10).map(" ".join)


@given(st.one_of(TITLE_PARTS, st.text(max_size=60)))
def test_clean_title_is_idempotent_and_keeps_acronyms(title: str) -> None:
    once = clean_title(title, "kk")
    assert clean_title(once, "kk") == once
    for acronym in ("ҚР", "ТМҰ", "SCO", "IMF", "ЕАЭО", "BRICS"):
        if f" {acronym} " in f" {title} ":
            assert acronym in once

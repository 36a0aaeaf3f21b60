"""The rubric classifier on small, readable cases, plus properties on arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparat import data
from aqparat.model import LANGS, Lang
from aqparat.pipeline.lexicon import Lexicon
from aqparat.pipeline.rubrics import NEWS, ItemText, default_classifier, stem_terms

CLF = default_classifier()


def slugs(item: ItemText) -> list[str]:
    return [label.slug for label in CLF.classify(item)]


@pytest.mark.parametrize(("title", "body", "lang", "expected"), [
    ("Жоғары білім беру жүйесі талқыланды", "Университет студенттері мен мұғалімдер қатысты.",
     "kk", ["news", "education"]),
    ("Бокстан Қазақстан чемпионаты басталды", "Спортшылар алтын медаль үшін жарысады.",
     "kk", ["news", "sport"]),
    ("В Казахстане растет заболеваемость корью", "Минздрав напомнил о вакцинации детей.",
     "ru", ["news", "health"]),
    ("Farmers finish sowing wheat", "Grain crops were planted on 120,000 hectares.",
     "en", ["news", "agriculture"]),
    ("Синоптики обещают жару", "Днём до 35 градусов тепла.", "ru", ["news"]),
])
def test_topics_from_the_text(title: str, body: str, lang: Lang, expected: list[str]) -> None:
    assert slugs(ItemText(title, body, lang)) == expected


def test_no_confident_topic_leaves_the_item_in_news_only() -> None:
    [label] = CLF.classify(ItemText("Хабарландыру", "Ертең жиналыс болады.", "kk"))
    assert (label.slug, label.origin) == (NEWS, "rule")


@pytest.mark.parametrize(("key", "rubric"), [
    ("mfa-geneva", "world"), ("mfa-islamabad", "world"), ("mod", "defense"),
    ("kostanai-kalasy-akimat", "regions"), ("sci", "education"), ("ardfm", "economy"),
    ("kgd-karaganda", "economy"),
])
def test_entity_hints(key: str, rubric: str) -> None:
    assert rubric in CLF.entity_hints(key)


def test_entity_alone_is_enough_and_says_so() -> None:
    labels = CLF.classify(ItemText("Хабарландыру", "", "kk", "govkz", "sci"))
    [education] = [label for label in labels if label.slug == "education"]
    assert education.origin == "entity"
    assert education.reason.startswith("entity sci is a ministry (Ministry of Science")


def test_reason_counts_terms_with_the_title_counting_double() -> None:
    item = ItemText("Референдум өтті", "Референдум нәтижесі: сайлаушылар дауыс берді.", "kk")
    [politics] = [label for label in CLF.classify(item) if label.slug == "politics"]
    assert "референдум ×3" in politics.reason
    assert politics.origin == "lexicon"
    assert 0.5 <= politics.score < 1.0


def test_a_printed_rubric_is_mentioned_but_never_a_label() -> None:
    item = ItemText("Синоптики обещают жару", "Днём до 35 градусов.", "ru", printed=("Общество",))
    [news] = CLF.classify(item)
    assert "“Общество” (not trusted)" in news.reason


def test_longest_term_wins_at_one_position() -> None:
    [world] = [r for r in data.rubrics() if r.slug == "world"]
    counts = Lexicon("kk", [world], stem_terms()).count("шетелдік серіктестер")
    assert sum(counts["world"].values()) == 1


def test_every_rubric_has_a_lexicon_and_description_in_every_language() -> None:
    for rubric in data.rubrics():
        assert set(rubric.description) == set(LANGS), rubric.slug
        if rubric.slug != NEWS:
            assert all(rubric.lexicon.get(lang) for lang in LANGS), rubric.slug


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=200), body=st.text(max_size=2000), lang=st.sampled_from(LANGS),
       key=st.sampled_from(["", "mfa-x", "sci", "kostanai-kalasy-akimat", "nobody"]))
def test_any_text_gets_news_first_distinct_labels_and_bounded_scores(
        title: str, body: str, lang: Lang, key: str) -> None:
    labels = CLF.classify(ItemText(title, body, lang, "govkz", key))
    assert labels[0].slug == NEWS
    assert len({label.slug for label in labels}) == len(labels)
    assert all(0.0 < label.score <= 1.0 and label.reason for label in labels)

"""Stage 1 (pipeline/body.py): text bodies get their breaks back; HTML bodies keep their
markup's paragraphs, with text repaired inside them."""

from __future__ import annotations

import datetime as dt

from aqparat.model import RawItem
from aqparat.pipeline.body import clean_body, clean_title, style_differs


def raw(body: str, fmt: str = "html") -> RawItem:
    return RawItem(source_kind="govkz", source_key="x", external_id="1", title="Тақырып",
                   body=body, body_format=fmt,  # type: ignore[arg-type]
                   published=dt.date(2026, 3, 17), source_url=None, declared_lang="kk")


def test_text_bodies_recover_glued_list_items_and_fix_lookalikes() -> None:
    body = clean_body("Тақырып", raw("Тақырып Жоспар:1) Бiрiншi;2) екінші.", "text"), "kk")
    assert body.paragraphs == ("Жоспар:", "1) Бірінші;", "2) екінші.")
    assert body.html == "<p>Жоспар:</p><p>1) Бірінші;</p><p>2) екінші.</p>"


def test_html_paragraphs_are_kept_and_never_merged() -> None:
    body = clean_body("Тақырып", raw("<p>Бірінші абзац</p><p>екінші абзац</p>"), "kk")
    assert body.paragraphs == ("Бірінші абзац", "екінші абзац")
    assert body.html == "<p>Бірінші абзац</p><p>екінші абзац</p>"


def test_a_glued_bare_html_paragraph_is_split_in_text_and_markup() -> None:
    body = clean_body("Тақырып", raw("<p>Кездесу өтті.Келесі кездесу сәуірде.</p>"), "kk")
    assert body.paragraphs == ("Кездесу өтті.", "Келесі кездесу сәуірде.")
    assert body.html == "<p>Кездесу өтті.</p><p>Келесі кездесу сәуірде.</p>"


def test_html_with_inline_markup_keeps_it_and_repairs_its_text_nodes() -> None:
    html = ('<p>Вице-министр <b>Бiржанов</b> айтты — ол <a href="https://gov.kz/a?b=1&amp;c=2">'
            'сiлтеме</a></p>')
    body = clean_body("Тақырып", raw(html), "kk")
    assert body.paragraphs == ("Вице-министр Біржанов айтты – ол сілтеме",)
    assert "<b>Біржанов</b> айтты – ол <a" in body.html  # spaces around tags survive
    assert 'href="https://gov.kz/a?b=1&amp;c=2"' in body.html


def test_a_first_block_repeating_the_title_is_dropped() -> None:
    body = clean_body("Тақырып", raw("<p>Тақырып</p><p>Мәтін</p>"), "kk")
    assert body.paragraphs == ("Мәтін",)


def test_titles_are_normalized_and_quotes_follow_the_language() -> None:
    assert clean_title('  Бiржанов  “Нұр”  ', "kk") == "Біржанов «Нұр»"
    assert clean_title('Birzhanov “Nur”', "en") == "Birzhanov “Nur”"
    assert style_differs("en", "kk")
    assert not style_differs("ru", "kk")
    assert not style_differs(None, "en")

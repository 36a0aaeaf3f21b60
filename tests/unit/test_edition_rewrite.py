"""The script-edition rewrite (web/editions.py): text in Kazakh changes, markup and URLs never."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqparat.text.markup import map_text
from aqparat.web.editions import (
    Edition,
    Rewrite,
    from_path,
    script_links,
    swap_segment,
    transliterate_page,
)

LATN = Rewrite(Edition("kk", "Latn"), "https://aqparat.kz")
ARAB = Rewrite(Edition("kk", "Arab"), "https://aqparat.kz")


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html>\n<html lang="kk"><head>{head}</head><body>{body}</body></html>'


@pytest.mark.parametrize(("path", "tag"), [
    ("/kk/", "kk"), ("/kk-Latn/news/5", "kk-Latn"), ("/kk-Arab", "kk-Arab"), ("/ru/x", "ru"),
    ("/en/", "en"), ("/ru-Latn/", None), ("/api/docs", None), ("/", None), ("/KK/", None),
])
def test_edition_from_the_first_path_segment(path: str, tag: str | None) -> None:
    found = from_path(path)
    assert (found.tag if found else None) == tag


def test_swap_segment() -> None:
    assert swap_segment("/kk/news/5", "kk-Arab") == "/kk-Arab/news/5"
    assert swap_segment("/kk-Latn/", "kk") == "/kk/"
    assert swap_segment("/kk", "kk-Latn") == "/kk-Latn/"


def test_text_nodes_change_and_markup_does_not() -> None:
    html = page('<p class="lead">Астана қаласы <b>бүгін</b> &amp; <a href="/kk/news/1" '
                'title="Жаңалық">жаңалық</a></p>')
    out = transliterate_page(html, LATN)
    assert out == page('<p class="lead">Astana qalasy <b>bügın</b> &amp; <a href="/kk-Latn/news/1" '
                       'title="Jañalyq">jañalyq</a></p>').replace('lang="kk"', 'lang="kk-Latn"')


def test_urls_in_text_and_attributes_are_never_transliterated() -> None:
    url = "https://www.gov.kz/memleket/entities/x/press/news/details/1?lang=kk"
    html = page(f'<p>Дереккөз, <a href="{url}">{url}</a>; хат: press@gov.kz?</p>')
    out = transliterate_page(html, ARAB)
    assert f'<a href="{url}">{url}</a>' in out
    assert "press@gov.kz" in out
    assert "؟" in out  # the sentence's own question mark is Arabic
    assert "،" in out


def test_other_languages_keep_their_text_and_get_left_to_right() -> None:
    html = page('<article lang="ru"><h2>Новости Астаны</h2><p>Текст</p></article>'
                '<p lang="kk">Жаңалық</p>')
    out = transliterate_page(html, ARAB)
    assert '<article lang="ru" dir="ltr"><h2>Новости Астаны</h2><p>Текст</p></article>' in out
    assert '<p lang="kk-Arab">جاڭالىق</p>' in out


def test_only_our_own_links_follow_the_edition() -> None:
    html = page('<a href="/kk/">Басты</a><a href="https://aqparat.kz/kk/x">x</a>'
                '<a href="https://gov.kz/kk/x">y</a><a href="/ru/">z</a>'
                '<a href="/kk/a" hreflang="kk-Cyrl" lang="kk-Cyrl">Кирилл</a>'
                '<form action="/kk/search"></form>',
                '<link rel="alternate" hreflang="kk" href="/kk/">'
                '<link rel="canonical" href="https://aqparat.kz/kk/news/1">'
                '<meta property="og:url" content="https://aqparat.kz/kk/news/1">')
    out = transliterate_page(html, LATN)
    assert '<a href="/kk-Latn/">Basty</a>' in out
    assert 'href="https://aqparat.kz/kk-Latn/x"' in out
    assert 'href="https://gov.kz/kk/x"' in out
    assert 'href="/ru/"' in out
    assert '<a href="/kk/a" hreflang="kk-Cyrl" lang="kk-Cyrl">Кирилл</a>' in out
    assert 'action="/kk-Latn/search"' in out
    assert '<link rel="alternate" hreflang="kk" href="/kk/">' in out
    assert '<link rel="canonical" href="https://aqparat.kz/kk-Latn/news/1">' in out
    assert 'content="https://aqparat.kz/kk-Latn/news/1"' in out


def test_scripts_and_form_values_are_left_alone() -> None:
    head = ('<title>Жаңалық</title><script type="application/ld+json">{"a": "Қ<b>"}</script>'
            '<meta name="description" content="Жаңалықтар">')
    out = transliterate_page(page('<input name="q" value="Астана">', head), LATN)
    assert '<script type="application/ld+json">{"a": "Қ<b>"}</script>' in out
    assert 'value="Астана"' in out
    assert "<title>Jañalyq</title>" in out
    assert 'content="Jañalyqtar"' in out


def test_a_page_whose_own_text_is_russian_keeps_its_title() -> None:
    head = '<title>Новости · Ақпарат</title><meta property="og:title" content="Новости">'
    out = transliterate_page(page("<p>Мәтін</p>", head), Rewrite(
        Edition("kk", "Latn"), "", main_text_kk=False))
    assert "<title>Новости · Ақпарат</title>" in out
    assert 'content="Новости"' in out
    assert "<p>Mätın</p>" in out


def test_script_links_keep_the_query_and_exist_only_for_kazakh() -> None:
    links = script_links("/kk-Arab/search", "q=x")
    assert [(s.hreflang, s.href, s.current) for s in links] == [
        ("kk-Cyrl", "/kk/search?q=x", False), ("kk-Latn", "/kk-Latn/search?q=x", False),
        ("kk-Arab", "/kk-Arab/search?q=x", True)]
    assert script_links("/ru/", "") == []
    assert script_links("/api/docs", "lang=kk") == []


_TEXT = st.text(alphabet=st.sampled_from("абвқңәі Aa&<>\"'.,?"), max_size=30)


@given(_TEXT, _TEXT)
def test_map_text_with_identity_changes_nothing_a_reader_sees(a: str, b: str) -> None:
    from html import escape

    html = f'<p>{escape(a, quote=False)}<b title="t">{escape(b, quote=False)}</b></p><br>'
    assert map_text(html, lambda s: s) == html


@given(_TEXT)
def test_rewrite_of_a_cyrillic_page_is_idempotent_on_latin_output(text: str) -> None:
    from html import escape

    once = transliterate_page(page(f"<p>{escape(text, quote=False)}</p>"), LATN)
    assert transliterate_page(once.replace('lang="kk-Latn"', 'lang="kk"'), LATN) == once

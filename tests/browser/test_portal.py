"""A reader's walk through the portal in Chromium: home → article → rubric, on two widths.

Every page type's widths, screenshots and the walk without JavaScript are test_layout.py's
(one table of page types, site_pages.py); this file follows particular items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aqparat.text.translit import to_arabic

pytestmark = pytest.mark.browser

TITLES = [
    "ҚР Қаржы вице-министрі Ержан Біржанов Ақмола облысының тұрғындарымен кездесу өткізеді",
    "Қазақстан Ұлттық референдумда жаңа Конституцияны 87,15% қолдаумен мақұлдады",
    "Шетелдік бақылаушылар Қазақстандағы референдумда сайлаушылардың белсенділігі жоғары және "
    "дауыс берудің ақаусыз өткенін атап өтті",
    "Наурыз Қостанайда жүректерді біріктірді",
    "Стратегиялық серіктестер кеңесінің отырысында жоғары білімнің жаңа басымдықтары талқыланды",
]


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_reader_walks_home_article_and_rubric(page: Page, portal: str, shots: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{portal}/")
    expect(page).to_have_url(f"{portal}/kk/")
    # Жаңалықтар holds all five; Саясат only the two referendum items (pipeline/rubrics.py).
    for rubric, titles in (("Жаңалықтар", TITLES), ("Саясат", TITLES[1:3])):
        block = page.locator("section.rubric-block", has=page.get_by_role(
            "heading", level=2, name=rubric, exact=True))
        expect(block).to_have_count(1)
        for title in titles:
            expect(block.get_by_role("link", name=title, exact=True)).to_be_visible()
        expect(block.locator("li")).to_have_count(len(titles))
    page.screenshot(path=str(shots / "home-kk-1280.png"), full_page=True)

    news = page.locator("section#rubric-news, section[aria-labelledby='rubric-news']")
    news.get_by_role("link", name=TITLES[1], exact=True).click()
    expect(page).to_have_url(re.compile(r"/kk/news/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[1])
    assert page.locator("article .body p").count() >= 4
    source = page.locator("p.source a")
    expect(source).to_have_attribute("href", re.compile(r"mfa-geneva/press/news/details/1183541"))
    expect(page.locator("p.source .label")).to_have_text("Ақпарат көзі :")
    page.screenshot(path=str(shots / "article-kk-1280.png"), full_page=True)

    page.go_back()
    page.get_by_role("link", name="Қосымша: Саясат").click()
    expect(page).to_have_url(f"{portal}/kk/rubric/politics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Саясат")
    expect(page.locator("ul.teasers > li")).to_have_count(2)


def test_article_on_a_phone(page: Page, portal: str, shots: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{portal}/kk/")
    page.get_by_role("link", name=TITLES[2], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[2])
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "article-kk-375.png"), full_page=True)


def test_not_found_page_in_russian(page: Page, portal: str) -> None:
    response = page.goto(f"{portal}/ru/no-such-page")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    expect(page.locator("html")).to_have_attribute("lang", "ru")


# Script editions (issue 4): the Arabic-script page is right to left and fits a phone.
def test_arabic_script_article_on_a_phone(page: Page, portal: str, shots: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{portal}/kk/")
    page.get_by_role("link", name=TITLES[0], exact=True).first.click()
    page.get_by_role("link", name="توتە").click()
    expect(page).to_have_url(re.compile(r"/kk-Arab/news/\d+$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk-Arab")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(to_arabic(TITLES[0]))
    assert heading.evaluate("h => getComputedStyle(h).direction") == "rtl"
    when = to_arabic("2026 жылғы 18 наурыз, 11:30")  # the seed's announced meeting
    expect(page.locator("section.events time")).to_have_text(when)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "article-kk-Arab-375.png"), full_page=True)

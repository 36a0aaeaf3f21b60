"""Every page type, as readers get it (the site's CSP in force), checked in Chromium:
axe-core finds no WCAG 2.1 A/AA violation; the page has landmarks, exactly one `h1`, a skip
link that moves focus to the content, a focus outline a keyboard user can see, and `lang`
(plus `dir="rtl"` in Arabic script) on the document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe import axe_path, violations
from playwright.sync_api import Browser, Page
from site_pages import PageType, Site, page_type_params

pytestmark = pytest.mark.browser

LANG_OF = {"kk": "kk", "ru": "ru", "en": "en", "kk-Latn": "kk-Latn", "kk-Arab": "kk-Arab"}


def _page(browser: Browser, *, axe: bool) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if axe:  # see axe.py: an init script is outside the page's CSP, an inline tag is not
        context.add_init_script(path=axe_path())
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page with axe-core loaded in every document it opens (skips without axe-core)."""
    yield from _page(browser, axe=True)


@pytest.fixture(scope="module")
def a11y_page(browser: Browser) -> Iterator[Page]:
    """A plain page: the checks that need no axe run even where npm is missing."""
    yield from _page(browser, axe=False)


def _open(page: Page, site: Site, kind: PageType) -> str:
    path = kind.path(site)
    response = page.goto(site.base + path)
    assert response is not None
    assert response.status == kind.status, path
    return path


@pytest.mark.parametrize("kind", page_type_params())
def test_page_type_passes_axe_wcag21_aa(axe_page: Page, site: Site, kind: PageType) -> None:
    path = _open(axe_page, site, kind)
    found = violations(axe_page)
    assert found == [], f"{path}: {found}"


def test_axe_reports_a_planted_violation(axe_page: Page, site: Site) -> None:
    """The harness can fail: an image without alt text and a light-grey link are found."""
    axe_page.goto(f"{site.base}/kk/")
    assert violations(axe_page) == []
    axe_page.evaluate("""() => {
        const img = document.createElement('img'); img.src = '/static/none.png';
        document.querySelector('main').append(img);
        document.querySelector('main a').style.color = '#d0d0d0'; }""")
    assert {"image-alt", "color-contrast"} <= {v["rule"] for v in violations(axe_page)}


@pytest.mark.parametrize("kind", page_type_params())
def test_page_type_has_landmarks_one_h1_and_its_language(a11y_page: Page, site: Site,
                                                         kind: PageType) -> None:
    path = _open(a11y_page, site, kind)
    page = a11y_page
    for landmark in ("banner", "main", "contentinfo", "search"):
        assert page.get_by_role(landmark).count() >= 1, f"{path}: no {landmark} landmark"
    assert page.locator("main").count() == 1
    assert page.locator("h1").count() == 1, path
    edition = path.split("/")[1]
    html = page.locator("html")
    assert html.get_attribute("lang") == LANG_OF[edition]
    assert html.get_attribute("dir") == ("rtl" if edition == "kk-Arab" else None)
    # Nothing in a language other than the page's goes unmarked: every teaser or article
    # whose text is in another language carries its own lang, and a visible label says which.
    for el in page.locator("article[lang], li.report[lang]").all():
        own = el.get_attribute("lang")
        assert own != LANG_OF[edition], path
        assert el.locator(".badge").count() >= 1, f"{path}: {own} item without a label"


@pytest.mark.parametrize("kind", page_type_params())
def test_skip_link_moves_focus_to_the_content(a11y_page: Page, site: Site,
                                              kind: PageType) -> None:
    path = _open(a11y_page, site, kind)
    page = a11y_page
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("a => a === document.activeElement"), f"{path}: Tab missed the link"
    box = skip.bounding_box()
    assert box is not None
    # Shown inside the viewport once focused.
    assert box["x"] >= 0
    assert box["y"] >= 0
    viewport = page.viewport_size
    assert viewport is not None
    assert box["x"] + box["width"] <= viewport["width"]
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")
    # The next Tab lands inside <main>, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), path


@pytest.mark.parametrize("kind", page_type_params())
def test_focused_links_show_an_outline(a11y_page: Page, site: Site, kind: PageType) -> None:
    path = _open(a11y_page, site, kind)
    page = a11y_page
    page.keyboard.press("Tab")  # keyboard focus: :focus-visible applies
    for _ in range(3):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }""")
        assert style[0] != "none", f"{path}: {style}"
        assert style[1] >= 2, f"{path}: {style}"

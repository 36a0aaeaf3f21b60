"""The site under its own Content-Security-Policy: every page type loads its stylesheet and
breaks no rule, so the policy can be strict without costing readers anything."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PAGES = ["/kk/", "/ru/", "/kk/rubric/politics", "/kk/rubric/news?page=1", "/kk/search?q=референдум",
         "/kk/events", "/kk/status", "/api/docs?lang=en", "/kk-Arab/", "/kk-Latn/events",
         "/kk/no-such-page", "/admin/login?lang=ru"]
# Collected before any page script could run: Playwright injects it outside the page's CSP.
LISTEN = ("window.__violations = [];"
          "document.addEventListener('securitypolicyviolation',"
          " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture
def strict_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()  # the CSP applies (no bypass)
    context.add_init_script(LISTEN)
    page = context.new_page()
    yield page
    context.close()


def _article(page: Page, portal: str) -> str:
    page.goto(f"{portal}/kk/")
    href = page.locator("a[href*='/kk/news/']").first.get_attribute("href")
    assert href is not None
    return href


def test_pages_work_under_the_csp(strict_page: Page, portal: str) -> None:
    errors: list[str] = []
    strict_page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning")
                   and ("Content Security Policy" in m.text or "Permissions-Policy" in m.text)
                   else None)
    for path in [*PAGES, _article(strict_page, portal)]:
        response = strict_page.goto(portal + path)
        assert response is not None
        assert "default-src 'self'" in response.headers["content-security-policy"]
        header = strict_page.locator("header.site-header")
        # site.css paints the header: the stylesheet loaded under `style-src 'self'`.
        colour = header.evaluate("h => getComputedStyle(h).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), path
        assert strict_page.evaluate("window.__violations") == [], path
    assert errors == []


def test_an_injected_inline_script_is_refused(strict_page: Page, portal: str) -> None:
    """Were a script ever to get through, the policy would still stop it."""
    strict_page.goto(f"{portal}/kk/")
    strict_page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    assert strict_page.evaluate("window.__ran === undefined")
    violations = strict_page.evaluate("window.__violations")
    assert any(re.match(r"script-src", v) for v in violations), violations

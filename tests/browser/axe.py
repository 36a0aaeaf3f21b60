"""axe-core (Deque's accessibility engine, from npm: tests/browser/package.json) in a page.

`make test` runs `npm ci --prefix tests/browser` first. Playwright's `add_script_tag` would
insert axe as an inline `<script>`, which the site's Content-Security-Policy refuses (as it
should: web/security.py); an init script is injected by the browser itself, outside the page's
policy, so the pages are checked exactly as readers get them, CSP and all.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA: what the issue asks every page type to pass with zero violations.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_path() -> Path:
    """The installed script; the test skips, saying how to get it, when it is missing."""
    if AXE.is_file():
        return AXE
    how = ("run `npm ci --prefix tests/browser` (make test does)" if shutil.which("npm")
           else "node/npm are not installed, so axe-core cannot be fetched from npm")
    pytest.skip(f"axe-core is missing at {AXE}: {how}")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 AA violations on the current page: rule, impact, help, first nodes."""
    result: dict[str, Any] = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})""", WCAG_21_AA)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]],
             "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else ""}
            for v in result["violations"]]


def version(page: Page) -> str:
    return str(page.evaluate("axe.version"))

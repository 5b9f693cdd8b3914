"""Headless Debian chromium, driven by Playwright, against a local server: charts, JS errors, requests, screenshots."""

from __future__ import annotations

import functools
import re
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from analysis import config
from analysis.publish import briefing

# The briefing printer's flags. Belt and braces: any host but the local server resolves to nothing. The
# requests are also recorded, so a page that tries to reach out fails even though the attempt is blocked.
CHROMIUM_FLAGS = briefing.CHROMIUM_FLAGS

# Console errors known to be harmless, each with the reason. Anything else fails the page.
ALLOWED_CONSOLE_ERRORS = {
    "Got invalid theme mode: . Resetting to auto.":
        "pydata-sphinx-theme, on a fresh profile with no stored light/dark choice; it falls back to 'auto'",
}
# Schemes that never leave the machine.
LOCAL_SCHEMES = {"data", "blob", "about"}

# Waits until every chart has drawn its SVG or shown its fallback text.
ALL_SETTLED = """() => [...document.querySelectorAll('.pcp-vega')]
  .every(el => el.querySelector('svg [class^="mark-"]') || el.textContent.trim().length > 0)"""
CHART_STATE = """() => [...document.querySelectorAll('.pcp-vega')].map(el => ({
  id: el.id, role: el.getAttribute('role'), label: el.getAttribute('aria-label') || '',
  marks: el.querySelectorAll('svg [class^="mark-"]').length,
  fallback: el.querySelector('svg') ? '' : el.textContent.trim()}))"""
IMAGES = "() => [...document.images].map(img => ({src: img.getAttribute('src'), alt: img.getAttribute('alt')}))"
# The text column: pydata-sphinx-theme's <article class="bd-article"> (main or body on other pages).
COLUMN = "article.bd-article"
# Each chart's drawn right edge against the column's right edge, in CSS pixels.
CHART_EDGES = """(column) => {
  const area = document.querySelector(column) || document.querySelector('main') || document.body;
  const limit = area.getBoundingClientRect().right;
  return [...document.querySelectorAll('.pcp-vega')].map(el => {
    const drawn = el.querySelector('svg, canvas') || el;
    return {id: el.id, right: drawn.getBoundingClientRect().right, limit: limit};
  });
}"""
# Table cells a phone stacks into label: value lines (pcp.css) that are drawn narrower than their table, which
# breaks their words: a column width set for the desktop still applying.
CRAMPED_CELLS = """() => [...document.querySelectorAll('.pcp-table td')]
  .filter(td => td.offsetParent !== null && getComputedStyle(td).display === 'block'
    && td.getBoundingClientRect().width < 0.9 * td.closest('table').getBoundingClientRect().width)
  .map(td => td.closest('table').className + ': ' + td.textContent.trim().slice(0, 40))"""
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 at a free port for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@contextmanager
def browser(profile: Path):
    """A headless chromium with a fresh profile folder."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(profile), executable_path=chromium(),
                                                       args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


@dataclass
class PageReport:
    """What one page did in the browser."""

    url: str
    charts: list[dict]
    images: list[dict]
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    axe: list[dict] = field(default_factory=list)
    cramped: list[str] = field(default_factory=list)

    def overflowing(self) -> list[str]:
        """Charts whose drawn right edge passes the text column's (half a pixel of rounding allowed)."""
        return [f"{e['id']} ends at {e['right']:.0f}px, column at {e['limit']:.0f}px"
                for e in self.edges if e["right"] > e["limit"] + 0.5]

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if e not in ALLOWED_CONSOLE_ERRORS]

    def remote_requests(self) -> list[str]:
        """Requests to anywhere but 127.0.0.1."""
        def local(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1"

        return [u for u in self.requests if not local(u)]


def visit(context, url: str, screenshot: Path, viewport: dict = DESKTOP, audit: bool = False) -> PageReport:
    """Load `url` at `viewport`, wait for its charts, record errors, requests and chart edges, and save a
    full-page screenshot; with `audit`, also run axe-core (tests/gates/accessibility.axe_violations)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(url, wait_until="networkidle")
        try:
            page.wait_for_function(ALL_SETTLED, timeout=20_000)
        except PlaywrightTimeout:
            pass  # the chart assertions say which chart did not draw
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        report = PageReport(url, page.evaluate(CHART_STATE), page.evaluate(IMAGES), errors, requests,
                            page.evaluate(CHART_EDGES, COLUMN), cramped=page.evaluate(CRAMPED_CELLS))
        if audit:
            from tests.gates.accessibility import axe_violations

            report.axe = axe_violations(page)
        return report
    finally:
        page.close()


MIN_DESCRIPTION = 40  # characters: a chart's label must describe it, not just name it


def check_page(chrome, html_root: Path, page: str, shot_name: str, viewport: dict = DESKTOP,
               audit: bool = True) -> list[str]:
    """Open a page in headless Chromium and check what a reader relies on; returns the chart ids.

    Every chart drew its marks within the text column and carries a description for screen
    readers; every image has alt text; no JavaScript error outside the allow-list; no request
    left 127.0.0.1; with `audit`, axe-core finds no serious or critical violation at all
    (tests/gates/accessibility.py).
    """
    with serve(html_root) as base:
        report = visit(chrome, f"{base}/{page}", config.BUILD_DIR / "screenshots" / shot_name, viewport, audit)
    assert not report.unexpected_errors(), f"{page}: JavaScript errors {report.unexpected_errors()}"
    assert not report.remote_requests(), f"{page}: requests left 127.0.0.1: {report.remote_requests()}"
    for chart in report.charts:
        assert chart["marks"] > 0 and not chart["fallback"], f"{page}: chart {chart['id']} did not draw ({chart})"
        assert chart["role"] in ("img", "graphics-document"), f"{page}: chart {chart['id']} has role {chart['role']}"
        assert len(chart["label"]) >= MIN_DESCRIPTION, f"{page}: chart {chart['id']} lacks a description"
    assert all(img["alt"] for img in report.images), f"{page}: images without alt text {report.images}"
    assert len(report.edges) == len(report.charts)
    assert not report.overflowing(), f"{page} at {viewport['width']}px: charts past the column {report.overflowing()}"
    assert not report.cramped, f"{page} at {viewport['width']}px: stacked cells narrower than the table {report.cramped}"
    assert not report.axe, f"{page}: axe-core violations {report.axe}"
    html = (html_root / page).read_text()
    assert [c["id"] for c in report.charts] == re.findall(r'<div id="(pcp-[\w-]+)" class="pcp-vega"', html)
    return [c["id"] for c in report.charts]

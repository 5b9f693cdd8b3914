"""Every figure of an edition from a third-party extract or a transcription says so on its page, as the register
records it; the dashboard's periods show the newest figures."""

from __future__ import annotations

import html
import json
import re

import pytest

from analysis.present import register, tables
from analysis.sources import manifest

pytestmark = pytest.mark.gate


def _text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def _text(page) -> str:
    return _text_of(page.read_text(encoding="utf-8"))


def test_every_marked_figure_carries_its_grade_on_its_page(edition):
    slug = next(p.name for p in edition.iterdir() if (p / "figures.json").exists())
    records = json.loads((edition / slug / "figures.json").read_text())
    marked = [r for r in records if r.get("grade") in manifest.MARKED]
    assert {"g_officers26", "g_bw25_label", "g_deaths25_ew"} <= {r["key"] for r in marked}
    assert all("grade" in r for r in records)
    for r in marked:
        page = edition / slug / "html" / "book" / f"{r['chapter']}.html"
        if r["chapter"] == "at-a-glance":
            # The dashboard marks the period of each row, a key point its sentence and the national confidence figure
            # its year: each carries the grade.
            rows = [_text_of(row) for row in re.findall(r"<tr[^>]*>.*?</tr>|<li[^>]*>.*?</li>|<p>.*?</p>",
                                                        page.read_text(encoding="utf-8"), re.S)]
            assert any(r["text"] in row and f"({r['grade']})" in row for row in rows), f"{r['key']}, {page.name}"
        else:
            # In the page's list of numbers, the figure's row (found by the key it carries, which no reader sees)
            # holds the figure, its unit and its grade together, or the grade is in the figure's own text or label
            # on that row ("2025/26 (third-party extract only)"), given once.
            row = numbers_row(page.read_text(encoding="utf-8"), r["key"])
            shown = register._shown(r)
            in_label = f"({r['grade']}" in r["label"] and html.unescape(r["label"]) in row
            assert (shown.endswith(f"({r['grade']})") or f"({r['grade']}" in r["text"] or in_label) and shown in row, \
                r["key"]


def numbers_row(markup: str, key: str) -> str:
    """The text of the row of a page's list of numbers that shows the figure `key`."""
    rows = re.findall(rf'<tr {tables.ROW_KEYS}="{re.escape(html.escape(key))}">(.*?)</tr>', markup, re.S)
    assert len(rows) == 1, f"{key}: {len(rows)} rows in the list of numbers"
    return _text_of(rows[0])


def test_no_grade_on_what_is_not_data_in_the_list_of_numbers(edition):
    slug = next(p.name for p in edition.iterdir() if (p / "figures.json").exists())
    records = json.loads((edition / slug / "figures.json").read_text())
    for r in records:
        if r["chapter"] == "at-a-glance":
            continue
        markup = (edition / slug / "html" / "book" / f"{r['chapter']}.html").read_text(encoding="utf-8")
        row = numbers_row(markup, r["key"])
        assert '<th scope="col">Key</th>' not in markup and "<code>" not in row, r["key"]  # a reader sees no key
        if r["kind"] != register.DATUM:
            # A name, a period, a method setting or the book's own count: no grade beside it.
            assert not r["grade"] and not register._shown(r).endswith(tuple(f"({g})" for g in manifest.MARKED)), \
                r["key"]
        if r["kind"] == register.SETTING:
            assert not r["datasets"] and "the book's own method settings, not data" in row, r["key"]


def test_the_dashboard_shows_the_newest_periods(edition):
    slug = next(p.name for p in edition.iterdir() if (p / "figures.json").exists())
    text = _text(edition / slug / "html" / "book" / "at-a-glance.html")
    # Recorded crime's newest is ONS's year ending June 2025 (official): the extract's March 2026 rates are not shown.
    for period in ("31 March 2026 (third-party extract)", "2024/25 (third-party extract)", "year ending June 2025"):
        assert period in text
    assert "does not publish it by force" not in text and "ONS publishes Crime Survey for England and Wales" in text

"""The project's Sphinx extension: the bibliography is a list of list items."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import tiny_sphinx

pytestmark = pytest.mark.slow  # a Sphinx build


def test_every_bibliography_entry_is_a_list_item_of_its_list(tmp_path):
    page = tiny_sphinx.build(tmp_path).read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]+" role="([^"]+)">', page)
    assert '<div role="list" class="citation-list">' in page
    assert entries == ["listitem", "listitem"] and "doc-biblioentry" not in page


def test_a_figure_glued_on_its_own_page_carries_its_register_key(tmp_path):
    """What reads a built page (the briefing) finds a glued figure by its key, never by its text (issue 34)."""
    from bs4 import BeautifulSoup

    from analysis.present.tables import FIGURE_KEY

    page = BeautifulSoup(tiny_sphinx.build_glued(tmp_path).read_text(encoding="utf-8"), "html.parser")
    marked = page.select(f"[{FIGURE_KEY}]")
    assert [m[FIGURE_KEY] for m in marked] == ["g_x"]
    # Inside the mark, the figure as myst-nb renders it (Sphinx still curls its apostrophe).
    assert marked[0].get_text() in ("It\u2019s 5", "It's 5")

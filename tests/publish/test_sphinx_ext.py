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

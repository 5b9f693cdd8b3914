"""Links in the built HTML: internal files, anchors and glued figures resolve, offline (external links: weekly workflow)."""

from __future__ import annotations

import pytest

from tests.gates import linkcheck
from tests.conftest import EDITION_FORCE


@pytest.mark.gate
def test_every_internal_link_and_anchor_of_the_national_book_resolves(built):
    assert linkcheck.internal_problems(built / "html") == []


@pytest.mark.gate
def test_every_internal_link_and_anchor_of_an_edition_resolves(edition):
    assert linkcheck.internal_problems(edition / EDITION_FORCE / "html") == []


def test_the_checker_finds_a_missing_page_a_missing_anchor_and_unsubstituted_glue(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#here">ok</a><a href="b.html#gone">anchor</a>'
                                     '<a href="missing.html">page</a><a href="https://example.org/x">ext</a>'
                                     '<img src="_static/logo.png" alt="logo"><p>Stood at {glue:text}`x`%</p>')
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1><script>var s = "{glue";</script>')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "logo.png").write_bytes(b"png")
    (tmp_path / "_static" / "macros.html").write_text("<a href=\"{{ pathto('x') }}\">template, not a page</a>")
    problems = linkcheck.internal_problems(tmp_path)
    assert problems == ["a.html: unresolved glue ('{glue') in the text",
                        "a.html: unresolved glue ('glue:text') in the text",
                        "a.html: link 'b.html#gone' points at a missing anchor",
                        "a.html: link 'missing.html' points at a missing file"]
    assert linkcheck.external_links(tmp_path) == {"https://example.org/x": ["a.html"]}

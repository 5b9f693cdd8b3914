"""Text from a force's files made inert: literal in Markdown, never a formula in a spreadsheet."""

from __future__ import annotations

import pandas as pd
from markdown_it import MarkdownIt

from analysis.present import inert


def test_markup_and_markdown_syntax_stay_literal_text():
    hostile = "Confidence<script>x()</script> **bold** [a](javascript:x) `{raw}` $x$ &amp;\nsecond <img onerror=x>"
    rendered = MarkdownIt("commonmark").render(inert.markdown(hostile))
    assert "<script>" not in rendered and "<img" not in rendered and "<strong>" not in rendered
    assert "<a " not in rendered and "<code>" not in rendered
    assert rendered == "<p>Confidence&lt;script&gt;x()&lt;/script&gt; **bold** [a](javascript:x) `{raw}` $x$ " \
                       "&amp;amp; second &lt;img onerror=x&gt;</p>\n"


def test_text_cells_that_a_spreadsheet_would_run_get_a_leading_quote():
    frame = pd.DataFrame({"=name": ["=HYPERLINK(\"http://x\",\"click\")", "@SUM(1)", "+1", "-1+2", "\tx", "\rx",
                                    "Kent", None],
                          "value": [-0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})
    safe = inert.spreadsheet(frame)
    assert list(safe.columns) == ["'=name", "value"]
    assert safe["'=name"].tolist()[:7] == ["'=HYPERLINK(\"http://x\",\"click\")", "'@SUM(1)", "'+1", "'-1+2", "'\tx",
                                          "'\rx", "Kent"]
    assert pd.isna(safe["'=name"].iloc[7]) and safe["value"].tolist() == frame["value"].tolist()
    assert frame["=name"].iloc[0].startswith("=")  # the caller's frame is unchanged


def test_text_direction_characters_never_reach_markdown():
    """U+202E would make 'kent‮vsc.exe' read as 'kentexe.csv' (issue 36)."""
    assert inert.markdown("kent\u202evsc.exe\u2066x\u2069") == "kent vsc\\.exe x "

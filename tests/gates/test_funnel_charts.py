"""Every funnel chart Kent's edition draws (the chapters' force views and the at-a-glance page's) is drawn around
the centre its verdicts were fitted on, each force on the side of the lines its label says (issue 31 §2)."""

from __future__ import annotations

import pytest

from analysis.publish import editions
from tests.present import funnel_lines

pytestmark = pytest.mark.gate


def test_every_funnel_chart_in_kents_edition_agrees_with_its_verdicts(tmp_path):
    out = tmp_path / "editions"
    result = editions.build_edition("kent", out, tmp_path / "figures", use_cache=False)
    assert result.status == "built", result.detail
    specs = [s for page in sorted((out / "kent" / "html").rglob("*.html"))
             for s in funnel_lines.specs_in(page.read_text(encoding="utf-8"))]
    drawn = {s["usermeta"]["pcp"]["name"] for s in specs if funnel_lines.funnel_parts(s) is not None}
    assert {"stop-search-ratio-by-force", "search-rate-funnel", "use-of-force-ratio", "deaths-by-force",
            "complaint-reviews", "glance-crime-funnel-kent"} <= drawn
    assert [p for s in specs for p in funnel_lines.problems(s)] == []

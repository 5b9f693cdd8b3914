"""An edition built against an earlier one's figure register lists exactly the figures that changed."""

from __future__ import annotations

import html
import json
import re

import pytest

from analysis.publish import changes, editions
from tests.fixtures.make_local_survey import write_survey

pytestmark = pytest.mark.gate


def test_building_kent_twice_with_a_changed_survey_lists_exactly_the_changed_figures(tmp_path):
    survey = write_survey(tmp_path / "kent-survey.csv")
    out = tmp_path / "editions"
    first = editions.build_edition("kent", out, tmp_path / "figures-1", use_cache=False,
                                   local={"local_survey": str(survey)})
    assert first.status == "built", first.detail
    page = (out / "kent" / "html" / "book" / f"{changes.PAGE}.html").read_text(encoding="utf-8")
    assert "This is the first edition for Kent Police" in page
    earlier = tmp_path / "kent-earlier.json"
    earlier.write_text((tmp_path / "figures-1" / "kent.json").read_text())
    # One changed input: the latest quarter's headline count in the force's own survey.
    lines = survey.read_text().splitlines()
    i = max(k for k, line in enumerate(lines) if line.startswith("2024/25 Q4,") and ",Kent Police,Confidence in "
            "local police,All," in line)
    cells = lines[i].split(",")
    cells[5] = str(int(cells[5]) - 60)
    lines[i] = ",".join(cells)
    survey.write_text("\n".join(lines) + "\n")
    second = editions.build_edition("kent", out, tmp_path / "figures-2", use_cache=False,
                                    local={"local_survey": str(survey)}, since=str(earlier))
    assert second.status == "built", second.detail
    before = {(r["chapter"], r["key"]): r["text"] for r in json.loads(earlier.read_text())}
    after = {(r["chapter"], r["key"]): r["text"] for r in json.loads((tmp_path / "figures-2" / "kent.json").read_text())}
    expected = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert expected and {chapter for chapter, _ in expected} <= {"01-trust-and-confidence", "at-a-glance"}
    page = (out / "kent" / "html" / "book" / f"{changes.PAGE}.html").read_text(encoding="utf-8")
    rows = re.findall(r'<td data-label="Page">(.*?)</td><td data-label="Figure">(.*?)</td>', page)
    assert len(rows) == len(expected), (rows, expected)
    assert f"{len(expected)} figure" in html.unescape(re.sub(r"<[^>]+>", "", page))
    meta = json.loads((out / "kent" / "edition.json").read_text())
    assert meta["changed"] == len(expected)

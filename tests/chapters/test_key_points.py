"""Each edition's key points: three to six, chosen by the written rules, every number one the page shows, each
linked to a page of the edition, none claiming a cause."""

from __future__ import annotations

import re

import pytest

from analysis import config
from analysis.chapters import at_a_glance as glance
from analysis.chapters import key_points
from analysis.sources import forces

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "city-of-london", "dyfed-powys"])
def test_three_to_six_points_each_resting_on_the_figures_the_page_shows(force):
    code = forces.resolve(force).code
    section = glance.at_a_glance(force)
    found = key_points.points(section.table, code, glance.outlier_note(code))
    # The City's figures support fewer: per resident they say little, and its survey area is London's.
    assert (2 if code == forces.CITY_OF_LONDON else 3) <= len(found) <= key_points.MAX_POINTS
    shown = " ".join(section.table[list(glance.HEADERS)].astype(str).to_numpy().ravel()) + glance.outlier_note(code)
    for point in found:
        for number in NUMBER.findall(point["text"]):
            assert number in shown or number == str(key_points.STALE_YEARS), (number, point["text"])
        assert not re.search(r"\b(because|caused|due to|explains|led to|result of)\b", point["text"])
        page = point["page"].split("#")[0].removesuffix(".html")
        assert page == "at-a-glance" or (config.REPO_ROOT / "book" / f"{page}.ipynb").exists()
    glued = [f for f in section.figures if f.key.startswith("g_point_")]
    assert [f.value for f in glued] == [p["text"] for p in found]


def test_kent_s_points_name_the_pcso_fall_and_the_newest_ratio_with_its_grade():
    texts = [p["text"] for p in key_points.points(glance.at_a_glance("kent").table, "E23000032")]
    assert "PCSOs (full-time equivalent) went down from 287 at 31 March 2022 to 136 at 31 March 2023." in texts
    assert any(t.startswith("In 2024/25 (third-party extract), Black people were searched significantly more often")
               for t in texts)


def test_a_point_needs_its_rule_to_hold():
    rows = glance.at_a_glance("kent").table.copy()
    rows["comparison"] = rows["comparison"].str.replace("Black people searched significantly more often than White "
                                                        "people per resident", "not significantly different from "
                                                        "parity (1)")
    assert not any("Black people" in p["text"] for p in key_points.points(rows, "E23000032"))

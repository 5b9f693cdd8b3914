"""Each edition's key points: three to six, chosen by the written rules, every number one the page shows, each
linked to a page of the edition, none claiming a cause."""

from __future__ import annotations

import re

import pytest

from analysis import config
from analysis.chapters import at_a_glance as glance
from analysis.chapters import guide_and_force as guide
from analysis.chapters import key_points
from analysis.measures import force_measures as fm
from analysis.methods import funnel
from analysis.sources import forces

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "city-of-london", "dyfed-powys"])
def test_three_to_six_points_each_resting_on_the_figures_the_page_shows(force):
    code = forces.resolve(force).code
    section = glance.at_a_glance(forces.resolve(force))
    found = key_points.points(section.table, code, glance.outlier_note(code))
    # The City's figures support fewer: per resident they say little, and its survey area is London's.
    assert (2 if code == forces.CITY_OF_LONDON else 3) <= len(found) <= key_points.MAX_POINTS
    shown = " ".join(section.table[list(glance.HEADERS)].astype(str).to_numpy().ravel()) + glance.outlier_note(code)
    for point in found:
        for number in NUMBER.findall(point["text"]):
            assert number in shown or number == str(config.STALE_YEARS), (number, point["text"])
        assert not re.search(r"\b(because|caused|due to|explains|led to|result of)\b", point["text"])
        page = point["page"].split("#")[0].removesuffix(".html")
        assert page == "at-a-glance" or (config.REPO_ROOT / "book" / f"{page}.ipynb").exists()
    glued = [f for f in section.figures if f.key.startswith("g_point_")]
    assert [f.value for f in glued] == [p["text"] for p in found]


def test_kent_s_points_name_the_pcso_fall_and_the_newest_ratio_with_its_grade():
    texts = [p["text"] for p in key_points.points(glance.at_a_glance(forces.resolve("kent")).table, "E23000032")]
    assert "PCSOs (full-time equivalent) went down from 287 at 31 March 2022 to 136 at 31 March 2023." in texts
    assert any(t.startswith("In 2024/25 (third-party extract), Black people were searched significantly more often")
               for t in texts)


def test_a_point_needs_its_rule_to_hold():
    rows = glance.at_a_glance(forces.resolve("kent")).table.copy()
    rows["vs_parity"] = rows["vs_parity"].replace(fm.ABOVE_PARITY, fm.AT_PARITY)
    assert not any("Black people" in p["text"] for p in key_points.points(rows, "E23000032"))
    # A rate outside its funnel limits is a point, worded from its place on the funnel.
    rows.loc[rows["measure_id"] == "deaths_per_million", "funnel_place"] = fm.FUNNEL_PLACES[funnel.ABOVE_95]
    deaths = [p for p in key_points.points(rows, "E23000032") if p["page"] == key_points.PAGES["deaths_per_million"]]
    assert len(deaths) == 1 and "above the 95% (not the 99.8%) limit around England and Wales" in deaths[0]["text"]


MARK = " \u2063REWORDED\u2063"


@pytest.mark.parametrize("force", ["kent", "city-of-london", "dyfed-powys", "metropolitan-police"])
def test_rewording_every_dashboard_sentence_changes_no_key_point_or_guide_area(force):
    """Done when of issue 34: every sentence the dashboard shows reworded (a marker after each) leaves the key points
    chosen, their pages and datasets, and the guide's areas the same: they are chosen by the verdicts as values."""
    f = forces.resolve(force)
    rows = glance.at_a_glance(f).table
    reworded = rows.copy()
    for column in (*glance.HEADERS, "verdict_text"):
        reworded[column] = reworded[column].astype(str) + MARK
    before = key_points.points(rows, f.code, glance.outlier_note(f.code))
    after = key_points.points(reworded, f.code, glance.outlier_note(f.code))
    assert [(p["page"], p["datasets"]) for p in after] == [(p["page"], p["datasets"]) for p in before]
    assert [p["text"].replace(MARK, "") for p in after] == [p["text"] for p in before]
    shown = guide.section(f, rows).table.screen.frame.to_numpy().tolist()
    again = guide.section(f, reworded).table.screen.frame.to_numpy().tolist()
    assert [[cell.replace(MARK, "") for cell in row] for row in again] == shown


@pytest.mark.parametrize("module", ["key_points", "guide_and_force"])
def test_the_rules_read_no_display_text(module):
    """No regular expression and no prefix or suffix test in the modules that choose what a force's pages say."""
    import ast
    import inspect
    import importlib

    tree = ast.parse(inspect.getsource(importlib.import_module(f"analysis.chapters.{module}")))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert "re" not in imported and not called & {"startswith", "endswith", "contains", "match", "fullmatch", "search",
                                                     "findall", "removesuffix", "removeprefix"}


def test_a_by_force_figure_two_years_behind_the_newest_is_named_as_old():
    assert config.STALE_YEARS == 2
    section = glance.at_a_glance(forces.resolve("kent"))
    found = key_points.points(section.table, forces.resolve("kent").code)
    old = [p["text"] for p in found if "or more years older" in p["text"]]
    # PCSOs at 31 March 2023 are three years behind the officers at 31 March 2026.
    assert old and "PCSOs" in old[0] and "31 March 2023" in old[0]

"""Chapter functions on small inputs with known answers, and on the real data where the answer is published."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chapters import c03_procedural_justice as c03
from analysis.chapters import c04_contact_with_victims as c04
from analysis.chapters import c05_contact_with_suspects as c05
from analysis.chapters import c07_what_else_matters as c07
from analysis.methods import funnel, stats
from analysis.present.numbers import fmt_number, format_spec
from analysis.sources import forces, policeuk


def test_gap_spans_group_consecutive_missing_years():
    spans = c04._gap_spans([2008, 2009, 2010, 2013])
    assert spans[["start", "end"]].to_numpy().tolist() == [[2007.5, 2010.5], [2012.5, 2013.5]]


def test_victim_satisfaction_shows_only_years_that_exist_and_the_peak_the_guide_implies():
    section = c04.satisfaction_trend()
    assert section.table["csew_year"].tolist() == ["2006/07", "2013/14", "2014/15", "2023/24", "2024/25"]
    implied = section.table[section.table["csew_year"] == "2013/14"].iloc[0]
    assert implied["value_pct"] == 75 and implied["kind"].startswith("implied")  # 55 + the guide's 20-point fall
    keys = {f.key: f.value for f in section.figures}
    assert (keys["sat_peak"], keys["sat_peak_year"]) == (75, "2013/14")
    assert keys["sat_years_found"] == 4 and keys["sat_missing_years"] == "2007/08 to 2012/13, 2015/16 to 2022/23"


def test_victim_satisfaction_keeps_each_definition_its_own_series_never_joined():
    # Issue 21: 2006/07 and 2023/24 are shares of victims who reported, 2014/15 and 2024/25 of incidents; the old
    # page ran 58% (victims) to 51% (incidents) as one series that "rose and then fell steeply".
    section = c04.satisfaction_trend()
    keys = {f.key: f.value for f in section.figures}
    assert "sat_first" not in keys and "sat_latest" not in keys
    assert (keys["sat_victims_first"], keys["sat_victims_latest"]) == (58, 55)
    assert (keys["sat_incidents_first"], keys["sat_incidents_latest"]) == (70, 51)
    by_year = section.table.set_index("csew_year")["definition"]
    assert by_year["2013/14"] == by_year["2006/07"] == by_year["2023/24"] == c04.VICTIMS
    assert by_year["2014/15"] == by_year["2024/25"] == c04.INCIDENTS
    plot = pd.DataFrame(next(d for d in section.chart.to_dict()["datasets"].values() if "series" in d[0]))
    assert plot.groupby("series")["definition"].nunique().max() == 1 and plot["segment"].is_unique


def test_outcomes_share_with_no_suspect(tmp_path):
    own = tmp_path / "2024-01-kent-outcomes.csv"
    cols = policeuk.COLUMNS["outcomes"]
    rows = [dict.fromkeys(cols, "") | {"Month": "2024-01", "Falls within": "Kent Police", "Longitude": "",
                                       "Latitude": "", "Outcome type": t}
            for t in [c04.NO_SUSPECT] * 3 + ["Offender given a caution"]]
    pd.DataFrame(rows, columns=cols).to_csv(own, index=False)
    figures = {f.key: f.value for f in c04.outcomes(own).figures}
    assert figures["out_no_suspect"] == pytest.approx(75.0) and figures["out_force"] == "Kent Police"


def test_arrest_rates_have_wilson_intervals_and_withhold_incomplete_cells():
    rates = c05.arrest_rates()
    quoted = rates[rates["quotable"]]
    assert (quoted["ci_low"] <= quoted["arrest_pct"]).all() and (quoted["arrest_pct"] <= quoted["ci_high"]).all()
    assert (quoted["unknown_share"] < 0.25).all()
    assert rates.loc[~rates["quotable"], "arrest_pct"].isna().all()


def test_asb_table_keeps_londons_combined_row_as_one_area_with_its_ons_test():
    table = c07.asb_table()
    now = table[table["year_ending"] == 2019].set_index("area_code")
    london = now.loc[c07.LONDON]
    # ONS marks London's combined row significantly higher than England and Wales (41.99% against 37.79%).
    assert london["asb_pct"] == pytest.approx(41.99, abs=0.01) and london["against_england_and_wales"] == stats.HIGHER
    assert "Metropolitan Police and City of London" in london["area"]
    assert c07.asb_area("E23000001") == c07.asb_area("E23000034") == c07.LONDON
    assert "E23000001" not in now.index and "E23000034" not in now.index
    assert len(now) == 42 + 1  # 41 other forces, London, and England and Wales
    assert set(table["against_england_and_wales"]) >= {stats.SIMILAR, stats.HIGHER, stats.LOWER}
    section = c07.asb_by_force()
    values = {f.key: f.value for f in section.figures}
    assert values["asb_forces"] == 42 and values["asb_london_wording"] == stats.HIGHER


def test_national_arrest_counts_are_too_incomplete_in_2018_19_and_the_met_drives_it():
    rates = c05.arrest_rates()
    now = rates[rates["year_ending"] == 2019].set_index(["pfa_code", "group"])
    assert now.at[("K04000001", "Black"), "unknown_share"] == pytest.approx(0.474, abs=0.005)
    assert not now.at[("K04000001", "Black"), "quotable"]
    assert now.at[(forces.EW_EXCLUDING_MET, "Black"), "unknown_share"] < 0.1


def test_search_rate_funnel_says_where_a_force_falls_never_its_rank():
    section = c05.search_rate_funnel(highlight="kent")
    keys = {f.key: f.value for f in section.figures}
    # Forces differ over a hundred times as much as chance allows: "within" says so beside it (issue 35).
    assert "within the 95% limits around the median force (forces differ about" in keys["sr_force_funnel"]
    assert keys["sr_force_funnel"].endswith("not unusual, not like the median force)")
    assert "highest" not in keys["sr_force_funnel"]
    # Around the median force (about 3.3 per 1,000, not the pooled 6.4 the Met's searches pull up), the Met's 20.6
    # is above the 99.8% limit, with Merseyside's; the limits multiply the centre by the same factor each way, so
    # none is below zero; the City is not compared.
    met = section.table.set_index("pfa_code").loc[forces.METROPOLITAN]
    assert met["funnel"] == funnel.ABOVE_998 and keys["sr_funnel_above_998"] == 2
    assert keys["sr_median_force"] < keys["sr_national"] and keys["sr_met_share"] > keys["sr_met_residents"]
    assert (section.table["low_0.998"].dropna() > 0).all()
    assert keys["sr_funnel_phi"] > 100 and "random effects" in keys["sr_funnel_spread"]
    assert section.table.set_index("pfa_code").at[forces.CITY_OF_LONDON, "funnel"].startswith("not compared")


def test_a_csew_value_only_the_extract_gives_is_graded_as_the_extract():
    # Issue 35: the 2025/26 figures were "transcribed" in the register and "third-party extract" in the text. A value
    # no transcribed ONS figure confirms cites the extract alone, so both say "third-party extract".
    from analysis.chapters import c01_trust_and_confidence as c01
    from analysis.present import glue
    from analysis.sources import csew

    figures = {f.key: f for f in c01.national_trend().figures}
    latest = figures["conf_latest_year"]
    assert latest.value.endswith("(third-party extract only)")
    assert glue.grade(figures["conf_latest"].datasets) == glue.grade(latest.datasets) == "third-party extract"
    assert not set(csew.HEADLINE_FILES) & set(figures["conf_latest"].datasets)


@pytest.mark.parametrize("section", [
    lambda: c05.force_section("kent"),  # "Chinese or other": too incomplete to compare, so no interval
    lambda: c03.force_section("city-of-london"),  # 2022/23: the City's rates are not published
    lambda: c03.force_section("dyfed-powys"),  # 2007/08: too few searches of Black people
])
def test_no_cell_is_a_bare_dash(section):
    # Issue 35: "no placeholder in any key point or cell": a missing cell says why in words.
    cells = section().table.frame.to_numpy().ravel()
    assert not [c for c in cells if str(c).strip() in {"–", "-", "\u2014"}]


def test_a_figure_in_the_thousands_has_its_separator():
    # Review 3: "7462 officers and PCSOs per 100,000" (the City of London, chapter 2).
    from analysis.chapters import c02_neighbourhood_policing as c02

    figure = next(f for f in c02.workforce_by_force(highlight="kent").figures if f.key == "wf_city_latest")
    assert figure.value > 1_000 and "," in fmt_number(figure.value, *format_spec(figure.fmt))

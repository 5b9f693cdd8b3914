"""Chapter functions on small inputs with known answers, and on the real data where the answer is published."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import stats, suspects, victims, wider


def test_compare_proportions_hand_checked():
    out = stats.compare_proportions([30], [100], [20], [100]).iloc[0]
    assert out["difference"] == pytest.approx(0.10)
    # Newcombe (hybrid Wilson) interval for 30/100 vs 20/100, as in Newcombe (1998), method 10.
    assert out["ci_low"] == pytest.approx(-0.0202, abs=1e-3) and out["ci_high"] == pytest.approx(0.2167, abs=1e-3)
    assert out["comparison"] == stats.SIMILAR
    assert stats.compare_proportions([60], [100], [20], [100]).iloc[0]["comparison"] == stats.HIGHER


def test_gap_spans_group_consecutive_missing_years():
    spans = victims._gap_spans([2008, 2009, 2010, 2013])
    assert spans[["start", "end"]].to_numpy().tolist() == [[2007.5, 2010.5], [2012.5, 2013.5]]


def test_victim_satisfaction_shows_only_years_that_exist_and_the_peak_the_guide_implies():
    section = victims.satisfaction_trend()
    assert section.table["csew_year"].tolist() == ["2006/07", "2013/14", "2014/15", "2023/24", "2024/25"]
    implied = section.table[section.table["csew_year"] == "2013/14"].iloc[0]
    assert implied["value_pct"] == 75 and implied["kind"].startswith("implied")  # 55 + the guide's 20-point fall
    keys = {f.key: f.value for f in section.figures}
    assert (keys["sat_first"], keys["sat_peak"], keys["sat_peak_year"], keys["sat_latest"]) == (58, 75, "2013/14", 51)
    assert keys["sat_years_found"] == 4 and keys["sat_missing_years"] == "2007/08 to 2012/13, 2015/16 to 2022/23"


def test_outcomes_share_with_no_suspect(tmp_path):
    own = tmp_path / "2024-01-kent-outcomes.csv"
    cols = victims.policeuk.COLUMNS["outcomes"]
    rows = [dict.fromkeys(cols, "") | {"Month": "2024-01", "Falls within": "Kent Police", "Longitude": "",
                                       "Latitude": "", "Outcome type": t}
            for t in [victims.NO_SUSPECT] * 3 + ["Offender given a caution"]]
    pd.DataFrame(rows, columns=cols).to_csv(own, index=False)
    figures = {f.key: f.value for f in victims.outcomes(own).figures}
    assert figures["out_no_suspect"] == pytest.approx(75.0) and figures["out_force"] == "Kent Police"


def test_use_of_force_real_files_add_up_and_national_ratio():
    ratios = suspects.use_of_force_ratios()
    national = ratios[ratios["pfa_code"] == "K04000001"].set_index("year_ending")
    assert 4 < national.at[2020, "value"] < 7
    assert national.at[2020, "ci_low"] < national.at[2020, "value"] < national.at[2020, "ci_high"]


def test_use_of_force_with_a_missing_column_is_refused(altered):
    path = altered(suspects.FORCE_FILES[2020])
    pd.read_csv(path).drop(columns="Mixed").to_csv(path, index=False)
    suspects.load_use_of_force.cache_clear()
    try:
        with pytest.raises(Exception, match=r"missing column\(s\) \['Mixed'\]"):
            suspects.load_use_of_force(2020)
    finally:
        suspects.load_use_of_force.cache_clear()


def test_arrest_rates_have_wilson_intervals_and_withhold_incomplete_cells():
    rates = suspects.arrest_rates()
    quoted = rates[rates["quotable"]]
    assert (quoted["ci_low"] <= quoted["arrest_pct"]).all() and (quoted["arrest_pct"] <= quoted["ci_high"]).all()
    assert (quoted["unknown_share"] < 0.25).all()
    assert rates.loc[~rates["quotable"], "arrest_pct"].isna().all()


def test_asb_table_keeps_londons_combined_row_as_one_area_with_its_ons_test():
    table = wider.asb_table()
    now = table[table["year_ending"] == 2019].set_index("area_code")
    london = now.loc[wider.LONDON]
    # ONS marks London's combined row significantly higher than England and Wales (41.99% against 37.79%).
    assert london["asb_pct"] == pytest.approx(41.99, abs=0.01) and london["against_england_and_wales"] == stats.HIGHER
    assert "Metropolitan Police and City of London" in london["area"]
    assert wider.asb_area("E23000001") == wider.asb_area("E23000034") == wider.LONDON
    assert "E23000001" not in now.index and "E23000034" not in now.index
    assert len(now) == 42 + 1  # 41 other forces, London, and England and Wales
    assert set(table["against_england_and_wales"]) >= {stats.SIMILAR, stats.HIGHER, stats.LOWER}
    section = wider.asb_by_force()
    values = {f.key: f.value for f in section.figures}
    assert values["asb_forces"] == 42 and values["asb_london_wording"] == stats.HIGHER

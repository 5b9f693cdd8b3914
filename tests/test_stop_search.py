"""Stop and search rates and ratios: toy frames with hand-worked answers, and the real national figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import forces, suspects
from analysis import stop_search as ss

KENT, DORSET = "E23000032", "E23000039"


def toy():
    searches = pd.DataFrame({
        "pfa_code": [KENT] * 4 + [DORSET] * 4, "year_ending": [2019] * 8,
        "group": ["White", "Black", "Not stated", "Vehicle only"] * 2,
        "searches": [100, 50, 30, 20, 100, 5, 0, 0], "searches_arrest_known": [100, 50, 30, 20, 100, 5, 0, 0],
        "arrests": [10, 5, 3, 0, 10, 1, 0, 0]})
    population = pd.DataFrame({"pfa_code": [KENT, KENT, DORSET, DORSET], "group": ["White", "Black"] * 2,
                               "population": [100_000, 10_000, 100_000, 1_000]})
    return searches, population


def test_rates_exclude_unstated_and_report_their_share():
    rates = ss.rates(*toy())
    kent = rates[rates["pfa_code"] == KENT].set_index("group")
    assert set(kent.index) == {"White", "Black"}
    assert kent.at["White", "rate_per_1000"] == pytest.approx(1.0)
    assert kent.at["Black", "rate_per_1000"] == pytest.approx(5.0)
    assert kent.at["Black", "unstated_share"] == pytest.approx(50 / 200)
    ew = rates[rates["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("group")
    assert ew.at["Black", "searches"] == 55 and ew.at["Black", "population"] == 11_000


def test_rate_ratio_hand_checked_and_too_few_to_say():
    ratios = ss.rate_ratios(ss.rates(*toy()), groups=("Black",))
    kent = ratios[ratios["pfa_code"] == KENT].iloc[0]
    # (50 / 10,000) / (100 / 100,000) = 5.0
    assert kent["rate_ratio"] == pytest.approx(5.0) and kent["ci_low"] < 5 < kent["ci_high"]
    assert kent["label"] == "5.0"
    dorset = ratios[ratios["pfa_code"] == DORSET].iloc[0]
    assert dorset["label"] == ss.TOO_FEW and pd.isna(dorset["rate_ratio"]) and pd.isna(dorset["ci_low"])


def test_real_national_ratio_matches_the_home_office_figure():
    ratios = ss.rate_ratios(ss.rates(ss.load_searches(), ss.load_population()), groups=("Black",))
    ew = ratios[(ratios["pfa_code"] == ss.ENGLAND_AND_WALES) & (ratios["year_ending"] == 2019)].iloc[0]
    # Home Office, Police powers and procedures YE March 2019: Black people 9.7 times as likely.
    assert ew["rate_ratio"] == pytest.approx(9.7, abs=0.05)
    assert ss.load_searches()["pfa_code"].nunique() == 43


def test_population_covers_43_forces_and_five_groups():
    pop = ss.load_population()
    assert pop["pfa_code"].nunique() == 43 and set(pop["group"]) == set(ss.GROUPS.values())
    assert pop["population"].sum() == 56_075_912  # the 2011 Census total for England and Wales


def _rows(*rows):
    return pd.DataFrame(rows, columns=["pfa_code", "year_ending", "group", "searches", "resultant_arrests"])


def test_blank_arrest_counts_are_left_out_of_the_rate_not_counted_as_zero():
    raw = _rows(("E23000032", 2019, "Black", 80.0, 16.0), ("E23000032", 2019, "Black", 20.0, np.nan),
                ("E23000032", 2019, "White", 60.0, 6.0), ("E23000032", 2019, "White", 40.0, np.nan))
    totals = ss.summarise(raw)
    black = totals[totals["group"] == "Black"].iloc[0]
    assert (black["searches"], black["searches_arrest_known"], black["arrests"]) == (100, 80, 16)
    rates = suspects.arrest_rate_table(totals).set_index("group")
    assert rates.at["Black", "arrest_pct"] == pytest.approx(20.0)  # 16 of 80 counted, not 16 of 100
    assert rates.at["Black", "unknown_share"] == pytest.approx(0.2)
    # 40% of White searches have no count: no rate at all rather than a biased one.
    assert rates.at["White", "unknown_share"] == pytest.approx(0.4)
    assert rates.at["Black", "quotable"] and not rates.at["White", "quotable"]
    assert pd.isna(rates.at["White", "arrest_pct"])


def test_a_force_with_a_quarter_of_counts_missing_is_too_incomplete_to_compare():
    raw = _rows(("E23000032", 2019, "Black", 70.0, 7.0), ("E23000032", 2019, "Black", 30.0, np.nan),
                ("E23000032", 2019, "White", 500.0, 50.0),
                ("E23000002", 2019, "Black", 100.0, 10.0), ("E23000002", 2019, "White", 400.0, 40.0))
    table = suspects.compare_arrest_rates(suspects.arrest_rate_table(ss.summarise(raw))).set_index("pfa_code")
    assert table.at["E23000032", "comparison"] == ss.TOO_INCOMPLETE
    assert pd.isna(table.at["E23000032", "black_pct"]) and pd.isna(table.at["E23000032", "value"])
    assert table.at["E23000032", "black_unknown_pct"] == pytest.approx(30.0)
    assert table.at["E23000002", "comparison"] == "similar"


def test_rows_with_more_arrests_than_searches_are_caught_and_never_used():
    raw = _rows(("E23000032", 2019, "White", 1.0, 5.0), ("E23000032", 2019, "White", 10.0, 2.0))
    totals = ss.summarise(raw).iloc[0]
    assert (totals["searches"], totals["searches_arrest_known"], totals["arrests"]) == (11, 10, 2)
    over = ss.arrests_over_searches()
    assert len(over) == 693 and (over["resultant_arrests"] > over["searches"]).all()
    published = ss.load_searches()
    assert (published["arrests"] <= published["searches_arrest_known"]).all()
    assert (published["searches_arrest_known"] <= published["searches"]).all()


def test_national_arrest_counts_are_too_incomplete_in_2018_19_and_the_met_drives_it():
    rates = suspects.arrest_rates()
    now = rates[rates["year_ending"] == 2019].set_index(["pfa_code", "group"])
    assert now.at[("K04000001", "Black"), "unknown_share"] == pytest.approx(0.474, abs=0.005)
    assert not now.at[("K04000001", "Black"), "quotable"]
    assert now.at[(forces.EW_EXCLUDING_MET, "Black"), "unknown_share"] < 0.1

"""Disproportionality: search rates and ratios on toy frames with hand-worked answers and the real national figure,
ratios of published rates with their rounding range, and arrest rates with blanks kept apart from zeros."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.methods import disproportionality, stats
from analysis.sources import forces, search_rates
from analysis.sources import stop_search as ss
from analysis.sources.schemas import SchemaError

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
    rates = disproportionality.rates(*toy())
    kent = rates[rates["pfa_code"] == KENT].set_index("group")
    assert set(kent.index) == {"White", "Black"}
    assert kent.at["White", "rate_per_1000"] == pytest.approx(1.0)
    assert kent.at["Black", "rate_per_1000"] == pytest.approx(5.0)
    assert kent.at["Black", "unstated_share"] == pytest.approx(50 / 200)
    ew = rates[rates["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("group")
    assert ew.at["Black", "searches"] == 55 and ew.at["Black", "population"] == 11_000


def test_rate_ratio_hand_checked_and_too_few_to_say():
    ratios = disproportionality.rate_ratios(disproportionality.rates(*toy()), groups=("Black",))
    kent = ratios[ratios["pfa_code"] == KENT].iloc[0]
    # (50 / 10,000) / (100 / 100,000) = 5.0
    assert kent["rate_ratio"] == pytest.approx(5.0) and kent["ci_low"] < 5 < kent["ci_high"]
    assert kent["label"] == "5.0"
    dorset = ratios[ratios["pfa_code"] == DORSET].iloc[0]
    assert dorset["label"] == disproportionality.TOO_FEW and pd.isna(dorset["rate_ratio"]) and pd.isna(dorset["ci_low"])


def test_real_national_ratio_matches_the_home_office_figure():
    ratios = disproportionality.rate_ratios(disproportionality.search_rates_by_group(), groups=("Black",))
    ew = ratios[(ratios["pfa_code"] == ss.ENGLAND_AND_WALES) & (ratios["year_ending"] == 2019)].iloc[0]
    # Home Office, Police powers and procedures YE March 2019: Black people 9.7 times as likely.
    assert ew["rate_ratio"] == pytest.approx(9.7, abs=0.05)
    assert ss.load_searches()["pfa_code"].nunique() == 43


def _rows(*rows):
    return pd.DataFrame(rows, columns=["pfa_code", "year_ending", "group", "searches", "resultant_arrests"])


def test_blank_arrest_counts_are_left_out_of_the_rate_not_counted_as_zero():
    raw = _rows(("E23000032", 2019, "Black", 80.0, 16.0), ("E23000032", 2019, "Black", 20.0, np.nan),
                ("E23000032", 2019, "White", 60.0, 6.0), ("E23000032", 2019, "White", 40.0, np.nan))
    totals = ss.summarise(raw)
    black = totals[totals["group"] == "Black"].iloc[0]
    assert (black["searches"], black["searches_arrest_known"], black["arrests"]) == (100, 80, 16)
    rates = disproportionality.arrest_rate_table(totals).set_index("group")
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
    rates = disproportionality.arrest_rate_table(ss.summarise(raw))
    table = disproportionality.compare_arrest_rates(rates).set_index("pfa_code")
    assert table.at["E23000032", "comparison"] == disproportionality.TOO_INCOMPLETE
    assert pd.isna(table.at["E23000032", "black_pct"]) and pd.isna(table.at["E23000032", "value"])
    assert table.at["E23000032", "black_unknown_pct"] == pytest.approx(30.0)
    assert table.at["E23000002", "comparison"] == "similar"


SMALL_POPULATIONS = pd.DataFrame({
    "pfa_code": ["E23000001", "E23000001", "E23000039", "E23000039", forces.ENGLAND_AND_WALES,
                 forces.ENGLAND_AND_WALES],
    "group": ["Black", "White", "Black", "White", "Black", "White"],
    # Census 2021 E&W totals (from the dataset's PROVENANCE); the force figures are made up for the test.
    "population": [1_000_000, 4_000_000, 100, 600_000, 2_409_283, 48_699_231],
})


def test_black_white_ratio_and_the_range_the_rounding_allows():
    ratios = disproportionality.black_white_ratios(search_rates.load_rates()).set_index("pfa_code")
    dorset = ratios.loc["E23000039"]
    assert dorset["ratio"] == pytest.approx(26.0 / 1.9)
    assert dorset["rounding_low"] == pytest.approx(25.95 / 1.95)
    assert dorset["rounding_high"] == pytest.approx(26.05 / 1.85)
    assert ratios.at[forces.ENGLAND_AND_WALES, "force"] == "England and Wales"
    city = ratios.loc[forces.CITY_OF_LONDON]
    assert np.isnan(city["ratio"]) and city["note"] == disproportionality.NOT_PUBLISHED
    quoted = ratios.dropna(subset=["ratio"])
    assert len(quoted) == 43
    assert (quoted["rounding_low"] <= quoted["ratio"]).all() and (quoted["ratio"] <= quoted["rounding_high"]).all()


def test_a_white_rate_that_rounds_to_zero_leaves_the_range_open():
    rates = pd.DataFrame({"pfa_code": ["E23000001"] * 2, "group": ["Black", "White"], "rate": [0.4, 0.0]})
    row = disproportionality.black_white_ratios(rates).iloc[0]
    # No ratio can be given, but the true one is at least 0.35/0.05 = 7.
    assert np.isnan(row["ratio"]) and row["rounding_high"] == np.inf and row["rounding_low"] == pytest.approx(7.0)


def test_approximate_interval_on_a_small_frame():
    ratios = disproportionality.black_white_ratios(search_rates.load_rates())
    out = disproportionality.approximate_intervals(ratios, SMALL_POPULATIONS)
    out = out.set_index("pfa_code")
    met = out.loc["E23000001"]
    assert (met["black_searches"], met["white_searches"]) == (32_800, 45_600)  # rate x population / 1,000
    expected = stats.poisson_rate_ratio(32_800, 1_000_000, 45_600, 4_000_000).iloc[0]
    assert (met["ci_low"], met["ci_high"]) == pytest.approx((expected["ci_low"], expected["ci_high"]))
    assert met["ci_low"] < met["ratio"] < met["ci_high"] and met["interval"] == disproportionality.APPROXIMATE
    assert "approximate" in met["interval"]
    # 26.0 per 1,000 of 100 people is about 3 searches: too few for an interval.
    assert out.at["E23000039", "interval"] == disproportionality.TOO_FEW
    assert np.isnan(out.at["E23000039", "ci_low"])
    # England and Wales (the 43 forces, without British Transport Police) is rebuilt like a force: 23.7 and 5.8 per
    # 1,000 of its Census 2021 residents.
    national = out.loc[forces.ENGLAND_AND_WALES]
    assert (national["black_searches"], national["white_searches"]) == (round(23.7 * 2_409.283),
                                                                          round(5.8 * 48_699.231))
    assert national["interval"] == disproportionality.APPROXIMATE
    assert out.at["E23000002", "interval"] == "no population given" and np.isnan(out.at["E23000002", "ci_low"])
    assert out.at[forces.CITY_OF_LONDON, "interval"] == disproportionality.NOT_PUBLISHED


def test_approximate_interval_refuses_a_bad_population_frame():
    bad = SMALL_POPULATIONS.assign(population=lambda d: d["population"].where(d.index != 2, 0))
    with pytest.raises(SchemaError, match=r"approximate_intervals.*'population' has .*0\)? at row 2 .*expected a value >= 1"):
        disproportionality.approximate_intervals(disproportionality.black_white_ratios(search_rates.load_rates()), bad)


def test_use_of_force_real_files_add_up_and_national_ratio():
    ratios = disproportionality.use_of_force_ratios()
    national = ratios[ratios["pfa_code"] == "K04000001"].set_index("year_ending")
    assert 4 < national.at[2020, "value"] < 7
    assert national.at[2020, "ci_low"] < national.at[2020, "value"] < national.at[2020, "ci_high"]

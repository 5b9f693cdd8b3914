"""Workforce rates per 100,000: sums over sex, the population year used, the changes since 2010."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import workforce
from analysis.schemas import SchemaError

KENT = "E23000032"


def test_rates_divide_by_the_previous_mid_year_and_flag_later_years():
    wf = pd.DataFrame({"pfa_code": [KENT] * 3, "year": [2016, 2017, 2019], "role": ["Police officers"] * 3,
                       "fte": [200.0, 300.0, 400.0]})
    pop = pd.DataFrame({"pfa_code": [KENT] * 2, "mid_year": [2015, 2016], "population": [100_000, 200_000]})
    out = workforce.per_100k(wf, pop)
    officers = out[out["role"] == "Police officers"].set_index("year")
    assert officers["per_100k"].tolist() == [200.0, 150.0, 200.0]
    assert officers["population_estimated"].tolist() == [False, False, True]
    both = out[out["role"] == workforce.NEIGHBOURHOOD_ROLES]
    assert both["fte"].tolist() == [200.0, 300.0, 400.0]


def test_a_missing_population_names_the_force_and_year():
    wf = pd.DataFrame({"pfa_code": [KENT], "year": [2008], "role": ["PCSOs"], "fte": [1.0]})
    pop = pd.DataFrame({"pfa_code": [KENT], "mid_year": [2016], "population": [1]})
    with pytest.raises(ValueError, match=r"no population for E23000032 mid-2007"):
        workforce.per_100k(wf, pop)


def test_change_since_finds_the_low_point_after_the_start():
    rates = pd.DataFrame({"pfa_code": ["X"] * 5, "role": ["r"] * 5, "year": [2009, 2010, 2011, 2012, 2013],
                          "per_100k": [50.0, 200.0, 150.0, 100.0, 120.0]})
    row = workforce.change_since(rates, 2010).iloc[0]
    assert (row["start"], row["low_year"], row["low"], row["latest"]) == (200.0, 2012, 100.0, 120.0)
    assert row["fall_pct"] == pytest.approx(-50.0)
    assert row["recovery_pct"] == pytest.approx(20.0)
    assert row["net_pct"] == pytest.approx(-40.0)


def test_real_workforce_sums_sex_categories_including_not_stated():
    wf = workforce.load_workforce()
    assert wf["pfa_code"].nunique() == 43
    assert wf["year"].min() == 2007 and wf["year"].max() == 2022
    total_2022 = wf[(wf["year"] == 2022) & (wf["role"] == "Police officers")]["fte"].sum()
    strength = workforce.national_strength().set_index("year")
    # The by-force file and the national strength series are both Home Office FTE on 31 March.
    assert total_2022 == pytest.approx(strength.at[2022, "officers"], rel=0.002)


def test_duplicate_force_year_rows_are_refused(altered):
    path = altered(workforce.WORKFORCE_FILE)
    df = pd.read_csv(path)
    pd.concat([df, df.iloc[[0]]]).to_csv(path, index=False, compression="gzip")
    workforce.load_workforce.cache_clear()
    try:
        with pytest.raises(SchemaError, match=r"duplicate rows .*pfa_code='E23000036', year=2007"):
            workforce.load_workforce()
    finally:
        workforce.load_workforce.cache_clear()


def test_national_strength_since_1977():
    strength = workforce.national_strength()
    assert strength["year"].min() == 1977
    assert strength.set_index("year").at[1977, "officers"] == 108115

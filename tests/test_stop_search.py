"""Stop and search rates and ratios: toy frames with hand-worked answers, and the real national figure."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import stop_search as ss

KENT, DORSET = "E23000032", "E23000039"


def toy():
    searches = pd.DataFrame({
        "pfa_code": [KENT] * 4 + [DORSET] * 4, "year_ending": [2019] * 8,
        "group": ["White", "Black", "Not stated", "Vehicle only"] * 2,
        "searches": [100, 50, 30, 20, 100, 5, 0, 0], "arrests": [10, 5, 3, 0, 10, 1, 0, 0]})
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

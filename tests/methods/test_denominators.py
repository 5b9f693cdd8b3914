"""Residents interpolated between the censuses, and ratios on both denominators (issue 21, section 1)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.methods import denominators, disproportionality

KENT, NORTHANTS = "E23000032", "E23000028"


def censuses() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Kent's Black and White residents as the two censuses count them; a second force whose populations barely move.
    c2011 = pd.DataFrame({"pfa_code": [KENT, KENT, NORTHANTS, NORTHANTS], "group": ["Black", "White"] * 2,
                          "population": [22_879, 1_607_681, 20_000, 600_000]})
    c2021 = pd.DataFrame({"pfa_code": [KENT, KENT, KENT, NORTHANTS, NORTHANTS, NORTHANTS],
                          "group": ["Black", "White", "All"] * 2,
                          "population": [56_757, 1_644_756, 1_855_850, 20_400, 606_000, 700_000]})
    return c2011, c2021


def test_the_midpoint_weight_runs_from_the_2011_to_the_2021_census_and_never_past_them():
    weight = denominators.census_weight(pd.Series([2007, 2011, 2012, 2019, 2021, 2022]))
    assert weight.iloc[0] == weight.iloc[1] == 0  # before the 2011 Census, the 2011 Census itself
    assert weight.iloc[2] == pytest.approx(187 / 3647)  # 27 March 2011 to 30 September 2011, of 3,647 days
    assert weight.iloc[3] == pytest.approx(2744 / 3647)  # to 30 September 2018
    assert weight.iloc[4] == pytest.approx((3647 - 172) / 3647)  # 30 September 2020, 172 days short of the census
    assert weight.iloc[5] == 1  # after Census 2021, Census 2021 itself


def test_interpolated_residents_lie_on_the_line_between_the_censuses():
    c2011, c2021 = censuses()
    out = denominators.interpolated(c2011, c2021, [2010, 2019]).set_index(["pfa_code", "group", "year_ending"])
    assert out.at[(KENT, "Black", 2010), "population"] == 22_879
    assert out.at[(KENT, "Black", 2019), "population"] == pytest.approx(22_879 + 2744 / 3647 * (56_757 - 22_879))
    assert "All" not in out.index.get_level_values("group")


def test_a_force_whose_black_population_grew_like_kents_sees_its_ratio_fall_and_loses_its_verdict():
    c2011, c2021 = censuses()
    searches = pd.DataFrame({"pfa_code": [KENT, KENT, NORTHANTS, NORTHANTS], "year_ending": 2019,
                             "group": ["Black", "White"] * 2, "searches": [695, 4_248, 300, 1_500],
                             "searches_arrest_known": 0, "arrests": 0})
    official = disproportionality.rate_ratios(disproportionality.rates(searches, c2011))
    interpolated = disproportionality.rate_ratios(disproportionality.rates(
        searches, denominators.interpolated(c2011, c2021, [2019])))
    both = disproportionality.ratios_on_both_denominators(official, interpolated).set_index("pfa_code")
    kent, steady = both.loc[KENT], both.loc[NORTHANTS]
    assert kent["rate_ratio"] == pytest.approx(11.5, abs=0.05)  # the book's old figure
    assert kent["rate_ratio_interpolated"] == pytest.approx(5.5, abs=0.05)  # 48,369 Black residents in 2018
    assert kent["denominator_uncertain"] and kent["ci_low_interpolated"] > 1
    assert (kent["denominator_low"], kent["denominator_high"]) == (kent["rate_ratio_interpolated"], kent["rate_ratio"])
    assert steady["rate_ratio_interpolated"] == pytest.approx(steady["rate_ratio"], rel=0.02)
    assert not steady["denominator_uncertain"]

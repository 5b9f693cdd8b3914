"""Funnel limits against PHE's published worked values, and Spiegelhalter's (2005) overdispersion on known inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.methods import funnel
from analysis.sources import forces

# PHE/OHID Fingertips funnel method, worked values from PHEindicatormethods' test data
# (tests/testthat/testdata_funnel_ratio_outputs.csv): for an observed count, the expected count at which it sits
# exactly on each limit. Columns: observed, expected on the lower 95% limit, on the upper 95% limit, on the lower
# 99.8% limit, on the upper 99.8% limit.
PHE_ROWS = [
    (1, 5.571644585, 0.025317898, 9.233410143, 0.001000547),
    (10, 18.39035799, 4.795387629, 24.13397235, 2.960519925),
    (100, 121.6268111, 81.36400699, 134.9243187, 71.92139974),
    (716, 770.4222128, 664.5083011, 802.60414, 636.1521174),
]


@pytest.mark.parametrize("observed, low95, high95, low998, high998", PHE_ROWS)
def test_poisson_limits_reproduce_phe_fingertips_values(observed, low95, high95, low998, high998):
    assert funnel.poisson_count_limits(low95, 0.95)[0][0] == pytest.approx(observed, rel=1e-5)
    assert funnel.poisson_count_limits(high95, 0.95)[1][0] == pytest.approx(observed, rel=1e-5)
    assert funnel.poisson_count_limits(low998, 0.998)[0][0] == pytest.approx(observed, rel=1e-5)
    assert funnel.poisson_count_limits(high998, 0.998)[1][0] == pytest.approx(observed, rel=1e-5)


def test_lower_limit_is_zero_where_no_count_could_be_low_enough():
    # P(0 events | 3 expected) = e^-3 = 0.050 > 0.025: even none is within the 95% limits.
    assert funnel.poisson_count_limits(3.0, 0.95)[0][0] == 0


def test_overdispersion_is_the_mean_squared_winsorised_z():
    z = np.array([-5.0, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 20])
    pulled = np.clip(z, *np.quantile(z, [0.1, 0.9]))  # -5 -> -1.4 and 20 -> 4.25
    spread = funnel.overdispersion(z, np.ones(10))
    assert spread["phi"] == pytest.approx(np.mean(pulled**2))
    # Equal standard errors: tau^2 = (I phi - (I - 1)) / (I - 1) (DerSimonian-Laird with w = 1).
    assert spread["tau2"] == pytest.approx((10 * spread["phi"] - 9) / 9)


def test_no_overdispersion_keeps_exact_poisson_limits():
    spread = funnel.overdispersion([0.1, -0.2, 0.3, -0.1], np.ones(4))
    assert spread["phi"] < 1 and spread["tau2"] == 0


def test_rate_funnel_classifies_against_the_centre():
    # Ten units of 100,000 at a centre of 1 per 1,000 (100 expected each) with Poisson-sized spread, and one
    # large outlier: 150 events is above the 99.8% limit (Poisson upper 99.8% limit for 100 expected is about 132).
    events = np.array([90, 95, 100, 105, 110, 92, 108, 99, 101, 150])
    out, spread = funnel.rate_funnel(events, np.full(10, 1e5), centre=1e-3)
    assert out["funnel"].iloc[2] == funnel.WITHIN
    assert spread["tau2"] == 0  # winsorised, the outlier does not widen the others' limits
    assert out["funnel"].iloc[-1] == funnel.ABOVE_998


def test_log_ratio_funnel_widens_limits_for_overdispersion():
    log_ratio = np.log([1, 2, 4, 8, 16, 3, 5, 0.5])
    out, spread = funnel.log_ratio_funnel(log_ratio, np.full(8, 0.05), centre=np.log(3))
    assert spread["tau2"] > 0
    assert out["high_0.95"].iloc[0] / 3 == pytest.approx(np.exp(1.959964 * np.sqrt(0.05**2 + spread["tau2"])),
                                                        rel=1e-5)


def test_proportion_limits_are_exact_binomial_without_overdispersion_and_widen_with_it():
    from scipy import stats as sps

    low, high = funnel.proportion_limits([100, 1000], 0.25, 0.0, 0.95)
    # Exact binomial quantiles: with 100 trials at 25%, 17 and 34 leave about 2.5% in each tail.
    assert list(low * [100, 1000]) == [17, 223] and list(high * [100, 1000]) == [34, 277]
    assert sps.binom.cdf(16, 100, 0.25) < 0.025 <= sps.binom.cdf(17, 100, 0.25)
    wide_low, wide_high = funnel.proportion_limits([1000], 0.25, 0.02, 0.95)
    # With overdispersion the limits are on the logit scale: logit(0.25) +/- z sqrt(1/(n p (1 - p)) + tau^2).
    half = 1.959964 * (1 / (1000 * 0.25 * 0.75) + 0.02) ** 0.5
    logit = np.log(0.25 / 0.75)
    assert wide_low[0] == pytest.approx(1 / (1 + np.exp(-(logit - half))), abs=1e-6)
    assert wide_high[0] == pytest.approx(1 / (1 + np.exp(-(logit + half))), abs=1e-6)


def test_wide_spread_never_draws_a_limit_below_zero_or_a_share_above_one():
    # A between-force spread so wide that centre - z sqrt(centre/exposure + tau^2) would be negative on the rate
    # scale: on the log (logit) scale every limit stays positive (inside 0 to 1) and the limits multiply the centre
    # by the same factor each way.
    low, high = funnel.rate_limits([1e4, 1e5, 1e6], 0.005, 0.5, 0.998)
    assert (low > 0).all() and np.allclose(low * high, 0.005**2)
    low, high = funnel.proportion_limits([10, 1000], 0.3, 2.0, 0.998)
    assert (low > 0).all() and (high < 1).all()


def test_rate_funnel_estimates_the_between_force_variance_on_the_log_scale():
    # Rates spread about 30% either way around 5 per 1,000 in large units: tau^2 on the log scale is about
    # var(log rate), not var(rate) (which is about centre^2 times that).
    rates = 0.005 * np.exp(np.linspace(-0.3, 0.3, 11))
    exposure = np.full(11, 1e6)
    out, spread = funnel.rate_funnel(rates * exposure, exposure, 0.005)
    assert 0.01 < spread["tau2"] < 0.1
    assert spread["phi"] > 100 and (out["low_0.998"] > 0).all()


def test_a_wide_funnel_says_within_the_limits_says_little():
    assert funnel.wide_caveat({"phi": 1.5, "tau2": 0.0}) is None
    caveat = funnel.wide_caveat({"phi": 1662.4, "tau2": 0.2})
    assert funnel.wide_caveat({"phi": 30, "tau2": 0.1}, "the median force").endswith("not like the median force")
    assert "1,662 times" in caveat and "not unusual, not like England and Wales" in caveat


def test_a_proportion_far_from_the_centre_is_placed_beyond_the_limits():
    table = pd.DataFrame({"pfa_code": sorted(forces.force_codes()), "reviews": 200, "overturned": 50})
    table.loc[0, "overturned"] = 120  # 60% of 200, against the median force's 25%
    fitted = funnel.forces_proportion_funnel(table, "overturned", "reviews")
    out = fitted.table
    assert out.loc[0, "funnel"] == funnel.ABOVE_998 and (out.loc[1:, "funnel"] == funnel.WITHIN).all()
    # The median force's share, which the one high force cannot pull as it pulls the pooled share.
    assert fitted.centre == pytest.approx(25.0) and fitted.centre_name == funnel.MEDIAN_FORCE


def _forces_with(met_searches: float) -> pd.DataFrame:
    """Every force with a million residents and its own rate (2 to 10.4 per 1,000), the Met with `met_searches`
    searches and eight million residents."""
    codes = sorted(forces.force_codes())
    table = pd.DataFrame({"pfa_code": codes, "population": 1e6, "searches": 2000 + 200.0 * np.arange(len(codes))})
    met = table["pfa_code"] == forces.METROPOLITAN
    table.loc[met, ["population", "searches"]] = [8e6, met_searches]
    return table


def test_a_rate_funnel_is_centred_on_the_median_of_the_compared_forces_rates_which_a_dominant_force_does_not_move():
    fitted = funnel.forces_rate_funnel(_forces_with(met_searches=80_000), "searches", "population", 1000)
    compared = fitted.table[fitted.table["pfa_code"] != forces.CITY_OF_LONDON]
    # The median of the 42 forces compared: the City of London, neither compared nor counted, is not in it.
    assert fitted.centre == pytest.approx(compared["value"].median())
    assert fitted.centre_name == funnel.MEDIAN_FORCE
    # The limits are drawn around that centre: at every size, the centre is the geometric middle of the two lines.
    for level in ("95% limits", "99.8% limits"):
        lines = fitted.curve[fitted.curve["level"] == level].pivot(index="size", columns="side", values="value")
        assert np.allclose(np.sqrt(lines["lower"] * lines["upper"]), fitted.centre)
    # The Met making ten times as many searches (over half the forces' total) more than doubles the pooled rate but
    # does not move the centre: its rate is above the median either way.
    dominant = funnel.forces_rate_funnel(_forces_with(met_searches=800_000), "searches", "population", 1000)
    before, after = _forces_with(met_searches=80_000), _forces_with(met_searches=800_000)
    assert after.set_index("pfa_code").at[forces.METROPOLITAN, "searches"] > after["searches"].sum() / 2
    pooled = [t["searches"].sum() / t["population"].sum() for t in (before, after)]
    assert pooled[1] > 2 * pooled[0]
    assert dominant.centre == pytest.approx(fitted.centre)
    assert dominant.table.set_index("pfa_code").at[forces.METROPOLITAN, "funnel"] == funnel.ABOVE_998


def test_a_rate_funnels_overdispersion_is_estimated_on_the_log_scale_so_a_rate_twice_the_centre_counts_as_half_it():
    # Two units as far above the centre as two others are below it, on the log scale: their z-scores cancel, so the
    # spread is the same whichever side the outliers fall (on the rate scale, those above would count twice as far).
    exposure = np.full(10, 1e6)
    above = funnel.rate_funnel(np.array([5e3] * 8 + [1e4, 1e4]), exposure, 0.005)[1]
    below = funnel.rate_funnel(np.array([5e3] * 8 + [2.5e3, 2.5e3]), exposure, 0.005)[1]
    assert above["phi"] == pytest.approx(below["phi"]) and above["tau2"] == pytest.approx(below["tau2"])

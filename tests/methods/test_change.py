"""The change test across forces: each force's change against no change, its standard error widened by the spread of
the forces' changes beyond chance (overdispersion), with the false discovery rate controlled across forces."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.methods import change, funnel, multiplicity, stats

FORCES = 43


def _years(seed: int, sigma: float, factor=None):
    """Searches in two years for 43 forces of 0.3 to 3 million residents at 2 to 10 per 1,000, every force's rate
    unchanged but each year's moved by a log-normal factor of spread `sigma` (what forces' years do beyond Poisson
    noise); `factor` multiplies the newer year's expected searches force by force."""
    rng = np.random.default_rng(seed)
    residents = rng.uniform(3e5, 3e6, FORCES)
    expected = rng.uniform(2, 10, FORCES) / 1000 * residents
    then = rng.poisson(expected * np.exp(rng.normal(0, sigma, FORCES)))
    now = rng.poisson(expected * (1 if factor is None else factor) * np.exp(rng.normal(0, sigma, FORCES)))
    return now, then, residents


def test_the_winsorised_spread_of_normal_noise_is_scaled_to_one():
    # Standard normal z-scores winsorised at 10% and 90%: 2((0.9 - 0.5) - c phi(c)) + 2 (0.1) c^2, c = 1.2816.
    c = 1.2815515655446004
    assert change.WINSORISED_NORMAL == pytest.approx(2 * (0.4 - c * np.exp(-c**2 / 2) / np.sqrt(2 * np.pi))
                                                     + 0.2 * c**2, rel=1e-6)
    rng = np.random.default_rng(3)
    log_change = rng.normal(0, 0.01, 4000)
    _, spread = change.overdispersed_changes(log_change, np.full(4000, 0.01))
    assert spread["phi"] == pytest.approx(1, abs=0.05) and spread["tau2"] < 1e-5


def test_a_known_overdispersed_example_flags_what_a_poisson_test_flags_and_this_does_not():
    """Forces whose rates did not change, each year moved by about 25% beyond Poisson noise (a log-normal spread,
    as forces' years vary): on thousands of searches a plain Poisson test calls nearly every force's change
    significant; the overdispersed test recovers most of the spread (tau^2 = 2 x 0.25^2 on the log scale; winsorised,
    its estimate runs somewhat low) and flags next to none: a fifth of a force a draw on average, over many seeded
    draws, against more than 30."""
    flagged, poisson_flagged, tau2 = [], [], []
    for seed in range(40):
        now, then, residents = _years(seed, 0.25)
        moved = change.log_change_of_rates(now, residents, then, residents)
        tested, spread = change.overdispersed_changes(moved["log_change"], moved["se"])
        plain = stats.poisson_rate_ratio(now, residents, then, residents)["p_value"]
        flagged.append(tested["significant"].sum())
        poisson_flagged.append(multiplicity.significant(plain, multiplicity.FDR).sum())
        tau2.append(spread["tau2"])
    assert min(poisson_flagged) > 30
    assert np.mean(flagged) < 0.3 and max(flagged) <= 3
    assert 0.7 * 2 * 0.25**2 < np.median(tau2) < 1.1 * 2 * 0.25**2


def test_a_force_whose_change_is_the_typical_change_is_not_flagged_and_one_far_beyond_the_spread_is():
    """Every force's searches up by 20%, each year's noise as above; one force's change is exactly the typical
    (median) change, one force's rate quadrupled. The plain Poisson test flags the typical force; this does not, and
    it flags the force that quadrupled."""
    factor = np.full(FORCES, 1.2)
    factor[0] = 4.0
    now, then, residents = _years(7, 0.25, factor)
    moved = change.log_change_of_rates(now, residents, then, residents)
    typical = int(np.argsort(moved["log_change"].to_numpy(), kind="stable")[FORCES // 2])
    tested, spread = change.overdispersed_changes(moved["log_change"], moved["se"])
    assert moved.at[typical, "log_change"] == pytest.approx(spread["centre"])
    plain = stats.poisson_rate_ratio(now, residents, then, residents)["p_value"]
    assert multiplicity.significant(plain, multiplicity.FDR)[typical]
    assert not tested.at[typical, "significant"]
    assert tested.at[0, "significant"] and tested.at[0, "z"] > 0


def test_a_large_force_s_small_change_is_not_made_significant_by_its_size():
    # tau^2 is added to each standard error, not multiplied into it: the Met-sized force's 10% change, on 100,000
    # searches, stays within the spread that smaller forces' changes show.
    log_change = np.r_[np.log(1.1), np.random.default_rng(1).normal(0, 0.3, 30)]
    se = np.r_[np.sqrt(2 / 100_000), np.full(30, np.sqrt(2 / 2_000))]
    tested, spread = change.overdispersed_changes(log_change, se)
    assert spread["tau2"] > 0.01 and not tested.at[0, "significant"]
    assert stats.poisson_rate_ratio([110_000], [1], [100_000], [1])["p_value"].iloc[0] < 1e-50
    assert tested.at[0, "se_overdispersed"] == pytest.approx(np.sqrt(se[0] ** 2 + spread["tau2"]))


def test_units_with_no_change_are_left_out_of_the_spread_and_the_family():
    rng = np.random.default_rng(5)
    log_change, se = rng.normal(0, 0.2, 20), np.full(20, 0.02)
    with_gaps = np.r_[log_change, np.nan, np.inf]
    tested, spread = change.overdispersed_changes(with_gaps, np.r_[se, 0.02, 0.02])
    alone, same = change.overdispersed_changes(log_change, se)
    assert spread == same and tested["p_value"].iloc[-2:].isna().all() and not tested["significant"].iloc[-2:].any()
    assert tested["p_value"].iloc[:20].to_numpy() == pytest.approx(alone["p_value"].to_numpy())
    with pytest.raises(ValueError, match="at least 10 units"):
        change.overdispersed_changes(log_change[:5], se[:5])


def test_the_spread_is_the_funnels_estimate_of_the_rescaled_z_scores():
    log_change = np.array([-0.4, -0.2, -0.1, 0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 1.5])
    se = np.array([0.05, 0.1, 0.02, 0.04, 0.03, 0.08, 0.05, 0.06, 0.1, 0.07, 0.05])
    _, spread = change.overdispersed_changes(log_change, se)
    z = (log_change - np.median(log_change)) / se / np.sqrt(change.WINSORISED_NORMAL)
    expected = funnel.overdispersion(z, se)
    assert spread["phi"] == pytest.approx(expected["phi"]) and spread["tau2"] == pytest.approx(expected["tau2"])
    assert spread["centre"] == pytest.approx(0.1)


def test_log_changes_from_counts_and_from_intervals():
    moved = change.log_change_of_rates([200, 0], [1000, 1000], [100, 10], [1000, 2000])
    assert moved.at[0, "log_change"] == pytest.approx(np.log(2)) and moved.at[0, "se"] == pytest.approx(
        np.sqrt(1 / 200 + 1 / 100))
    # A zero count: half an event added to both, so the change and its error stay finite.
    assert moved.at[1, "log_change"] == pytest.approx(np.log(0.5 / 1000) - np.log(10.5 / 2000))
    ratios = change.log_change_of_ratios([6.5], [5.0], [8.5], [2.8], [2.0], [4.0])
    z = 1.959963984540054
    assert ratios.at[0, "log_change"] == pytest.approx(np.log(6.5 / 2.8))
    assert ratios.at[0, "se"] == pytest.approx(np.hypot(np.log(8.5 / 5.0), np.log(4.0 / 2.0)) / (2 * z))

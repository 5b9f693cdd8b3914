"""Statistics helpers against hand-worked values."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats import rates

from analysis.methods import stats


def test_survey_ci_is_estimate_plus_minus_1_96_se():
    low, high = stats.survey_ci(0.5, 0.01)
    assert low == pytest.approx(0.5 - 1.959964 * 0.01, abs=1e-6)
    assert high == pytest.approx(0.5 + 1.959964 * 0.01, abs=1e-6)


def test_compare_calls_only_significant_differences():
    # diff 0.04, se of diff 0.01*sqrt(2) = 0.01414 -> z 2.83, p 0.0047: lower.
    # diff 0.02, z 1.41, p 0.157: similar, however far apart the dots look.
    out = stats.compare_estimates([0.71, 0.73, 0.79], [0.01, 0.01, 0.01], 0.75, 0.01)
    assert list(out["comparison"]) == ["lower", "similar", "higher"]
    assert out["p_value"].iloc[0] == pytest.approx(0.004678, abs=1e-5)
    assert out["z"].iloc[1] == pytest.approx(-1.41421, abs=1e-4)


def test_wilson_interval_matches_the_textbook_value():
    # 8 of 10: Wilson 95% interval (0.4902, 0.9433) (Newcombe 1998, table I).
    low, high = stats.wilson_ci(8, 10)
    assert float(low) == pytest.approx(0.4902, abs=1e-4) and float(high) == pytest.approx(0.9433, abs=1e-4)


def test_poisson_count_ci_exact_for_zero_and_small_counts():
    low, high = stats.poisson_count_ci([0, 5])
    assert low[0] == 0 and high[0] == pytest.approx(3.6889, abs=1e-3)  # Garwood upper for 0
    assert low[1] == pytest.approx(1.6235, abs=1e-3) and high[1] == pytest.approx(11.6683, abs=1e-3)


def test_rate_ratio_hand_checked():
    # 100 events per 1,000 against 50 per 1,000: ratio exactly 2; the score interval
    # (1.4266, 2.8039) is statsmodels' and brackets the Wald-log interval exp(ln2 ± 1.96*sqrt(1/100+1/50)) = (1.42, 2.81).
    out = stats.poisson_rate_ratio(100, 1000, 50, 1000)
    row = out.iloc[0]
    assert row["rate_ratio"] == pytest.approx(2.0)
    wald = np.exp(np.log(2) + np.array([-1, 1]) * 1.959964 * np.sqrt(1 / 100 + 1 / 50))
    assert row["ci_low"] == pytest.approx(wald[0], abs=0.02) and row["ci_high"] == pytest.approx(wald[1], abs=0.02)
    assert row["p_value"] < 0.001


@pytest.mark.parametrize("count1, exposure1, count2, exposure2", [
    (100, 1000, 50, 1000), (1, 100, 1, 1000), (2, 100, 50, 1000), (7, 3_000, 2, 40_000),
    (32_800, 1_000_000, 45_600, 4_000_000), (138, 5.9e7, 3_050, 8.5e8)])
def test_rate_ratio_interval_is_statsmodels_score_interval(count1, exposure1, count2, exposure2):
    """The closed form (Wilson on the conditional binomial) gives statsmodels' own score interval and test."""
    row = stats.poisson_rate_ratio(count1, exposure1, count2, exposure2).iloc[0]
    low, high = rates.confint_poisson_2indep(count1, exposure1, count2, exposure2, method="score", compare="ratio")
    assert row["ci_low"] == pytest.approx(low, rel=1e-5) and row["ci_high"] == pytest.approx(high, rel=1e-5)
    test = rates.test_poisson_2indep(count1, exposure1, count2, exposure2, method="score", compare="ratio")
    assert row["p_value"] == pytest.approx(test.pvalue)


def test_rate_ratio_with_no_events_is_missing_not_a_number():
    out = stats.poisson_rate_ratio([0, 10], [1000, 1000], [10, 0], [1000, 1000])
    assert out["rate_ratio"].isna().all()


def test_describe_difference_wording():
    assert stats.describe_difference("similar", "Kent", "England and Wales") == (
        "Kent is not significantly different from England and Wales")
    assert stats.describe_difference("higher", "Kent", "England and Wales") == "Kent is higher than England and Wales"


def test_compare_proportions_hand_checked():
    out = stats.compare_proportions([30], [100], [20], [100]).iloc[0]
    assert out["difference"] == pytest.approx(0.10)
    # Newcombe (hybrid Wilson) interval for 30/100 vs 20/100, as in Newcombe (1998), method 10.
    assert out["ci_low"] == pytest.approx(-0.0202, abs=1e-3) and out["ci_high"] == pytest.approx(0.2167, abs=1e-3)
    assert out["comparison"] == stats.SIMILAR
    assert stats.compare_proportions([60], [100], [20], [100]).iloc[0]["comparison"] == stats.HIGHER

"""Survey confidence intervals, significance wording, Wilson and Poisson intervals, rate ratios."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats import proportion, rates
from statsmodels.stats.proportion import proportion_confint

from analysis import config

HIGHER, LOWER, SIMILAR = "higher", "lower", "similar"
# How a comparison's verdict reads to a reader: a difference no test finds is "not significantly different", never
# "similar", which would claim a likeness the test does not show.
WORDS = {HIGHER: "higher", LOWER: "lower", SIMILAR: "not significantly different"}


def z_value(level: float) -> float:
    """The two-sided normal critical value for a confidence level (1.96 at 95%)."""
    return float(sps.norm.ppf(0.5 + level / 2))


def survey_ci(estimate, se, level: float = config.CONFIDENCE_LEVEL):
    """Normal-approximation interval from a published estimate and its standard error."""
    estimate, se = np.asarray(estimate, dtype=float), np.asarray(se, dtype=float)
    half = z_value(level) * se
    return estimate - half, estimate + half


def compare_estimates(estimate, se, ref_estimate, ref_se, level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Test each estimate against a reference one: difference, p-value and the word to use.

    The two estimates are treated as independent. When the group is part of the reference
    population (a subgroup against all adults) this overstates the variance of the
    difference, so the test is conservative: it calls fewer differences significant.
    """
    estimate = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    diff = estimate - np.asarray(ref_estimate, dtype=float)
    se_diff = np.sqrt(se**2 + np.asarray(ref_se, dtype=float) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / se_diff
    p = 2 * sps.norm.sf(np.abs(z))
    significant = p < (1 - level)
    label = np.where(~significant, SIMILAR, np.where(diff > 0, HIGHER, LOWER))
    return pd.DataFrame({"difference": diff, "z": z, "p_value": p, "significant": significant, "comparison": label})


def wilson_ci(successes, trials, level: float = config.CONFIDENCE_LEVEL):
    """Wilson score interval for a proportion (statsmodels)."""
    successes, trials = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    low, high = proportion_confint(successes, trials, alpha=1 - level, method="wilson")
    # Floating-point noise can put a bound a hair on the wrong side of 0/n or n/n.
    share = successes / trials
    return np.minimum(np.asarray(low, dtype=float), share), np.maximum(np.asarray(high, dtype=float), share)


def compare_proportions(successes1, trials1, successes2, trials2,
                        level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Difference of two independent proportions with a Newcombe interval and a score test (statsmodels).

    One row per pair: difference (1 minus 2), ci_low, ci_high, p_value, comparison.
    """
    arrays = [np.atleast_1d(np.asarray(a, dtype=float)) for a in (successes1, trials1, successes2, trials2)]
    rows = []
    for s1, n1, s2, n2 in zip(*arrays):
        if min(n1, n2) <= 0:
            rows.append((np.nan, np.nan, np.nan, np.nan))
            continue
        low, high = proportion.confint_proportions_2indep(s1, n1, s2, n2, method="newcomb", alpha=1 - level)
        test = proportion.test_proportions_2indep(s1, n1, s2, n2, method="score")
        rows.append((s1 / n1 - s2 / n2, float(low), float(high), float(test.pvalue)))
    out = pd.DataFrame(rows, columns=["difference", "ci_low", "ci_high", "p_value"])
    significant = out["p_value"] < (1 - level)
    out["comparison"] = np.where(out["p_value"].isna(), "", np.where(
        ~significant, SIMILAR, np.where(out["difference"] > 0, HIGHER, LOWER)))
    return out


def poisson_count_ci(count, level: float = config.CONFIDENCE_LEVEL):
    """Exact (Garwood) interval for a count, for small numbers of events (statsmodels)."""
    counts = np.atleast_1d(np.asarray(count, dtype=float))
    bounds = [rates.confint_poisson(c, 1, method="exact-c", alpha=1 - level) for c in counts]
    low = np.array([b[0] for b in bounds], dtype=float)
    high = np.array([b[1] for b in bounds], dtype=float)
    return np.nan_to_num(low, nan=0.0), high


def poisson_rate_ci(count, exposure, level: float = config.CONFIDENCE_LEVEL):
    """Exact (Garwood) interval for a rate: events over exposure (e.g. person-years), as rates per unit exposure."""
    low, high = poisson_count_ci(count, level)
    exposure = np.atleast_1d(np.asarray(exposure, dtype=float))
    return low / exposure, high / exposure


def poisson_rate_ratio(count1, exposure1, count2, exposure2, level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Ratio of two Poisson rates with a score interval and test (statsmodels).

    Returns one row per pair: rate_ratio, ci_low, ci_high, p_value. Pairs with no events
    in either group, or no exposure, get NaN rather than a number that means nothing.

    The score interval (statsmodels' confint_poisson_2indep, method="score") is the Wilson interval of the
    conditional binomial share count1 / (count1 + count2), mapped to the ratio; statsmodels finds it by a
    numerical search (about 10 ms a pair, some 2,000 pairs a book), so it is computed here in that closed form,
    all pairs at once, with statsmodels' Wilson interval. tests/methods/test_stats.py checks the two agree.
    """
    c1, e1, c2, e2 = (np.atleast_1d(np.asarray(a, dtype=float)) for a in (count1, exposure1, count2, exposure2))
    usable = (np.minimum(e1, e2) > 0) & (c1 > 0) & (c2 > 0)  # False for NaN too
    nan = np.full(c1.shape, np.nan)
    ratio, low, high, p_value = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    if usable.any():
        y1, n1, y2, n2 = c1[usable], e1[usable], c2[usable], e2[usable]
        share_low, share_high = proportion_confint(y1, y1 + y2, alpha=1 - level, method="wilson")
        exposure_ratio = n2 / n1
        ratio[usable] = (y1 / n1) / (y2 / n2)
        low[usable] = share_low / (1 - share_low) * exposure_ratio
        high[usable] = share_high / (1 - share_high) * exposure_ratio
        p_value[usable] = rates.test_poisson_2indep(y1, n1, y2, n2, method="score", compare="ratio").pvalue
    return pd.DataFrame({"rate_ratio": ratio, "ci_low": low, "ci_high": high, "p_value": p_value})


def describe_difference(label: str, subject: str, reference: str) -> str:
    """Significance-aware wording: 'not significantly different from' unless the difference is significant."""
    if label == SIMILAR:
        return f"{subject} is not significantly different from {reference}"
    return f"{subject} is {label} than {reference}"

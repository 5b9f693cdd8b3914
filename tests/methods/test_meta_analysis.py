"""Random-effects pooling against published worked examples (metafor) and an independent calculation; meta-regression
and Egger's test on fixtures whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods import meta_analysis as meta

# Kacker (2004), as metafor reports it (rma with method "DL", test "knha"; method "PM"): statsmodels' own test data.
KACKER_Y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
KACKER_V = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]

# Molloy, O'Carroll & Ferguson (2014), conscientiousness and medication adherence: metafor's dat.molloy2014 example.
MOLLOY = pd.DataFrame({
    "ni": [109, 749, 55, 107, 72, 65, 174, 326, 58, 771, 56, 91, 116, 537, 158, 65],
    "ri": [0.187, 0.162, 0.34, 0.32, 0.27, 0.0, 0.175, 0.05, 0.26, 0.01, -0.09, 0.37, 0.0, 0.15, 0.24, 0.04],
})
MOLLOY_YI = [0.1892, 0.1634, 0.3541, 0.3316, 0.2769, 0.0, 0.1768, 0.05, 0.2661, 0.01, -0.0902, 0.3884, 0.0, 0.1511,
             0.2448, 0.04]
MOLLOY_VI = [0.0094, 0.0013, 0.0192, 0.0096, 0.0145, 0.0161, 0.0058, 0.0031, 0.0182, 0.0013, 0.0189, 0.0114, 0.0088,
             0.0019, 0.0065, 0.0161]


def test_dersimonian_laird_with_hartung_knapp_matches_metafor_on_kackers_example():
    pooled = meta.pool(KACKER_Y, KACKER_V, meta.DL)
    assert pooled["estimate"] == pytest.approx(62.3901386044504, abs=1e-9)
    assert pooled["se"] == pytest.approx(0.245749668040304, abs=1e-9)
    assert pooled["tau2"] == pytest.approx(0.288049246973751, abs=1e-9)
    assert (pooled["ci_low"], pooled["ci_high"]) == pytest.approx((61.9084781058787, 62.8717991030221), abs=1e-9)
    assert pooled["hk_se"] == pytest.approx(0.29477605699879, abs=1e-9)
    assert (pooled["hk_ci_low"], pooled["hk_ci_high"]) == pytest.approx((61.710383798052, 63.0698934108488), abs=1e-9)
    assert pooled["q"] == pytest.approx(24.801897741835, abs=1e-9)
    assert 100 * pooled["i2"] == pytest.approx(67.744403741711, abs=1e-7)


def test_paule_mandel_matches_metafor_on_kackers_example():
    pooled = meta.pool(KACKER_Y, KACKER_V, meta.PM)
    assert pooled["estimate"] == pytest.approx(62.4076199113286, abs=1e-5)
    assert pooled["tau2"] == pytest.approx(0.705395309224248, abs=1e-4)
    assert (pooled["ci_low"], pooled["ci_high"]) == pytest.approx((61.7450921043947, 63.0701477182625), abs=1e-4)


def test_fisher_z_and_q_match_metafors_correlation_example():
    z = meta.fisher_z(MOLLOY, r="ri", n="ni")
    assert z["z"].round(4).tolist() == pytest.approx(MOLLOY_YI, abs=1e-4)
    assert z["var_z"].round(4).tolist() == pytest.approx(MOLLOY_VI, abs=1e-4)
    pooled = meta.pool_correlations(MOLLOY, r="ri", n="ni")
    # Q does not depend on the τ² estimator: metafor prints Q(df = 15) = 38.1595.
    assert pooled["q"] == pytest.approx(38.1595, abs=1e-4) and pooled["k"] == 16
    assert pooled["i2"] == pytest.approx((38.1595 - 15) / 38.1595, abs=1e-5)
    # metafor's REML estimate is r = 0.149 (0.088 to 0.209); DerSimonian-Laird differs only in τ².
    assert pooled["estimate_r"] == pytest.approx(0.149, abs=0.005)


def test_pooled_estimate_tau2_and_prediction_interval_agree_with_an_independent_calculation():
    fixture = pd.DataFrame({"r": [0.10, 0.45, 0.30, 0.62, 0.05], "n": [120, 80, 400, 60, 900]})
    y = np.arctanh(fixture["r"].to_numpy())
    v = 1 / (fixture["n"].to_numpy() - 3)
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = max(0.0, (q - 4) / (w.sum() - (w ** 2).sum() / w.sum()))
    w_re = 1 / (v + tau2)
    mean = (w_re * y).sum() / w_re.sum()
    se = np.sqrt(1 / w_re.sum())
    hk_se = np.sqrt((w_re * (y - mean) ** 2).sum() / (4 * w_re.sum()))
    half_pi = stats.t.isf(0.025, 3) * np.sqrt(tau2 + se ** 2)

    pooled = meta.pool_correlations(fixture)
    assert pooled["tau2"] == pytest.approx(tau2, rel=1e-12) and tau2 > 0
    assert pooled["estimate"] == pytest.approx(mean, rel=1e-12)
    assert pooled["estimate_r"] == pytest.approx(np.tanh(mean), rel=1e-12)
    assert pooled["hk_ci_high"] == pytest.approx(mean + stats.t.isf(0.025, 4) * hk_se, rel=1e-12)
    assert (pooled["pi_low_r"], pooled["pi_high_r"]) == pytest.approx((np.tanh(mean - half_pi),
                                                                       np.tanh(mean + half_pi)), rel=1e-12)
    assert pooled["total_n"] == 1560


def test_a_dersimonian_laird_tau2_below_zero_is_truncated_to_the_fixed_effect_fit():
    pooled = meta.pool([0.30, 0.31, 0.29, 0.30], [0.01] * 4, meta.DL)
    assert pooled["tau2"] == 0 and pooled["estimate"] == pytest.approx(0.30)


def test_leave_one_out_drops_each_sample_once():
    fixture = pd.DataFrame({"label": list("abcde"), "r": [0.10, 0.45, 0.30, 0.62, 0.05],
                            "n": [120, 80, 400, 60, 900]})
    out = meta.leave_one_out(fixture, "label")
    assert out["label"].tolist() == list("abcde")
    assert out.loc[0, "r"] == pytest.approx(meta.pool_correlations(fixture.iloc[1:])["estimate_r"])


def test_meta_regression_recovers_a_known_slope_and_weights_by_the_residual_tau2():
    x = np.array([20.0, 30, 40, 50, 60, 70])
    n = np.array([200, 150, 300, 120, 500, 250])
    exact = pd.DataFrame({"age": x, "n": n, "r": np.tanh(0.8 - 0.01 * x)})
    fit = meta.meta_regression(exact, "age")
    assert fit["slope"] == pytest.approx(-0.01, abs=1e-12) and fit["tau2_residual"] == 0 and fit["k"] == 6

    noisy = exact.assign(r=np.tanh(0.8 - 0.01 * x + np.array([0.2, -0.15, 0.1, -0.2, 0.05, 0.12])),
                         age=exact["age"].where(exact.index != 2))  # a missing moderator leaves its sample out
    fit = meta.meta_regression(noisy, "age")
    rows = noisy.dropna()
    y, v = np.arctanh(rows["r"].to_numpy()), 1 / (rows["n"].to_numpy() - 3)
    w = 1 / (v + fit["tau2_residual"])
    design = np.column_stack([np.ones(len(y)), rows["age"].to_numpy()])
    beta = np.linalg.solve(design.T @ (design * w[:, None]), design.T @ (w * y))
    assert fit["k"] == 5 and fit["tau2_residual"] > 0
    assert fit["slope"] == pytest.approx(beta[1], rel=1e-10)


def test_egger_intercept_is_the_small_study_offset():
    se = np.array([0.05, 0.08, 0.1, 0.15, 0.2, 0.3])
    n = 1 / se ** 2 + 3
    # z / se = 1.5 + 0.3 / se: an intercept of 1.5 by construction.
    fixture = pd.DataFrame({"n": n, "r": np.tanh(se * 1.5 + 0.3)})
    assert meta.egger(fixture)["intercept"] == pytest.approx(1.5, abs=1e-9)


def test_a_sample_too_small_for_a_variance_and_an_unknown_estimator_are_refused():
    with pytest.raises(ValueError, match="n >= 4"):
        meta.fisher_z(pd.DataFrame({"r": [0.2], "n": [3]}))
    with pytest.raises(ValueError, match="method 'reml'"):
        meta.pool([0.1, 0.2, 0.3], [0.01] * 3, "reml")

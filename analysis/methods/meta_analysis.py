"""Random-effects meta-analysis of correlations on Fisher's z (statsmodels' combine_effects), its prediction interval,
leave-one-out range, mixed-effects meta-regression (statsmodels WLS, Knapp-Hartung) and Egger's small-study test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from analysis import config

# τ² estimators statsmodels offers: DerSimonian-Laird's one step, and Paule-Mandel's iteration (close to REML).
DL, PM = "dl", "pm"
ESTIMATORS = {DL: "DerSimonian-Laird", PM: "Paule-Mandel"}


def fisher_z(frame: pd.DataFrame, r: str = "r", n: str = "n") -> pd.DataFrame:
    """Each sample's Fisher z = atanh(r), its sampling variance 1 / (n - 3) and standard error, and its 95% interval
    back on the r scale (ci_low_r, ci_high_r); rows without r are left out (missing is missing)."""
    rows = frame[frame[r].notna()]
    if (rows[n] < 4).any():
        raise ValueError(f"column {n!r}: a Fisher z needs n >= 4 (its variance is 1 / (n - 3)); "
                         f"got {int(rows[n].min())}")
    z = np.arctanh(rows[r].astype(float))
    variance = 1.0 / (rows[n].astype(float) - 3)
    se = np.sqrt(variance)
    crit = stats.norm.isf((1 - config.CONFIDENCE_LEVEL) / 2)
    return rows.assign(z=z, var_z=variance, se_z=se, ci_low_r=np.tanh(z - crit * se), ci_high_r=np.tanh(z + crit * se))


def pool(effect, variance, method: str = DL) -> pd.Series:
    """Random-effects pooled effect: the estimate, its Wald and Hartung-Knapp 95% intervals, the 95% prediction
    interval (Higgins, Thompson & Spiegelhalter 2009: t with k - 2 degrees of freedom), τ², τ, I², Q and its p."""
    if method not in ESTIMATORS:
        raise ValueError(f"method {method!r}: expected one of {sorted(ESTIMATORS)}")
    effect, variance = np.asarray(effect, dtype=float), np.asarray(variance, dtype=float)
    k = len(effect)
    if k < 3:
        raise ValueError(f"a random-effects pool with a prediction interval needs at least 3 samples; got {k}")
    res = combine_effects(effect, variance, method_re=method)
    # statsmodels leaves a DerSimonian-Laird τ² below zero when Q < k - 1, where the estimator truncates it at zero;
    # Paule-Mandel, started at zero, stops there in exactly that case, so its fit is the truncated one.
    if res.tau2 < 0:
        res = combine_effects(effect, variance, method_re=PM)
    level = config.CONFIDENCE_LEVEL
    wald = res.conf_int(alpha=1 - level, use_t=False)[1]
    hk = res.conf_int(alpha=1 - level, use_t=True)[3]  # the random-effects WLS scale, with t: Hartung-Knapp
    hk_se = np.sqrt(res.var_hksj_re)
    t_pi = stats.t.isf((1 - level) / 2, k - 2)
    half = t_pi * np.sqrt(res.tau2 + res.sd_eff_w_re ** 2)
    tau2 = max(float(res.tau2), 0.0)
    return pd.Series({
        "k": k, "estimate": float(res.mean_effect_re), "se": float(res.sd_eff_w_re),
        "ci_low": float(wald[0]), "ci_high": float(wald[1]),
        "hk_se": float(hk_se), "hk_ci_low": float(hk[0]), "hk_ci_high": float(hk[1]),
        "hk_p": float(2 * stats.t.sf(abs(res.mean_effect_re) / hk_se, k - 1)),
        "pi_low": float(res.mean_effect_re - half), "pi_high": float(res.mean_effect_re + half),
        "tau2": tau2, "tau": float(np.sqrt(tau2)), "i2": float(max(res.i2, 0.0)), "q": float(res.q),
        "q_p": float(stats.chi2.sf(res.q, k - 1)), "method": method,
    })


# Pooled quantities on the z scale that are read back as correlations.
_ON_Z = ["estimate", "ci_low", "ci_high", "hk_ci_low", "hk_ci_high", "pi_low", "pi_high"]


def pool_correlations(frame: pd.DataFrame, method: str = DL, r: str = "r", n: str = "n") -> pd.Series:
    """Pool the correlations `r` of samples of size `n` on Fisher's z; the estimate and its intervals are given
    back as correlations (r, ci_low_r …), beside the z-scale figures, with the samples' total n."""
    z = fisher_z(frame, r, n)
    pooled = pool(z["z"], z["var_z"], method)
    back = pd.Series({f"{name}_r": float(np.tanh(pooled[name])) for name in _ON_Z})
    return pd.concat([pooled, back, pd.Series({"total_n": int(z[n].sum())})])


def leave_one_out(frame: pd.DataFrame, label: str, method: str = DL, r: str = "r", n: str = "n") -> pd.DataFrame:
    """The pooled correlation with each sample left out in turn: label (the sample left out), r, hk_ci_low_r,
    hk_ci_high_r, tau2, i2."""
    rows = frame[frame[r].notna()]
    out = []
    for position in range(len(rows)):
        pooled = pool_correlations(rows.drop(index=rows.index[position]), method, r, n)
        out.append({"label": rows[label].iat[position], **pooled[["estimate_r", "hk_ci_low_r", "hk_ci_high_r",
                                                                   "tau2", "i2"]].to_dict()})
    return pd.DataFrame(out).rename(columns={"estimate_r": "r"})


def residual_tau2(z, variance, design: np.ndarray) -> float:
    """The method-of-moments (DerSimonian-Laird) residual τ² of a meta-regression: Q_E from the fixed-effect WLS
    fit (statsmodels), against its expectation with the design's hat matrix (Raudenbush 2009, eq. 16.43)."""
    w = 1.0 / np.asarray(variance, dtype=float)
    fixed = sm.WLS(np.asarray(z, dtype=float), design, weights=w).fit()
    q_e = float(np.sum(w * fixed.resid ** 2))
    k, p = design.shape
    xtwx_inv = np.linalg.inv(design.T @ (design * w[:, None]))
    trace = w.sum() - np.trace(xtwx_inv @ (design.T @ (design * (w ** 2)[:, None])))
    return max(0.0, (q_e - (k - p)) / trace)


def meta_regression(frame: pd.DataFrame, moderator: str, r: str = "r", n: str = "n") -> pd.Series:
    """Mixed-effects meta-regression of Fisher z on one moderator, on the samples where both are known: the
    intercept and slope,
    its Knapp-Hartung 95% interval and p (statsmodels WLS with weights 1 / (v + τ²) and the scale estimated, t with
    k - 2 degrees of freedom), the residual τ², and k."""
    rows = fisher_z(frame[frame[moderator].notna()], r, n)
    design = sm.add_constant(rows[moderator].astype(float).to_numpy(), has_constant="add")
    tau2 = residual_tau2(rows["z"], rows["var_z"], design)
    fit = sm.WLS(rows["z"].to_numpy(), design, weights=1.0 / (rows["var_z"].to_numpy() + tau2)).fit()
    low, high = fit.conf_int(alpha=1 - config.CONFIDENCE_LEVEL)[1]
    return pd.Series({"moderator": moderator, "k": len(rows), "intercept": float(fit.params[0]),
                      "slope": float(fit.params[1]),
                      "ci_low": float(low), "ci_high": float(high), "p": float(fit.pvalues[1]),
                      "tau2_residual": tau2})


def egger(frame: pd.DataFrame, r: str = "r", n: str = "n") -> pd.Series:
    """Egger's regression test for small-study effects: each sample's z / SE regressed on 1 / SE by OLS
    (statsmodels); an intercept away from zero means smaller samples report different correlations."""
    rows = fisher_z(frame, r, n)
    fit = sm.OLS((rows["z"] / rows["se_z"]).to_numpy(),
                 sm.add_constant((1.0 / rows["se_z"]).to_numpy(), has_constant="add")).fit()
    low, high = fit.conf_int(alpha=1 - config.CONFIDENCE_LEVEL)[0]
    return pd.Series({"k": len(rows), "intercept": float(fit.params[0]), "ci_low": float(low),
                      "ci_high": float(high), "p": float(fit.pvalues[0])})

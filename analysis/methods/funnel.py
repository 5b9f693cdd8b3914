"""Funnel plots (Spiegelhalter 2005): control limits at 95% and 99.8% around a centre, overdispersion, and where each
unit falls."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy import stats as sps

from analysis import config
from analysis.sources import forces

LEVELS = (0.95, 0.998)
# Spiegelhalter (2005) winsorises the z-scores at these quantiles before estimating overdispersion, so a few extreme
# units do not make every other unit look ordinary.
WINSOR = (0.10, 0.90)
# A count of no events, on the log scale: half an event (a unit's z-score only, never its rate or verdict).
LOG_ZERO_EVENTS = 0.5
WITHIN = "within the 95% limits"
# Each reads on before "around" and the funnel's centre (chapters/common.row_sentence).
ABOVE_95, BELOW_95 = "above the 95% (not the 99.8%) limit", "below the 95% (not the 99.8%) limit"
ABOVE_998, BELOW_998 = "above the 99.8% limit", "below the 99.8% limit"
# The verdicts that place a force among the others; every other label says why a force has no place.
PLACED = (ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998)
ORDER = [BELOW_998, BELOW_95, WITHIN, ABOVE_95, ABOVE_998]


def _count_limit(expected: float, tail: float, upper: bool) -> float:
    # Poisson tails made continuous through the incomplete gamma function (as the chi-squared form of the exact
    # interval): the count whose lower (upper) tail probability given `expected` is `tail`.
    if upper:
        return optimize.brentq(lambda k: special.gammainc(k, expected) - tail, 1e-9, 10 * expected + 100)
    # Below about 3.7 expected events, no count is low enough to be below the 95% limit: the limit is zero.
    return max(0.0, optimize.brentq(lambda k: special.gammaincc(k + 1, expected) - tail, -1 + 1e-9,
                                    10 * expected + 100))


def poisson_count_limits(expected, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson control limits for an observed count given its expected count, as PHE's Fingertips funnels draw
    them: a count on the lower limit has P(count or fewer) = (1 - level)/2, on the upper P(count or more) = the same."""
    tail = (1 - level) / 2
    expected = np.atleast_1d(np.asarray(expected, dtype=float))
    return (np.array([_count_limit(e, tail, False) for e in expected]),
            np.array([_count_limit(e, tail, True) for e in expected]))


def winsorised(z) -> np.ndarray:
    """z-scores pulled in to their 10th and 90th percentiles."""
    z = np.asarray(z, dtype=float)
    low, high = np.quantile(z, WINSOR)
    return np.clip(z, low, high)


def overdispersion(z, se) -> dict:
    """Spiegelhalter's (2005) estimates from the units' z-scores under the null and their standard errors: phi, the
    mean squared winsorised z (1 for Poisson noise alone), and the additive random-effects variance tau^2
    (DerSimonian-Laird form, zero when phi does not exceed 1)."""
    z, se = np.asarray(z, dtype=float), np.asarray(se, dtype=float)
    phi = float(np.mean(winsorised(z) ** 2))
    w = 1 / se**2
    tau2 = max(0.0, (len(z) * phi - (len(z) - 1)) / (w.sum() - (w**2).sum() / w.sum())) if phi > 1 else 0.0
    return {"phi": phi, "tau2": tau2, "units": len(z)}


def classify(value, limits: dict) -> np.ndarray:
    """Where each value falls against {level: (low, high)} limits at 95% and 99.8%."""
    value = np.asarray(value, dtype=float)
    (low95, high95), (low998, high998) = limits[LEVELS[0]], limits[LEVELS[1]]
    return np.select([value > high998, value < low998, value > high95, value < low95],
                     [ABOVE_998, BELOW_998, ABOVE_95, BELOW_95], WITHIN)


def rate_limits(exposure, centre: float, tau2: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits for a rate (events per unit of exposure) around `centre`: exact Poisson with no overdispersion, else on
    the log scale with the random-effects variance added, centre x exp(+/- z sqrt(1/(centre exposure) + tau^2)), so
    no limit is ever below zero however wide the spread (tau^2 is on the log scale)."""
    exposure = np.atleast_1d(np.asarray(exposure, dtype=float))
    if tau2 == 0:
        low, high = poisson_count_limits(centre * exposure, level)
        return low / exposure, high / exposure
    half = sps.norm.ppf(0.5 + level / 2) * np.sqrt(1 / (centre * exposure) + tau2)
    return centre * np.exp(-half), centre * np.exp(half)


def _fit(value, z, se, limits) -> tuple[pd.DataFrame, dict]:
    """Each unit's value, its 95% and 99.8% limits (`limits(tau2, level)`) and where it falls, and the overdispersion
    estimates from the units' z-scores under the null, with `se` their standard errors on the scale the limits are
    drawn on (so tau^2 is on that scale)."""
    spread = overdispersion(z, se)
    out = pd.DataFrame({"rate": value})
    bounds = {level: limits(spread["tau2"], level) for level in LEVELS}
    for level, (low, high) in bounds.items():
        out[f"low_{level:g}"], out[f"high_{level:g}"] = low, high
    out["funnel"] = classify(value, bounds)
    return out, spread


def median_rate(events, exposure) -> float:
    """The median of the units' rates (events per unit exposure): the typical unit, which no one large unit can pull
    as it pulls the pooled rate, its events over everyone's exposure."""
    return float(np.median(np.asarray(events, dtype=float) / np.asarray(exposure, dtype=float)))


def rate_funnel(events, exposure, centre: float) -> tuple[pd.DataFrame, dict]:
    """Each unit's rate, its 95% and 99.8% limits and where it falls, around `centre` (events per unit exposure);
    and the overdispersion estimates the limits allow for, from the units' z-scores against that centre.

    The z-scores and the between-unit variance are on the log scale the limits are drawn on: z = log(rate/centre)
    / se, with se = 1/sqrt(expected events) at the centre, so a rate twice the centre counts as far out as one half of
    it (on the rate scale, Pearson's z would count the one above as twice as far, and a centre below the pooled rate,
    as the median force's often is, would widen every limit). A unit with no events is given half an event
    (LOG_ZERO_EVENTS) for its z-score only, where the log of its rate is undefined."""
    events, exposure = np.asarray(events, dtype=float), np.asarray(exposure, dtype=float)
    value = events / exposure
    se = 1 / np.sqrt(centre * exposure)
    logged = np.log(np.maximum(events, LOG_ZERO_EVENTS) / exposure)
    return _fit(value, (logged - np.log(centre)) / se, se,
                lambda tau2, level: rate_limits(exposure, centre, tau2, level))


def proportion_limits(trials, centre: float, tau2: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits for a proportion of `trials` around `centre`: exact binomial quantiles with no overdispersion, else on
    the logit scale with the random-effects variance added, logit(centre) +/- z sqrt(1/(trials centre (1 - centre))
    + tau^2), so the limits stay between 0 and 1 (tau^2 is on the logit scale)."""
    trials = np.atleast_1d(np.asarray(trials, dtype=float))
    tail = (1 - level) / 2
    if tau2 == 0:
        n = np.round(trials)
        return sps.binom.ppf(tail, n, centre) / n, sps.binom.isf(tail, n, centre) / n
    half = sps.norm.ppf(0.5 + level / 2) * np.sqrt(1 / (trials * centre * (1 - centre)) + tau2)
    return special.expit(special.logit(centre) - half), special.expit(special.logit(centre) + half)


def proportion_funnel(events, trials, centre: float) -> tuple[pd.DataFrame, dict]:
    """rate_funnel for a proportion (events of trials) around `centre` (a pooled proportion): Pearson
    z-scores, and the between-unit variance on the logit scale the limits are drawn on."""
    events, trials = np.asarray(events, dtype=float), np.asarray(trials, dtype=float)
    value = events / trials
    return _fit(value, (value - centre) / np.sqrt(centre * (1 - centre) / trials),
                1 / np.sqrt(trials * centre * (1 - centre)),
                lambda tau2, level: proportion_limits(trials, centre, tau2, level))


def log_ratio_funnel(log_ratio, se, centre: float) -> tuple[pd.DataFrame, dict]:
    """The same for a ratio on the log scale (a rate ratio, with its standard error on that scale): normal limits
    centre +/- z sqrt(se^2 + tau^2), returned as ratios."""
    log_ratio, se = np.asarray(log_ratio, dtype=float), np.asarray(se, dtype=float)
    spread = overdispersion((log_ratio - centre) / se, se)
    out = pd.DataFrame({"rate": np.exp(log_ratio)})
    limits = {}
    for level in LEVELS:
        half = sps.norm.ppf(0.5 + level / 2) * np.sqrt(se**2 + spread["tau2"])
        limits[level] = (centre - half, centre + half)
        out[f"low_{level:g}"], out[f"high_{level:g}"] = np.exp(centre - half), np.exp(centre + half)
    out["funnel"] = classify(log_ratio, limits)
    return out, spread


def describe_spread(spread: dict) -> str:
    """How the limits allow for overdispersion, in words, with the factor."""
    if spread["tau2"] == 0:
        return (f"the forces vary no more than chance would make them (overdispersion factor {spread['phi']:.1f}), "
                "so the limits are exact Poisson limits")
    return (f"the forces vary more than chance alone would make them (overdispersion factor {spread['phi']:,.1f}, "
            "from z-scores winsorised at 10% and 90%), so the limits add a between-force variance "
            "(additive random effects, Spiegelhalter 2005), on the log scale for rates and ratios and the logit "
            "scale for shares: no limit falls below zero")


def wide_caveat(spread: dict, centre_name: str = "England and Wales") -> str | None:
    """Where the forces differ so much more than chance allows that the limits are wide (config.WIDE_FUNNEL_PHI),
    what "within the limits" does and does not say, in plain words, naming the funnel's centre; None where the limits
    are narrow enough."""
    if spread["phi"] <= config.WIDE_FUNNEL_PHI:
        return None
    return (f"forces differ about {spread['phi']:,.0f} times as much as chance allows, so these limits are wide: "
            f"within them means not unusual, not like {centre_name}")


def limit_curve(sizes, limits) -> pd.DataFrame:
    """The limits drawn as lines: for a grid spanning `sizes`, one row per size, level and side, where `limits(grid,
    level)` gives the (low, high) limits at those sizes."""
    sizes = np.asarray(sizes, dtype=float)
    grid = np.geomspace(sizes.min() / 1.2, sizes.max() * 1.2, 60)
    rows = []
    for level in LEVELS:
        low, high = limits(grid, level)
        for side, values in (("lower", low), ("upper", high)):
            rows.append(pd.DataFrame({"size": grid, "value": values, "level": f"{100 * level:g}% limits",
                                      "side": side}))
    return pd.concat(rows, ignore_index=True)


# The centre of every funnel of forces' rates per resident (forces_rate_funnel), as a verdict names it.
MEDIAN_FORCE = "the median force"
CITY_NOT_COMPARED = "not compared: per resident, the City of London's figures say little"
TOO_FEW_TO_PLACE = f"not compared: too few to place on the funnel (fewer than {config.MIN_CASES_FOR_SHARE} cases)"
# A rate ratio whose two denominators (the 2011 Census, residents interpolated between censuses) are further apart than
# its interval: its size, and so its place among forces, depends on the denominator.
DENOMINATORS_APART = ("not compared: its two denominators give ratios further apart in proportion than its 95% interval "
                      "is wide")


@dataclass(frozen=True)
class Funnel:
    """Forces placed on a funnel, with the limit lines and the centre of the same fit: whatever draws it takes all
    three from here, so no chart can show lines around one centre and verdicts fitted around another.

    table: a row per force (pfa_code, size, value, low_0.95, high_0.95, low_0.998, high_0.998, funnel); curve: the
    limit lines (limit_curve: size, value, level, side); centre and values in the same units; spread: the
    overdispersion estimates the limits allow for; centre_name: what the centre is, as a verdict names it."""

    table: pd.DataFrame
    curve: pd.DataFrame
    centre: float
    spread: dict
    centre_name: str = "England and Wales"

    def without(self, codes) -> Funnel:
        """The same fit with these forces neither drawn nor counted (the City of London, whose rate per resident is
        off any scale)."""
        kept = self.table[~self.table["pfa_code"].isin(codes)].reset_index(drop=True)
        return dataclasses.replace(self, table=kept)


def forces_rate_funnel(table: pd.DataFrame, events: str, exposure: str, per: float) -> Funnel:
    """The forces' rates (per `per` of exposure) on a funnel around the median force's rate (MEDIAN_FORCE: the median
    of the compared forces' rates, which no one force can move as the Metropolitan Police moves a pooled England and
    Wales rate), the overdispersion estimated around that centre: `table` has a pfa_code column; national rows are
    dropped, and the City of London, whose few residents put any rate per resident off the scale, is kept but not
    compared, nor counted in the centre or the overdispersion, nor spanned by the lines. `size` is the exposure."""
    rows = table[table["pfa_code"].isin(forces.force_codes())].reset_index(drop=True)
    compared = rows["pfa_code"] != forces.CITY_OF_LONDON
    centre = median_rate(rows.loc[compared, events], rows.loc[compared, exposure])
    fitted, spread = rate_funnel(rows.loc[compared, events], rows.loc[compared, exposure], centre)
    fitted.index = rows.index[compared]
    out = rows.assign(size=rows[exposure], value=per * rows[events] / rows[exposure], funnel=CITY_NOT_COMPARED)
    for column in fitted.columns.drop(["rate", "funnel"]):
        out[column] = per * fitted[column]
    out.loc[compared, "funnel"] = fitted["funnel"]
    curve = limit_curve(out.loc[compared, "size"],
                        lambda grid, level: rate_limits(grid, centre, spread["tau2"], level))
    return Funnel(out, curve.assign(value=per * curve["value"]), per * centre, spread, MEDIAN_FORCE)


def forces_proportion_funnel(table: pd.DataFrame, events: str, trials: str) -> Funnel:
    """The forces' shares (%, events of trials) on a funnel around the median force's share (MEDIAN_FORCE: the median
    of the shares of the forces with at least config.MIN_CASES_FOR_SHARE trials, which no one force can move as a
    large force moves a pooled share), the overdispersion estimated around that centre; `size` is the trials. A force
    with fewer trials is kept, with its share, but neither placed (TOO_FEW_TO_PLACE) nor counted in the centre or the
    spread."""
    rows = table[table["pfa_code"].isin(forces.force_codes())].reset_index(drop=True)
    placed = rows[trials] >= config.MIN_CASES_FOR_SHARE
    kept = rows[placed]
    centre = median_rate(kept[events], kept[trials])
    fitted, spread = proportion_funnel(kept[events], kept[trials], centre)
    fitted.index = kept.index
    out = rows.assign(size=rows[trials], value=100 * rows[events] / rows[trials], funnel=TOO_FEW_TO_PLACE)
    for column in fitted.columns.drop(["rate", "funnel"]):
        out[column] = 100 * fitted[column]
    out.loc[placed, "funnel"] = fitted["funnel"]
    curve = limit_curve(kept[trials], lambda grid, level: proportion_limits(grid, centre, spread["tau2"], level))
    return Funnel(out, curve.assign(value=100 * curve["value"]), 100 * centre, spread, MEDIAN_FORCE)


def forces_ratio_funnel(table: pd.DataFrame, count: str, count_ref: str, ratio: str, centre: float,
                        centre_name: str = "England and Wales") -> Funnel:
    """The forces' rate ratios on a log-scale funnel around the ratio `centre` (named `centre_name`): the standard
    error of a log rate ratio is sqrt(1/count + 1/count_ref), and `size` is its precision 1/se^2 (about the smaller
    count). Forces without a ratio (too few events) are dropped."""
    rows = table[table["pfa_code"].isin(forces.force_codes()) & table[ratio].notna()].reset_index(drop=True)
    se = np.sqrt(1 / rows[count] + 1 / rows[count_ref])
    fitted, spread = log_ratio_funnel(np.log(rows[ratio]), se, np.log(centre))
    out = pd.concat([rows.assign(size=1 / se**2, value=rows[ratio]), fitted.drop(columns="rate")], axis=1)

    def limits(precision, level):
        half = sps.norm.ppf(0.5 + level / 2) * np.sqrt(1 / precision + spread["tau2"])
        return centre * np.exp(-half), centre * np.exp(half)

    return Funnel(out, limit_curve(out["size"], limits), centre, spread, centre_name)

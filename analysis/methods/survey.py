"""Survey estimates: 95% intervals, groups tested against all respondents, and changes between periods, for the
CSEW open data (published standard errors) and a force's own survey (counts, bases or standard errors).

A force's survey: Wilson score intervals from counts or from an estimate and its (effective) base, normal intervals
from a standard error. Two periods are compared by a two-sample test on counts (Newcombe interval, score test) or
on estimates and standard errors; "higher" and "lower" are used only when the difference is significant at the 95%
level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.methods import multiplicity, stats
from analysis.sources.csew import OPEN_DATA_MEASURES
from analysis.sources.local_survey import ALL

# The CSEW breakdowns: ethnic group (characteristic nsethgrp), age bands (the `age` column, all adults) and
# sex (the `sex` column, age 16+).
BREAKDOWNS = ("Ethnic group", "Age", "Sex")
NO_INTERVAL = "no interval can be given"
# How two periods of a force's own survey are compared, where the file gives counts, bases or standard errors.
TWO_SHARES = "a two-sample test of the two shares, at the 95% level"
# Quarters ending on the same date a year apart can differ by a day (29 February, month ends).
YEAR_TOLERANCE = pd.Timedelta(days=16)


def by_group(open_data: pd.DataFrame, measures: list[str], level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Estimates with 95% CIs by ethnic group, age and sex, each tested against all adults.

    Returns one row per measure x group: pct, ci_low_pct, ci_high_pct, n, ref_pct, p_value, comparison
    (higher/lower/similar against all adults once each measure's groups are controlled together by Holm's
    correction, p_holm), comparison_unadjusted, and verdict: the comparison in words, saying where it rests on the
    correction.
    """
    d = open_data[open_data["measurement_var"].isin(measures)]
    total = d[(d["characteristic_var"] == "Total") & (d["sex"] == "All adults") & (d["age"] == "16+")]
    parts = [
        d[(d["characteristic_var"] == "nsethgrp") & (d["sex"] == "All adults") & (d["age"] == "16+")]
        .assign(breakdown="Ethnic group", group=lambda x: x["characteristic"]),
        d[(d["characteristic_var"] == "Total") & (d["sex"] == "All adults") & (d["age"] != "16+")]
        .assign(breakdown="Age", group=lambda x: x["age"]),
        d[(d["characteristic_var"] == "Total") & (d["sex"] != "All adults") & (d["age"] == "16+")]
        .assign(breakdown="Sex", group=lambda x: x["sex"]),
    ]
    groups = pd.concat(parts, ignore_index=True)
    ref = total.set_index("measurement_var")[["estimate", "standard_error"]].add_suffix("_ref")
    groups = groups.join(ref, on="measurement_var")
    low, high = stats.survey_ci(groups["estimate"], groups["standard_error"], level)
    cmp = stats.compare_estimates(groups["estimate"], groups["standard_error"],
                                  groups["estimate_ref"], groups["standard_error_ref"], level)
    out = pd.DataFrame({
        "measure": groups["measurement_var"].map(OPEN_DATA_MEASURES),
        "breakdown": groups["breakdown"],
        "group": groups["group"],
        "pct": 100 * groups["estimate"],
        "ci_low_pct": 100 * low,
        "ci_high_pct": 100 * high,
        "n": groups["unweighted_count"].astype("int64"),
        "ref_pct": 100 * groups["estimate_ref"],
        "p_value": cmp["p_value"],
        "comparison_unadjusted": cmp["comparison"],
    })
    # Each measure's groups are one family of tests against all adults: Holm's correction controls it.
    holm = out.groupby("measure")["p_value"].transform(lambda p: multiplicity.adjusted(p, multiplicity.HOLM))
    out["p_holm"] = holm
    out["comparison"] = np.where(holm >= 1 - level, stats.SIMILAR, cmp["comparison"])
    out["verdict"] = [_verdict(c, u, p, k) for c, u, p, k in zip(
        out["comparison"], out["comparison_unadjusted"], out["p_value"], out.groupby("measure")["p_value"].transform(
            "count"))]
    order = {m: i for i, m in enumerate(measures)}
    out["_m"] = groups["measurement_var"].map(order)
    out["_b"] = out["breakdown"].map({b: i for i, b in enumerate(BREAKDOWNS)})
    return out.sort_values(["_m", "_b"], kind="stable").drop(columns=["_m", "_b"]).reset_index(drop=True)


def all_adults(open_data: pd.DataFrame, measure: str, level: float = config.CONFIDENCE_LEVEL) -> pd.Series:
    """The all-adults estimate of one measure, with its CI, as percentages."""
    row = open_data[(open_data["measurement_var"] == measure) & (open_data["characteristic_var"] == "Total")
                    & (open_data["sex"] == "All adults") & (open_data["age"] == "16+")].iloc[0]
    low, high = stats.survey_ci(row["estimate"], row["standard_error"], level)
    return pd.Series({"pct": 100 * row["estimate"], "ci_low_pct": 100 * float(low), "ci_high_pct": 100 * float(high),
                      "n": int(row["unweighted_count"])})


def _verdict(comparison: str, unadjusted: str, p_value: float, family: int) -> str:
    """A group against all adults in words, naming the correction where it decides the verdict: "not significantly
    different from all adults after Holm's correction across 14 groups (p = 0.022 before it)"."""
    words = {stats.HIGHER: "significantly higher than", stats.LOWER: "significantly lower than",
             stats.SIMILAR: "not significantly different from"}[comparison]
    if comparison == unadjusted:
        return f"{words} all adults"
    return f"{words} all adults {multiplicity.before_correction(p_value, multiplicity.HOLM, family, 'groups')}"


def with_intervals(df: pd.DataFrame, level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Add share, its standard error, the 95% interval (all 0-1), the effective base and the interval's source."""
    out = df.copy()
    deff = out["design_effect"].fillna(1.0)
    counts = out["agree"].notna()
    out["share"] = np.where(counts, out["agree"] / out["base"], out["estimate"])
    out["n_effective"] = out["base"] / deff
    with np.errstate(divide="ignore", invalid="ignore"):
        binomial_se = np.sqrt(out["share"] * (1 - out["share"]) / out["n_effective"])
    from_se = out["standard_error"].notna() & ~counts
    out["se"] = np.where(from_se, out["standard_error"] * np.sqrt(deff), binomial_se)
    low, high = np.full(len(out), np.nan), np.full(len(out), np.nan)
    has_n = out["n_effective"].notna() & ~from_se
    if has_n.any():
        lo, hi = stats.wilson_ci(out.loc[has_n, "share"] * out.loc[has_n, "n_effective"], out.loc[has_n, "n_effective"],
                                 level)
        low[has_n.to_numpy()], high[has_n.to_numpy()] = lo, hi
    if from_se.any():
        lo, hi = stats.survey_ci(out.loc[from_se, "share"], out.loc[from_se, "se"], level)
        low[from_se.to_numpy()], high[from_se.to_numpy()] = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    out["ci_low"], out["ci_high"] = low, high
    out["interval_from"] = np.select(
        [counts, from_se, has_n], ["counts (Wilson)", "standard error", "estimate and base (Wilson)"], NO_INTERVAL)
    return out


def rounded_difference(share1: float, n1: float, share2: float, n2: float, rounded_to: float,
                       level: float = config.CONFIDENCE_LEVEL) -> pd.Series:
    """Two published shares rounded to `rounded_to` (0.01: whole per cents), each from an effective sample of n1 and
    n2, compared at the least favourable difference their rounding allows: each true share lies within half a step of
    its figure, so the test takes both half a step nearer each other (no difference at all where they are a step or
    less apart). The interval covers every difference the rounding allows, its low end from the lowest and its high
    end from the highest. Returns difference (as published, 1 minus 2), ci_low, ci_high, p_value and comparison."""
    half, gap = rounded_to / 2, share1 - share2
    bounded = lambda a, b: stats.compare_proportions(  # noqa: E731
        np.clip(a, 0, 1) * n1, n1, np.clip(b, 0, 1) * n2, n2, level).iloc[0]
    low, high = bounded(share1 - half, share2 + half), bounded(share1 + half, share2 - half)
    # A step apart or less (with a float's slack), the true shares may be equal: nothing to test.
    if abs(gap) <= rounded_to + 1e-9:
        p_value, comparison = 1.0, stats.SIMILAR
    else:
        near = low if gap > 0 else high
        p_value, comparison = float(near["p_value"]), near["comparison"]
    return pd.Series({"difference": gap, "ci_low": float(low["ci_low"]), "ci_high": float(high["ci_high"]),
                      "p_value": p_value, "comparison": comparison})


def how_tested(rounded_to: float, design_effect: float) -> str:
    """How a change between rounded published shares was tested (rounded_difference), with its assumed design
    effect, in words for the page."""
    step = "whole per cents" if rounded_to == 0.01 else f"steps of {100 * rounded_to:g} percentage points"
    return (f"tested at the smallest difference the published {step} allow, with a design effect of "
            f"{design_effect:g} assumed, none being published")


def _test(a: pd.Series, b: pd.Series, rounded_to: float | None = None) -> tuple[str, float]:
    """Compare two rows with intervals: (higher/lower/similar, p-value), or ('', nan) when either has none; shares
    published rounded to `rounded_to` at the least difference their rounding allows."""
    if a["interval_from"] == NO_INTERVAL or b["interval_from"] == NO_INTERVAL:
        return "", np.nan
    if rounded_to:
        row = rounded_difference(a["share"], a["n_effective"], b["share"], b["n_effective"], rounded_to)
        return row["comparison"], float(row["p_value"])
    if pd.notna(a["agree"]) and pd.notna(b["agree"]):
        d1, d2 = a["design_effect"] if pd.notna(a["design_effect"]) else 1, (
            b["design_effect"] if pd.notna(b["design_effect"]) else 1)
        row = stats.compare_proportions(a["agree"] / d1, a["base"] / d1, b["agree"] / d2, b["base"] / d2).iloc[0]
    else:
        row = stats.compare_estimates([a["share"]], [a["se"]], [b["share"]], [b["se"]]).iloc[0]
    return row["comparison"], float(row["p_value"])


def changes(df: pd.DataFrame) -> pd.DataFrame:
    """For each area, measure and group: the latest period against the one a year earlier and against the first.
    A survey published in rounded shares (attrs `rounded_to`, with the design effect it assumes in
    `assumed_design_effect`) is tested at the least difference its rounding allows, and its wording says so; `test`
    says how each was tested, `said` the verdict alone (for a page that says how once, in a note)."""
    iv = with_intervals(df)
    rounded_to = df.attrs.get("rounded_to")
    how = f" ({how_tested(rounded_to, df.attrs['assumed_design_effect'])})" if rounded_to else ""
    test = how[2:-1] if how else TWO_SHARES
    rows = []
    for (area, measure, group), s in iv.groupby(["area", "measure", "group"], sort=False):
        s = s.sort_values("period_end", kind="stable")
        latest = s.iloc[-1]
        near = s[(s["period_end"] - (latest["period_end"] - pd.DateOffset(years=1))).abs() <= YEAR_TOLERANCE]
        for against, other in (("a year earlier", near.iloc[0] if len(near) else None),
                               ("the first period", s.iloc[0] if len(s) > 1 else None)):
            row = {"area": area, "measure": measure, "group": group, "against": against,
                   "latest_period": latest["period"], "latest_pct": 100 * latest["share"]}
            if other is None:
                what = "no period ending a year earlier" if against == "a year earlier" else "only one period"
                rows.append(row | {"other_period": "", "other_pct": np.nan, "comparison": "", "p_value": np.nan,
                                   "wording": f"{what} in the file, so no comparison", "test": None, "said": None})
                continue
            label, p = _test(latest, other, rounded_to)
            subject = f"{measure} in {latest['period']} ({100 * latest['share']:.0f}%)"
            reference = f"{other['period']} ({100 * other['share']:.0f}%)"
            said = stats.describe_difference(label, subject, reference) if label else None
            wording = (said + how if label else
                       f"{subject} against {reference}: {NO_INTERVAL}, so whether it changed cannot be tested")
            rows.append(row | {"other_period": other["period"], "other_pct": 100 * other["share"],
                               "comparison": label, "p_value": p, "wording": wording, "test": test if label else None,
                               "said": said})
    return pd.DataFrame(rows)


def as_percentages(df: pd.DataFrame) -> pd.DataFrame:
    """The share and its interval as percentages (pct, ci_low_pct, ci_high_pct)."""
    return df.assign(pct=100 * df["share"], ci_low_pct=100 * df["ci_low"], ci_high_pct=100 * df["ci_high"])


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of each area and measure's latest period, with intervals."""
    iv = with_intervals(df)
    last = iv.groupby(["area", "measure"])["period_end"].transform("max")
    return iv[iv["period_end"] == last]


def groups(df: pd.DataFrame, area: str) -> pd.DataFrame:
    """Each group against the area's total ('All') in the latest period, as the CSEW section does (conservative)."""
    now = as_percentages(latest(df))
    now = now[now["area"] == area]
    total = now[now["group"] == ALL].set_index("measure")
    parts = now[(now["group"] != ALL) & now["measure"].isin(total.index)].copy()
    if parts.empty:
        return parts.assign(breakdown=[], comparison=[], ref_pct=[])
    ref = total.loc[parts["measure"]]
    tested = stats.compare_estimates(parts["share"], parts["se"], ref["share"], ref["se"])
    no_interval = (parts["interval_from"] == NO_INTERVAL).to_numpy() | (ref["interval_from"] == NO_INTERVAL).to_numpy()
    parts["comparison"] = np.where(no_interval, "", tested["comparison"].to_numpy())
    parts["ref_pct"] = ref["pct"].to_numpy()
    split = parts["group"].str.split(":", n=1)
    parts["breakdown"] = split.map(lambda s: s[0].strip() if len(s) == 2 else "Group")
    parts["group"] = split.map(lambda s: s[-1].strip())
    return parts


def areas(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Every area's latest figure for one measure (all respondents), highest first, with its interval."""
    now = as_percentages(latest(df))
    now = now[(now["measure"] == measure) & (now["group"] == ALL)]
    return now.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)

"""Crime Survey for England and Wales: the national perception series, transcribed headlines and 2018 open data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config, stats
from analysis.numbers import fmt_number
from analysis.schemas import Column, Schema, require_columns, validate
from analysis.sources import locate

SERIES_FILE = "ons_perceptions_series_thirdparty_extract/perceptions_long"
HEADLINE_FILES = ("csew_national_headlines_transcribed/headlines", "csew_national_headlines_transcribed/headlines_more")
OPEN_DATA_FILE = "csew_perceptions_cjs_2018q4/open_data"

SERIES_LABELS = {
    "confidence_local_police": "Confidence in the local police",
    "police_good_excellent_job": "Local police do a good or excellent job",
    "foot_patrol_weekly_or_more": "See foot patrol at least weekly",
    "trust_police_in_area": "Trust the police",
}
# ONS flags the 2011/12 questionnaire change for these two series only.
BREAK_SERIES = {"confidence_local_police", "police_good_excellent_job"}
# The extract's good/excellent figure sums two rounded rows, so it may be 0.1 further out.
EXTRA_TOLERANCE = {"police_good_excellent_job": 0.1}

SERIES_SCHEMA = Schema(
    "national perception series",
    (
        Column("measure", "str"),
        Column("year_ending", "int", min=1994, max=2030),
        Column("value_pct", "float", min=0, max=100),
    ),
    unique=("measure", "year_ending"),
)

HEADLINE_SCHEMA = Schema(
    "transcribed headline figures",
    (
        Column("measure", "str"),
        Column("survey_year", "str"),
        Column("year_ending", "int", min=2000, max=2030),
        Column("value_pct", "float", min=0, max=100),
        Column("population_or_breakdown", "str"),
        Column("source_title", "str"),
    ),
)

OPEN_DATA_SCHEMA = Schema(
    "CSEW open data table",
    (
        Column("measurement_var", "str"),
        Column("sex", "str", allowed=frozenset({"All adults", "Male", "Female"})),
        Column("age", "str"),
        Column("characteristic_var", "str"),
        Column("characteristic", "str"),
        Column("estimate", "float", nullable=True, min=0, max=1),
        Column("standard_error", "float", nullable=True, min=0, max=1),
        Column("unweighted_count", "float", nullable=True, min=0),
    ),
    unique=("measurement_var", "sex", "age", "characteristic_var", "characteristic"),
)


def csew_year(year_ending) -> str:
    """Survey year label for a year ending March: 2024 -> '2023/24'."""
    year_ending = int(year_ending)
    return f"{year_ending - 1}/{str(year_ending)[2:]}"


def load_national_series() -> pd.DataFrame:
    """Annual national CSEW series (extract of ONS tables): measure, year_ending, value_pct."""
    path = locate(SERIES_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["series_key", "measure", "year_ending_march", "value_pct", "source_table"], str(path))
    df = raw.rename(columns={"year_ending_march": "year_ending"})[["measure", "year_ending", "value_pct", "source_table"]]
    return validate(df, SERIES_SCHEMA, str(path))


def load_headlines() -> pd.DataFrame:
    """Headline CSEW figures transcribed word for word from published text (ONS and others)."""
    frames = []
    for file_id in HEADLINE_FILES:
        path = locate(file_id)
        raw = pd.read_csv(path)
        require_columns(raw, ["measure", "survey_year", "year_ending", "value_pct", "population_or_breakdown",
                              "source_publisher", "source_title", "source_url"], str(path))
        raw["year_ending"] = raw["year_ending"].str.extract(r"(\d{4})", expand=False).astype("int64")
        raw["value_pct"] = raw["value_pct"].astype(float)
        raw["file"] = file_id
        frames.append(validate(raw, HEADLINE_SCHEMA, str(path)))
    return pd.concat(frames, ignore_index=True)


def provisional(series: pd.DataFrame, headlines: pd.DataFrame) -> pd.Series:
    """True for values that rest on the third-party extract alone: every year after the latest one that a
    transcribed ONS figure confirms for that measure, and every year of a measure with no transcribed figure
    (the trust series). They stay provisional until the ONS workbook itself is in the data folder."""
    checked = crosscheck(series, headlines)
    confirmed = (checked[checked["agrees"]].assign(year_ending=lambda d: d["survey_year"].str[:4].astype(int) + 1)
                 .groupby("measure")["year_ending"].max())
    last = series["measure"].map(confirmed)
    return (last.isna() | (series["year_ending"] > last)).rename("provisional")


def disputed_years(series: pd.DataFrame, headlines: pd.DataFrame) -> pd.DataFrame:
    """Measure-years where the extract and the transcribed ONS figure differ by more than rounding."""
    checked = crosscheck(series, headlines)
    bad = checked[~checked["agrees"]]
    return bad.assign(year_ending=bad["survey_year"].str[:4].astype(int) + 1)


def trend_frame(series: pd.DataFrame, measures: list[str], headlines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Chart-ready trend: labelled series, CSEW year, and segments that never bridge a break.

    With `headlines`, each value is also marked `provisional` (see `provisional`) and, where the
    transcribed ONS figure disagrees with it, carries that figure in `value_transcribed`.

    The result carries the breaks to draw in `attrs['breaks']`: the 2011/12 questionnaire
    change (a rule) and the survey years with no comparable data (a shaded span).
    """
    df = series[series["measure"].isin(measures)].copy()
    if headlines is not None:
        df["provisional"] = provisional(df, headlines)
        disputed = disputed_years(df, headlines).set_index(["measure", "year_ending"])["value_pct_transcribed"]
        df["value_transcribed"] = df.set_index(["measure", "year_ending"]).index.map(disputed)
    df["series"] = df["measure"].map(SERIES_LABELS)
    df["csew_year"] = df["year_ending"].map(csew_year)
    gap_start, gap_end = config.COVID_GAP_YE
    period = np.where(df["year_ending"] > gap_end, "after the gap", "before the gap")
    before_q = df["measure"].isin(BREAK_SERIES) & (df["year_ending"] < config.QUESTIONNAIRE_BREAK_YE)
    period = np.where(before_q, "before 2011/12", period)
    df["segment"] = df["measure"] + ": " + period
    order = {m: i for i, m in enumerate(measures)}
    df = df.sort_values(["measure", "year_ending"], key=lambda s: s.map(order) if s.name == "measure" else s)
    df = df.reset_index(drop=True)
    df.attrs["breaks"] = pd.DataFrame(
        {
            "start": [config.QUESTIONNAIRE_BREAK_YE - 0.5, gap_start - 0.5],
            "end": [config.QUESTIONNAIRE_BREAK_YE - 0.5, gap_end + 0.5],
            "label": ["Questionnaire change", "No comparable survey (COVID-19)"],
        }
    )
    return df


def point(df: pd.DataFrame, measure: str, which: str) -> pd.Series:
    """The first, peak or latest year of one measure in a series frame."""
    rows = df[df["measure"] == measure].sort_values("year_ending")
    if which == "first":
        return rows.iloc[0]
    if which == "latest":
        return rows.iloc[-1]
    return rows.loc[rows["value_pct"].idxmax()]


WHICH = {"first": "first year of the series", "peak": "peak year", "latest": "latest year"}


def point_figures(trend: pd.DataFrame, measure: str, short: str, datasets: list[str],
                  what: str | None = None) -> list:
    """Glued figures for the first, peak and latest value of one measure in a `trend_frame` built with headlines.

    A value the cross-check disputes is given as the range of the two sources ("about 78 to 79"), so no headline
    rests on one of them; a provisional value's year says "(provisional)".
    """
    from analysis.figures import Figure

    figures = []
    for which in ("first", "peak", "latest"):
        row = point(trend, measure, which)
        value = row["value_pct"]
        if pd.notna(row.get("value_transcribed")):
            low, high = sorted([row["value_pct"], row["value_transcribed"]])
            value = f"about {fmt_number(low)} to {fmt_number(high)}"
        year = row["csew_year"] + (" (provisional)" if row.get("provisional", False) else "")
        what = what or SERIES_LABELS.get(measure, measure)
        figures += [Figure(f"{short}_{which}", value, "%", datasets, label=f"{what}, {WHICH[which]} ({year})"),
                    Figure(f"{short}_{which}_year", year, "CSEW year", datasets, label=f"{what}: the {WHICH[which]}")]
    return figures


def crosscheck(series: pd.DataFrame, headlines: pd.DataFrame, tolerance: float = 0.5) -> pd.DataFrame:
    """Compare the extracted series with the transcribed all-adult headlines, year by year.

    The transcribed figures are whole percentages, so the two agree when they differ by no
    more than rounding (0.5 points, plus 0.1 where the extract sums two rounded rows).
    """
    adults = headlines[headlines["population_or_breakdown"].str.startswith("All adults")]
    both = adults.merge(series, on=["measure", "year_ending"], suffixes=("_transcribed", "_extract"))
    both["difference"] = (both["value_pct_extract"] - both["value_pct_transcribed"]).round(2)
    allowed = tolerance + both["measure"].map(EXTRA_TOLERANCE).fillna(0.0)
    both["agrees"] = both["difference"].abs() <= allowed + 1e-9
    both["series"] = both["measure"].map(SERIES_LABELS)
    cols = ["measure", "series", "survey_year", "value_pct_transcribed", "value_pct_extract", "difference", "agrees",
            "source_publisher"]
    return both[cols].sort_values(["series", "survey_year"], ignore_index=True)


def load_open_data() -> pd.DataFrame:
    """The CSEW 2018 Q4 open data table (estimates as proportions, with standard errors)."""
    path = locate(OPEN_DATA_FILE)
    # Categories such as "None" (nightclub visits) are labels, not missing values.
    raw = pd.read_csv(path, keep_default_na=False, na_values=["NA", ""])
    return validate(raw, OPEN_DATA_SCHEMA, str(path))


OPEN_DATA_MEASURES = {
    "patt7": "Confidence in the local police",
    "patt3": "Treat everyone fairly",
    "patt2": "Would treat you with respect",
    "cjsovb1dv": "CJS is effective",
    "fairova1dv": "CJS is fair",
}
# Breakdown -> (characteristic_var, sex, age-filter). Age groups come from the `age`
# column with sex 'All adults'; sex from the `sex` column at age 16+.
BREAKDOWNS = ("Ethnic group", "Age", "Sex")


def by_group(open_data: pd.DataFrame, measures: list[str], level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Estimates with 95% CIs by ethnic group, age and sex, each tested against all adults.

    Returns one row per measure x group: pct, ci_low_pct, ci_high_pct, n, comparison
    (higher/lower/similar against all adults) and ref_pct.
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
        "comparison": cmp["comparison"],
    })
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

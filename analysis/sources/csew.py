"""Crime Survey for England and Wales: the national perception series (with its breaks, and checked against the
transcribed headlines, which flag provisional and disputed values), the transcribed headlines and the 2018 open data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.sources.files import locate
from analysis.sources.periods import financial_year
from analysis.sources.schemas import Column, Schema, require_columns, validate

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
    df["csew_year"] = df["year_ending"].map(financial_year)
    gap_start, gap_end = config.COVID_GAP_YE
    period = np.where(df["year_ending"] > gap_end, "after the gap", "before the gap")
    before_q = df["measure"].isin(BREAK_SERIES) & (df["year_ending"] < config.QUESTIONNAIRE_BREAK_YE)
    period = np.where(before_q, "before 2011/12", period)
    df["segment"] = df["measure"] + ": " + period
    order = {m: i for i, m in enumerate(measures)}
    df = df.sort_values(["measure", "year_ending"], key=lambda s: s.map(order) if s.name == "measure" else s,
                        kind="stable")
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
    rows = df[df["measure"] == measure].sort_values("year_ending", kind="stable")
    if which == "first":
        return rows.iloc[0]
    if which == "latest":
        return rows.iloc[-1]
    return rows.loc[rows["value_pct"].idxmax()]


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
    return both[cols].sort_values(["series", "survey_year"], ignore_index=True, kind="stable")


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

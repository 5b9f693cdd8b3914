"""MOPAC Public Attitude Survey: London-wide trust and confidence, and its spread across boroughs."""

from __future__ import annotations

import pandas as pd

from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, require_columns, validate

BOROUGH_FILE = "met_pas_trust_confidence_borough/borough"
# The evidence register's row giving the PAS's interviews a year across London (MOPAC's survey description): the base
# every London-wide change is tested on, on the book's pages alike (simple random sampling of that sample: approximate).
INTERVIEWS_ROW = "E198"
# MOPAC's file gives each share to the whole per cent: a change is tested at the smallest the rounding allows.
ROUNDED_TO = 0.01
GOOD_JOB = '"Good Job" local'
TRUST = "Trust MPS"

SCHEMA = Schema(
    "PAS borough measures",
    (
        Column("date", "date"),
        Column("borough", "str"),
        Column("measure", "str"),
        Column("proportion", "float", min=0, max=1),
        Column("london", "float", min=0, max=1),
    ),
    unique=("date", "borough", "measure"),
)


def load_boroughs() -> pd.DataFrame:
    """Borough rows of the PAS dashboard: date, borough, measure, proportion and the London figure.

    The export is semicolon-separated with decimal commas and dd/mm/yyyy dates. Richmond is
    spelt two ways, so borough names are normalised to one spelling.
    """
    path = locate(BOROUGH_FILE)
    raw = pd.read_csv(path, sep=";", decimal=",")
    require_columns(raw, ["Date", "Survey", "Borough", "Measure", "Proportion", "MPS"], str(path))
    df = pd.DataFrame({
        "date": pd.to_datetime(raw["Date"], format="%d/%m/%Y"),
        "borough": raw["Borough"].str.strip().str.replace("Upon", "upon", regex=False),
        "measure": raw["Measure"],
        "proportion": raw["Proportion"].astype(float),
        "london": raw["MPS"].astype(float),
    })
    return validate(df, SCHEMA, str(path))


def spread(boroughs: pd.DataFrame, measure: str) -> pd.DataFrame:
    """For each quarter: the London figure, and the lowest, quartiles and highest borough."""
    d = boroughs[boroughs["measure"] == measure]
    if d.empty:
        raise ValueError(f"PAS measure {measure!r} not found; expected one of {sorted(boroughs['measure'].unique())}")
    g = d.groupby("date")
    out = pd.DataFrame({
        "headline": g["london"].first(),
        "low": g["proportion"].min(),
        "q1": g["proportion"].quantile(0.25),
        "q3": g["proportion"].quantile(0.75),
        "high": g["proportion"].max(),
        "boroughs": g["borough"].nunique(),
    })
    return out.reset_index()


def extremes(boroughs: pd.DataFrame, measure: str, date) -> pd.DataFrame:
    """The boroughs with the lowest and highest value of a measure at one date."""
    d = boroughs[(boroughs["measure"] == measure) & (boroughs["date"] == date)].sort_values("proportion", kind="stable")
    return pd.concat([d.head(1), d.tail(1)])[["borough", "proportion"]].reset_index(drop=True)

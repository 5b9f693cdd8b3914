"""A third party's 2026 force indicators (officers at 31 March 2026, searches of Black and White people in 2024/25,
recorded crime for the year ending March 2026), checked against this book's official files before use."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sources import cache, census, forces, population, workforce
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

INDICATORS_FILE = "force_indicators_thirdparty_2026/indicators"
OFFICERS_YEAR = 2026  # 31 March
SEARCH_YEAR = 2025  # year ending 31 March
CRIME_PERIOD = "year ending March 2026"
# The national officer total the third party states for 31 March 2026 (its PROVENANCE.md, check 2).
STATED_OFFICERS_2026 = 145_886
# Its own rounding: the percentage change and rate to 0.1, populations to 100, ratios to 0.1.
TOLERANCE = 0.1 + 1e-9

SCHEMA = Schema(
    "force indicators 2026 (third-party extract)",
    (Column("code", "str", allowed=forces.force_codes(), allowed_label="one of the 43 ONS force codes"),
     Column("off2010", "int", min=1), Column("off2026", "int", min=1), Column("offChange", "float"),
     Column("pop", "int", min=1), Column("per100k", "float", nullable=True),
     Column("crimeRate", "float", nullable=True),
     Column("ssBlack", "int", min=0), Column("ssWhite", "int", min=0), Column("ssRatio", "float", nullable=True)),
    unique=("code",),
)


def _failed(where: str, check: str, bad: pd.DataFrame, columns: list[str]) -> SchemaError:
    """A failed documented check, naming the first force and the values that disagree."""
    row = bad.iloc[0]
    values = ", ".join(f"{c} {row[c]}" for c in columns)
    return SchemaError(f"{where}: check '{check}' fails for {len(bad)} force(s), e.g. {row['code']} ({values}); the "
                       "file no longer matches its PROVENANCE.md, so its figures cannot be used")


@cache.in_memory
def load() -> pd.DataFrame:
    """The 43 forces' rows, after the checks the file's PROVENANCE.md documents (each re-run here on this book's
    official files): 2010 officers against the Home Office table, the stated 2026 total, the third party's arithmetic,
    populations against ONS mid-2024, and the ratios against Census 2021."""
    path = locate(INDICATORS_FILE)
    where = str(path)
    raw = pd.read_csv(path, dtype={"code": str})
    df = validate(raw.drop(columns=["name", "note"], errors="ignore"), SCHEMA, where)
    if len(df) != 43:
        raise SchemaError(f"{where}: {len(df)} forces; expected the 43 territorial forces")
    staff = workforce.load_workforce()
    official = staff[(staff["year"] == 2010) & (staff["role"] == "Police officers")].set_index("pfa_code")["fte"]
    check = df.assign(official_2010=df["code"].map(official).round().astype("Int64"))
    bad = check[check["off2010"] != check["official_2010"]]
    if len(bad):
        raise _failed(where, "officers at 31 March 2010 equal the Home Office open data table", bad,
                      ["off2010", "official_2010"])
    if df["off2026"].sum() != STATED_OFFICERS_2026:
        raise SchemaError(f"{where}: check 'officers at 31 March 2026 sum to {STATED_OFFICERS_2026:,}' fails: they sum "
                          f"to {df['off2026'].sum():,}")
    change = 100 * (df["off2026"] / df["off2010"] - 1)
    bad = df[(change - df["offChange"]).abs() > TOLERANCE + 0.05]  # from unrounded FTE: 0.05 more for the rounding
    if len(bad):
        raise _failed(where, "offChange is the change from off2010 to off2026", bad,
                      ["off2010", "off2026", "offChange"])
    mid_2024 = population.mye_2024_by_pfa().set_index("pfa_code")["population"]
    check = df.assign(ons_mid_2024=df["code"].map(mid_2024.round(-2)))
    bad = check[check["pop"] != check["ons_mid_2024"]]
    if len(bad):
        raise _failed(where, "pop is ONS mid-2024 rounded to 100", bad, ["pop", "ons_mid_2024"])
    per = 1e5 * df["off2026"] / df["pop"]
    bad = df[df["per100k"].notna() & ((per - df["per100k"]).abs() > TOLERANCE)]
    if len(bad):
        raise _failed(where, "per100k is off2026 per 100,000 of pop", bad, ["off2026", "pop", "per100k"])
    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    ratio = (df["ssBlack"] / df["code"].map(people["Black"])) / (df["ssWhite"] / df["code"].map(people["White"]))
    check = df.assign(census_2021_ratio=ratio.round(1))
    bad = check[check["ssRatio"].notna() & ((check["ssRatio"] - check["census_2021_ratio"]).abs() > 1e-9)]
    if len(bad):
        raise _failed(where, "ssRatio is the Black/White search rate ratio on Census 2021", bad,
                      ["ssBlack", "ssWhite", "ssRatio", "census_2021_ratio"])
    out = df.rename(columns={"code": "pfa_code", "off2010": "officers_2010", "off2026": "officers_2026",
                             "offChange": "change_pct", "pop": "population_rounded", "per100k": "officers_per_100k",
                             "crimeRate": "crime_rate", "ssBlack": "searches_black", "ssWhite": "searches_white",
                             "ssRatio": "bw_ratio"})
    out["officers_per_100k_2024_pop"] = 1e5 * out["officers_2026"] / out["pfa_code"].map(mid_2024)
    out.attrs["source"] = where
    return out.reset_index(drop=True)


def national() -> pd.Series:
    """England and Wales: officers at 31 March 2026 and per 100,000 of mid-2024 residents, and the 2024/25
    Black/White search rate ratio on Census 2021, from the 43 forces summed."""
    df = load()
    mid_2024 = population.for_year(population.MYE_2024_YEAR)[forces.ENGLAND_AND_WALES]
    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    ew = people.loc[forces.ENGLAND_AND_WALES]
    ratio = (df["searches_black"].sum() / ew["Black"]) / (df["searches_white"].sum() / ew["White"])
    return pd.Series({"officers_2026": int(df["officers_2026"].sum()),
                      "officers_per_100k": 1e5 * df["officers_2026"].sum() / mid_2024,
                      "bw_ratio": float(np.round(ratio, 6))})

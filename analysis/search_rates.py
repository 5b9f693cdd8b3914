"""Published stop and search rates per 1,000 by force and ethnic group (YE March 2023): Black/White ratios and their uncertainty.

The source publishes rates rounded to 0.1 per 1,000 on Census 2021 populations, and no counts by
force. Two kinds of uncertainty are given for each force's ratio of published rates:
- the range of ratios consistent with the rounding of the two rates (from the published figures alone);
- an approximate 95% confidence interval, from counts rebuilt as rate x Census 2021 population. That needs
  the Census 2021 population of each group in each force, which `approximate_intervals` takes as an
  argument (the lead passes the Census 2021 by PFA table from analysis/population.py).
For England and Wales the published counts (by_ethnicity file) are used instead of rebuilt ones.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import forces, stats
from analysis.schemas import Column, Schema, SchemaError, validate
from analysis.sources import locate
from analysis.stop_search import MIN_SEARCHES_FOR_RATIO, TOO_FEW

BY_AREA_FILE = "stop_search_rates_ye_mar2023_eff/by_area"
BY_ETHNICITY_FILE = "stop_search_rates_ye_mar2023_eff/by_ethnicity"
DATASETS = [BY_AREA_FILE, BY_ETHNICITY_FILE]
PERIOD = "year ending March 2023"
YEAR = "2022/23"
SOURCE = ("Cabinet Office Equality Hub, Ethnicity facts and figures: stop and search (Home Office data, "
          "Census 2021 populations), year ending March 2023; OGL v3.0")
GROUPS = ["All", "Asian", "Black", "Mixed", "White", "Other"]
# The national row that includes British Transport Police is the one the national counts (by_ethnicity) match.
NATIONAL_ROW = "All - including BTP"
LEFT_OUT_ROWS = {"All - excluding BTP"}
# Published rates are rounded to one decimal place: the true rate lies within half a unit of the last digit.
ROUNDING = 0.05
NOT_PUBLISHED = "no published rate"
APPROXIMATE = "approximate: counts rebuilt from rates rounded to 0.1 per 1,000"
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES


def _rates_schema() -> Schema:
    codes = forces.force_codes() | {ENGLAND_AND_WALES}
    return Schema(
        "published stop and search rates per 1,000 by area and ethnic group",
        (Column("pfa_code", "str", allowed=codes, allowed_label="an ONS force code or K04000001"),
         Column("group", "str", allowed=frozenset(GROUPS)),
         Column("rate", "float", nullable=True, min=0.0)),
        unique=("pfa_code", "group"),
    )


def _numbers(values: pd.Series, source: str, what: str) -> pd.Series:
    """Numbers with 'N/A' as missing and thousands separators removed; any other text is an error."""
    text = values.astype(str).str.strip().str.replace(",", "", regex=False)
    absent = text.eq("N/A") | values.isna()
    converted = pd.to_numeric(text.where(~absent), errors="coerce")
    bad = converted.isna() & ~absent
    if bad.any():
        raise SchemaError(f"{source}: {what} {values[bad].iloc[0]!r} (row {int(bad.to_numpy().argmax()) + 1} of the "
                          "data) is neither a number nor N/A")
    return converted.astype(float)


@lru_cache(maxsize=1)
def load_rates() -> pd.DataFrame:
    """Published rates per 1,000, long: pfa_code (force codes, K04000001), area (as published), group, rate.

    N/A (City of London, and BTP, which is left out: it has no area) is missing, never zero.
    """
    path = locate(BY_AREA_FILE)
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    header, units = raw.iloc[0].tolist(), raw.iloc[1].tolist()
    if header != ["", *GROUPS] or units[0] != "Police force area" or set(units[1:]) != {"Rate per 1,000"}:
        raise SchemaError(f"{path}: expected a first row {['', *GROUPS]} and a second row 'Police force area' "
                          f"then 'Rate per 1,000' for each group; found {header} and {units}")
    body = raw.iloc[2:].set_axis(["area", *GROUPS], axis=1)
    body = body[~body["area"].isin(LEFT_OUT_ROWS)]
    codes = {a: ENGLAND_AND_WALES if a == NATIONAL_ROW else forces.code_for(a, str(path)) for a in body["area"]}
    body = body.assign(pfa_code=body["area"].map(codes)).dropna(subset=["pfa_code"])
    long = body.melt(id_vars=["pfa_code", "area"], value_vars=GROUPS, var_name="group", value_name="published")
    long["rate"] = _numbers(long["published"], str(path), "rate")
    table = long[["pfa_code", "area", "group", "rate"]].reset_index(drop=True)
    validate(table, _rates_schema(), str(path))
    found = set(table["pfa_code"])
    if found != forces.force_codes() | {ENGLAND_AND_WALES}:
        raise SchemaError(f"{path}: expected a row for each of the 43 forces and '{NATIONAL_ROW}'; missing "
                          f"{sorted(forces.force_codes() - found)}")
    return table


@lru_cache(maxsize=1)
def load_national() -> pd.DataFrame:
    """England and Wales by ethnic group (5+1 broad and 19 detailed, All, Unknown): rate per 1,000 and searches."""
    path = locate(BY_ETHNICITY_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["Ethnicity", "Rate of stop and search", "Number of stop and searches"]
    if list(raw.columns) != expected:
        raise SchemaError(f"{path}: expected columns {expected}, found {list(raw.columns)}")
    table = pd.DataFrame({"group": raw["Ethnicity"].str.strip(),
                          "rate": _numbers(raw["Rate of stop and search"], str(path), "rate"),
                          "searches": _numbers(raw["Number of stop and searches"], str(path), "number of searches")})
    schema = Schema("national searches by ethnic group",
                    (Column("group", "str"), Column("rate", "float", nullable=True, min=0.0),
                     Column("searches", "float", min=0.0)), unique=("group",))
    validate(table, schema, str(path))
    missing = sorted(set(GROUPS) - set(table["group"]))
    if missing:
        raise SchemaError(f"{path}: no row for broad group(s) {missing}")
    return table.astype({"searches": "int64"})


def black_white_ratios(rates: pd.DataFrame) -> pd.DataFrame:
    """Black over White published rate, per area, with the range of ratios the rounding allows.

    Columns: pfa_code, force, black_rate, white_rate, ratio, rounding_low, rounding_high, note.
    rounding_low = (b - 0.05)/(w + 0.05) and rounding_high = (b + 0.05)/(w - 0.05): every pair of true
    rates that rounds to the published pair gives a ratio in this range. Areas without both rates are
    missing, with note 'no published rate'; a White rate that rounds to 0.0 leaves the upper end unbounded.
    """
    wide = rates.pivot(index="pfa_code", columns="group", values="rate")
    b, w = wide["Black"], wide["White"]
    out = pd.DataFrame({"pfa_code": wide.index, "black_rate": b.to_numpy(), "white_rate": w.to_numpy()})
    out["ratio"] = (b / w.where(w > 0)).to_numpy()
    out["rounding_low"] = ((b - ROUNDING).clip(lower=0) / (w + ROUNDING)).to_numpy()
    out["rounding_high"] = ((b + ROUNDING) / (w - ROUNDING)).where(w > ROUNDING, np.inf).to_numpy()
    missing = out[["black_rate", "white_rate"]].isna().any(axis=1)
    out.loc[missing, ["ratio", "rounding_low", "rounding_high"]] = np.nan
    out["note"] = np.where(missing, NOT_PUBLISHED, "")
    out.insert(1, "force", forces.area_names(out["pfa_code"]))
    return out.reset_index(drop=True)


POPULATION_SCHEMA = Schema(
    "Census 2021 residents by area and ethnic group (for approximate counts)",
    (Column("pfa_code", "str"), Column("group", "str"), Column("population", "number", min=1)),
    unique=("pfa_code", "group"),
)


def approximate_intervals(ratios: pd.DataFrame, populations: pd.DataFrame, national: pd.DataFrame | None = None,
                          min_searches: int = MIN_SEARCHES_FOR_RATIO) -> pd.DataFrame:
    """Add an approximate 95% score interval to each Black/White ratio, from rebuilt counts.

    `ratios` is black_white_ratios(); `populations` has pfa_code, group ('Black', 'White'), population
    (Census 2021, the denominators the rates were published on). Counts are rebuilt as rate x population
    / 1,000 and rounded; because the rates were rounded to 0.1 these are approximate, and `interval`
    says so. For England and Wales, `national` (load_national()) supplies the published counts, so its
    ratio and interval are exact (ratio_from_counts). Adds columns black_searches, white_searches,
    ratio_from_counts, ci_low, ci_high, interval; forces with fewer than `min_searches` rebuilt
    searches in either group get no interval and 'too few to say'.
    """
    validate(populations, POPULATION_SCHEMA, "populations passed to search_rates.approximate_intervals")
    pop = populations[populations["group"].isin(["Black", "White"])].pivot(
        index="pfa_code", columns="group", values="population")
    out = ratios.copy()
    for group in ("Black", "White"):
        out[f"{group.lower()}_population"] = out["pfa_code"].map(pop[group]) if group in pop else np.nan
        out[f"{group.lower()}_searches"] = (out[f"{group.lower()}_rate"] * out[f"{group.lower()}_population"]
                                           / 1000).round()
    out["interval"] = APPROXIMATE
    if national is not None:
        counts = national.set_index("group")["searches"]
        is_national = out["pfa_code"] == ENGLAND_AND_WALES
        out.loc[is_national, "black_searches"] = counts["Black"]
        out.loc[is_national, "white_searches"] = counts["White"]
        out.loc[is_national, "interval"] = "published counts and Census 2021 populations"
    enough = (out["black_searches"] >= min_searches) & (out["white_searches"] >= min_searches)
    result = stats.poisson_rate_ratio(out["black_searches"].where(enough), out["black_population"],
                                      out["white_searches"].where(enough), out["white_population"])
    out["ratio_from_counts"] = result["rate_ratio"].to_numpy()
    out["ci_low"] = result["ci_low"].to_numpy()
    out["ci_high"] = result["ci_high"].to_numpy()
    no_pop = out[["black_population", "white_population"]].isna().any(axis=1)
    out.loc[~enough & ~no_pop & out["ratio"].notna(), "interval"] = TOO_FEW
    out.loc[no_pop, "interval"] = "no population given"
    out.loc[out["ratio"].isna() & (out["pfa_code"] != ENGLAND_AND_WALES), "interval"] = NOT_PUBLISHED
    return out

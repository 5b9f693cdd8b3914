"""Published stop and search rates per 1,000 by force and ethnic group, year ending March 2023 (Census 2021
populations), and the national counts by group.

The source publishes rates rounded to 0.1 per 1,000 and no counts by force; methods/disproportionality.py
turns them into ratios with their rounding range and approximate intervals.
"""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

BY_AREA_FILE = "stop_search_rates_ye_mar2023_eff/by_area"
DATASETS = [BY_AREA_FILE]
PERIOD = "year ending March 2023"
YEAR = "2022/23"
GROUPS = ["All", "Asian", "Black", "Mixed", "White", "Other"]
# England and Wales is the 43 territorial forces, as in every other year the book shows; the row including British
# Transport Police is left out (and with it the national counts by ethnic group, which include BTP).
NATIONAL_ROW = "All - excluding BTP"
LEFT_OUT_ROWS = {"All - including BTP"}
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


@cache.in_memory
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

"""Residents by police force area: ONS mid-year estimates 2002 to 2024, and the context features read from them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sources import cache, census, forces, workbooks
from analysis.sources.files import locate
from analysis.sources.lookups import assign_pfa
from analysis.sources.schemas import Column, Schema, SchemaError, require_columns, validate

MYE_FILE = "mid_year_population_lad23_2011_2023/mye_2011_2023"
OLDER_FILE = "police_forces/population"
# ONS mid-2024, one sheet (MYE2 - Persons) exported to CSV: the year after MYE23's last.
MYE_2024_FILE = "mid_year_population_lad23_mid2024/mye_2024"
MYE_2024_YEAR = 2024
# The files behind population_by_year(): mid-2002 to mid-2010 from the first, mid-2011 to mid-2023 from the second,
# mid-2024 from the third.
BY_YEAR_FILES = (OLDER_FILE, MYE_FILE, MYE_2024_FILE)
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES

# Mid-year estimates: the older file is ONS's pre-2021-Census series (rounded to 100) and is used only
# before the first year of the MYE23 series, which has ONS's post-Census revisions.
FIRST_MYE_YEAR = 2011
FIRST_OLDER_YEAR = 2002
YOUNG_ADULT_AGES = range(15, 30)
# The year of the mid-year context features (the latest in MYE23), and the start of the growth feature.
FEATURE_YEAR = 2023

MYE_SHEETS = {"summary": "MYE4", "density": "MYE5", "age": "MYE2 - Persons"}
_HEADER_SCAN_ROWS = 30


def _population_schema(first: int, last: int) -> Schema:
    return Schema(
        "mid-year resident population by police force area",
        (Column("pfa_code", "str", allowed=forces.force_codes() | {ENGLAND_AND_WALES},
                allowed_label="one of the 43 ONS force codes or K04000001"),
         Column("mid_year", "int", min=first, max=last), Column("population", "int", min=1)),
        unique=("pfa_code", "mid_year"),
    )


@cache.in_memory
def _mye_sheet(key: str) -> tuple[str, pd.DataFrame]:
    """One sheet of the ONS mid-year estimates workbook, from its 'Code, Name, Geography' header row down."""
    path = locate(MYE_FILE)
    sheet = MYE_SHEETS[key]
    with workbooks.workbook(path) as book:
        cells = book.sheet(sheet, "the ONS MYE23 layout")
    rows = [tuple(r) for r in cells.astype(object).where(cells.notna(), None).itertuples(index=False)]
    where = f"{path} [{sheet}]"
    header = next((i for i, r in enumerate(rows[:_HEADER_SCAN_ROWS]) if r and r[:3] == ("Code", "Name", "Geography")),
                  None)
    if header is None:
        raise SchemaError(f"{where}: no header row starting 'Code, Name, Geography' in the first {_HEADER_SCAN_ROWS} "
                          "rows; the table layout has changed")
    names = [str(c).strip() if c is not None else f"column {i}" for i, c in enumerate(rows[header])]
    frame = pd.DataFrame([r for r in rows[header + 1:] if r and r[0]], columns=names)
    frame.attrs["source"] = where
    return where, frame


def _lad_rows(key: str, columns: list[str]) -> tuple[str, pd.DataFrame]:
    """The local authority district rows of an MYE sheet (no counties or regions), with `columns` checked."""
    where, frame = _mye_sheet(key)
    require_columns(frame, ["Code", "Geography", *columns], where)
    # Counties and metropolitan counties overlap the districts inside them; countries and regions are totals.
    lads = frame[~frame["Geography"].isin(["Country", "Region", "County", "Metropolitan County"])]
    return where, lads


def _england_and_wales_row(key: str) -> pd.Series:
    where, frame = _mye_sheet(key)
    row = frame[frame["Code"] == ENGLAND_AND_WALES]
    if len(row) != 1:
        raise SchemaError(f"{where}: expected one England and Wales row ({ENGLAND_AND_WALES}), found {len(row)}")
    return row.iloc[0]


def _numbers(frame: pd.DataFrame, columns: list[str], where: str) -> pd.DataFrame:
    """The named columns as numbers; a cell that is not one raises an error naming it."""
    out = frame[columns].apply(pd.to_numeric, errors="coerce")
    bad = out.isna()
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise SchemaError(f"{where}: column '{columns[c]}' has {frame[columns].iat[r, c]!r} for "
                          f"{frame['Code'].iat[r]}; expected a number")
    return out


@cache.in_memory
def mye_by_pfa() -> pd.DataFrame:
    """ONS mid-year population per force and England and Wales, mid-2011 to mid-2023 (MYE4, 2023 boundaries).

    The districts are summed to force areas; each year's 43 sums must equal the published
    England and Wales row, so a district left out or counted twice is caught.
    """
    where, frame = _mye_sheet("summary")
    years = [int(c.removeprefix("Mid-")) for c in frame.columns if str(c).startswith("Mid-")]
    if not years or min(years) != FIRST_MYE_YEAR:
        raise SchemaError(f"{where}: expected columns 'Mid-2023' ... 'Mid-{FIRST_MYE_YEAR}', "
                          f"found {list(frame.columns)}")
    columns = [f"Mid-{y}" for y in years]
    where, lads = _lad_rows("summary", columns)
    total = _england_and_wales_row("summary")[columns].astype("int64")
    by_force = _sum_to_forces(lads, total, where)
    by_force.loc[ENGLAND_AND_WALES] = total
    long = (by_force.rename(columns=lambda c: int(c.removeprefix("Mid-"))).rename_axis(columns="mid_year")
            .stack().rename("population").reset_index().astype({"population": "int64", "mid_year": "int64"}))
    return validate(long, _population_schema(FIRST_MYE_YEAR, max(years)), where)


def _sum_to_forces(lads: pd.DataFrame, total: pd.Series, where: str) -> pd.DataFrame:
    """The districts' columns (the index of `total`) summed to force areas; each must add up to its England and
    Wales total, so a district left out or counted twice is caught."""
    columns = list(total.index)
    by_force = (_numbers(lads, columns, where).groupby(assign_pfa(lads["Code"], where).to_numpy())[columns].sum()
                .rename_axis("pfa_code"))
    gap = by_force.sum() - total
    if (gap != 0).any():
        which = f" for {gap[gap != 0].index[0]}" if len(columns) > 1 else ""
        raise ValueError(f"{where}: the 43 force areas sum to {by_force.sum()[gap != 0].iloc[0]:,.0f}{which}, not "
                         f"the England and Wales total {total[gap != 0].iloc[0]:,}; a district is missing or counted "
                         "twice")
    return by_force


@cache.in_memory
def mye_2024_by_pfa() -> pd.DataFrame:
    """ONS mid-2024 population per force and England and Wales, from the CSV export of sheet MYE2 - Persons."""
    path = locate(MYE_2024_FILE)
    where = f"{path} (MYE2 - Persons, mid-{MYE_2024_YEAR})"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    require_columns(frame, ["Code", "Name", "Geography", "All ages"], where)
    lads = frame[~frame["Geography"].isin(["Country", "Region", "County", "Metropolitan County"])]
    ew = frame[frame["Code"] == ENGLAND_AND_WALES]
    if len(ew) != 1:
        raise SchemaError(f"{where}: expected one England and Wales row ({ENGLAND_AND_WALES}), found {len(ew)}")
    total = ew.iloc[0][["All ages"]].astype("int64")
    by_force = _sum_to_forces(lads, total, where)["All ages"]
    by_force.loc[ENGLAND_AND_WALES] = total["All ages"]
    long = pd.DataFrame({"pfa_code": by_force.index, "mid_year": MYE_2024_YEAR,
                         "population": by_force.to_numpy().astype("int64")})
    return validate(long, _population_schema(MYE_2024_YEAR, MYE_2024_YEAR), where)


@cache.in_memory
def older_by_pfa() -> pd.DataFrame:
    """ONS mid-year population per force and England and Wales, mid-2002 to mid-2016 (PFA tables, Table P9)."""
    path = locate(OLDER_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["area_code", "mid_year", "population"], str(path))
    keep = raw["area_code"].isin(forces.force_codes() | {ENGLAND_AND_WALES})
    pop = raw.loc[keep, ["area_code", "mid_year", "population"]].rename(columns={"area_code": "pfa_code"})
    return validate(pop.reset_index(drop=True), _population_schema(1990, 2030), str(path))


@cache.in_memory
def population_by_year() -> pd.DataFrame:
    """Mid-year population per force and England and Wales, mid-2002 to mid-2024: pfa_code, mid_year, population.

    Mid-2002 to mid-2010 come from the ONS PFA tables (pre-2021-Census series, rounded to 100);
    mid-2011 to mid-2023 from ONS MYE23, which includes the post-Census-2021 revisions; mid-2024 from ONS's
    mid-2024 release (the same method; ONS may revise it with mid-2025).
    """
    older = older_by_pfa()
    older = older[older["mid_year"] < FIRST_MYE_YEAR]
    return pd.concat([older, mye_by_pfa(), mye_2024_by_pfa()], ignore_index=True).sort_values(
        ["pfa_code", "mid_year"], ignore_index=True, kind="stable")


def vintage_difference() -> pd.Series:
    """% difference between the two series at mid-2011, where both exist (MYE23 against the PFA tables), by area."""
    older = older_by_pfa().pivot(index="pfa_code", columns="mid_year", values="population")[FIRST_MYE_YEAR]
    return (100 * (for_year(FIRST_MYE_YEAR) / older - 1)).rename("difference_pct")


def for_year(mid_year: int) -> pd.Series:
    """The mid-year population of each force and England and Wales (K04000001) in one year, 2002 to 2024."""
    table = population_by_year()
    first, last = int(table["mid_year"].min()), int(table["mid_year"].max())
    if not first <= mid_year <= last:
        raise ValueError(f"mid_year={mid_year!r}: no population estimate; expected a year from {first} to {last} "
                         f"({', '.join(BY_YEAR_FILES)})")
    return table[table["mid_year"] == mid_year].set_index("pfa_code")["population"]


# Context features per force, for finding comparable forces. Each is a Series keyed by PFA code (43 forces).

def density_2023() -> pd.Series:
    """Residents per km² of land, mid-2023: the force's districts' people summed, divided by their area summed.

    Source: ONS MYE23, table MYE5 (area: Standard Area Measurements, land only, 31 December 2021).
    """
    columns = ["Area (sq km)", f"Estimated Population mid-{FEATURE_YEAR}"]
    where, lads = _lad_rows("density", columns)
    totals = _numbers(lads, columns, where).groupby(assign_pfa(lads["Code"], where).to_numpy()).sum()
    return forces.each_force(totals[columns[1]] / totals[columns[0]], "density_2023")


def young_adult_share_2023() -> pd.Series:
    """Share (0-1) of residents aged 15 to 29, mid-2023. Source: ONS MYE23, table MYE2 (persons, single year of age)."""
    ages = [str(a) for a in YOUNG_ADULT_AGES]
    where, lads = _lad_rows("age", ["All ages", *ages])
    values = _numbers(lads, ["All ages", *ages], where)
    totals = values.groupby(assign_pfa(lads["Code"], where).to_numpy()).sum()
    return forces.each_force(totals[ages].sum(axis=1) / totals["All ages"], "young_adult_share_2023")


def log_population_2023() -> pd.Series:
    """log10 of the resident population, mid-2023. Source: ONS MYE23, table MYE4."""
    return forces.each_force(np.log10(for_year(FEATURE_YEAR).astype(float)), "log_population_2023")


def growth_2011_2023() -> pd.Series:
    """Population change from mid-2011 to mid-2023, % of mid-2011. Source: ONS MYE23, table MYE4 (one vintage)."""
    table = mye_by_pfa().pivot(index="pfa_code", columns="mid_year", values="population")
    return forces.each_force(100 * (table[FEATURE_YEAR] / table[FIRST_MYE_YEAR] - 1), "growth_2011_2023")


def context_features() -> pd.DataFrame:
    """Every context feature above, one column each, for the 43 forces (index pfa_code)."""
    return pd.concat([density_2023(), census.minority_share_2021(), young_adult_share_2023(), log_population_2023(),
                      growth_2011_2023()], axis=1)

"""Police officers and PCSOs by force and year, per 100,000 residents, and national officer strength since 1977."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.sources import cache, forces, population, workbooks
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, require_columns, validate

WORKFORCE_FILE = "police_workforce_open_data_2023/open_data_2023"
WORKFORCE_SHEET = "Data"
STRENGTH_FILE = "police_workforce_open_data/national_strength"
# Every per-resident rate divides by ONS mid-year estimates from these files (see population.population_by_year).
POPULATION_FILES = population.BY_YEAR_FILES
# The national series since 1977, with its last year(s) taken from the workforce table and ONS MYE23.
STRENGTH_FILES = (STRENGTH_FILE, WORKFORCE_FILE, population.MYE_FILE)
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES

# The Home Office worker types this book counts (lower case: the table's capitalisation varies by year),
# and the label it uses for each.
ROLES = {"police officer": "Police officers", "police community support officer": "PCSOs"}
NEIGHBOURHOOD_ROLES = "Officers and PCSOs"
# The published header of each column read, and its name here.
COLUMNS = {"As at 31 March...": "year", "Geo code": "pfa_code", "Force Name": "force_name", "Sex": "sex",
           "Rank description": "rank", "Worker type": "worker_type", "Total (FTE)": "fte"}
# Cells marking a count as not applicable (specials and volunteers have no FTE); missing, never zero.
NOT_APPLICABLE = {"-", "N/A"}
_HEADER_SCAN_ROWS = 20
# The workforce table and the national series must agree to this many FTE in every shared year before
# the series is extended from the table.
STRENGTH_TOLERANCE_FTE = 0.5


def _workforce_schema() -> Schema:
    return Schema(
        "full-time equivalent workforce by force, 31 March, role, rank and sex",
        (
            forces.code_column(),
            Column("year", "int", min=2007, max=2030),
            Column("role", "str", allowed=frozenset(ROLES.values())),
            Column("rank", "str"),
            Column("sex", "str"),
            Column("fte", "number", min=0),
        ),
        unique=("pfa_code", "year", "role", "rank", "sex"),
    )


def _read_table(path: Path) -> pd.DataFrame:
    """The Home Office workforce open data table (sheet Data) as published, with the sheet's row numbers.

    Numbers are the unrounded cell values, not the rounded display text.
    """
    where = f"{path} [{WORKFORCE_SHEET}]"
    with workbooks.workbook(path) as book:
        cells = book.sheet(WORKFORCE_SHEET, "the Home Office workforce open data table")
    # The header is the first row naming most of the expected columns; a renamed column is then reported by name.
    scores = [len(set(row.dropna()) & set(COLUMNS)) for _, row in cells.head(_HEADER_SCAN_ROWS).iterrows()]
    if not scores or max(scores) == 0:
        raise SchemaError(f"{where}: no header row with columns {list(COLUMNS)} in the first {_HEADER_SCAN_ROWS} "
                          "rows; the table layout has changed")
    header = scores.index(max(scores))
    names = [str(c) if pd.notna(c) else f"column {i}" for i, c in enumerate(cells.iloc[header])]
    table = cells.iloc[header + 1:].set_axis(names, axis=1)
    # Rows with no value at all below the table (calamine keeps a sheet's used area) are not data.
    table = table.dropna(how="all")
    require_columns(table, list(COLUMNS), where)
    table = table.rename(columns=COLUMNS)[list(COLUMNS.values())]
    table.index += 1  # the sheet's own row numbers (1-based), for error messages
    return table


def _numbers(values: pd.Series, column: str, table: pd.DataFrame, where: str) -> pd.Series:
    """Cell values as numbers, with the not-applicable markers as missing; other text is an error."""
    text = values.map(lambda v: isinstance(v, str))
    bad = text & ~values.isin(NOT_APPLICABLE)
    if bad.any():
        row = table.loc[bad.idxmax()]
        raise SchemaError(f"{where}: column '{column}' has {row[COLUMNS[column]]!r} at sheet row "
                          f"{bad.idxmax()} ({row['pfa_code']}, {row['year']}, {row['worker_type']}); "
                          f"expected a number or one of {sorted(NOT_APPLICABLE)}")
    return pd.to_numeric(values.where(~text), errors="coerce")


@cache.in_memory
def load_workforce() -> pd.DataFrame:
    """Officers and PCSOs (FTE) per force and 31 March 2007 to 2023, summed over rank and sex.

    Each published row is validated first, so a duplicated force-year-rank-sex is caught;
    the sum over sex then counts the 'Not stated' and other categories added in 2021.
    British Transport Police (no force area, code 'N/A') is left out. Cached: the sheet has about
    29,000 rows and is read once per kernel.
    """
    path = locate(WORKFORCE_FILE)
    where = f"{path} [{WORKFORCE_SHEET}]"
    table = _read_table(path)
    territorial = table["pfa_code"] != "N/A"
    for name in table.loc[~territorial, "force_name"].unique():
        forces.code_for(str(name), where)  # a territorial force without a code is an error, not a silent drop
    kept = table[territorial & table["worker_type"].astype(str).str.strip().str.lower().isin(ROLES)]
    years = _numbers(kept["year"], "As at 31 March...", table, where)
    if (years.isna() | (years % 1 != 0)).any():
        at = (years.isna() | (years % 1 != 0)).idxmax()
        raise SchemaError(f"{where}: column 'As at 31 March...' has {kept.at[at, 'year']!r} at sheet row {at} "
                          f"({kept.at[at, 'pfa_code']}); expected a year")
    rows = pd.DataFrame({"pfa_code": kept["pfa_code"], "year": years.astype("int64"),
                         "role": kept["worker_type"].str.strip().str.lower().map(ROLES),
                         "rank": kept["rank"], "sex": kept["sex"],
                         "fte": _numbers(kept["fte"], "Total (FTE)", table, where)}).reset_index(drop=True)
    validate(rows, _workforce_schema(), where)
    return rows.groupby(["pfa_code", "year", "role"], as_index=False)["fte"].sum()


def with_england_and_wales(workforce: pd.DataFrame) -> pd.DataFrame:
    """Add England and Wales as the sum of the 43 forces."""
    total = workforce.groupby(["year", "role"], as_index=False)["fte"].sum().assign(pfa_code=ENGLAND_AND_WALES)
    return pd.concat([workforce, total], ignore_index=True)


def per_100k(workforce: pd.DataFrame, population_by_year: pd.DataFrame) -> pd.DataFrame:
    """FTE per 100,000 residents, by area, year and role, with officers and PCSOs combined.

    A 31 March count is divided by the mid-year estimate of the same year (31 March Y by mid-Y, three
    months later: the nearer estimate, and the long-run national series' rule, so one date has one
    figure on every page); `population_by_year` has columns pfa_code, mid_year, population.
    """
    combined = (workforce.groupby(["pfa_code", "year"], as_index=False)["fte"].sum()
                .assign(role=NEIGHBOURHOOD_ROLES))
    table = pd.concat([workforce, combined], ignore_index=True)
    table["mid_year"] = table["year"]
    merged = table.merge(population_by_year, on=["pfa_code", "mid_year"], how="left", validate="many_to_one")
    missing = merged[merged["population"].isna()]
    if len(missing):
        row = missing.iloc[0]
        first, last = int(population_by_year["mid_year"].min()), int(population_by_year["mid_year"].max())
        raise ValueError(f"{', '.join(POPULATION_FILES)}: no population for {row['pfa_code']} mid-{row['mid_year']} "
                         f"(for 31 March {row['year']}); expected one for every force from mid-{first} to mid-{last}")
    merged["per_100k"] = merged["fte"] / merged["population"] * 100_000
    return merged.sort_values(["pfa_code", "role", "year"], kind="stable").reset_index(drop=True)


def rates() -> pd.DataFrame:
    """Officers, PCSOs and both per 100,000 residents, every force and England and Wales, 31 March 2007 to 2023."""
    return per_100k(with_england_and_wales(load_workforce()), population.population_by_year())


def change_since(rates: pd.DataFrame, start: int = 2010) -> pd.DataFrame:
    """Per area and role: the rate in `start`, the low point after it, and the latest year, with % changes."""
    rows = []
    for (code, role), g in rates[rates["year"] >= start].groupby(["pfa_code", "role"]):
        g = g.set_index("year")["per_100k"]
        low_year = int(g.idxmin())
        last_year = int(g.index.max())
        rows.append({"pfa_code": code, "role": role, "start": g[start], "low_year": low_year, "low": g[low_year],
                     "latest_year": last_year, "latest": g[last_year]})
    out = pd.DataFrame(rows)
    out["fall_pct"] = 100 * (out["low"] / out["start"] - 1)
    out["recovery_pct"] = 100 * (out["latest"] / out["low"] - 1)
    out["net_pct"] = 100 * (out["latest"] / out["start"] - 1)
    return out


STRENGTH_SCHEMA = Schema(
    "national police officer strength, 31 March",
    (Column("year", "int", min=1900, max=2100), Column("officers", "number", min=0),
     Column("population", "number", min=1)),
    unique=("year",),
)


def national_strength() -> pd.DataFrame:
    """Officers in England and Wales each 31 March since 1977, and per 100,000 residents.

    The compiled series (STRENGTH_FILE) ends at 31 March 2022. From 2003 its officers are the FTE
    of the 43 territorial forces from the Home Office workforce table, so it is extended with the
    table's later years, but only after checking the two agree in every year both cover. The file's
    population for 31 March Y is the mid-Y estimate, so an added year uses ONS MYE23 mid-Y.
    """
    path = locate(STRENGTH_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["year", "officers", "population"], str(path))
    table = validate(raw[["year", "officers", "population"]].copy(), STRENGTH_SCHEMA, str(path))
    wf = load_workforce()
    officers = wf[wf["role"] == ROLES["police officer"]].groupby("year")["fte"].sum()
    shared = officers.index.intersection(table["year"])
    gap = (officers[shared] - table.set_index("year").loc[shared, "officers"]).abs()
    if len(shared) == 0 or (gap > STRENGTH_TOLERANCE_FTE).any():
        year = int(gap.idxmax()) if len(shared) else None
        raise ValueError(f"{path} and {locate(WORKFORCE_FILE)}: officer FTE for the 43 forces differ on 31 March "
                         f"{year} by {gap.max() if len(shared) else 'n/a'}; expected the same definition "
                         f"(within {STRENGTH_TOLERANCE_FTE} FTE) before extending the series")
    later = officers[officers.index > table["year"].max()]
    added = pd.DataFrame({"year": later.index.astype("int64"), "officers": later.to_numpy(),
                          "population": [population.for_year(int(y))[ENGLAND_AND_WALES] for y in later.index]})
    table = pd.concat([table, added], ignore_index=True)
    return table.assign(per_100k=table["officers"] / table["population"] * 100_000)

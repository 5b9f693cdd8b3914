"""Police officers and PCSOs by force and year, per 100,000 residents, and national officer strength since 1977."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import forces
from analysis.schemas import Column, Schema, require_columns, validate
from analysis.sources import locate

WORKFORCE_FILE = "police_workforce_open_data/by_force_rank_sex"
STRENGTH_FILE = "police_workforce_open_data/national_strength"
POPULATION_FILE = "police_forces/population"
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES

# The Home Office worker types this book counts, and the label it uses for each.
ROLES = {"police officer": "Police officers", "police community support officer": "PCSOs"}
NEIGHBOURHOOD_ROLES = "Officers and PCSOs"


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


POPULATION_SCHEMA = Schema(
    "mid-year population by force",
    (Column("pfa_code", "str"), Column("mid_year", "int", min=1990, max=2030), Column("population", "int", min=1)),
    unique=("pfa_code", "mid_year"),
)


@lru_cache(maxsize=1)
def load_workforce() -> pd.DataFrame:
    """Officers and PCSOs (FTE) per force and 31 March, summed over rank and sex.

    Each published row is validated first, so a duplicated force-year-rank-sex is caught;
    the sum over sex then counts the 'Not stated' and other categories added in 2021-22.
    """
    path = locate(WORKFORCE_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["date", "geo_code", "rank_description", "sex", "worker_type", "total_fte"], str(path))
    kept = raw[raw["worker_type"].isin(ROLES)]
    rows = pd.DataFrame({"pfa_code": kept["geo_code"], "year": pd.to_datetime(kept["date"]).dt.year.astype("int64"),
                         "role": kept["worker_type"].map(ROLES), "rank": kept["rank_description"],
                         "sex": kept["sex"], "fte": kept["total_fte"]}).reset_index(drop=True)
    validate(rows, _workforce_schema(), str(path))
    return rows.groupby(["pfa_code", "year", "role"], as_index=False)["fte"].sum()


@lru_cache(maxsize=1)
def load_population() -> pd.DataFrame:
    """Mid-year resident population per force and England and Wales (ONS PFA tables)."""
    path = locate(POPULATION_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["area_code", "mid_year", "population", "area_type"], str(path))
    keep = raw["area_code"].isin(forces.force_codes() | {ENGLAND_AND_WALES})
    pop = raw.loc[keep, ["area_code", "mid_year", "population"]].rename(columns={"area_code": "pfa_code"})
    return validate(pop.reset_index(drop=True), POPULATION_SCHEMA, str(path))


def with_england_and_wales(workforce: pd.DataFrame) -> pd.DataFrame:
    """Add England and Wales as the sum of the 43 forces."""
    total = workforce.groupby(["year", "role"], as_index=False)["fte"].sum().assign(pfa_code=ENGLAND_AND_WALES)
    return pd.concat([workforce, total], ignore_index=True)


def per_100k(workforce: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """FTE per 100,000 residents, by area, year and role, with officers and PCSOs combined.

    A 31 March count is divided by the mid-year estimate nine months before it. Years with
    no estimate that recent use the latest one, and `population_estimated` says so.
    """
    combined = (workforce.groupby(["pfa_code", "year"], as_index=False)["fte"].sum()
                .assign(role=NEIGHBOURHOOD_ROLES))
    table = pd.concat([workforce, combined], ignore_index=True)
    latest = int(population["mid_year"].max())
    table["mid_year"] = (table["year"] - 1).clip(upper=latest)
    table["population_estimated"] = (table["year"] - 1) > latest
    merged = table.merge(population, on=["pfa_code", "mid_year"], how="left", validate="many_to_one")
    missing = merged[merged["population"].isna()]
    if len(missing):
        row = missing.iloc[0]
        raise ValueError(f"{POPULATION_FILE}: no population for {row['pfa_code']} mid-{row['mid_year']}; "
                         f"expected one for every force and year from {int(population['mid_year'].min())}")
    merged["per_100k"] = merged["fte"] / merged["population"] * 100_000
    return merged.sort_values(["pfa_code", "role", "year"]).reset_index(drop=True)


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
    """Officers in England and Wales each 31 March since 1977, and per 100,000 residents."""
    path = locate(STRENGTH_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["year", "officers", "population"], str(path))
    table = validate(raw[["year", "officers", "population"]].copy(), STRENGTH_SCHEMA, str(path))
    return table.assign(per_100k=table["officers"] / table["population"] * 100_000)

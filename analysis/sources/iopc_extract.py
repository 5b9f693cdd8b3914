"""A third party's figures from IOPC statistics: deaths during or following police contact a year to 2024/25
(England and Wales), and complaint-review outcomes by force in 2024/25, checked as their PROVENANCE.md documents."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

DEATHS_FILE = "iopc_thirdparty_extract_2024_25/deaths_by_year"
CATEGORIES_FILE = "iopc_thirdparty_extract_2024_25/deaths_by_category"
REVIEWS_FILE = "iopc_thirdparty_extract_2024_25/review_outcomes"
DATASETS = [DEATHS_FILE, CATEGORIES_FILE]
REVIEW_PERIOD = "2024/25"
TOTAL = "TOTAL"

DEATHS_SCHEMA = Schema("deaths following police contact by year",
                       (Column("year", "str"), Column("deaths", "int", min=0)), unique=("year",))
CATEGORY_SCHEMA = Schema("deaths following police contact by category",
                         (Column("category_key", "str"), Column("deaths", "int", min=0)), unique=("category_key",))
REVIEW_SCHEMA = Schema("IOPC complaint-review outcomes by force",
                       (Column("force_slug", "str"), Column("reviews_completed", "int", min=0),
                        Column("outcomes_overturned", "int", min=0), Column("overturn_pct", "float", min=0, max=100)),
                       unique=("force_slug",))


@cache.in_memory
def deaths_by_year() -> pd.DataFrame:
    """Deaths a year (the five IOPC categories summed), 2004/05 to 2024/25: year ('2024/25'), year_ending, deaths.
    The years must sum to the category file's total, and the categories too."""
    path, cats = locate(DEATHS_FILE), locate(CATEGORIES_FILE)
    years = validate(pd.read_csv(path, dtype={"year": str}), DEATHS_SCHEMA, str(path))
    by_category = validate(pd.read_csv(cats), CATEGORY_SCHEMA, str(cats)).set_index("category_key")["deaths"]
    if TOTAL not in by_category:
        raise SchemaError(f"{cats}: no {TOTAL} row; expected the five categories and their total")
    total = by_category.pop(TOTAL)
    if by_category.sum() != total or years["deaths"].sum() != total:
        raise SchemaError(f"{path}: the years sum to {years['deaths'].sum():,} and the categories to "
                          f"{by_category.sum():,}; {cats} gives a total of {total:,}: the files disagree")
    years["year_ending"] = years["year"].str[:4].astype(int) + 1
    return years.sort_values("year_ending", ignore_index=True, kind="stable")


@cache.in_memory
def review_outcomes() -> pd.DataFrame:
    """IOPC reviews of complaint outcomes completed in 2024/25, and how many were overturned, by force (43 forces;
    British Transport Police left out): pfa_code, reviews, overturned, overturned_pct. Reviews, not complaints."""
    path = locate(REVIEWS_FILE)
    df = validate(pd.read_csv(path), REVIEW_SCHEMA, str(path))
    recomputed = (100 * df["outcomes_overturned"] / df["reviews_completed"]).round(1)
    bad = df[(recomputed - df["overturn_pct"]).abs() > 0.05 + 1e-9]
    if len(bad):
        r = bad.iloc[0]
        raise SchemaError(f"{path}: overturn_pct {r['overturn_pct']} for {r['force_slug']} is not "
                          f"{r['outcomes_overturned']} of {r['reviews_completed']}; the file has changed")
    codes = []
    for slug in df["force_slug"]:
        try:
            codes.append(forces.resolve(slug).code)
        except forces.UnknownForceError:
            codes.append(None)
    df["pfa_code"] = codes
    territorial = df[df["pfa_code"].notna()]
    if len(territorial) != 43 or territorial["pfa_code"].nunique() != 43:
        unnamed = df.loc[df["pfa_code"].isna(), "force_slug"].tolist()
        raise SchemaError(f"{path}: {territorial['pfa_code'].nunique()} territorial forces ({unnamed} not one); "
                          "expected the 43 and British Transport Police")
    out = territorial.rename(columns={"reviews_completed": "reviews", "outcomes_overturned": "overturned",
                                      "overturn_pct": "overturned_pct"})[["pfa_code", "reviews", "overturned",
                                                                          "overturned_pct"]]
    return out.reset_index(drop=True)

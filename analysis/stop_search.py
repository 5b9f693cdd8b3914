"""Stop and search by self-defined ethnicity: rates per 1,000 residents and rate ratios, by force and year."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config, forces, stats
from analysis.schemas import Column, Schema, require_columns, validate
from analysis.sources import locate

SEARCH_FILE = "stop_search_open_data/by_force_ethnicity"
CENSUS_FILE = "pfa_ethnicity_census2011/police_categories"
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES

# Home Office broad self-defined groups -> the label used in the book.
GROUPS = {
    "White": "White",
    "Black or Black British": "Black",
    "Asian or Asian British": "Asian",
    "Mixed": "Mixed",
    "Chinese or Other Ethnic Group": "Chinese or other",
}
# Searches with no stated ethnicity have no population to divide by: they are left out
# of every rate and ratio, and their share of all searches is reported beside them.
UNSTATED = ("Not stated", "Vehicle only")
# Census police categories -> the Home Office group (Chinese is split out in the census table).
CENSUS_GROUPS = {
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
    "Mixed": "Mixed",
    "Chinese": "Chinese or other",
    "Other": "Chinese or other",
}
# Below this many searches in either group a ratio is too unstable to quote.
MIN_SEARCHES_FOR_RATIO = 20
TOO_FEW = "too few to say"
# Where a quarter or more of a group's searches have no usable arrest count, its arrest rate could be far
# from the truth whichever way the blanks fall, so no rate or comparison is quoted.
MAX_UNKNOWN_ARREST_SHARE = 0.25
TOO_INCOMPLETE = "too incomplete to compare"


def _search_schema() -> Schema:
    # Built on use: the allowed codes come from the force registry.
    return Schema(
        "searches by force, year and ethnic group",
        (
            forces.code_column(),
            Column("year_ending", "int", min=2007, max=2030),
            Column("group", "str", allowed=frozenset(GROUPS.values()) | frozenset(UNSTATED)),
            Column("searches", "int", min=0),
            Column("searches_arrest_known", "int", min=0),
            Column("arrests", "int", min=0),
        ),
        unique=("pfa_code", "year_ending", "group"),
    )


POPULATION_SCHEMA = Schema(
    "2011 Census residents by force and ethnic group",
    (Column("pfa_code", "str"), Column("group", "str"), Column("population", "int", min=1)),
    unique=("pfa_code", "group"),
)


def _with_codes(df: pd.DataFrame, name_col: str, source: str) -> pd.DataFrame:
    codes = {n: forces.code_for(n, source) for n in df[name_col].unique()}
    df = df.assign(pfa_code=df[name_col].map(codes))
    return df[df["pfa_code"].notna()]


def _raw_searches() -> tuple[pd.DataFrame, str]:
    path = locate(SEARCH_FILE)
    raw = pd.read_csv(path, low_memory=False)
    require_columns(raw, ["year_ending", "force_name", "legislation", "ethnic_group_self_defined", "searches",
                          "resultant_arrests"], str(path))
    raw = _with_codes(raw, "force_name", str(path))
    raw["year_ending"] = raw["year_ending"].str[:4].astype("int64")
    raw["group"] = raw["ethnic_group_self_defined"].map(lambda g: GROUPS.get(g, g))
    return raw, str(path)


def arrests_over_searches() -> pd.DataFrame:
    """Published rows that record more resultant arrests than searches: impossible as printed, so their
    arrest counts are never used (their searches count as searches with no usable arrest count)."""
    raw, _ = _raw_searches()
    return raw[raw["resultant_arrests"] > raw["searches"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def load_searches() -> pd.DataFrame:
    """Searches and resultant arrests per territorial force, year ending March and broad group.

    Summed over legislation and reason. A blank searches cell is a combination with no searches
    (the table lists every one). A blank arrests cell is NOT zero: the count was not recorded, and
    for some forces (the Metropolitan Police above all) most are blank. So `arrests` sums only the
    rows with a usable count, `searches_arrest_known` is the searches in those rows (the denominator
    of any arrest rate), and rows printing more arrests than searches are left out of both.
    British Transport Police is dropped (it has no force area population).
    """
    raw, path = _raw_searches()
    return validate(summarise(raw), _search_schema(), path)


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """Sum published rows (pfa_code, year_ending, group, searches, resultant_arrests) to force-year-group
    totals, counting arrests only where the row has a usable count (see load_searches)."""
    searches = raw["searches"].fillna(0)
    usable = raw["resultant_arrests"].notna() & (raw["resultant_arrests"] <= searches)
    rows = raw.assign(searches=searches, searches_arrest_known=searches.where(usable, 0),
                      arrests=raw["resultant_arrests"].where(usable, 0))
    out = (rows.groupby(["pfa_code", "year_ending", "group"], as_index=False)
           [["searches", "searches_arrest_known", "arrests"]].sum())
    return out.astype({"searches": "int64", "searches_arrest_known": "int64", "arrests": "int64"})


@lru_cache(maxsize=1)
def load_population() -> pd.DataFrame:
    """2011 Census usual residents per force in the Home Office's broad ethnic groups."""
    path = locate(CENSUS_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["Police force", *CENSUS_GROUPS], str(path))
    raw = _with_codes(raw, "Police force", str(path))
    long = raw.melt(id_vars="pfa_code", value_vars=list(CENSUS_GROUPS), var_name="census_group", value_name="population")
    long["group"] = long["census_group"].map(CENSUS_GROUPS)
    out = long.groupby(["pfa_code", "group"], as_index=False)["population"].sum().astype({"population": "int64"})
    return validate(out, POPULATION_SCHEMA, str(path))


def add_england_and_wales(df: pd.DataFrame, keys: list[str], values: list[str],
                          without_met: bool = False) -> pd.DataFrame:
    """Append England and Wales totals (sum of the 43 forces) under code K04000001; with `without_met`, also
    the total of the other 42 forces, which shows how far the Metropolitan Police drives a national figure."""
    totals = [df.groupby(keys, as_index=False)[values].sum().assign(pfa_code=ENGLAND_AND_WALES)]
    if without_met:
        rest = df[df["pfa_code"] != forces.METROPOLITAN]
        totals.append(rest.groupby(keys, as_index=False)[values].sum().assign(pfa_code=forces.EW_EXCLUDING_MET))
    return pd.concat([df, *totals], ignore_index=True)


def rates(searches: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Searches per 1,000 residents by force (and England and Wales, with and without the Met), year and stated group.

    Also returns, per force-year, the share of searches with no stated ethnicity
    (`unstated_share`), which the rates cannot include.
    """
    s = add_england_and_wales(searches, ["year_ending", "group"], ["searches", "searches_arrest_known", "arrests"],
                              without_met=True)
    p = add_england_and_wales(population, ["group"], ["population"], without_met=True)
    total = s.groupby(["pfa_code", "year_ending"])["searches"].transform("sum")
    unstated = s[s["group"].isin(UNSTATED)].groupby(["pfa_code", "year_ending"])["searches"].sum()
    stated = s[~s["group"].isin(UNSTATED)].assign(all_searches=total)
    out = stated.merge(p, on=["pfa_code", "group"], how="left", validate="many_to_one")
    out["rate_per_1000"] = 1000 * out["searches"] / out["population"]
    out["unstated_share"] = (out.set_index(["pfa_code", "year_ending"]).index.map(unstated).fillna(0).to_numpy()
                             / out["all_searches"].where(out["all_searches"] > 0))
    return out.drop(columns="all_searches").sort_values(["pfa_code", "year_ending", "group"], ignore_index=True)


def unstated_bounds(searches: pd.DataFrame, population: pd.DataFrame, code: str, year: int,
                    group: str = "Black", reference: str = "White") -> dict:
    """How far searches with no stated ethnicity could move one area's ratio: the ratio if every 'Not stated'
    search were of the reference group (the lowest it could be) or of `group` (the highest). Shared in
    proportion to the stated groups, they would leave it unchanged. 'Vehicle only' searches had no person."""
    s = add_england_and_wales(searches, ["year_ending", "group"], ["searches"], without_met=True)
    p = add_england_and_wales(population, ["group"], ["population"], without_met=True)
    s = s[(s["pfa_code"] == code) & (s["year_ending"] == year)].groupby("group")["searches"].sum()
    p = p[p["pfa_code"] == code].set_index("group")["population"]
    g, r, unstated = s.get(group, 0), s.get(reference, 0), s.get("Not stated", 0)
    ratio = (g / p[group]) / (r / p[reference])
    return {"ratio": ratio, "not_stated": int(unstated),
            "low": (g / p[group]) / ((r + unstated) / p[reference]),
            "high": ((g + unstated) / p[group]) / (r / p[reference])}


def far_from_census(year_ending: pd.Series) -> pd.Series:
    """True for years whose 2011 Census denominator is more than about two years old or young (see config)."""
    low, high = config.CENSUS_2011_FITS
    return ~year_ending.between(low, high)


def rate_ratios(rate_table: pd.DataFrame, groups=("Black", "Asian", "Mixed"), reference: str = "White",
                min_searches: int = MIN_SEARCHES_FOR_RATIO) -> pd.DataFrame:
    """Each group's search rate over the reference group's, with a 95% score interval.

    Where either group has fewer than `min_searches` searches the ratio, interval and
    p-value are left empty and `label` says 'too few to say'.
    """
    ref = rate_table[rate_table["group"] == reference][["pfa_code", "year_ending", "searches", "population"]]
    cmp = rate_table[rate_table["group"].isin(groups)]
    pairs = cmp.merge(ref, on=["pfa_code", "year_ending"], suffixes=("", "_ref"))
    enough = (pairs["searches"] >= min_searches) & (pairs["searches_ref"] >= min_searches)
    result = stats.poisson_rate_ratio(
        pairs["searches"].where(enough, 0), pairs["population"], pairs["searches_ref"].where(enough, 0),
        pairs["population_ref"])
    out = pd.concat([pairs[["pfa_code", "year_ending", "group", "searches", "searches_ref"]].reset_index(drop=True),
                     result], axis=1)
    out["comparison"] = out["group"] + "/" + reference
    out["label"] = np.where(enough.to_numpy(), out["rate_ratio"].map(lambda r: f"{r:.1f}"), TOO_FEW)
    return out


def with_names(df: pd.DataFrame) -> pd.DataFrame:
    """Add the registry's display name (and 'England and Wales') beside each code."""
    return df.assign(force=forces.area_names(df["pfa_code"]))

"""Home Office stop and search open data: searches and resultant arrests by force, year ending March and
self-defined ethnic group, with blank arrest counts kept apart from zeros."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, require_columns, validate

SEARCH_FILE = "stop_search_open_data/by_force_ethnicity"
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


@cache.in_memory
def _raw_searches() -> tuple[pd.DataFrame, str]:
    path = locate(SEARCH_FILE)
    raw = pd.read_csv(path, low_memory=False)
    require_columns(raw, ["year_ending", "force_name", "legislation", "ethnic_group_self_defined", "searches",
                          "resultant_arrests"], str(path))
    raw = forces.with_codes(raw, "force_name", str(path))
    raw["year_ending"] = raw["year_ending"].str[:4].astype("int64")
    raw["group"] = raw["ethnic_group_self_defined"].map(lambda g: GROUPS.get(g, g))
    return raw, str(path)


def arrests_over_searches() -> pd.DataFrame:
    """Published rows that record more resultant arrests than searches: impossible as printed, so their
    arrest counts are never used (their searches count as searches with no usable arrest count)."""
    raw, _ = _raw_searches()
    return raw[raw["resultant_arrests"] > raw["searches"]].reset_index(drop=True)


@cache.in_memory
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


def search_totals() -> pd.DataFrame:
    """All searches (every group, stated or not) per area and year, with England and Wales."""
    cols = ["searches", "searches_arrest_known", "arrests"]
    s = forces.add_england_and_wales(load_searches(), ["year_ending", "group"], cols)
    return s.groupby(["pfa_code", "year_ending"], as_index=False)[cols].sum()

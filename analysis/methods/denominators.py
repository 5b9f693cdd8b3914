"""Residents by force and ethnic group between the censuses: linear between Census 2011 and Census 2021 at each
financial year's midpoint, in the Home Office's five stop and search groups."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.sources import forces

# Census 2021's broad groups -> the Home Office's five. Census 2021 counts Chinese people in "Asian", the 2011 police
# categories in "Chinese or other", so the interpolated Asian (and Chinese or other) populations mix the two
# definitions; White, Black and Mixed are the same groups in both censuses.
CENSUS_2021_GROUPS = {"White": "White", "Black": "Black", "Asian": "Asian", "Mixed": "Mixed",
                      "Other": "Chinese or other"}


def midpoint(year_ending: pd.Series) -> pd.Series:
    """30 September inside each financial year ending March `year_ending`."""
    return pd.to_datetime((year_ending - 1).astype(str) + "-09-30")


def census_weight(year_ending: pd.Series) -> pd.Series:
    """How far each year's midpoint lies from Census 2011 (0) to Census 2021 (1). Years before 2011 take the 2011
    Census (0), not a line extended back past its first point."""
    start, end = pd.Timestamp(config.CENSUS_2011_DAY), pd.Timestamp(config.CENSUS_2021_DAY)
    return ((midpoint(year_ending) - start) / (end - start)).clip(0, 1)


def interpolated(census2011: pd.DataFrame, census2021: pd.DataFrame, years) -> pd.DataFrame:
    """pfa_code, group, year_ending, population: each force's residents in each of the Home Office's five groups at
    the midpoint of each year, on a straight line from `census2011` (census.census2011_by_ethnicity) to `census2021`
    (census.census2021_by_ethnicity, mapped to the five groups). England and Wales is left to the callers' sums."""
    later = census2021[census2021["group"].isin(CENSUS_2021_GROUPS)]
    later = later[later["pfa_code"].isin(forces.force_codes())]
    later = later.assign(group=later["group"].map(CENSUS_2021_GROUPS))
    both = census2011.merge(later, on=["pfa_code", "group"], suffixes=("_2011", "_2021"), validate="one_to_one")
    grid = pd.DataFrame({"year_ending": list(years)})
    out = both.merge(grid, how="cross")
    weight = census_weight(out["year_ending"])
    out["population"] = (1 - weight) * out["population_2011"] + weight * out["population_2021"]
    return out[["pfa_code", "group", "year_ending", "population"]]

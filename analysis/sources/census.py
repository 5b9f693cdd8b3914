"""Census residents by police force area and ethnic group: Census 2021 (five broad groups, summed from local
authorities) and the 2011 Census in the Home Office's stop and search groups."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.lookups import assign_pfa
from analysis.sources.schemas import Column, Schema, SchemaError, require_columns, validate

CENSUS_FILE = "census2021_ethnicity_by_la/by_la"
CENSUS_2011_FILE = "pfa_ethnicity_census2011/police_categories"
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
# The Census 2021 broad (5+1) ethnic groups; "All" is the total.
CENSUS_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
CENSUS_TOTAL = "All"
# 2011 Census police categories -> the Home Office's stop and search group (Chinese is split out in the census).
CENSUS_2011_GROUPS = {
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
    "Mixed": "Mixed",
    "Chinese": "Chinese or other",
    "Other": "Chinese or other",
}
CENSUS_2011_SCHEMA = Schema(
    "2011 Census residents by force and ethnic group",
    (Column("pfa_code", "str"), Column("group", "str"), Column("population", "int", min=1)),
    unique=("pfa_code", "group"),
)

CENSUS_SCHEMA = Schema(
    "Census 2021 usual residents by police force area and broad ethnic group",
    (Column("pfa_code", "str", allowed=forces.force_codes() | {ENGLAND_AND_WALES},
            allowed_label="one of the 43 ONS force codes or K04000001"),
     Column("group", "str", allowed=frozenset((*CENSUS_GROUPS, CENSUS_TOTAL))),
     Column("population", "int", min=0)),
    unique=("pfa_code", "group"),
)


@cache.in_memory
def census2021_by_ethnicity() -> pd.DataFrame:
    """Census 2021 usual residents per force and England and Wales in the five broad groups and 'All'.

    Local authorities (2021 codes) are summed to force areas; the 43 sums must equal the
    file's England and Wales row for every group.
    """
    path = locate(CENSUS_FILE)
    where = str(path)
    raw = pd.read_csv(path, dtype={"Geography_code": str})
    require_columns(raw, ["Geography_code", "Ethnicity", "Ethnicity_type", "Ethnic_Population"], where)
    broad = raw[raw["Ethnicity_type"].isin(["ONS 2021 5+1", "All"])]
    found = set(broad["Ethnicity"])
    if found != {*CENSUS_GROUPS, CENSUS_TOTAL}:
        raise SchemaError(f"{where}: expected Ethnicity {[*CENSUS_GROUPS, CENSUS_TOTAL]} for Ethnicity_type "
                          f"'ONS 2021 5+1' and 'All', found {sorted(found)}")
    national = broad[broad["Geography_code"] == ENGLAND_AND_WALES].set_index("Ethnicity")["Ethnic_Population"]
    local = broad[broad["Geography_code"] != ENGLAND_AND_WALES]
    local = local.assign(pfa_code=assign_pfa(local["Geography_code"], where).to_numpy())
    by_force = local.groupby(["pfa_code", "Ethnicity"])["Ethnic_Population"].sum().unstack()
    gap = by_force.sum() - national.reindex(by_force.columns)
    if (gap != 0).any():
        group = gap[gap != 0].index[0]
        raise ValueError(f"{where}: the 43 force areas sum to {by_force[group].sum():,} residents for {group}, not "
                         f"the England and Wales row {national.get(group)}")
    by_force.loc[ENGLAND_AND_WALES] = national
    long = by_force.rename_axis(columns="group").stack().rename("population").reset_index()
    return validate(long.astype({"population": "int64"}), CENSUS_SCHEMA, where)


def minority_share_2021() -> pd.Series:
    """Share (0-1) of usual residents in an ethnic group other than White, Census 2021 (21 March 2021).

    Source: ONS Census 2021 via Ethnicity facts and figures, summed from local authorities.
    """
    table = census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    return forces.each_force(1 - table["White"] / table[CENSUS_TOTAL], "minority_share_2021")


@cache.in_memory
def census2011_by_ethnicity() -> pd.DataFrame:
    """2011 Census usual residents per force in the Home Office's broad ethnic groups (the denominators of the
    stop and search and use of force rates by group to 2019/20)."""
    path = locate(CENSUS_2011_FILE)
    raw = pd.read_csv(path)
    require_columns(raw, ["Police force", *CENSUS_2011_GROUPS], str(path))
    raw = forces.with_codes(raw, "Police force", str(path))
    long = raw.melt(id_vars="pfa_code", value_vars=list(CENSUS_2011_GROUPS), var_name="census_group",
                    value_name="population")
    long["group"] = long["census_group"].map(CENSUS_2011_GROUPS)
    out = long.groupby(["pfa_code", "group"], as_index=False)["population"].sum().astype({"population": "int64"})
    return validate(out, CENSUS_2011_SCHEMA, str(path))

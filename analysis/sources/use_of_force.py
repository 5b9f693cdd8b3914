"""Home Office police use of force statistics: tactic uses by force and the subject's perceived ethnicity, one
financial year a file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, require_columns, validate

FILES = {2019: "use_of_force_by_ethnicity/fy2018_19", 2020: "use_of_force_by_ethnicity/fy2019_20"}
# Perceived ethnicity columns -> the 2011 Census groups used as denominators.
GROUPS = {"White": "White", "Black (or Black British)": "Black", "Asian (or Asian British)": "Asian",
          "Mixed": "Mixed", "Chinese": "Chinese or other", "Other": "Chinese or other"}
TOTAL_TACTICS = "*Total Tactics"


def _schema() -> Schema:
    return Schema(
        "use of force tactic uses by force and perceived ethnicity",
        (forces.code_column(),
         Column("group", "str", allowed=frozenset(GROUPS.values())), Column("uses", "number", min=0)),
        unique=("pfa_code", "group"),
    )


@cache.in_memory
def load(year_ending: int) -> pd.DataFrame:
    """Total tactic uses per force by perceived ethnicity (one financial year), checked against the published total."""
    path = locate(FILES[year_ending])
    raw = pd.read_csv(path)
    require_columns(raw, ["Police Force", "Tactic", *[c for c in GROUPS if c != "Chinese"]], str(path))
    totals = raw[raw["Tactic"] == TOTAL_TACTICS]
    codes = totals["Police Force"].map(lambda n: forces.code_for(n, str(path)))
    present = [c for c in GROUPS if c in totals.columns]
    long = (totals.assign(pfa_code=codes)[codes.notna()].melt(id_vars="pfa_code", value_vars=present,
                                                              var_name="column", value_name="uses")
            .assign(group=lambda d: d["column"].map(GROUPS))
            .groupby(["pfa_code", "group"], as_index=False)["uses"].sum())
    validate(long, _schema(), str(path))
    published = totals[codes.isna() & totals["Police Force"].str.contains("Total")][present].sum().sum()
    if not np.isclose(long["uses"].sum(), published):
        raise ValueError(f"{path}: forces add up to {long['uses'].sum():,.0f} tactic uses but the England and Wales "
                         f"row says {published:,.0f}; rows are missing")
    return long

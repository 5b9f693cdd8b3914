"""Deaths during or following contact with each force by IOPC's type of death, over the years IOPC's tables give the
force, with exact intervals for the counts: what chapter 6's force section tabulates."""

from __future__ import annotations

import pandas as pd

from analysis.methods import stats
from analysis.sources import cache, iopc
from analysis.sources.periods import financial_year

DATASETS = [iopc.DEATHS_FILE]


@cache.in_memory  # national: every edition reads it again
def by_type() -> pd.DataFrame:
    """A row per force and type of death IOPC's by-force tables give it (types in name order): pfa_code, type,
    fatalities (over the force's years), an exact 95% interval for the count (ci_low, ci_high), and the period, the
    force's first to its last year. A death in an incident two forces shared is counted against each, as IOPC counts
    it."""
    deaths = iopc.by_force()
    counts = deaths.groupby(["pfa_code", "type"], as_index=False, sort=True)["fatalities"].sum()
    low, high = stats.poisson_count_ci(counts["fatalities"])
    years = deaths.groupby("pfa_code")["year_ending"].agg(["min", "max"])
    span = {code: f"{financial_year(int(first))} to {financial_year(int(last))}"
            for code, (first, last) in years.iterrows()}
    return counts.assign(ci_low=low, ci_high=high, period=counts["pfa_code"].map(span))


def for_force(code: str) -> pd.DataFrame:
    """One force's deaths by type (by_type's rows)."""
    table = by_type()
    return table[table["pfa_code"] == code].reset_index(drop=True)

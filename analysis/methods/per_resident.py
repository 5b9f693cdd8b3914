"""Rates per resident: counts divided by the ONS mid-year population of the year they belong to, with exact Poisson
intervals where the counts are events (deaths)."""

from __future__ import annotations

import pandas as pd

from analysis.methods import stats
from analysis.sources import cache, forces, iopc, population


def rate_without_met(events: pd.Series, residents: pd.Series, per: float = 1.0) -> float:
    """England and Wales excluding the Met: the other forces' events per `per` residents, from England and Wales's and
    the Met's rows (keyed by ONS code), so no one force dominates the figure set beside a force's own."""
    return float(per * (events[forces.ENGLAND_AND_WALES] - events[forces.METROPOLITAN])
                 / (residents[forces.ENGLAND_AND_WALES] - residents[forces.METROPOLITAN]))


def per_1000_residents(totals: pd.DataFrame) -> pd.DataFrame:
    """Searches per 1,000 residents for rows of (pfa_code, year_ending, searches): each year ending March Y divided
    by the ONS mid-year population of its own year, mid-(Y-1)."""
    pops = population.population_by_year().rename(columns={"mid_year": "pop_year"})
    out = totals.assign(pop_year=totals["year_ending"] - 1).merge(pops, on=["pfa_code", "pop_year"], how="left",
                                                                   validate="many_to_one")
    missing = out[out["population"].isna()]
    if len(missing):
        row = missing.iloc[0]
        raise ValueError(f"no mid-{row['pop_year']} population for {row['pfa_code']}; expected one for every force "
                         "and year (analysis/sources/population.py)")
    return out.assign(per_1000=1000 * out["searches"] / out["population"]).drop(columns="pop_year")


@cache.in_memory
def deaths_by_force() -> pd.DataFrame:
    """Deaths per force over the whole series, all types: the count, and the rate per million residents per year
    (deaths over the sum of the force's mid-year populations, its person-years) with an exact 95% Poisson interval;
    a force is compared on the funnel (measures/funnels.deaths_funnel), the one method that decides its verdict."""
    deaths = iopc.by_force()
    table = deaths.groupby("pfa_code", as_index=False)["fatalities"].sum()
    # Financial year ending March Y is set against the mid-(Y-1) population.
    mids = sorted(deaths["year_ending"].unique() - 1)
    pops = population.population_by_year()
    person_years = pops[pops["mid_year"].isin(mids)].groupby("pfa_code")["population"].sum()
    table["person_years"] = table["pfa_code"].map(person_years)
    low, high = stats.poisson_rate_ci(table["fatalities"], table["person_years"])
    table["per_million"] = 1e6 * table["fatalities"] / table["person_years"]
    table["ci_low"], table["ci_high"] = 1e6 * low, 1e6 * high
    return table.assign(force=forces.area_names(table["pfa_code"]))


def national_death_rate() -> float:
    """Deaths per million residents per year, England and Wales, over the whole series."""
    table = deaths_by_force()
    return 1e6 * table["fatalities"].sum() / table["person_years"].sum()

"""Comparable forces: each force's nearest neighbours on standardised, publicly sourced features."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import forces, pfa_tables, population, workforce
from analysis import stop_search as ss

# How many neighbours each force gets (HMICFRS's own most similar groups could not be obtained).
N_COMPARABLE = 6
CRIME_YEAR = 2018
# Officers on 31 March 2017, per resident at mid-2016.
WORKFORCE_YEAR = 2017
FEATURES = {
    "log_population": "Resident population, mid-2016 (log scale)",
    "minority_share": "Share of residents not White, 2011 Census",
    "crime_rate": f"Recorded crime per 1,000 residents, year ending March {CRIME_YEAR}",
    "officers_per_100k": f"Police officers per 100,000 residents, 31 March {WORKFORCE_YEAR}",
}
DATASETS = [population.MYE_FILE, ss.CENSUS_FILE, pfa_tables.FILES[CRIME_YEAR], workforce.WORKFORCE_FILE]


def features() -> pd.DataFrame:
    """The four features for each of the 43 forces (a feature the source suppresses is left missing)."""
    pop = population.for_year(WORKFORCE_YEAR - 1)
    census = ss.load_population().pivot(index="pfa_code", columns="group", values="population")
    minority = 1 - census["White"] / census.sum(axis=1)
    crime = pfa_tables.recorded_crime_rate(CRIME_YEAR).set_index("area_code")["crime_rate"]
    rates = workforce.rates()
    officers = rates[(rates["role"] == "Police officers") & (rates["year"] == WORKFORCE_YEAR)].set_index("pfa_code")
    codes = sorted(forces.force_codes())
    return pd.DataFrame({
        "log_population": np.log10(pop.reindex(codes).astype(float)),
        "minority_share": minority.reindex(codes),
        "crime_rate": crime.reindex(codes),
        "officers_per_100k": officers["per_100k"].reindex(codes),
    }, index=pd.Index(codes, name="pfa_code"))


def distances(table: pd.DataFrame) -> pd.DataFrame:
    """Root-mean-square difference in standard deviations between every pair of forces.

    Each feature is standardised (z-score) across forces, so no one unit dominates. Where a
    feature is missing for either force, the mean is taken over the features both have.
    """
    z = (table - table.mean()) / table.std(ddof=0)
    values = z.to_numpy()
    diff = values[:, None, :] - values[None, :, :]
    rms = np.sqrt(np.nanmean(diff ** 2, axis=2))
    return pd.DataFrame(rms, index=table.index, columns=table.index)


def nearest(dist: pd.DataFrame, n: int = N_COMPARABLE) -> pd.DataFrame:
    """Each force's n nearest other forces, ranked: pfa_code, rank, comparable_code, distance."""
    rows = []
    for code in dist.index:
        others = dist.loc[code].drop(code).sort_values(kind="stable").head(n)
        rows += [{"pfa_code": code, "rank": i + 1, "comparable_code": other, "distance": d}
                 for i, (other, d) in enumerate(others.items())]
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def comparable_forces() -> pd.DataFrame:
    """Every force's comparable forces, computed once per kernel."""
    return nearest(distances(features()))


def comparable_to(force: str) -> list[str]:
    """The ONS codes of a force's comparable forces, nearest first."""
    code = forces.resolve(force).code
    table = comparable_forces()
    return table.loc[table["pfa_code"] == code, "comparable_code"].tolist()


def method_table() -> pd.DataFrame:
    """The features and where each comes from, for the methods appendix."""
    return pd.DataFrame({"feature": list(FEATURES.values()),
                         "source dataset": [population.MYE_FILE, ss.CENSUS_FILE, pfa_tables.FILES[CRIME_YEAR],
                                            f"{workforce.WORKFORCE_FILE} with {population.MYE_FILE}"]})

"""Comparable forces: each force's nearest neighbours on the context it polices, never on what the book compares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sources import cache, census, forces, lookups, population

# How many comparable forces each force gets (HMICFRS's most similar groups could not be obtained).
N_COMPARABLE = 6
# Context only: no policing input or output (officers, crime, searches) that the book then compares, which
# would make the comparison circular. Each is a function of sources/population.py or sources/census.py returning a
# value per force.
FEATURES = {
    "density": ("Residents per km², mid-2023 (log scale)", lambda: np.log10(population.density_2023())),
    "minority_share": ("Share of residents in an ethnic group other than White, Census 2021",
                       census.minority_share_2021),
    "young_adults": ("Share of residents aged 15 to 29, mid-2023", population.young_adult_share_2023),
    "log_population": ("Resident population, mid-2023 (log scale)", population.log_population_2023),
}
DATASETS = [population.MYE_FILE, census.CENSUS_FILE, lookups.LOOKUP_FILE]
# Its resident population is tiny beside its daytime one, so on every feature it sits far from all other
# forces: it gets no comparable forces, and it is left out of the scaling so it cannot stretch it.
NO_PEERS = forces.CITY_OF_LONDON
NO_PEERS_NOTE = ("The City of London has no comparable force: few residents but hundreds of thousands of daytime "
                 "workers and visitors, so no other force area is like it on any feature.")


def features() -> pd.DataFrame:
    """The context features for each of the 43 forces (index pfa_code; columns as in FEATURES)."""
    return pd.DataFrame({key: func() for key, (_, func) in FEATURES.items()}).sort_index(kind="stable")


def robust_scores(table: pd.DataFrame) -> pd.DataFrame:
    """Each feature as (value − median) / interquartile range, median and IQR taken without the City of London,
    so one extreme area cannot shrink every other force's differences to nothing."""
    base = table.drop(index=NO_PEERS, errors="ignore")
    iqr = base.quantile(0.75) - base.quantile(0.25)
    if (iqr <= 0).any():
        raise ValueError(f"comparable forces: feature(s) {list(iqr[iqr <= 0].index)} do not vary between forces")
    return (table - base.median()) / iqr


def distances(scores: pd.DataFrame) -> pd.DataFrame:
    """Root-mean-square difference in robust scores between every pair of forces (the City of London left out)."""
    scores = scores.drop(index=NO_PEERS, errors="ignore")
    values = scores.to_numpy()
    rms = np.sqrt(np.nanmean((values[:, None, :] - values[None, :, :]) ** 2, axis=2))
    return pd.DataFrame(rms, index=scores.index, columns=scores.index)


def nearest(dist: pd.DataFrame, n: int = N_COMPARABLE) -> pd.DataFrame:
    """Each force's n nearest other forces, ranked: pfa_code, rank, comparable_code, distance."""
    rows = []
    for code in dist.index:
        others = dist.loc[code].drop(code).sort_values(kind="stable").head(n)
        rows += [{"pfa_code": code, "rank": i + 1, "comparable_code": other, "distance": d}
                 for i, (other, d) in enumerate(others.items())]
    return pd.DataFrame(rows)


def choose(table: pd.DataFrame, n: int = N_COMPARABLE) -> pd.DataFrame:
    """Comparable forces from a feature table: robust scores, distances, the n nearest."""
    return nearest(distances(robust_scores(table)), n)


@cache.in_memory
def comparable_forces() -> pd.DataFrame:
    """Every force's comparable forces (none for the City of London), computed once per kernel."""
    return choose(features())


def comparable_to(force: str) -> list[str]:
    """The ONS codes of a force's comparable forces, nearest first (empty for the City of London)."""
    code = forces.resolve(force).code
    table = comparable_forces()
    return table.loc[table["pfa_code"] == code, "comparable_code"].tolist()


def stability(table: pd.DataFrame | None = None, n: int = N_COMPARABLE) -> pd.DataFrame:
    """How many of each force's comparable forces survive when any one feature is dropped: per force, the
    fewest kept over the features dropped in turn, and the mean (of the book's own features once per kernel)."""
    return _stability(table, n) if table is not None or n != N_COMPARABLE else _book_stability()


@cache.in_memory
def _book_stability() -> pd.DataFrame:
    return _stability(features(), N_COMPARABLE)


def _stability(table: pd.DataFrame, n: int) -> pd.DataFrame:
    full = choose(table, n).groupby("pfa_code")["comparable_code"].agg(set)
    kept = {}
    for feature in table.columns:
        again = choose(table.drop(columns=feature), n).groupby("pfa_code")["comparable_code"].agg(set)
        kept[feature] = pd.Series({code: len(full[code] & again[code]) for code in full.index})
    kept = pd.DataFrame(kept)
    return pd.DataFrame({"fewest_kept": kept.min(axis=1), "mean_kept": kept.mean(axis=1),
                         "weakest_drop": kept.idxmin(axis=1)}).rename_axis("pfa_code")

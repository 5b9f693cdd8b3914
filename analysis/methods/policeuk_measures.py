"""Measures on police.uk records: how concentrated crime is across places, the share of each outcome, and monthly
shares with Wilson intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.methods import stats
from analysis.sources.policeuk import ASB

# How places are defined: a neighbourhood (LSOA) or the anonymised map point crimes are snapped to.
PLACES = {"LSOA": ["LSOA code"], "location": ["Longitude", "Latitude", "Location"]}


def chance_share(total: int, places: int, top_places: int, simulations: int = config.HOTSPOT_SIMULATIONS,
                 seed: int = config.HOTSPOT_SEED) -> float:
    """% of `total` incidents that the busiest `top_places` of `places` would hold by chance alone: the mean over
    seeded simulations of the same total spread over the same places at one rate (Poisson counts given the
    total). The places are those with at least one incident, so each keeps one and the rest are spread. With a few
    incidents a place, chance alone puts far more than p% of them in the busiest p%."""
    if total == 0:  # no incidents of this kind in the file: no share to compare
        return float("nan")
    spread = np.random.default_rng(seed).multinomial(total - places, np.full(places, 1 / places), size=simulations)
    counts = 1 + spread
    busiest = -np.sort(-counts, axis=1, kind="stable")[:, :top_places].sum(axis=1)
    return float(100 * busiest.mean() / total)


def concentration(crimes: pd.DataFrame, place: str, tops=(1, 5, 10)) -> pd.DataFrame:
    """Share of incidents in the top p% of places, for ASB and for all other crime separately, beside the share
    chance alone would give (chance_share_pct) and how far the observed share is beyond it (beyond_chance_pts).

    Places are those with at least one incident of that kind in the file, ranked by count;
    records with no location are left out and counted in `unlocated`.
    """
    keys = PLACES[place]
    rows = []
    for label, subset in (("Crime", crimes[crimes["Crime type"] != ASB]), (ASB, crimes[crimes["Crime type"] == ASB])):
        located = subset.dropna(subset=keys)
        counts = located.groupby(keys).size().sort_values(ascending=False, kind="stable").to_numpy()
        for top in tops:
            n_places = max(1, int(np.ceil(len(counts) * top / 100)))
            share = 100 * counts[:n_places].sum() / counts.sum()
            chance = chance_share(int(counts.sum()), len(counts), n_places)
            rows.append({"incidents": label, "place": place, "top_pct": top, "places": n_places,
                         "of_places": len(counts), "share_pct": share, "chance_share_pct": chance,
                         "beyond_chance_pts": share - chance, "located": int(counts.sum()),
                         "unlocated": len(subset) - len(located)})
    return pd.DataFrame(rows)


def concentration_curve(crimes: pd.DataFrame, place: str) -> pd.DataFrame:
    """Cumulative % of incidents against cumulative % of places, busiest places first."""
    keys = PLACES[place]
    parts = []
    for label, subset in (("Crime", crimes[crimes["Crime type"] != ASB]), (ASB, crimes[crimes["Crime type"] == ASB])):
        counts = subset.dropna(subset=keys).groupby(keys).size().sort_values(ascending=False, kind="stable").to_numpy()
        parts.append(pd.DataFrame({
            "series": f"{label}, by {place}",
            "places_pct": np.r_[0, 100 * np.arange(1, len(counts) + 1) / len(counts)],
            "incidents_pct": np.r_[0, 100 * counts.cumsum() / counts.sum()]}))
    return pd.concat(parts, ignore_index=True)


def share_of(values: pd.Series, category: str) -> float:
    """% of non-missing values equal to `category`."""
    present = values.dropna()
    return 100 * float((present == category).sum()) / len(present)


def distribution(values: pd.Series, missing_label: str) -> pd.DataFrame:
    """Counts and % of each category, missing values shown under their own label, largest first."""
    counts = values.value_counts(dropna=False)
    counts = counts[counts > 0]  # a categorical column also lists categories absent here
    counts.index = pd.Index([missing_label if pd.isna(c) else c for c in counts.index], dtype=object)
    return pd.DataFrame({"category": counts.index, "count": counts.to_numpy(),
                         "share_pct": 100 * counts.to_numpy() / counts.sum()})


def monthly_share(records: pd.DataFrame, column: str, category: str) -> pd.DataFrame:
    """Per month: records whose `column` is `category`, of those with a value recorded, with a Wilson 95% CI (%).

    Records with no value are left out of the denominator and counted in `not_recorded`.
    """
    g = records.groupby("Month", observed=True)[column]
    table = pd.DataFrame({"count": g.apply(lambda v: int((v == category).sum())), "of": g.count(),
                          "not_recorded": g.size() - g.count()}).reset_index()
    table["Month"] = table["Month"].astype(str)
    low, high = stats.wilson_ci(table["count"], table["of"])
    return table.assign(share_pct=100 * table["count"] / table["of"], ci_low_pct=100 * low, ci_high_pct=100 * high)


def monthly_concentration(crimes: pd.DataFrame, place: str = "LSOA", top: int = 5) -> pd.DataFrame:
    """Per month: the share of crime (not ASB) in the busiest `top`% of places (see `concentration`)."""
    rows = [concentration(month_crimes, place, tops=(top,)).assign(Month=str(month))
            for month, month_crimes in crimes.groupby("Month", observed=True)]
    out = pd.concat(rows, ignore_index=True)
    return out[out["incidents"] == "Crime"].reset_index(drop=True)

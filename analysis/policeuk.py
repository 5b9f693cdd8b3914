"""Read any standard police.uk monthly download (street, outcomes, stop and search) and measure where crime concentrates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.schemas import SchemaError
from analysis.sources import locate

SAMPLE = {"street": "policeuk_sample_2023_03/street", "outcomes": "policeuk_sample_2023_03/outcomes",
          "stop-and-search": "policeuk_sample_2023_03/stop_and_search"}
SAMPLE_LABEL = "Bedfordshire Police, March 2023"
# The published column sets (data.police.uk/about), in file order.
COLUMNS = {
    "street": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
               "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"],
    "outcomes": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Outcome type"],
    "stop-and-search": ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
                        "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
                        "Object of search", "Outcome", "Outcome linked to object of search",
                        "Removal of more than just outer clothing"],
}
ASB = "Anti-social behaviour"
# How places are defined: a neighbourhood (LSOA) or the anonymised map point crimes are snapped to.
PLACES = {"LSOA": ["LSOA code"], "location": ["Longitude", "Latitude", "Location"]}


def load(kind: str, path: str | Path | None = None) -> pd.DataFrame:
    """A police.uk file of the given kind ('street', 'outcomes' or 'stop-and-search').

    With no path, the Bedfordshire March 2023 sample from the data manifest is used; any
    force's monthly file of the same kind can be passed instead.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown police.uk file kind {kind!r}; expected one of {sorted(COLUMNS)}")
    path = Path(path) if path is not None else locate(SAMPLE[kind])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    expected = COLUMNS[kind]
    if list(df.columns) != expected:
        guess = [k for k, cols in COLUMNS.items() if list(df.columns) == cols]
        hint = f" It looks like a police.uk '{guess[0]}' file." if guess else ""
        missing = [c for c in expected if c not in df.columns]
        raise SchemaError(f"{path}: not a police.uk '{kind}' file; expected columns {expected}, found "
                          f"{list(df.columns)} (missing {missing}).{hint}")
    if kind != "stop-and-search":
        bad = ~df["Month"].str.fullmatch(r"\d{4}-\d{2}", na=False)
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise SchemaError(f"{path}: column 'Month' has {df['Month'].iloc[row]!r} at row {row}; "
                              "expected a month like 2023-03")
    for col in ("Longitude", "Latitude"):
        df[col] = pd.to_numeric(df[col], errors="raise")
    df.attrs["source"] = str(path)
    return df


def concentration(crimes: pd.DataFrame, place: str, tops=(1, 5, 10)) -> pd.DataFrame:
    """Share of incidents in the top p% of places, for ASB and for all other crime separately.

    Places are those with at least one incident of that kind in the file, ranked by count;
    records with no location are left out and counted in `unlocated`.
    """
    keys = PLACES[place]
    rows = []
    for label, subset in (("Crime", crimes[crimes["Crime type"] != ASB]), (ASB, crimes[crimes["Crime type"] == ASB])):
        located = subset.dropna(subset=keys)
        counts = located.groupby(keys).size().sort_values(ascending=False).to_numpy()
        for top in tops:
            n_places = max(1, int(np.ceil(len(counts) * top / 100)))
            rows.append({"incidents": label, "place": place, "top_pct": top, "places": n_places,
                         "of_places": len(counts), "share_pct": 100 * counts[:n_places].sum() / counts.sum(),
                         "located": int(counts.sum()), "unlocated": len(subset) - len(located)})
    return pd.DataFrame(rows)


def concentration_curve(crimes: pd.DataFrame, place: str) -> pd.DataFrame:
    """Cumulative % of incidents against cumulative % of places, busiest places first."""
    keys = PLACES[place]
    parts = []
    for label, subset in (("Crime", crimes[crimes["Crime type"] != ASB]), (ASB, crimes[crimes["Crime type"] == ASB])):
        counts = subset.dropna(subset=keys).groupby(keys).size().sort_values(ascending=False).to_numpy()
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
    counts = values.fillna(missing_label).value_counts()
    return pd.DataFrame({"category": counts.index, "count": counts.to_numpy(),
                         "share_pct": 100 * counts.to_numpy() / counts.sum()})

"""Where a force stands among all forces: its place, the median force, and rows setting it beside others."""

from __future__ import annotations

import pandas as pd

from analysis.sources import forces


def forces_only(values: pd.Series) -> pd.Series:
    """The values of the 43 forces (index pfa_code), missing ones dropped: national rows are never ranked."""
    return values[values.index.isin(forces.force_codes())].dropna()


def median_force(values: pd.Series) -> float:
    """The median of the forces' values (the typical force), which one very large force cannot pull as it
    pulls England and Wales: the City of London left out, as it is from every funnel's median (per resident its
    figures are off any scale, and the charts beside this figure leave it out)."""
    return float(forces_only(values).drop(index=forces.CITY_OF_LONDON, errors="ignore").median())


MEDIAN_FORCE = "Median force"
PEERS_MEDIAN = "Comparable forces (median)"  # as the force sections' charts name the line they draw


def comparison_rows(frame: pd.DataFrame, force_code: str, peer_codes: list[str]) -> pd.DataFrame:
    """Rows to set a force beside others: the force, England and Wales, the median force (of each column, over the
    forces but the City of London, as median_force), each comparable force, then their median (what a force section's
    chart draws for them). `frame` is indexed by pfa_code (forces and K04000001); the result has an `area` column
    first. A median row's text columns are empty: a median of words means nothing."""
    names = forces.registry().set_index("pfa_code")["name"]
    rows = [frame.loc[[force_code]].assign(area=names[force_code])]
    if forces.ENGLAND_AND_WALES in frame.index:
        rows.append(frame.loc[[forces.ENGLAND_AND_WALES]].assign(area="England and Wales"))
    rows.append(_median_row(frame[frame.index.isin(forces.force_codes()) & (frame.index != forces.CITY_OF_LONDON)],
                            MEDIAN_FORCE))
    peers = [c for c in peer_codes if c in frame.index]
    rows += [frame.loc[[c]].assign(area=f"Comparable: {names[c]}") for c in peers]
    if peers:
        rows.append(_median_row(frame.loc[peers], PEERS_MEDIAN))
    out = pd.concat(rows, ignore_index=True)
    return out[["area", *[c for c in frame.columns if c != "area"]]]


def _median_row(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    numbers = frame.median(numeric_only=True)
    return pd.DataFrame([{c: numbers.get(c, "") for c in frame.columns if c != "area"} | {"area": area}])

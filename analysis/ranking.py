"""Where a force stands among all forces: its rank, the median force, and each comparable force's own value."""

from __future__ import annotations

import pandas as pd

from analysis import forces
from analysis.numbers import fmt_number, format_spec


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def forces_only(values: pd.Series) -> pd.Series:
    """The values of the 43 forces (index pfa_code), missing ones dropped: national rows are never ranked."""
    return values[values.index.isin(forces.force_codes())].dropna()


def rank_sentence(values: pd.Series, force_code: str, *, what: str, fmt: str = "{:.1f}") -> str:
    """"Kent Police is 12th highest of 43 forces (257)": the force's place among the forces with a value
    (ties share the higher place); if the force has no value, says so."""
    name = forces.get(force_code).name
    ranked = forces_only(values)
    if force_code not in ranked.index:
        return f"{name} has no published figure for {what}"
    place = int((ranked > ranked[force_code]).sum()) + 1
    return (f"{name} is {ordinal(place)} highest of {len(ranked)} forces for {what} "
            f"({fmt_number(ranked[force_code], *format_spec(fmt))})")


def median_force(values: pd.Series) -> float:
    """The median of the forces' values (the typical force), which one very large force cannot pull as it
    pulls England and Wales."""
    return float(forces_only(values).median())


def rank_figures(key: str, values: pd.Series, highlight: str | None, *, what: str, datasets: list[str],
                 fmt: str = "{:.1f}") -> list:
    """The glued sentence under a national chart in a force's edition ("Kent Police is 5th highest of 40 forces
    for …"); nothing in the national book."""
    from analysis.figures import Figure

    if not highlight:
        return []
    code = forces.resolve(highlight).code
    return [Figure(key, rank_sentence(values, code, what=what, fmt=fmt), "sentence", datasets)]


def comparison_rows(frame: pd.DataFrame, force_code: str, peer_codes: list[str]) -> pd.DataFrame:
    """Rows to set a force beside others: the force, England and Wales, the median force (of each column, over the
    forces), then each comparable force. `frame` is indexed by pfa_code (forces and K04000001); the result has an
    `area` column first."""
    names = forces.registry().set_index("pfa_code")["name"]
    rows = [frame.loc[[force_code]].assign(area=names[force_code])]
    if forces.ENGLAND_AND_WALES in frame.index:
        rows.append(frame.loc[[forces.ENGLAND_AND_WALES]].assign(area="England and Wales"))
    median = frame[frame.index.isin(forces.force_codes())].median(numeric_only=True).to_frame().T
    rows.append(median.assign(area="Median force"))
    rows += [frame.loc[[c]].assign(area=f"Comparable: {names[c]}") for c in peer_codes if c in frame.index]
    out = pd.concat(rows, ignore_index=True)
    return out[["area", *[c for c in frame.columns if c != "area"]]]

"""Many tests at once: p-values adjusted across a family (Holm for a handful of groups, Benjamini-Hochberg across
forces) with statsmodels, so that one in twenty chance differences is not reported as a finding."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

from analysis import config

HOLM, FDR = "holm", "fdr_bh"
NAMES = {HOLM: "Holm's correction", FDR: "the Benjamini-Hochberg correction"}


def adjusted(p_values, method: str) -> np.ndarray:
    """The family's adjusted p-values (NaN stays NaN and is not counted in the family)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        out[tested] = multipletests(p[tested], alpha=1 - config.CONFIDENCE_LEVEL, method=method)[1]
    return out


def significant(p_values, method: str) -> np.ndarray:
    """Which tests of the family are significant at the book's level once the family is controlled."""
    return adjusted(p_values, method) < 1 - config.CONFIDENCE_LEVEL


def rests_on_correction(p_values, method: str) -> np.ndarray:
    """Which tests of the family are significant at the book's level before the correction but not after it: the
    verdicts a page must say rest on the correction."""
    p = np.asarray(p_values, dtype=float)
    return (p < 1 - config.CONFIDENCE_LEVEL) & ~significant(p, method)


def before_correction(p_value: float, method: str, family: int, members: str, after: float | None = None) -> str:
    """How a verdict that rests on the family's correction says so, naming it and the p-value before it (and the
    adjusted one after it, where given): "after Holm's correction across 14 groups (p = 0.022 before it)"."""
    return (f"after {NAMES[method]} across {family} {members} (p = {_p(p_value)} before it"
            + (f", {_p(after)} after)" if after is not None else ")"))


def _p(p_value: float) -> str:
    """A p-value to two significant figures, so a reader can check it against the level ("0.0013", not "0.001"), and
    to more where two would round a significant one up to the level (0.0497 would read "0.050")."""
    level = round(1 - config.CONFIDENCE_LEVEL, 9)  # 0.05, not 0.05000000000000004
    for digits in (2, 3, 4):
        shown = f"{p_value:.{digits}g}"
        if (float(shown) >= level) == (p_value >= level):
            return shown
    return shown

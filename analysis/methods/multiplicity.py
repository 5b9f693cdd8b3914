"""Many tests at once: p-values adjusted across a family (Holm for a handful of groups, Benjamini-Hochberg across
forces) with statsmodels, so that one in twenty chance differences is not reported as a finding."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

from analysis import config

HOLM, FDR = "holm", "fdr_bh"
NAMES = {HOLM: "Holm's correction", FDR: "the Benjamini-Hochberg false discovery rate"}


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

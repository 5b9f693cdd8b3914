"""Whether each force's rate or ratio changed between two periods, allowing for how much more the forces' changes vary
than chance alone (overdispersion), with the false discovery rate controlled across forces."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis import config
from analysis.methods import funnel, multiplicity

# Below this many forces, the spread of their changes cannot be estimated (the funnels' winsorising needs a tail).
MIN_UNITS = 10
# The mean squared winsorised z-score of normal noise alone (about 0.68, not 1): dividing the funnels' phi by it makes
# the spread's estimate right on average for normal changes, as 1.4826 does a median absolute deviation. Without it the
# between-force variance comes out about a third too small, and changes within the forces' usual spread are flagged.
WINSORISED_NORMAL = float(sps.norm.expect(lambda z: np.clip(z, *sps.norm.ppf(funnel.WINSOR)) ** 2))


def log_change_of_rates(count_now, exposure_now, count_then, exposure_then) -> pd.DataFrame:
    """Each unit's change of a rate between two periods on the log scale, log(rate now / rate then), and its Poisson
    standard error sqrt(1/count now + 1/count then) (half an event added to both counts where either is zero)."""
    counts = [np.asarray(c, dtype=float) for c in (count_now, count_then)]
    exposures = [np.asarray(e, dtype=float) for e in (exposure_now, exposure_then)]
    zero = (counts[0] == 0) | (counts[1] == 0)
    now, then = (np.where(zero, c + 0.5, c) for c in counts)
    return pd.DataFrame({"log_change": np.log(now / exposures[0]) - np.log(then / exposures[1]),
                         "se": np.sqrt(1 / now + 1 / then)})


def log_change_of_ratios(now, low_now, high_now, then, low_then, high_then,
                         level: float = config.CONFIDENCE_LEVEL) -> pd.DataFrame:
    """Each unit's change of a ratio between two periods on the log scale, log(ratio now / ratio then), and its
    standard error from the two intervals at `level` (each half-width on the log scale over z)."""
    z = sps.norm.ppf(0.5 + level / 2)
    se = [(np.log(np.asarray(h, dtype=float)) - np.log(np.asarray(lo, dtype=float))) / (2 * z)
          for lo, h in ((low_now, high_now), (low_then, high_then))]
    return pd.DataFrame({"log_change": np.log(np.asarray(now, dtype=float)) - np.log(np.asarray(then, dtype=float)),
                         "se": np.sqrt(se[0] ** 2 + se[1] ** 2)})


def overdispersed_changes(log_change, se) -> tuple[pd.DataFrame, dict]:
    """Each unit's change tested against no change, allowing for the spread of the units' changes beyond chance.

    The spread is estimated as the funnels' (methods/funnel, Spiegelhalter 2005): the units' changes as z-scores
    around the median unit's change (so no one large force sets the centre), winsorised at 10% and 90% so the few
    largest changes do not set it, give phi (here divided by WINSORISED_NORMAL, so it is 1 for chance alone) and the
    additive between-unit variance tau^2 on the log scale. Each unit's change is then tested against none with its
    standard error widened to sqrt(se^2 + tau^2): a change no bigger than the forces' changes vary by is not a
    finding, however many events lie behind it (a plain Poisson test of thousands of searches calls almost any change
    significant). tau^2 is added, not a multiple of each se, so a large force's small change is not made significant
    by its size alone. Significance is at the book's level with the Benjamini-Hochberg false discovery rate across
    the units tested. A unit with a missing change is not tested and is left out of the spread and the family.

    Returns a row per unit (log_change, se, se_overdispersed, z, p_value, significant) and the spread (phi, tau2,
    units, centre: the median change on the log scale)."""
    frame = pd.DataFrame({"log_change": np.asarray(log_change, dtype=float), "se": np.asarray(se, dtype=float)})
    tested = frame["log_change"].notna() & frame["se"].notna() & np.isfinite(frame["log_change"])
    units = frame[tested]
    if len(units) < MIN_UNITS:
        raise ValueError(f"a change test across forces needs at least {MIN_UNITS} units with a change to estimate "
                         f"their spread; got {len(units)}")
    centre = float(units["log_change"].median())
    # Winsorising scales with the z-scores: dividing them by sqrt(WINSORISED_NORMAL) divides phi by WINSORISED_NORMAL.
    z = (units["log_change"] - centre) / units["se"] / np.sqrt(WINSORISED_NORMAL)
    spread = funnel.overdispersion(z, units["se"]) | {"centre": centre}
    spread["tau2"] = float(spread["tau2"])
    frame["se_overdispersed"] = np.sqrt(frame["se"] ** 2 + spread["tau2"]).where(tested)
    frame["z"] = (frame["log_change"] / frame["se_overdispersed"]).where(tested)
    frame["p_value"] = 2 * sps.norm.sf(frame["z"].abs())
    frame["significant"] = multiplicity.significant(frame["p_value"], multiplicity.FDR)
    return frame, spread

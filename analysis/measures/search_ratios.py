"""Search rate ratios by ethnic group for every area and year, on both denominators, computed once per data version."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.methods import disproportionality
from analysis.sources import cache, forces


@cache.on_disk
def _ratio_numbers() -> pd.DataFrame:
    # About 3,400 score intervals, shared by every kernel and edition through the disk cache (keyed on the code,
    # data, settings and library versions it depends on).
    return disproportionality.ratios_on_both_denominators(
        disproportionality.rate_ratios(disproportionality.search_rates_by_group()),
        disproportionality.rate_ratios(disproportionality.search_rates_interpolated()))


@cache.in_memory
def rate_ratio_table() -> pd.DataFrame:
    """Black, Asian and Mixed to White search rate ratios for every area and year: on the 2011 Census (rate_ratio,
    ci_low, ci_high, label: the Home Office's method, the official figure) and on residents interpolated between the
    censuses (the same ending _interpolated: the book's figure), with the range between them and whether it is wider
    than the interval (ratios_on_both_denominators); callers never modify it."""
    ratios = _ratio_numbers()
    return ratios.assign(force=forces.area_names(ratios["pfa_code"]))


def hollow(ratios: pd.DataFrame) -> pd.Series:
    """Years drawn hollow and never joined by a line: before 2009/10, on a 2011 Census more than two years
    ahead, and years whose two denominators differ by more than the interval."""
    return (ratios["year_ending"] < config.CENSUS_2011_FITS[0]) | ratios["denominator_uncertain"]

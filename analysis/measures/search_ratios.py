"""Search rate ratios by ethnic group for every area and year, on both denominators, computed once per data version."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.methods import disproportionality, per_resident
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


# The centre every Black/White funnel is drawn around, and the comparator the measures table gives beside England and
# Wales: the Met makes over half of England and Wales's searches of Black people, so a total with it in is its own.
CENTRE_NAME = forces.NATIONAL_NAMES[forces.EW_EXCLUDING_MET]


def ratio_without_met(table: pd.DataFrame, black: str, black_people: str, white: str, white_people: str) -> float:
    """The Black/White ratio of England and Wales's searches and residents with the Met's taken out (`table` has
    England and Wales's and the Met's rows by pfa_code, the counts in the columns named)."""
    by = table.set_index("pfa_code")[[black, black_people, white, white_people]].astype(float)
    return (per_resident.rate_without_met(by[black], by[black_people])
            / per_resident.rate_without_met(by[white], by[white_people]))

"""The outcome test, computed once: Black against White arrest rates after a search, force by force, the forces' tests
one family (Benjamini-Hochberg), so chapter 5 and the measures table give each force the same verdict."""

from __future__ import annotations

import pandas as pd

from analysis.methods import disproportionality, multiplicity, stats
from analysis.sources import cache, forces
from analysis.sources import stop_search as ss

COMPARED = (stats.HIGHER, stats.LOWER, stats.SIMILAR)


@cache.in_memory
def arrest_rates() -> pd.DataFrame:
    """Arrest rates for every force, England and Wales, and England and Wales excluding the Met."""
    cols = ["searches", "searches_arrest_known", "arrests"]
    return disproportionality.arrest_rate_table(
        forces.add_england_and_wales(ss.load_searches(), ["year_ending", "group"], cols, without_met=True))


def newest_year() -> int:
    """The newest year ending March the arrest counts give."""
    return int(arrest_rates()["year_ending"].max())


@cache.in_memory
def outcome_test(year: int | None = None) -> pd.DataFrame:
    """Every area's Black minus White arrest rate after a search in one year (default the newest), in percentage
    points with its Newcombe interval (methods/disproportionality.compare_arrest_rates), or why it is not compared;
    for the forces compared, `corrected`: the verdict once their tests are controlled together (the
    Benjamini-Hochberg false discovery rate) and `unadjusted` the verdict before; None for any other row."""
    rates = arrest_rates()
    table = disproportionality.compare_arrest_rates(rates[rates["year_ending"] == (year or newest_year())])
    compared = table["pfa_code"].isin(forces.force_codes()) & table["comparison"].isin(COMPARED)
    significant = pd.Series(multiplicity.significant(table.loc[compared, "p_value"], multiplicity.FDR),
                            index=table.index[compared]).reindex(table.index, fill_value=False)
    table["unadjusted"] = table["comparison"].where(compared, None)
    table["corrected"] = table["comparison"].where(significant, stats.SIMILAR).where(compared, None)
    return table

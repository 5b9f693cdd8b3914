"""Stop and search and the 2011 Census: blank arrest counts kept apart from zeros, impossible rows caught, the
census denominators complete."""

from __future__ import annotations

import pandas as pd

from analysis.sources import census
from analysis.sources import stop_search as ss


def _rows(*rows):
    return pd.DataFrame(rows, columns=["pfa_code", "year_ending", "group", "searches", "resultant_arrests"])


def test_population_covers_43_forces_and_five_groups():
    pop = census.census2011_by_ethnicity()
    assert pop["pfa_code"].nunique() == 43 and set(pop["group"]) == set(ss.GROUPS.values())
    assert pop["population"].sum() == 56_075_912  # the 2011 Census total for England and Wales


def test_rows_with_more_arrests_than_searches_are_caught_and_never_used():
    raw = _rows(("E23000032", 2019, "White", 1.0, 5.0), ("E23000032", 2019, "White", 10.0, 2.0))
    totals = ss.summarise(raw).iloc[0]
    assert (totals["searches"], totals["searches_arrest_known"], totals["arrests"]) == (11, 10, 2)
    over = ss.arrests_over_searches()
    assert len(over) == 693 and (over["resultant_arrests"] > over["searches"]).all()
    published = ss.load_searches()
    assert (published["arrests"] <= published["searches_arrest_known"]).all()
    assert (published["searches_arrest_known"] <= published["searches"]).all()

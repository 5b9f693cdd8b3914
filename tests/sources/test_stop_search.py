"""Stop and search and the 2011 Census: blank arrest counts kept apart from zeros, impossible rows caught, the
census denominators complete."""

from __future__ import annotations

import pandas as pd

from analysis.sources import census
from analysis.sources.files import locate
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


def test_the_open_data_s_2018_19_total_is_the_home_office_s_published_count_of_all_searches():
    """Like with like (issue 35): the open data's 2018/19 searches are the count the Home Office publishes for every
    power it collects (its year ending March 2019 release: 370,454 under section 1 PACE and associated powers and
    13,175 under section 60, with British Transport Police; none under section 47A), the count its table SS_20 gives
    for 2024/25, so the two years are one series."""
    raw = pd.read_csv(locate(ss.SEARCH_FILE), low_memory=False)  # as published: British Transport Police kept
    year = raw[raw["year_ending"].str.startswith("2019")]
    by_power = year.groupby("legislation")["searches"].sum()
    assert by_power.to_dict() == {"Section 1 (PACE)": 370_454, "Section 44/47a (TACT)": 0, "Section 60 (CJPOA)": 13_175}
    # Searches of vehicles alone are among them, as in the Home Office's count.
    assert year.loc[year["ethnic_group_self_defined"] == "Vehicle only", "searches"].sum() > 0

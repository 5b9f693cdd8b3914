"""The statistical corrections (issue 13): census windows, like-for-like comparisons, provisional and disputed
headline figures, and IOPC's own notes on the deaths series."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.chapters import at_a_glance as glance
from analysis.chapters import c01_trust_and_confidence as c01
from analysis.chapters import c02_neighbourhood_policing as c02
from analysis.chapters import c03_procedural_justice as c03
from analysis.chapters import c06_police_wrongdoing as c06
from analysis.chapters import common
from analysis.measures import force_series
from analysis.methods import disproportionality, funnel, per_resident, ranking
from analysis.sources import csew, forces, iopc, population


def figures(section) -> dict:
    return {f.key: f.value for f in section.figures}


def test_years_far_from_the_2011_census_are_flagged():
    years = pd.Series(range(2007, 2020))
    flagged = dict(zip(years, disproportionality.far_from_census(years)))
    assert [y for y, f in flagged.items() if not f] == [2010, 2011, 2012, 2013, 2014]
    spec = json.dumps(c03.disproportionality_trend().chart.to_dict())
    assert "datum.flagged" in spec


def test_the_2022_23_ratio_is_never_joined_to_the_2011_series():
    table = c03.rate_ratio_table()
    assert table["year_ending"].max() == 2019
    section = c03.force_section("kent")
    years = section.table.frame["Year"].tolist()
    assert years[-2:] == ["2022/23", "2024/25"]
    assert section.table.frame["Built from"].iloc[-2:].str.endswith("Census 2021").all()
    # Issue 35: drawn, but apart: the Census 2021 years share no line with the years before (nor each other, a year
    # between them missing).
    spec = section.chart.to_dict()
    drawn = pd.DataFrame(next(d for d in spec["datasets"].values() if d and "pfa_code" in d[0]))
    later = drawn[drawn["year_ending"] > 2019]
    assert len(later) == 4 and not later["segment"].isin(drawn.loc[drawn["year_ending"] <= 2019, "segment"]).any()
    assert later["segment"].is_unique


def test_england_and_wales_without_the_met_the_median_force_and_bounds_for_unstated_ethnicity():
    values = figures(c03.disproportionality_by_force())
    assert values["ss_bw_excl_met"] < values["ss_bw_median_force"] < values["ss_bw_national"]
    assert values["ss_forces_below_national"] == 36 and values["ss_met_share_black"] > 75  # interpolated residents
    assert values["ss_bw_bound_low"] < values["ss_bw_national"] < values["ss_bw_bound_high"]


def test_unstated_bounds_by_hand():
    searches = pd.DataFrame({"pfa_code": ["E23000032"] * 3, "year_ending": [2019] * 3,
                             "group": ["Black", "White", "Not stated"], "searches": [50, 100, 50]})
    people = pd.DataFrame({"pfa_code": ["E23000032"] * 2, "group": ["Black", "White"], "population": [10_000, 100_000]})
    b = disproportionality.unstated_bounds(searches, people, "E23000032", 2019)
    assert b["ratio"] == pytest.approx(5.0) and b["low"] == pytest.approx(5.0 * 100 / 150)
    assert b["high"] == pytest.approx(10.0) and b["not_stated"] == 50  # (50 + 50) / 10,000 over 100 / 100,000


def test_deaths_are_compared_as_rates_per_million_residents_a_year():
    table = per_resident.deaths_by_force().set_index("pfa_code")
    kent = table.loc["E23000032"]
    years = sorted(iopc.by_force()["year_ending"].unique() - 1)
    person_years = sum(population.for_year(y)["E23000032"] for y in years)
    assert kent["person_years"] == person_years
    assert kent["per_million"] == pytest.approx(1e6 * kent["fatalities"] / person_years)
    assert kent["ci_low"] < kent["per_million"] < kent["ci_high"]
    assert float(kent["fatalities"]).is_integer()
    values = figures(c06.force_counts())
    assert values["deaths_national_rate"] == pytest.approx(per_resident.national_death_rate())


def test_peers_are_shown_one_by_one_and_drawn_as_their_median_never_averaged():
    section = glance.at_a_glance(forces.resolve("cumbria"))
    peers = glance.peer_table(section).frame
    assert len(peers.columns) == 2 + 6 and "Comparable forces (average)" not in str(peers)
    workforce = c02.force_section("cumbria")
    # The table gives the comparable forces' median the chart draws, beside the median force (issue 35).
    assert {"Median force", c02.PEERS_MEDIAN} <= set(workforce.table.frame["Area"])
    assert c02.PEERS_MEDIAN in json.dumps(workforce.chart.to_dict())


def test_a_force_is_set_beside_the_median_force_never_ranked():
    values = pd.Series({"E23000032": 5.4, "E23000002": 9.0, "E23000001": 1.0, forces.ENGLAND_AND_WALES: 100.0})
    assert ranking.median_force(values) == 5.4  # England and Wales is no force
    figure, = common.median_figures("k", values, "kent", what="x", datasets=["a/b"])
    assert figure.value == "Kent Police: 5 x, against 5 in the median force (about the same)"
    assert common.median_sentence("Kent Police", 215.5, 200.1, what="x") == \
        "Kent Police: 215.5 x, against 200.1 in the median force (15.4 above)"
    assert common.median_sentence("Kent Police", 190.0, 200.0, what="x").endswith("(10 below)")
    assert common.median_figures("k", values, None, what="x", datasets=["a/b"]) == []
    # The City of London's figure per resident is given, never its gap to the median force (review 6, R7).
    city, = common.median_figures("k", pd.concat([values, pd.Series({forces.CITY_OF_LONDON: 7462.0})]),
                                  "city-of-london", what="x", datasets=["a/b"])
    assert city.value == f"City of London Police: 7,462 x, {funnel.CITY_NOT_COMPARED}"


def test_a_disputed_peak_is_a_range_and_single_source_values_are_provisional():
    values = figures(c01.national_trend())
    assert values["conf_peak"] == "about 78 to 79" and values["conf_peak_year"] == "2015/16"
    assert values["conf_latest_year"].endswith("(third-party extract only)")
    assert values["trust_first_year"].endswith("(third-party extract only)") and values["provisional_years"] == "2025/26"
    assert not values["conf_first_year"].endswith("(third-party extract only)")
    series = csew.load_national_series()
    flags = csew.provisional(series[series["measure"] == "trust_police_in_area"], csew.load_headlines())
    assert flags.all()


def test_iopc_footnotes_explain_the_rise_in_other_deaths():
    notes = iopc.year_notes("Other deaths following contact").set_index("year_ending")["note"]
    assert set(notes.index) == {2011, 2016}
    assert "independent investigations" in notes[2016] and "definition" in notes[2011].lower()
    assert iopc.year_notes("Fatal police shootings").empty


def test_ratios_between_the_censuses_sit_beside_the_official_ones_and_hollow_years_join_nothing():
    table = c03.rate_ratio_table()
    kent = table[(table["pfa_code"] == "E23000032") & (table["group"] == "Black")].set_index("year_ending")
    # The at-a-glance page reads the official columns; the book's figure is the interpolated one.
    assert kent.at[2019, "rate_ratio"] == pytest.approx(11.5, abs=0.05)
    assert kent.at[2019, "rate_ratio_interpolated"] == pytest.approx(5.5, abs=0.05)
    assert kent.at[2019, "denominator_uncertain"] and not kent.at[2011, "denominator_uncertain"]
    assert kent.at[2010, "rate_ratio"] == kent.at[2010, "rate_ratio_interpolated"]  # before 2011: one census
    # The chart's data: its largest dataset (the chart's download), not a layer's subset like the lone years' bars.
    plot = pd.DataFrame(max(c03.disproportionality_trend().chart.to_dict()["datasets"].values(), key=len))
    hollow = plot[plot["flagged"]]
    assert hollow["segment"].is_unique and plot["segment"].isin(hollow["segment"]).sum() == len(hollow)
    solid = plot[~plot["flagged"] & (plot["series"] == "Black/White")]
    assert solid["year_ending"].tolist() == [2010, 2011] and solid["segment"].nunique() == 1
    assert "Black/White, 2011 Census (official)" in set(plot["series"])


def test_confidence_and_rating_are_described_within_each_side_of_the_2011_12_break_and_trust_says_its_wording():
    values = figures(c01.national_trend())
    # Issue 21 quoted "from 47% in 2003/04 to a peak of 63% in 2015/16", across the questionnaire change.
    assert (values["rating_before_first_year"], values["rating_before_latest_year"]) == ("2003/04", "2010/11")
    assert values["rating_first_year"] == values["conf_first_year"] == "2011/12"
    assert values["rating_before_first"] == pytest.approx(47.4) and values["rating_peak_year"] == "2015/16"
    assert "was not seen" in values["trust_wording"]
    assert "was not seen" in c01.national_trend().chart.to_dict()["description"]


def test_the_pas_fall_has_an_approximate_interval_from_the_published_sample_and_tied_boroughs_are_named():
    values = figures(c01.london_spread())
    # Issue 21: the 67 -> 47 fall was called untestable, and the lowest and highest boroughs are each tied.
    assert (values["pas_first"], values["pas_latest"], values["pas_interviews"]) == (67, 47, 12_800)
    assert values["pas_fall_low"] < values["pas_fall"] < values["pas_fall_high"]
    assert values["pas_fall"] == pytest.approx(20)
    # Over both figures' rounding (2 points) and sampling with the assumed design effect of 1.5.
    assert values["pas_design_effect"] == 1.5
    assert values["pas_fall_high"] - values["pas_fall_low"] == pytest.approx(4.9, abs=0.1)
    assert values["pas_low_borough"] == "Croydon (tied with Waltham Forest)"
    assert values["pas_high_borough"] == "Harrow (tied with Kensington and Chelsea)"


def test_the_authorities_left_out_of_the_deaths_by_force_are_named_once_each_as_a_reader_knows_them():
    dropped, = [f.value for f in c06.force_counts().figures if f.key == "deaths_force_dropped"]
    assert dropped.startswith("British Transport Police, HM Revenue and Customs, the Home Office")
    assert dropped.count("British Transport") == 1 and dropped.count("Serious Organised Crime Agency") == 1
    assert "SOCA" not in dropped and ", and" not in dropped


def test_the_national_ratio_trend_reaches_the_newest_year_each_newer_point_on_its_own():
    # Review 11: chapter 3's England and Wales trend stopped at 2018/19 though the book holds 2022/23 and 2024/25.
    spec = c03.disproportionality_trend().chart.to_dict()
    drawn = max(spec["datasets"].values(), key=len)  # every line's rows (a lone point's bar has a dataset too)
    rows = [r for r in drawn if r.get("series") == c03.NEWER_SERIES]
    assert sorted(r["year_ending"] for r in rows) == [2023, 2025]
    assert len({r["segment"] for r in rows}) == 2  # joined to nothing: another denominator, a year missing between
    newest = force_series.for_areas("bw_search_ratio", [forces.ENGLAND_AND_WALES]).set_index("year_ending")
    for r in rows:
        assert r["value"] == pytest.approx(newest.at[r["year_ending"], "value"], rel=1e-5)
    assert spec["title"]["text"][-1].endswith("2024/25")

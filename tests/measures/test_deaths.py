"""Deaths by type for each force: the same deaths as the force's yearly series, split by IOPC's type, each count with
its exact interval, and the force section's table showing them."""

from __future__ import annotations

import pytest

from analysis.chapters import c06_police_wrongdoing as c06
from analysis.measures import deaths
from analysis.measures import force_series as fs
from analysis.methods import stats
from analysis.sources import forces, iopc

KENT = "E23000032"


def test_each_force_s_deaths_by_type_sum_to_its_yearly_series():
    by_type = deaths.by_type()
    series = fs.for_areas("deaths_count")
    totals = by_type.groupby("pfa_code")["fatalities"].sum()
    yearly = series.groupby("force_code")["value"].sum()
    assert set(totals.index) == set(yearly.index) == forces.force_codes()
    assert totals.sort_index().tolist() == yearly.sort_index().tolist()
    assert set(by_type["type"]) <= set(iopc.by_force()["type"])
    assert not by_type.duplicated(["pfa_code", "type"]).any()


def test_each_count_has_its_exact_interval_and_the_force_s_span():
    kent = deaths.for_force(KENT)
    low, high = stats.poisson_count_ci(kent["fatalities"])
    assert kent["ci_low"].tolist() == pytest.approx(list(low)) and kent["ci_high"].tolist() == pytest.approx(list(high))
    assert (kent["ci_low"] <= kent["fatalities"]).all() and (kent["fatalities"] <= kent["ci_high"]).all()
    years = fs.for_areas("deaths_count", [KENT])["period"]
    assert kent["period"].unique().tolist() == [f"{years.iloc[0]} to {years.iloc[-1]}"]
    assert kent["type"].tolist() == sorted(kent["type"])


def test_the_force_section_table_shows_the_measures_rows():
    kent = deaths.for_force(KENT)
    table = c06.force_section("kent").table
    assert table.frame["Type of death"].tolist() == kent["type"].tolist()
    assert table.frame["Deaths"].tolist() == [f"{n:,}" for n in kent["fatalities"]]
    assert kent["period"].iloc[0] in table.html

"""police.uk measures: concentration of crime across places, outcome shares, monthly shares with intervals."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.methods import policeuk_measures as measures
from analysis.methods import stats
from analysis.sources import policeuk
from tests.fixtures.make_policeuk import write_folder


@pytest.fixture(scope="module")
def kent(tmp_path_factory):
    return write_folder(tmp_path_factory.mktemp("kent"), months=3, street_rows=600, lsoas=60)


def toy_crimes() -> pd.DataFrame:
    # Ten crimes: LSOA A has 6, B has 3, C has 1; plus two ASB in D and one crime with no location.
    lsoas = ["A"] * 6 + ["B"] * 3 + ["C"] + [None]
    rows = [{"LSOA code": l, "Crime type": "Burglary", "Longitude": 0.0 if l else None,
             "Latitude": 0.0 if l else None, "Location": l} for l in lsoas]
    rows += [{"LSOA code": "D", "Crime type": policeuk.ASB, "Longitude": 1.0, "Latitude": 1.0, "Location": "D"}] * 2
    return pd.DataFrame(rows)


def test_concentration_shares_on_a_toy_frame():
    out = measures.concentration(toy_crimes(), "LSOA", tops=(10, 34, 100))
    crime = out[out["incidents"] == "Crime"].set_index("top_pct")
    # 3 places: the top 10% rounds up to 1 place (A: 6 of 10), 34% to 2 places (A+B: 9 of 10).
    assert crime["places"].tolist() == [1, 2, 3]
    assert crime["share_pct"].tolist() == pytest.approx([60.0, 90.0, 100.0])
    assert set(crime["unlocated"]) == {1} and set(crime["located"]) == {10}
    asb = out[out["incidents"] == policeuk.ASB]
    assert asb["share_pct"].tolist() == pytest.approx([100.0, 100.0, 100.0])


def test_concentration_curve_runs_from_zero_to_all():
    curve = measures.concentration_curve(toy_crimes(), "LSOA")
    crime = curve[curve["series"] == "Crime, by LSOA"]
    assert crime["places_pct"].tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert crime["incidents_pct"].tolist() == pytest.approx([0, 60, 90, 100])


def test_distribution_keeps_missing_values_as_their_own_category():
    out = measures.distribution(pd.Series(["a", "a", None, "b"]), "not recorded")
    assert out.set_index("category")["count"].to_dict() == {"a": 2, "not recorded": 1, "b": 1}
    assert measures.share_of(pd.Series(["a", "a", None, "b"]), "a") == pytest.approx(200 / 3)


def test_monthly_shares_have_wilson_intervals(kent):
    outcomes = policeuk.load_folder(kent, "outcomes", "kent")
    monthly = measures.monthly_share(outcomes, "Outcome type", policeuk.NO_SUSPECT)
    april = outcomes[outcomes["Month"] == "2024-04"]
    count = int((april["Outcome type"] == policeuk.NO_SUSPECT).sum())
    low, high = stats.wilson_ci(count, len(april))
    row = monthly.set_index("Month").loc["2024-04"]
    assert row["count"] == count and row["ci_low_pct"] == pytest.approx(100 * float(low))
    assert row["ci_high_pct"] == pytest.approx(100 * float(high))


def test_searches_with_no_outcome_are_missing_not_nfa(kent):
    searches = policeuk.load_folder(kent, "stop-and-search", "kent")
    monthly = measures.monthly_share(searches, "Outcome", policeuk.NFA)
    assert (monthly["not_recorded"] > 0).any()
    assert (monthly["of"] + monthly["not_recorded"]).sum() == len(searches)


def test_monthly_concentration_reuses_concentration(kent):
    crimes = policeuk.load_folder(kent, "street", "kent")
    monthly = measures.monthly_concentration(crimes).set_index("Month")
    may = measures.concentration(crimes[crimes["Month"] == "2024-05"], "LSOA", tops=(5,))
    assert monthly.at["2024-05", "share_pct"] == pytest.approx(may.loc[may["incidents"] == "Crime", "share_pct"].iloc[0])


def test_chance_alone_puts_more_than_one_percent_of_incidents_in_the_busiest_one_percent():
    # Issue 21: about 9 crimes an area in a month. Spread at one rate over 1,000 areas, the busiest 10 areas hold
    # about 2% of them (the top 1% of Poisson(9) counts are about 18 each), not 1%; the seeded simulation repeats.
    chance = measures.chance_share(9_000, 1_000, 10)
    assert 1.8 < chance < 2.1 and chance == measures.chance_share(9_000, 1_000, 10)
    assert measures.chance_share(9_000, 1_000, 1_000) == pytest.approx(100)


def test_concentration_says_how_much_is_beyond_chance():
    # 100 areas: one has 910 incidents, 99 have 1 each (1,009 in all); chance alone would give the top 1% about 1.8%.
    crimes = pd.DataFrame({"LSOA code": ["hot"] * 910 + [f"a{i}" for i in range(99)], "Crime type": "Burglary",
                           "Longitude": 0.0, "Latitude": 0.0, "Location": "x"})
    row = measures.concentration(crimes, "LSOA", tops=(1,)).set_index("incidents").loc["Crime"]
    assert row["share_pct"] == pytest.approx(100 * 910 / 1009)
    assert 1 < row["chance_share_pct"] < 5
    assert row["beyond_chance_pts"] == pytest.approx(row["share_pct"] - row["chance_share_pct"])


def test_chance_keeps_one_incident_in_every_place_counted():
    # Places are those with at least one incident: 5 incidents in 5 places can only be one each, by chance or not.
    assert measures.chance_share(5, 5, 1) == pytest.approx(20)

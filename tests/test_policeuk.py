"""police.uk loaders take any standard monthly file, refuse other formats, and measure concentration."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import policeuk
from analysis.schemas import SchemaError


def toy_crimes() -> pd.DataFrame:
    # Ten crimes: LSOA A has 6, B has 3, C has 1; plus two ASB in D and one crime with no location.
    lsoas = ["A"] * 6 + ["B"] * 3 + ["C"] + [None]
    rows = [{"LSOA code": l, "Crime type": "Burglary", "Longitude": 0.0 if l else None,
             "Latitude": 0.0 if l else None, "Location": l} for l in lsoas]
    rows += [{"LSOA code": "D", "Crime type": policeuk.ASB, "Longitude": 1.0, "Latitude": 1.0, "Location": "D"}] * 2
    return pd.DataFrame(rows)


def test_concentration_shares_on_a_toy_frame():
    out = policeuk.concentration(toy_crimes(), "LSOA", tops=(10, 34, 100))
    crime = out[out["incidents"] == "Crime"].set_index("top_pct")
    # 3 places: the top 10% rounds up to 1 place (A: 6 of 10), 34% to 2 places (A+B: 9 of 10).
    assert crime["places"].tolist() == [1, 2, 3]
    assert crime["share_pct"].tolist() == pytest.approx([60.0, 90.0, 100.0])
    assert set(crime["unlocated"]) == {1} and set(crime["located"]) == {10}
    asb = out[out["incidents"] == policeuk.ASB]
    assert asb["share_pct"].tolist() == pytest.approx([100.0, 100.0, 100.0])


def test_concentration_curve_runs_from_zero_to_all():
    curve = policeuk.concentration_curve(toy_crimes(), "LSOA")
    crime = curve[curve["series"] == "Crime, by LSOA"]
    assert crime["places_pct"].tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert crime["incidents_pct"].tolist() == pytest.approx([0, 60, 90, 100])


def test_real_street_file_loads():
    crimes = policeuk.load("street")
    assert len(crimes) == 4887 and crimes["Month"].eq("2023-03").all()


def test_any_force_file_of_the_standard_format_is_accepted(tmp_path):
    own = tmp_path / "2024-05-kent-street.csv"
    policeuk.load("street").head(50).assign(**{"Falls within": "Kent Police"}).to_csv(own, index=False)
    assert policeuk.load("street", own)["Falls within"].eq("Kent Police").all()


def test_a_file_of_another_format_is_refused_with_a_hint(tmp_path):
    with pytest.raises(SchemaError, match=r"not a police.uk 'street' file.*looks like a police.uk 'outcomes' file"):
        policeuk.load("street", policeuk.locate(policeuk.SAMPLE["outcomes"]))


def test_bad_month_names_the_row(tmp_path):
    own = tmp_path / "street.csv"
    policeuk.load("street").head(5).assign(Month=["2023-03"] * 4 + ["March 2023"]).to_csv(own, index=False)
    with pytest.raises(SchemaError, match=r"column 'Month' has 'March 2023' at row 4"):
        policeuk.load("street", own)


def test_distribution_keeps_missing_values_as_their_own_category():
    out = policeuk.distribution(pd.Series(["a", "a", None, "b"]), "not recorded")
    assert out.set_index("category")["count"].to_dict() == {"a": 2, "not recorded": 1, "b": 1}
    assert policeuk.share_of(pd.Series(["a", "a", None, "b"]), "a") == pytest.approx(200 / 3)

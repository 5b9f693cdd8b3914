"""Rows setting a force beside others: the median force and the comparable forces' median, text left empty."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.methods import ranking
from analysis.sources import forces

KENT, CUMBRIA, DURHAM, CLEVELAND = "E23000032", "E23000002", "E23000008", "E23000004"


def test_rows_give_the_median_force_and_the_comparable_forces_median():
    codes = sorted(forces.force_codes())
    frame = pd.DataFrame({"rate": [float(i) for i in range(len(codes))] + [500.0], "note": "text"},
                         index=pd.Index(codes + [forces.ENGLAND_AND_WALES], name="pfa_code"))
    frame.loc[forces.CITY_OF_LONDON, "rate"] = 10_000.0  # left out of the median force
    rows = ranking.comparison_rows(frame, KENT, [CUMBRIA, DURHAM, CLEVELAND]).set_index("area")
    assert list(rows.index[:3]) == ["Kent Police", "England and Wales", ranking.MEDIAN_FORCE]
    assert rows.index[-1] == ranking.PEERS_MEDIAN
    assert rows.at[ranking.PEERS_MEDIAN, "rate"] == pytest.approx(frame.loc[[CUMBRIA, DURHAM, CLEVELAND], "rate"].median())
    others = frame.drop(index=[forces.CITY_OF_LONDON, forces.ENGLAND_AND_WALES])
    assert rows.at[ranking.MEDIAN_FORCE, "rate"] == pytest.approx(others["rate"].median())
    assert rows.at[ranking.MEDIAN_FORCE, "note"] == rows.at[ranking.PEERS_MEDIAN, "note"] == ""
    assert ranking.PEERS_MEDIAN not in set(ranking.comparison_rows(frame, KENT, [])["area"])

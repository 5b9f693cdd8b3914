"""Comparable forces: context features only, robust scaling, plausible peers, the City of London apart, stability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.methods import comparable
from analysis.sources import forces

KENT, GMP, CITY = "E23000032", "E23000005", forces.CITY_OF_LONDON


def names(codes):
    reg = forces.registry().set_index("pfa_code")["short_name"]
    return {reg[c] for c in codes}


def test_every_force_but_the_city_has_six_distinct_others_and_the_city_none():
    table = comparable.comparable_forces()
    assert table.groupby("pfa_code").size().eq(comparable.N_COMPARABLE).all()
    assert not (table["pfa_code"] == table["comparable_code"]).any()
    assert set(table["pfa_code"]) == forces.force_codes() - {CITY}
    assert CITY not in set(table["comparable_code"])
    assert comparable.comparable_to("city-of-london") == []


def test_features_are_context_only_never_what_the_book_compares():
    labels = " ".join(label.lower() for label, _ in comparable.FEATURES.values())
    for word in ("officer", "pcso", "crime", "search", "arrest", "death", "workforce"):
        assert word not in labels
    table = comparable.features()
    assert list(table.index) == sorted(forces.force_codes()) and not table.isna().any().any()


def test_plausible_peers_for_kent_and_greater_manchester():
    kent = names(comparable.comparable_to(KENT))
    assert len(kent & {"Essex", "Hampshire and Isle of Wight", "Sussex", "Thames Valley"}) >= 2, kent
    gmp = names(comparable.comparable_to(GMP))
    assert len(gmp & {"West Midlands", "West Yorkshire", "Merseyside"}) >= 1, gmp


def test_robust_scaling_ignores_the_city_of_london():
    toy = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 1000.0]}, index=["w", "x", "y", "z", CITY])
    scores = comparable.robust_scores(toy)["a"]
    # Median 2.5 and IQR 1.5 of the four others; the extreme City value changes neither.
    assert scores["w"] == pytest.approx(-1.0) and scores["z"] == pytest.approx(1.0)
    assert CITY not in comparable.distances(comparable.robust_scores(toy)).index


def test_distances_skip_a_missing_feature():
    toy = pd.DataFrame({"a": [0.0, 1.0, 10.0, 2.0], "b": [0.0, 100.0, np.nan, 50.0]}, index=["x", "y", "z", "q"])
    d = comparable.distances(toy)
    assert d.loc["x", "x"] == 0 and d.loc["x", "y"] == pytest.approx(d.loc["y", "x"])
    assert not np.isnan(d.loc["x", "z"])


def test_stability_counts_peers_kept_when_each_feature_is_dropped():
    steady = comparable.stability()
    assert set(steady.index) == forces.force_codes() - {CITY}
    assert steady["fewest_kept"].between(0, comparable.N_COMPARABLE).all()
    assert (steady["mean_kept"] >= steady["fewest_kept"]).all()
    assert set(steady["weakest_drop"]) <= set(comparable.FEATURES)


def test_the_books_own_stability_is_kept_and_equals_a_fresh_count():
    kept = comparable.stability()
    kept.loc[kept.index[0], "fewest_kept"] = -1  # a caller's change stays its own
    pd.testing.assert_frame_equal(comparable.stability(), comparable.stability(comparable.features()))

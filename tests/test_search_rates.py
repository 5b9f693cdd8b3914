"""Published stop and search rates (YE March 2023): the loader, the Black/White ratio, rounding ranges, approximate intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fairness, forces, search_rates, stats, wider
from analysis.schemas import SchemaError


def test_rates_load_with_codes_and_missing_not_zero():
    rates = search_rates.load_rates()
    assert set(rates["pfa_code"]) == forces.force_codes() | {forces.ENGLAND_AND_WALES}
    assert len(rates) == 44 * len(search_rates.GROUPS)
    city = rates[rates["pfa_code"] == forces.CITY_OF_LONDON]
    assert city["rate"].isna().all()
    assert rates["rate"].isna().sum() == len(search_rates.GROUPS)  # only the City: BTP is not an area
    met = rates[rates["pfa_code"] == "E23000001"].set_index("group")["rate"]
    assert (met["Black"], met["White"]) == (32.8, 11.4)
    national = rates[rates["pfa_code"] == forces.ENGLAND_AND_WALES].set_index("group")["rate"]
    assert (national["Black"], national["White"]) == (24.5, 5.9)  # the row including BTP


def test_national_counts():
    national = search_rates.load_national().set_index("group")
    assert national.at["Black", "searches"] == 58_988 and national.at["White", "searches"] == 289_109
    assert national.at["All", "searches"] == 529_474 and np.isnan(national.at["Unknown", "rate"])


def test_black_white_ratio_and_the_range_the_rounding_allows():
    ratios = search_rates.black_white_ratios(search_rates.load_rates()).set_index("pfa_code")
    dorset = ratios.loc["E23000039"]
    assert dorset["ratio"] == pytest.approx(26.0 / 1.9)
    assert dorset["rounding_low"] == pytest.approx(25.95 / 1.95)
    assert dorset["rounding_high"] == pytest.approx(26.05 / 1.85)
    assert ratios.at[forces.ENGLAND_AND_WALES, "force"] == "England and Wales"
    city = ratios.loc[forces.CITY_OF_LONDON]
    assert np.isnan(city["ratio"]) and city["note"] == search_rates.NOT_PUBLISHED
    quoted = ratios.dropna(subset=["ratio"])
    assert len(quoted) == 43
    assert (quoted["rounding_low"] <= quoted["ratio"]).all() and (quoted["ratio"] <= quoted["rounding_high"]).all()


def test_a_white_rate_that_rounds_to_zero_leaves_the_range_open():
    rates = pd.DataFrame({"pfa_code": ["E23000001"] * 2, "group": ["Black", "White"], "rate": [0.4, 0.0]})
    row = search_rates.black_white_ratios(rates).iloc[0]
    # No ratio can be given, but the true one is at least 0.35/0.05 = 7.
    assert np.isnan(row["ratio"]) and row["rounding_high"] == np.inf and row["rounding_low"] == pytest.approx(7.0)


SMALL_POPULATIONS = pd.DataFrame({
    "pfa_code": ["E23000001", "E23000001", "E23000039", "E23000039", forces.ENGLAND_AND_WALES,
                 forces.ENGLAND_AND_WALES],
    "group": ["Black", "White", "Black", "White", "Black", "White"],
    # Census 2021 E&W totals (from the dataset's PROVENANCE); the force figures are made up for the test.
    "population": [1_000_000, 4_000_000, 100, 600_000, 2_409_283, 48_699_231],
})


def test_approximate_interval_on_a_small_frame():
    ratios = search_rates.black_white_ratios(search_rates.load_rates())
    out = search_rates.approximate_intervals(ratios, SMALL_POPULATIONS, search_rates.load_national())
    out = out.set_index("pfa_code")
    met = out.loc["E23000001"]
    assert (met["black_searches"], met["white_searches"]) == (32_800, 45_600)  # rate x population / 1,000
    expected = stats.poisson_rate_ratio(32_800, 1_000_000, 45_600, 4_000_000).iloc[0]
    assert (met["ci_low"], met["ci_high"]) == pytest.approx((expected["ci_low"], expected["ci_high"]))
    assert met["ci_low"] < met["ratio"] < met["ci_high"] and met["interval"] == search_rates.APPROXIMATE
    assert "approximate" in met["interval"]
    # 26.0 per 1,000 of 100 people is about 3 searches: too few for an interval.
    assert out.at["E23000039", "interval"] == search_rates.TOO_FEW
    assert np.isnan(out.at["E23000039", "ci_low"])
    # England and Wales: published counts, not rebuilt ones, over the Census 2021 populations.
    national = out.loc[forces.ENGLAND_AND_WALES]
    assert (national["black_searches"], national["white_searches"]) == (58_988, 289_109)
    assert national["ratio_from_counts"] == pytest.approx((58_988 / 2_409_283) / (289_109 / 48_699_231))
    assert national["interval"] == "published counts and Census 2021 populations"
    assert out.at["E23000002", "interval"] == "no population given" and np.isnan(out.at["E23000002", "ci_low"])
    assert out.at[forces.CITY_OF_LONDON, "interval"] == search_rates.NOT_PUBLISHED


def test_approximate_interval_refuses_a_bad_population_frame():
    bad = SMALL_POPULATIONS.assign(population=lambda d: d["population"].where(d.index != 2, 0))
    with pytest.raises(SchemaError, match=r"approximate_intervals.*'population' has .*0\)? at row 2 .*expected a value >= 1"):
        search_rates.approximate_intervals(search_rates.black_white_ratios(search_rates.load_rates()), bad)


def test_a_changed_header_is_refused(altered):
    path = altered(search_rates.BY_AREA_FILE)
    text = path.read_text()
    path.write_text(text.replace('"Black"', '"Black or Black British"', 1))
    search_rates.load_rates.cache_clear()
    try:
        with pytest.raises(SchemaError, match=r"ethnicity-stop-search-by-area.csv: expected a first row"):
            search_rates.load_rates()
    finally:
        search_rates.load_rates.cache_clear()


def test_a_renamed_force_or_stray_text_is_refused(altered):
    path = altered(search_rates.BY_AREA_FILE)
    path.write_text(path.read_text().replace('"Dorset","2.4"', '"Dorset","2.4x"'))
    search_rates.load_rates.cache_clear()
    try:
        with pytest.raises(SchemaError, match=r"rate '2.4x'.*neither a number nor N/A"):
            search_rates.load_rates()
        path.write_text(path.read_text().replace('"Dorset","2.4x"', '"Dorsett","2.4"'))
        search_rates.load_rates.cache_clear()
        with pytest.raises(forces.UnknownForceError, match=r"'Dorsett' is not one of the 43"):
            search_rates.load_rates()
    finally:
        search_rates.load_rates.cache_clear()


def test_search_ratio_map_section():
    section = fairness.search_ratio_map(highlight="dorset")
    figures = {f.key: f.value for f in section.figures}
    assert figures["ss23_bw_national"] == pytest.approx(24.5 / 5.9)
    assert figures["ss23_forces"] == 42 and figures["ss23_top_force"] == "Dorset Police"
    assert figures["ss23_no_rate"] == "City of London Police"
    # Census 2021 populations are always wired in: England and Wales from its published counts.
    assert figures["ss23_bw_national_counts_low"] < figures["ss23_bw_national_counts"] < figures[
        "ss23_bw_national_counts_high"]
    assert figures["ss23_force_rank"].startswith("Dorset Police is 1st highest of 42 forces")


def test_recorded_crime_map_section():
    section = wider.recorded_crime_map()
    figures = {f.key: f.value for f in section.figures}
    assert figures["crime24_national_rate"] == pytest.approx(87.92, abs=0.01)
    assert figures["crime24_national_count"] == 5_350_405
    assert figures["crime24_forces"] == 42 and figures["crime24_top_force"] == "Cleveland Police"
    assert figures["crime24_suppressed"] == "City of London Police"
    assert len(section.table) == 43 and section.chart.to_dict()["description"]

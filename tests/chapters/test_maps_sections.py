"""The map sections of chapters 3 and 7: figures, intervals and the force named."""

from __future__ import annotations

import pytest

from analysis.chapters import c03_procedural_justice as c03
from analysis.chapters import c07_what_else_matters as c07


def test_search_ratio_map_section():
    section = c03.search_ratio_map(highlight="dorset")
    figures = {f.key: f.value for f in section.figures}
    assert figures["ss23_bw_national"] == pytest.approx(23.7 / 5.8)  # 43 forces, without British Transport Police
    assert figures["ss23_forces"] == 42 and figures["ss23_top_force"] == "Dorset Police"
    assert figures["ss23_no_rate"] == "City of London Police"
    # Census 2021 populations are always wired in: England and Wales's counts rebuilt like every force's.
    assert figures["ss23_bw_national_counts_low"] < figures["ss23_bw_national"] < figures[
        "ss23_bw_national_counts_high"]
    # Issue 21: placed on funnel limits, never ranked ("1st highest of 42 forces"); one decimal, as the dashboard's 4.2.
    assert "ss23_force_rank" not in figures
    assert figures["ss23_force_funnel"] == (
        "Dorset Police: 13.7 for the Black/White ratio of published search rates in 2022/23 (approximate limits: "
        "counts rebuilt from rounded rates), above the 99.8% limit around England and Wales excluding the Met")
    assert next(f for f in section.figures if f.key == "ss23_bw_national").fmt == "{:.1f}"


def test_recorded_crime_map_section():
    section = c07.recorded_crime_map()
    figures = {f.key: f.value for f in section.figures}
    # England and Wales as the 43 territorial forces, as the newer year's counts beside it (review 11): ONS's own
    # total, 5,350,405 at 87.9 per 1,000, adds British Transport Police's offences.
    assert figures["crime24_national_count"] == 5_267_542 == section.table["crimes"].sum()
    assert figures["crime24_national_rate"] == pytest.approx(1000 * 5_267_542 / section.table["population"].sum())
    assert round(figures["crime24_national_rate"], 1) == 86.6
    assert figures["crime24_forces"] == 42 and figures["crime24_top_force"] == "Cleveland Police"
    assert figures["crime24_suppressed"] == "City of London Police"
    assert len(section.table) == 43 and section.chart.to_dict()["description"]

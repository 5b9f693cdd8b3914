"""The third-party extracts and the mid-2024 populations: their totals, the checks their PROVENANCE.md documents,
a changed layout and a failed check, each refused with a message naming the file and the check."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.sources import force_indicators, iopc_extract, manifest, population, search_totals_2025
from analysis.sources.schemas import SchemaError

CACHED = [force_indicators.load, search_totals_2025.load, iopc_extract.deaths_by_year, iopc_extract.review_outcomes,
          population.mye_2024_by_pfa]


@pytest.fixture
def edit(altered, mirror):
    """Every raw file linked into the throwaway mirror; `edit(file_id, change)` rewrites one of them."""
    for entry in manifest.load_manifest().values():
        target = Path(config.mirror_dir()) / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() and not entry.in_repo:
            target.symlink_to(config.DEFAULT_MIRROR / entry.path)
    for loader in CACHED:
        loader.cache_clear()

    def _edit(file_id: str, change) -> None:
        (Path(config.mirror_dir()) / manifest.raw_file(file_id).path).unlink()
        path = altered(file_id)
        path.write_text(change(path.read_text(encoding="utf-8-sig")), encoding="utf-8")

    yield _edit
    for loader in CACHED:
        loader.cache_clear()


def test_the_extracts_load_with_their_documented_totals():
    indicators = force_indicators.load()
    assert len(indicators) == 43 and indicators["officers_2026"].sum() == 145_886
    assert force_indicators.national()["officers_2026"] == 145_886
    assert indicators.set_index("pfa_code").at["E23000001", "bw_ratio"] == 3.6
    assert search_totals_2025.load()["searches"].sum() == search_totals_2025.STATED_TERRITORIAL
    deaths = iopc_extract.deaths_by_year().set_index("year")["deaths"]
    assert deaths["2024/25"] == 153 and deaths.sum() == 3_666 and len(deaths) == 21
    reviews = iopc_extract.review_outcomes()
    assert len(reviews) == 43 and reviews.set_index("pfa_code").at["E23000001", "overturned"] == 350
    mid_2024 = population.for_year(2024)
    assert mid_2024["K04000001"] == 61_806_682 and mid_2024["E23000001"] == 9_074_625


def test_a_2010_officer_number_that_disagrees_with_the_home_office_file_is_refused(edit):
    edit(force_indicators.INDICATORS_FILE, lambda t: t.replace("E23000002,Cumbria,1238,", "E23000002,Cumbria,1240,"))
    with pytest.raises(SchemaError, match=r"forces_indicators\.csv: check 'officers at 31 March 2010 equal the Home "
                                          r"Office open data table' fails for 1 force\(s\), e.g. E23000002"):
        force_indicators.load()


def test_a_ratio_that_is_not_its_census_2021_ratio_is_refused(edit):
    edit(force_indicators.INDICATORS_FILE, lambda t: t.replace(",28511,31479,3.6,", ",28511,31479,3.9,"))
    with pytest.raises(SchemaError, match=r"check 'ssRatio is the Black/White search rate ratio on Census 2021'.*"
                                          r"E23000001 .*census_2021_ratio 3\.6"):
        force_indicators.load()


def test_a_changed_layout_is_named(edit):
    edit(force_indicators.INDICATORS_FILE, lambda t: t.replace("off2026", "officers_2026", 1))
    with pytest.raises(SchemaError, match=r"forces_indicators\.csv.*off2026"):
        force_indicators.load()
    edit(search_totals_2025.TOTALS_FILE, lambda t: t.replace("published_total", "total", 1))
    with pytest.raises(SchemaError, match=r"ppap-totals\.csv.*published_total"):
        search_totals_2025.load()


def test_totals_that_no_longer_add_up_are_refused(edit):
    edit(search_totals_2025.TOTALS_FILE, lambda t: t.replace(",2025,6915,", ",2025,6916,"))
    with pytest.raises(SchemaError, match=r"sum to 528,583; its PROVENANCE.md documents 528,582"):
        search_totals_2025.load()
    edit(iopc_extract.DEATHS_FILE, lambda t: t.replace("2024/25,153", "2024/25,154"))
    with pytest.raises(SchemaError, match=r"the years sum to 3,667 .* a total of 3,666"):
        iopc_extract.deaths_by_year()
    edit(iopc_extract.REVIEWS_FILE, lambda t: t.replace(",185,43,23.2,", ",185,44,23.2,"))
    with pytest.raises(SchemaError, match=r"overturn_pct 23.2 for avon-and-somerset is not 44 of 185"):
        iopc_extract.review_outcomes()


def test_mid_2024_districts_that_do_not_add_up_to_england_and_wales_are_refused(edit):
    def drop_a_district(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.startswith("E09000001,"))

    edit(population.MYE_2024_FILE, drop_a_district)
    with pytest.raises(ValueError, match=r"mye24tablesew\.csv .*: the 43 force areas sum to 61,791,571, not the "
                                         r"England and Wales total 61,806,682"):
        population.mye_2024_by_pfa()


def test_the_population_series_runs_to_mid_2024_without_a_gap():
    years = population.population_by_year().groupby("mid_year")["pfa_code"].nunique()
    assert list(years.index) == list(range(2002, 2025)) and (years == 44).all()
    assert isinstance(population.mye_2024_by_pfa(), pd.DataFrame)

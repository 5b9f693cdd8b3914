"""Population by force area: the LAD to PFA lookup, mid-year estimates 2002-2023, Census 2021 groups, features."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from analysis.sources import census, forces, lookups, population
from analysis.sources.files import locate
from analysis.sources.schemas import SchemaError

EW = forces.ENGLAND_AND_WALES
MET, CITY, CUMBRIA, NORTH_YORKSHIRE, AVON_AND_SOMERSET = "E23000001", "E23000034", "E23000002", "E23000009", "E23000036"
# The Census 2021 districts missing from the December 2023 lookup (PROVENANCE.md of lad23_pfa_lookup_dec2023).
OLDER_DISTRICTS = {
    CUMBRIA: ["E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031"],
    NORTH_YORKSHIRE: ["E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"],
    AVON_AND_SOMERSET: ["E07000187", "E07000188", "E07000189", "E07000246"],
}
CACHED = [lookups.lad_to_pfa, population._mye_sheet, population.mye_by_pfa, population.older_by_pfa,
          population.population_by_year, census.census2021_by_ethnicity]


@pytest.fixture
def fresh():
    """Forget every cached table before and after a test that reads a changed copy of a raw file."""
    for f in CACHED:
        f.cache_clear()
    yield
    for f in CACHED:
        f.cache_clear()


def census_codes() -> set[str]:
    raw = pd.read_csv(locate(census.CENSUS_FILE), dtype=str)
    return set(raw["Geography_code"]) - {EW}


# The LAD to PFA lookup

def test_every_census_and_mye_district_has_one_force_area():
    table = lookups.lad_to_pfa()
    assert table.index.is_unique and set(table) == forces.force_codes()
    assert census_codes() <= set(table.index)
    _, frame = population._mye_sheet("summary")
    lads = frame[~frame["Geography"].isin(["Country", "Region", "County", "Metropolitan County"])]
    assert len(lads) == 318 and set(lads["Code"]) <= set(table.index)


def test_the_17_older_districts_are_assigned_by_county():
    table = lookups.lad_to_pfa()
    current = pd.read_csv(locate(lookups.LOOKUP_FILE), encoding="utf-8-sig", dtype=str)
    older = sorted(census_codes() - set(current["LAD23CD"]))
    assert older == sorted(c for codes in OLDER_DISTRICTS.values() for c in codes)
    for force, codes in OLDER_DISTRICTS.items():
        assert table[codes].eq(force).all(), force
    assert lookups.SUCCESSORS_OF == {"E07000246": ("E07000190", "E07000191")}


def test_the_bom_is_not_part_of_the_first_column():
    # Both lookups start with a UTF-8 byte-order mark; read naively, LAD23CD would be '\ufeffLAD23CD'.
    assert locate(lookups.LOOKUP_FILE).read_bytes()[:3] == b"\xef\xbb\xbf"
    assert lookups.lad_to_pfa()["E06000001"] == "E23000013"  # Hartlepool, Cleveland: the file's first row


def test_an_unassigned_district_names_the_file_and_code():
    with pytest.raises(ValueError, match=r"some/file.csv: local authority district E07999999 is in no LAD to PFA "
                                         r"lookup \(1 unassigned"):
        lookups.assign_pfa(pd.Series(["E06000001", "E07999999"]), "some/file.csv")


def test_an_unknown_district_in_the_census_file_is_refused(altered, copy_into, fresh):
    path = altered(census.CENSUS_FILE)
    for lookup in (lookups.LOOKUP_FILE, lookups.LOOKUP_2016_FILE):
        copy_into(lookup)
    raw = pd.read_csv(path, dtype=str)
    raw.loc[raw["Geography_code"] == "E07000246", "Geography_code"] = "E07000999"
    raw.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"local authority district E07000999 is in no LAD to PFA lookup") as err:
        census.census2021_by_ethnicity()
    assert str(path) in str(err.value)


# Mid-year estimates

def test_mye_force_sums_equal_england_and_wales_in_every_year():
    table = population.mye_by_pfa().pivot(index="pfa_code", columns="mid_year", values="population")
    assert list(table.columns) == list(range(2011, 2024))
    assert (table.drop(EW).sum() == table.loc[EW]).all()
    # PROVENANCE.md figures.
    assert table.at[EW, 2023] == 60_854_727 and table.at[EW, 2011] == 56_170_927
    assert (table.at[MET, 2023], table.at[MET, 2017], table.at[MET, 2011]) == (8_931_847, 8_768_352, 8_196_995)
    assert (table.at[CITY, 2023], table.at[CITY, 2011]) == (13_462, 7_412)


def test_population_by_year_covers_2002_to_2024_for_every_area():
    table = population.population_by_year()
    assert len(table) == 44 * 23 and not table.duplicated(["pfa_code", "mid_year"]).any()
    assert set(table["mid_year"]) == set(range(2002, 2025))
    older = population.older_by_pfa().set_index(["pfa_code", "mid_year"])["population"]
    mye = population.mye_by_pfa().set_index(["pfa_code", "mid_year"])["population"]
    assert population.for_year(2010)[MET] == older[(MET, 2010)]
    assert population.for_year(2011)[MET] == mye[(MET, 2011)]  # the newer vintage wins where both exist
    assert population.for_year(2016)[MET] == mye[(MET, 2016)]
    assert population.for_year(2024)[MET] == 9_074_625  # ONS mid-2024, from the MYE2 export
    for year in (2001, 2025):
        with pytest.raises(ValueError, match=rf"mid_year={year}: no population estimate; expected a year from "
                                             r"2002 to 2024"):
            population.for_year(year)


def test_the_two_vintages_agree_closely_at_mid_2011():
    gap = population.vintage_difference()
    assert len(gap) == 44
    assert abs(gap[EW]) < 0.001  # 56,170,927 against 56,170,900 (rounded to 100)
    assert gap.drop(CITY).abs().max() < 0.01
    assert abs(gap[CITY]) < 0.2  # 7,412 against 7,400: rounding to 100 on a small number


def test_a_renamed_mye_sheet_is_named(altered, fresh):
    path = altered(population.MYE_FILE)
    book = openpyxl.load_workbook(path)
    book["MYE4"].title = "MYE4 summary"
    book.save(path)
    with pytest.raises(SchemaError, match=r"no sheet named 'MYE4'; the sheets are \[.*'MYE4 summary'.*\]; "
                                          r"expected the ONS MYE23 layout") as err:
        population.mye_by_pfa()
    assert str(path) in str(err.value)


def test_a_moved_header_a_renamed_column_and_text_in_a_count_are_named(altered, copy_into, fresh):
    path = altered(population.MYE_FILE)
    for lookup in (lookups.LOOKUP_FILE, lookups.LOOKUP_2016_FILE):
        copy_into(lookup)
    book = openpyxl.load_workbook(path)
    book["MYE4"].insert_rows(1, amount=30)
    book["MYE5"]["D8"] = "Area"
    assert (book["MYE2 - Persons"]["A12"].value, book["MYE2 - Persons"]["Y8"].value) == ("E06000047", "20")
    book["MYE2 - Persons"]["Y12"] = "x"
    book.save(path)
    with pytest.raises(SchemaError, match=r"\[MYE4\]: no header row starting 'Code, Name, Geography' in the first 30"):
        population.mye_by_pfa()
    with pytest.raises(SchemaError, match=r"\[MYE5\]: missing column\(s\) \['Area \(sq km\)'\]"):
        population.density_2023()
    with pytest.raises(SchemaError, match=r"\[MYE2 - Persons\]: column '20' has 'x' for E06000047; expected a number"):
        population.young_adult_share_2023()


# Census 2021

def test_census_force_totals_add_up_to_england_and_wales():
    table = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    assert len(table) == 44
    assert table.at[EW, "All"] == 59_597_578
    assert (table.drop(EW).sum() == table.loc[EW]).all()
    assert (table[list(census.CENSUS_GROUPS)].sum(axis=1) == table["All"]).all()
    # PROVENANCE.md: the Met (32 boroughs, without the City) and the City of London, a force of its own.
    assert (table.at[MET, "All"], table.at[MET, "Black"]) == (8_791_152, 1_188_137)
    assert (table.at[CITY, "All"], table.at[CITY, "White"]) == (8_584, 5_955)


def test_census_and_mid_2021_agree_for_every_force():
    """A district put in the wrong force would move its residents (tens of thousands) between two forces."""
    residents = census.census2021_by_ethnicity().query("group == 'All'").set_index("pfa_code")["population"]
    gap = 100 * (population.for_year(2021) / residents - 1)  # 21 March 2021 against 30 June 2021
    assert gap.drop(CITY).abs().max() < 0.5
    assert abs(gap[CITY]) < 1.5


# Context features

def test_features_cover_the_43_forces_with_no_gaps():
    table = population.context_features()
    assert list(table.index) == sorted(forces.force_codes()) and table.notna().all().all()
    assert list(table.columns) == ["density_2023", "minority_share_2021", "young_adult_share_2023",
                                   "log_population_2023", "growth_2011_2023"]
    assert table["minority_share_2021"].between(0, 1).all() and table["young_adult_share_2023"].between(0, 1).all()


def test_density_sums_people_and_areas_rather_than_averaging_densities():
    _, frame = population._mye_sheet("density")
    rows = frame[frame["Code"].isin(["E06000063", "E06000064"])]  # Cumberland and Westmorland and Furness
    people, area = rows["Estimated Population mid-2023"].sum(), rows["Area (sq km)"].sum()
    assert population.density_2023()[CUMBRIA] == pytest.approx(people / area)
    assert population.density_2023()[CUMBRIA] != pytest.approx(rows["2023 people per sq. km"].mean())


def test_minority_share_young_share_size_and_growth_by_hand():
    met = census.census2021_by_ethnicity().query("pfa_code == @MET").set_index("group")["population"]
    assert census.minority_share_2021()[MET] == pytest.approx(1 - 4_725_217 / 8_791_152)
    assert census.minority_share_2021()[MET] == pytest.approx(1 - met["White"] / met["All"])
    assert population.log_population_2023()[MET] == pytest.approx(math.log10(8_931_847))
    assert population.growth_2011_2023()[MET] == pytest.approx(100 * (8_931_847 / 8_196_995 - 1))
    _, ages = population._mye_sheet("age")
    city = ages[ages["Code"] == "E09000001"].iloc[0]
    assert population.young_adult_share_2023()[CITY] == pytest.approx(
        sum(city[str(a)] for a in range(15, 30)) / city["All ages"])

"""The ONS PFA workbooks: tables found by header, multi-row headers flattened, a moved layout refused clearly."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analysis.sources import forces, pfa_tables
from analysis.sources.schemas import SchemaError


@pytest.mark.parametrize("year", [2018, 2019])
def test_recorded_crime_rate_from_the_real_workbook(year):
    rates = pfa_tables.recorded_crime_rate(year)
    kept, others = pfa_tables.forces_only(rates)
    assert len(kept) == 43 and set(kept["area_code"]) == forces.force_codes()
    assert any(o.startswith("ENGLAND AND WALES (K04000001") for o in others)
    national = rates.set_index("area_code").at["K04000001", "crime_rate"]
    assert 80 < national < 95
    # The City of London's rate is suppressed ('+') in the source, so it is missing, not zero.
    assert kept.set_index("area_code")["crime_rate"].isna().sum() <= 1


@pytest.mark.parametrize("year", [2018, 2019])
def test_asb_experience_lists_the_rows_that_are_not_forces(year):
    asb = pfa_tables.asb_experience(year)
    kept, others = pfa_tables.forces_only(asb)
    assert len(kept) == 41  # the CSEW table reports London's two forces together
    assert any("City of London / Metropolitan Police" in o for o in others)
    assert kept["asb_pct"].between(10, 70).all()


def test_footnote_markers_are_removed_from_labels():
    table = pfa_tables.read_table(2019, "Table P3")
    assert "Total recorded crime (excluding fraud) | Rate per 1,000 population" in table.columns
    assert "ENGLAND AND WALES" in set(table["area_name"])


def test_a_moved_table_gives_a_clear_error(altered):
    path = altered(pfa_tables.FILES[2019])
    book = openpyxl.load_workbook(path)
    sheet = book["Table P3 "]
    sheet.delete_cols(6)  # the rate column moves out from under its header
    sheet["F5"] = "Something else"
    book.save(path)
    with pytest.raises(SchemaError, match=r"Table P3 .*expected one column headed 'Total recorded crime'"):
        pfa_tables.recorded_crime_rate(2019)


def test_a_missing_sheet_lists_the_sheets_found(altered):
    path = altered(pfa_tables.FILES[2018])
    book = openpyxl.load_workbook(path)
    book["Table P6"].title = "Table X6"
    book.save(path)
    with pytest.raises(SchemaError, match=r"no sheet named 'Table P6'.*Table X6"):
        pfa_tables.asb_experience(2018)


# The year ending December 2024 workbook: bracketed notes, "[u1]" suppression, BTP without a code.

def test_recorded_crime_dec_2024_from_the_real_workbook():
    table = pfa_tables.recorded_crime(pfa_tables.DEC_2024)
    kept, _ = pfa_tables.forces_only(table)
    assert len(kept) == 43 and set(kept["area_code"]) == forces.force_codes()
    by_code = table.set_index("area_code", drop=False)
    national = by_code.loc[forces.ENGLAND_AND_WALES]
    assert national["crimes"] == 5_350_405 and national["population"] == 60_854_700
    assert national["crime_rate"] == pytest.approx(87.92, abs=0.01)
    assert national["area_name"] == "ENGLAND AND WALES"  # "[note 3]" removed
    btp = table[table["area_name"] == pfa_tables.BTP].iloc[0]
    assert btp["crimes"] == 82_863 and pd.isna(btp["area_code"]) and pd.isna(btp["crime_rate"])
    assert kept["crimes"].sum() + btp["crimes"] == national["crimes"]
    cleveland = by_code.loc["E23000013"]
    assert (cleveland["crimes"], cleveland["population"]) == (73_339, 588_400)
    assert cleveland["crime_rate"] == pytest.approx(124.648, abs=1e-3)
    # ONS divided by unrounded populations: rate and count/population agree to within the rounding.
    rated = kept[kept["crime_rate"].notna()]
    assert (rated["crimes"] / rated["population"] * 1000).to_numpy() == pytest.approx(
        rated["crime_rate"].to_numpy(), rel=1e-3)
    assert table["period"].eq("year ending December 2024").all()


def test_city_of_london_rate_is_missing_and_marked_suppressed():
    table = pfa_tables.recorded_crime(pfa_tables.DEC_2024).set_index("area_code", drop=False)
    city = table.loc[forces.CITY_OF_LONDON]
    assert city["crimes"] == 9_270 and city["population"] == 13_500
    assert pd.isna(city["crime_rate"]) and city["rate_note"] == pfa_tables.SUPPRESSED
    assert (table.drop(forces.CITY_OF_LONDON)["rate_note"] == "").all()


def test_offence_group_rates_dec_2024():
    rates = pfa_tables.offence_group_rates(pfa_tables.DEC_2024)
    national = rates[rates["area_code"] == forces.ENGLAND_AND_WALES].set_index(["offence_group", "rate_unit"])["rate"]
    assert national[("Homicide", "per 1,000 residents")] == pytest.approx(535 / 60_854.7, rel=1e-3)
    assert national[("Residential burglary", "per 1,000 households")] == pytest.approx(6.962, abs=1e-3)
    # 22 offence groups, residential burglary twice (per resident and per household).
    assert len(national) == 23 and national.index.get_level_values(0).nunique() == 22
    assert not any("[note" in g for g, _ in national.index)
    city = rates[rates["area_code"] == forces.CITY_OF_LONDON]
    assert city["rate"].isna().all() and (city["rate_note"] == pfa_tables.SUPPRESSED).all()


def test_march_editions_still_parse_with_counts():
    for year in (2018, 2019):
        table = pfa_tables.recorded_crime(year)
        assert table.loc[table["area_code"] == forces.CITY_OF_LONDON, "rate_note"].item() == pfa_tables.SUPPRESSED


def test_numeric_refuses_stray_text():
    with pytest.raises(SchemaError, match=r"'12,3x'.*neither a number nor an ONS symbol"):
        pfa_tables.numeric(pd.Series(["1.5", "[u1]", "12,3x"], name="rate"))
    assert pfa_tables.numeric(pd.Series(["1.5", "[u1]", ":"])).isna().tolist() == [False, True, True]


def test_dec_2024_header_row_removed_gives_a_clear_error(altered):
    path = altered(pfa_tables.FILES[pfa_tables.DEC_2024])
    book = openpyxl.load_workbook(path)
    book["Table P3"].delete_rows(8)  # the 'Area Code' header row (row 8 in Excel) is gone
    book.save(path)
    with pytest.raises(SchemaError, match=r"policeforceareatablesyedecember2024.xlsx \[Table P3\]: no 'Area Code' header"):
        pfa_tables.recorded_crime(pfa_tables.DEC_2024)


def test_dec_2024_header_moved_into_another_column_gives_a_clear_error(altered):
    path = altered(pfa_tables.FILES[pfa_tables.DEC_2024])
    book = openpyxl.load_workbook(path)
    book["Table P1"].insert_cols(1)  # codes no longer in column A
    book.save(path)
    with pytest.raises(SchemaError, match=r"\[Table P1\]: no rows with an ONS area code .* in column A"):
        pfa_tables.recorded_crime(pfa_tables.DEC_2024)


def test_dec_2024_renamed_sheet_lists_the_sheets_found(altered):
    path = altered(pfa_tables.FILES[pfa_tables.DEC_2024])
    book = openpyxl.load_workbook(path)
    book["Table P1"].title = "Table P1 (revised)"
    book.save(path)
    with pytest.raises(SchemaError, match=r"no sheet named 'Table P1'.*Table P1 \(revised\)"):
        pfa_tables.recorded_crime(pfa_tables.DEC_2024)


def test_dec_2024_totals_that_do_not_add_up_are_refused(altered):
    path = altered(pfa_tables.FILES[pfa_tables.DEC_2024])
    book = openpyxl.load_workbook(path)
    book["Table P1"]["C12"] = 60_451  # Durham, one more offence than published
    book.save(path)
    with pytest.raises(SchemaError, match=r"add up to 5,350,406, not the England and Wales total 5,350,405"):
        pfa_tables.recorded_crime(pfa_tables.DEC_2024)


def test_unknown_edition_is_named():
    with pytest.raises(KeyError, match=r"unknown PFA tables edition 'YE Mar 2024'"):
        pfa_tables.read_table("YE Mar 2024", "Table P1")


def test_dec_2024_header_moved_down_still_reads_the_same_numbers(altered):
    path = altered(pfa_tables.FILES[pfa_tables.DEC_2024])
    book = openpyxl.load_workbook(path)
    for sheet in ("Table P1", "Table P3"):
        book[sheet].insert_rows(3, amount=2)  # two more lines of notes above the table
    book.save(path)
    table = pfa_tables.recorded_crime(pfa_tables.DEC_2024).set_index("area_code", drop=False)
    assert table.at[forces.ENGLAND_AND_WALES, "crimes"] == 5_350_405
    assert table.at["E23000013", "population"] == 588_400

"""The ONS PFA workbooks: tables found by header, multi-row headers flattened, a moved layout refused clearly."""

from __future__ import annotations

import openpyxl
import pytest

from analysis import forces, pfa_tables
from analysis.schemas import SchemaError


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

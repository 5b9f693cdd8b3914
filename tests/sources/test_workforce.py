"""Workforce: the 2023 table read with calamine, and on changed layouts; rates per 100,000; national strength."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import population, workbooks, workforce
from analysis.sources.files import locate
from analysis.sources.schemas import SchemaError
from tests.fixtures import ods_edit

KENT = "E23000032"
MET = "E23000001"
SHEET = workforce.WORKFORCE_SHEET


@pytest.fixture
def fresh():
    """Forget the cached workforce table before and after a test that reads a changed copy."""
    workforce.load_workforce.cache_clear()
    yield
    workforce.load_workforce.cache_clear()


def officers(year: int) -> float:
    wf = workforce.load_workforce()
    return wf[(wf["year"] == year) & (wf["role"] == "Police officers")]["fte"].sum()


def test_rates_divide_by_the_same_years_mid_year_population():
    wf = pd.DataFrame({"pfa_code": [KENT] * 2, "year": [2016, 2017], "role": ["Police officers"] * 2,
                       "fte": [200.0, 300.0]})
    pop = pd.DataFrame({"pfa_code": [KENT] * 3, "mid_year": [2015, 2016, 2017], "population": [1, 100_000, 200_000]})
    out = workforce.per_100k(wf, pop)
    assert "population_estimated" not in out.columns
    officers_only = out[out["role"] == "Police officers"].set_index("year")
    assert officers_only["per_100k"].tolist() == [200.0, 150.0]
    assert officers_only["mid_year"].tolist() == [2016, 2017]
    both = out[out["role"] == workforce.NEIGHBOURHOOD_ROLES]
    assert both["fte"].tolist() == [200.0, 300.0]


def test_a_missing_population_names_the_force_and_year():
    wf = pd.DataFrame({"pfa_code": [KENT], "year": [2008], "role": ["PCSOs"], "fte": [1.0]})
    pop = pd.DataFrame({"pfa_code": [KENT], "mid_year": [2016], "population": [1]})
    with pytest.raises(ValueError, match=r"no population for E23000032 mid-2008 \(for 31 March 2008\)"):
        workforce.per_100k(wf, pop)


def test_every_real_rate_has_its_own_years_population():
    rates = workforce.rates()
    assert rates["population"].notna().all()
    assert (rates["mid_year"] == rates["year"]).all()
    assert rates["pfa_code"].nunique() == 44 and (rates["year"].min(), rates["year"].max()) == (2007, 2023)
    ew = rates[(rates["pfa_code"] == workforce.ENGLAND_AND_WALES) & (rates["year"] == 2023)].set_index("role")
    assert ew.at["Police officers", "population"] == population.for_year(2023)[workforce.ENGLAND_AND_WALES]


def test_change_since_finds_the_low_point_after_the_start():
    rates = pd.DataFrame({"pfa_code": ["X"] * 5, "role": ["r"] * 5, "year": [2009, 2010, 2011, 2012, 2013],
                          "per_100k": [50.0, 200.0, 150.0, 100.0, 120.0]})
    row = workforce.change_since(rates, 2010).iloc[0]
    assert (row["start"], row["low_year"], row["low"], row["latest"]) == (200.0, 2012, 100.0, 120.0)
    assert row["fall_pct"] == pytest.approx(-50.0)
    assert row["recovery_pct"] == pytest.approx(20.0)
    assert row["net_pct"] == pytest.approx(-40.0)


def test_the_workbook_reader_returns_cell_values_not_display_text():
    with workbooks.workbook(locate(workforce.WORKFORCE_FILE)) as book:
        cells = book.sheet(SHEET, "the workforce table")
        rows = [row.dropna().tolist() for _, row in cells.iterrows()]
        assert rows[0] == ["As at 31 March...", "Geo code", "Force Name", "Region", "Sex", "Rank description",
                           "Worker type", "Total (headcount)", "Total (FTE)"]
        assert len(rows) == 1 + 29_304
        # The first data row: FTE 6.6 is shown as "7" in the sheet.
        assert rows[1] == [2007, "E23000036", "Avon & Somerset", "South West", "Female", "Chief Inspector",
                           "Police Officer", 7, 6.6]
        with pytest.raises(SchemaError, match=r"no sheet named 'Table 1'; the sheets are \['Notes', 'Data'\]"):
            book.sheet("Table 1", "the workforce table")


def test_real_workforce_matches_the_published_totals(fresh):
    wf = workforce.load_workforce()
    assert wf["pfa_code"].nunique() == 43  # British Transport Police ('N/A') is left out
    assert (wf["year"].min(), wf["year"].max()) == (2007, 2023)
    # PROVENANCE.md: officer FTE for the 43 forces, summed from the cell values.
    assert officers(2023) == pytest.approx(147_429.6, abs=0.05)
    assert officers(2022) == pytest.approx(140_228.3, abs=0.05)
    assert officers(2010) == pytest.approx(143_734.4, abs=0.05)
    met = wf[(wf["pfa_code"] == MET) & (wf["year"] == 2023)].set_index("role")["fte"]
    assert met["Police officers"] == pytest.approx(34_899.0, abs=0.05)
    assert met["PCSOs"] == pytest.approx(1_215.4, abs=0.05)


def test_a_header_moved_down_is_still_found(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)
    blank = '<table:table-row><table:table-cell/></table:table-row>'
    ods_edit.rewrite(path, lambda xml: ods_edit.change_row(xml, SHEET, lambda row: blank * 3 + row, n=0))
    assert officers(2023) == pytest.approx(147_429.6, abs=0.05)


def test_a_renamed_sheet_is_named_in_the_error(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)
    ods_edit.rewrite(path, lambda xml: xml.replace('table:name="Data"', 'table:name="Data 2023"'))
    with pytest.raises(SchemaError, match=r"no sheet named 'Data'; the sheets are \['Notes', 'Data 2023'\]") as err:
        workforce.load_workforce()
    assert str(path) in str(err.value)


def test_a_renamed_column_is_named_in_the_error(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)
    ods_edit.rewrite(path, lambda xml: xml.replace("<text:p>Total (FTE)</text:p>", "<text:p>FTE</text:p>", 1))
    with pytest.raises(SchemaError, match=r"\[Data\]: missing column\(s\) \['Total \(FTE\)'\]") as err:
        workforce.load_workforce()
    assert str(path) in str(err.value)


def test_no_header_at_all_is_a_layout_error(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)
    ods_edit.rewrite(path, lambda xml: ods_edit.change_row(xml, SHEET, lambda row: "", n=0))
    with pytest.raises(SchemaError, match=r"\[Data\]: no header row with columns .*'Geo code'.* the table layout"):
        workforce.load_workforce()


def test_text_in_a_count_names_the_sheet_row(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)

    def to_text(row: str) -> str:
        cell = row.rindex('<table:table-cell office:value-type="float"')
        end = row.index("</table:table-cell>", cell) + len("</table:table-cell>")
        return row[:cell] + '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>' + \
            row[end:]

    ods_edit.rewrite(path, lambda xml: ods_edit.change_row(xml, SHEET, to_text))
    with pytest.raises(SchemaError, match=r"column 'Total \(FTE\)' has 'x' at sheet row 2 \(E23000036, 2007, "
                                          r"Police Officer\); expected a number"):
        workforce.load_workforce()


def test_duplicate_force_year_rows_are_refused(altered, fresh):
    path = altered(workforce.WORKFORCE_FILE)
    ods_edit.rewrite(path, lambda xml: ods_edit.change_row(xml, SHEET, lambda row: row * 2))
    with pytest.raises(SchemaError, match=r"duplicate rows .*pfa_code='E23000036', year=2007"):
        workforce.load_workforce()


def test_national_strength_since_1977_runs_to_31_march_2023():
    strength = workforce.national_strength().set_index("year")
    assert strength.index.min() == 1977 and strength.at[1977, "officers"] == 108115
    # 2023 comes from the workforce table, with ONS MYE23 mid-2023 as its population.
    assert strength.at[2023, "officers"] == pytest.approx(147_429.6, abs=0.05)
    assert strength.at[2023, "population"] == 60_854_727
    assert strength.index.is_unique and strength.index.max() == 2023


def test_the_compiled_series_and_the_ods_agree_on_every_shared_year():
    strength = workforce.national_strength().set_index("year")
    for year in range(2007, 2023):
        assert strength.at[year, "officers"] == pytest.approx(officers(year), abs=workforce.STRENGTH_TOLERANCE_FTE)


def test_strength_is_not_extended_when_the_definitions_differ(monkeypatch):
    real = workforce.load_workforce()
    headcount_like = real.assign(fte=real["fte"] * 1.02)
    monkeypatch.setattr(workforce, "load_workforce", lambda: headcount_like)
    with pytest.raises(ValueError, match=r"officer FTE for the 43 forces differ on 31 March \d{4}.*before extending"):
        workforce.national_strength()

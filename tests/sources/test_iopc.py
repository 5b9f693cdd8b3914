"""The IOPC deaths workbook: stacked tables found by title, totals checked, a moved layout refused clearly."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import forces, iopc
from analysis.sources.schemas import SchemaError


@pytest.fixture(autouse=True)
def fresh_workbook():
    iopc._workbook.cache_clear()
    iopc.by_force.cache_clear()
    yield
    iopc._workbook.cache_clear()
    iopc.by_force.cache_clear()


def test_national_series_from_the_real_workbook():
    series = iopc.national_series()
    assert set(series["type"]) == set(iopc.TYPES)
    custody = series[series["type"] == "Deaths in or following custody"].set_index("year_ending")
    assert custody.at[2005, "fatalities"] == 36 and custody.at[2020, "fatalities"] == 18
    assert series.groupby("type")["fatalities"].sum()["Fatal police shootings"] == 43


def test_by_force_covers_all_43_forces_and_drops_national_bodies():
    table = iopc.by_force()
    assert set(table["pfa_code"]) == forces.force_codes()
    assert "HMRC" in table.attrs["dropped"] and "British Transport Police" in table.attrs["dropped"]
    # The shootings table lists only forces with a shooting: the others get zeros, not gaps.
    shootings = table[table["type"] == "Fatal police shootings"]
    assert shootings["fatalities"].notna().all() and len(shootings) == 43 * 16


def test_joint_rows_are_split_between_forces():
    assert iopc._authorities("British Transport & Greater Manchester & Lancashire", "x") == [
        None, "E23000005", "E23000003"]
    assert iopc._authorities("Avon & Somerset", "x") == ["E23000036"]


def _save(sheets: dict[str, pd.DataFrame], path) -> None:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)


def test_a_moved_table_gives_a_clear_error(altered):
    path = altered(iopc.DEATHS_FILE)
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    custody = sheets["Custody"]
    custody.iloc[:, 0] = custody.iloc[:, 0].replace({"Table 3.1 Number of fatalities and incidents by financial "
                                                     "year, 2004/05 to 2019/20": "Fatalities by year"})
    _save(sheets, path)
    with pytest.raises(SchemaError, match=r"\[Custody\] Table 3.1: expected one table titled 'Table 3.1 \.\.\.'"):
        iopc.national_series()


def test_rows_that_do_not_add_up_to_the_total_are_refused(altered):
    path = altered(iopc.DEATHS_FILE)
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    rti = sheets["RTI"]
    row = rti.index[rti.iloc[:, 0] == "2004/05"][0]
    sheets["RTI"] = rti.drop(index=row)
    _save(sheets, path)
    with pytest.raises(SchemaError, match=r"\[RTI\] Table 1.1: fatalities sum to \d+ but the table's Total row says"):
        iopc.national_series()

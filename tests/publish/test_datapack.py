"""An edition's data pack: a Frictionless package that validates, a workbook that opens, formulas neutralised."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.publish import datapack


def _page(tmp_path, frames: dict[str, pd.DataFrame]):
    """A page whose charts' data are files in _static, as the book's Sphinx extension leaves them."""
    html = tmp_path / "html" / "book"
    data = tmp_path / "html" / "_static" / "chart-data"
    data.mkdir(parents=True)
    html.mkdir(parents=True)
    for name, frame in frames.items():
        frame.to_csv(data / f"{name}.csv", index=False)
    links = "".join(f'<a download="pcp-{name}.csv" href="../_static/chart-data/{name}.csv">CSV</a>' for name in frames)
    (html / "at-a-glance.html").write_text(f"<html><body>{links}</body></html>")
    return tmp_path / "html"


ROWS = pd.DataFrame([
    {"measure": "Police officers per 100,000 residents", "period": "31 March 2023", "force": "224",
     "england_and_wales": "245", "median_force": "202", "comparison": "22 above the median force",
     "datasets": ["police_workforce_open_data_2023/open_data_2023"], "grade": "official"},
    {"measure": "=HYPERLINK(\"http://example.invalid\",\"click\")", "period": "2024/25 (third-party extract)",
     "force": "8.0", "england_and_wales": "8.3", "median_force": "5.2", "comparison": "@SUM(1+1)",
     "datasets": ["stop_search_force_totals_ye_mar2025/totals"], "grade": "third-party extract"}])


def test_the_pack_validates_and_its_workbook_opens_with_every_table_and_notes(tmp_path):
    from frictionless import validate

    charts = datapack.chart_tables(_page(tmp_path, {"trend-K04000001": pd.DataFrame({"year": [2023, 2024],
                                                                                "value": [1.5, -0.5]})}))
    assert list(charts) == ["pcp-trend-K04000001"] and charts["pcp-trend-K04000001"][0] == "book/at-a-glance.html"
    descriptor = datapack.write(tmp_path / "kent-data", "kent", "Kent Police", ROWS, charts, "2026-12-02 12:00 UTC")
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert [r["name"] for r in package["resources"]] == ["key-measures", "trend-k04000001", "notes"]
    assert all(r["schema"]["fields"] for r in package["resources"])
    sheets = pd.read_excel(tmp_path / "kent-data" / "kent-data.xlsx", sheet_name=None, engine="calamine")
    assert list(sheets) == ["key-measures", "notes"]  # a national chart is in the package, not the workbook
    notes = sheets["notes"].set_index("dataset")
    assert notes.at["stop_search_force_totals_ye_mar2025", "grade"] == "third-party extract"
    assert notes.at["police_workforce_open_data_2023", "licence"] == "Open Government Licence v3.0"


def test_no_cell_of_the_pack_can_run_as_a_formula(tmp_path):
    from openpyxl import load_workbook

    descriptor = datapack.write(tmp_path / "kent-data", "kent", "Kent Police", ROWS, {}, "now")
    measures = pd.read_csv(descriptor.parent / "data" / "key-measures.csv", dtype=str)
    assert measures.at[1, "measure"].startswith("'=HYPERLINK") and measures.at[1, "comparison"] == "'@SUM(1+1)"
    book = load_workbook(descriptor.parent / "kent-data.xlsx")
    cells = [c for row in book["key-measures"].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell was written as a formula"
    assert any(c.value == "'=HYPERLINK(\"http://example.invalid\",\"click\")" for c in cells)


def test_an_at_a_glance_notebook_without_its_rows_is_named(tmp_path):
    notebook = tmp_path / "at-a-glance.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(ValueError, match=r"at-a-glance\.ipynb: no output carries the at-a-glance rows"):
        datapack.measures(notebook)


def test_each_column_gets_the_type_every_one_of_its_cells_has_and_a_blank_is_missing(tmp_path):
    from frictionless import validate

    csv = tmp_path / "table.csv"
    csv.write_text("year,rate,flag,date,when,code,note,empty\n"
                   "2023,1.5,True,2024-03-31,2014-12-31T00:00:00,E23000032,'=1+1,\n"
                   ",-0.25,False,,,E23000001,2018/19,\n"
                   "2025,3e-05,,2025-03-31,2015-03-31T00:00:00,,,\n")
    schema = datapack.table_schema(csv)
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("year", "integer"), ("rate", "number"), ("flag", "boolean"), ("date", "date"), ("when", "datetime"),
        ("code", "string"), ("note", "string"), ("empty", "any")]
    report = validate({"name": "table", "path": csv.name, "schema": schema}, basepath=str(tmp_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

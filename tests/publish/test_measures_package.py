"""Every force's measures published whole: a Frictionless package that validates, the same rows in CSV and JSON,
each measure's definition, missing kept missing and formulas neutralised."""

from __future__ import annotations

import json

import pandas as pd

from analysis.publish import measures_package
from tests.fixtures import force_measures_table as fixture


def _written(tmp_path):
    return measures_package.write(tmp_path / "force-measures", fixture.table(), fixture.MEASURES)


def test_the_package_validates_with_its_schema_key_and_definitions(tmp_path):
    from frictionless import Resource, Schema, validate

    descriptor = _written(tmp_path)
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert [r["name"] for r in package["resources"]] == ["force-measures", "force-measures-json", "measures"]
    # The JSON rows against the same schema, read as inline data (reading a JSON file as a table needs
    # frictionless[json]).
    records = json.loads((descriptor.parent / "force-measures.json").read_text())
    schema = {k: v for k, v in package["resources"][1]["schema"].items() if k != "foreignKeys"}
    report = validate(Resource(data=records, schema=Schema.from_descriptor(schema)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    fields = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    assert list(fields) == list(fixture.table().columns)
    assert fields["value"] == fields["ci_low"] == fields["change"] == "number" and fields["reason"] == "string"
    definitions = pd.read_csv(descriptor.parent / "measures.csv", keep_default_na=False)
    assert list(definitions["measure_id"]) == list(fixture.MEASURES)
    assert definitions.set_index("measure_id").at["officers_per_100k", "definition"] == \
        fixture.MEASURES["officers_per_100k"]["definition"]


def test_csv_and_json_hold_the_same_rows_missing_as_missing_and_no_formula(tmp_path):
    descriptor = _written(tmp_path)
    csv = pd.read_csv(descriptor.parent / "force-measures.csv", dtype={"value": float})
    records = json.loads((descriptor.parent / "force-measures.json").read_text())
    assert len(csv) == len(records) == len(fixture.table())
    city = [r for r in records if r["force_code"] == fixture.CODES["city-of-london"]
            and r["measure_id"] == "officers_per_100k"]
    assert city[0]["value"] is None and pd.isna(csv.set_index(["force_code", "measure_id"])
                                                .loc[(fixture.CODES["city-of-london"], "officers_per_100k"), "value"])
    kent = next(r for r in records if r["force"] == "Kent Police" and r["measure_id"] == "officers_per_100k"
                and r["period_end"] == "2025-03-31")
    assert kent["value"] == 221.457  # six significant digits, as every file the book writes
    reasons = [r["reason"] for r in records if r["reason"]]
    assert f"'{fixture.FORMULA} too few events" in reasons and not any(r.startswith("=") for r in reasons)
    assert list(csv["reason"].dropna()) == reasons
    # Forces in code order, then measures in the order of their data file, oldest period first.
    assert [r["measure_id"] for r in records if r["force"] == "Kent Police"] == \
        ["officers_per_100k", "officers_per_100k", "bw_search_ratio", "confidence_pct"]


def test_a_national_figure_is_not_published_as_a_force_measure(tmp_path):
    table = fixture.table()
    national = table[table["measure_id"] == "officers_per_100k"].assign(measure_id="deaths_national", value=None)
    measures = {**fixture.MEASURES, "deaths_national": {**fixture.MEASURES["officers_per_100k"], "by_force": False}}
    descriptor = measures_package.write(tmp_path / "force-measures", pd.concat([table, national], ignore_index=True),
                                        measures)
    records = json.loads((descriptor.parent / "force-measures.json").read_text())
    assert len(records) == len(table) and "deaths_national" not in {r["measure_id"] for r in records}
    definitions = pd.read_csv(descriptor.parent / "measures.csv", keep_default_na=False)
    assert list(definitions["measure_id"]) == list(fixture.MEASURES) and "by_force" not in definitions


def test_the_series_is_published_with_its_schema_and_breaks(tmp_path):
    from frictionless import validate

    series = fixture.series()
    descriptor = measures_package.write(tmp_path / "force-measures", fixture.table(), fixture.MEASURES,
                                        series=series)
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    resource = next(r for r in package["resources"] if r["name"] == measures_package.SERIES)
    fields = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    assert fields["series_break"] == "boolean" and fields["year_ending"] == "integer" and fields["value"] == "number"
    assert resource["schema"]["primaryKey"] == measures_package.PRIMARY_KEY
    written = pd.read_csv(descriptor.parent / "force-series.csv")
    assert len(written) == len(series)
    broken = written[written["series_break"]]
    assert broken[["force", "measure_id", "period"]].values.tolist() == [["Kent Police", "officers_per_100k",
                                                                          "31 March 2025"]]

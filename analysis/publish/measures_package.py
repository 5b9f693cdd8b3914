"""Every force's measures published whole: one Frictionless data package (the table as CSV and JSON, and each
measure's definition) for the site."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.present import inert, precision
from analysis.publish.datapack import LICENCE

FOLDER = "force-measures"  # in the site's root, beside the compare page
TABLE, DEFINITIONS, SERIES = "force-measures", "measures", "force-series"
# A row per force, measure and period (the table's contract, analysis/measures/force_measures.py).
PRIMARY_KEY = ["force_code", "measure_id", "period"]
# The contract's metadata of a measure, first; whatever else its data file gives follows.
DEFINITION_COLUMNS = ["measure_id", "label", "unit", "definition", "higher_is", "method"]


def by_force(measures: dict[str, dict]) -> dict[str, dict]:
    """The measures that give each force a figure of its own: a national figure the dashboard shows beside the
    force's (`by_force: false` in data/measures.yml) is no force's measure, in neither the package nor the compare
    page."""
    return {measure_id: meta for measure_id, meta in measures.items() if meta.get("by_force", True)}


def definitions(measures: dict[str, dict]) -> pd.DataFrame:
    """One row per measure (in the order of its data file): everything its data file says of it, the label, unit,
    definition, direction and method first."""
    rows = [{"measure_id": mid, **meta} for mid, meta in measures.items()]
    extra = [k for row in rows for k in row if k not in DEFINITION_COLUMNS]
    return pd.DataFrame(rows, columns=DEFINITION_COLUMNS + list(dict.fromkeys(extra)))


def _field_type(series: pd.Series) -> str:
    """The Table Schema type of a column, from its dtype: the table's own types, never guessed from its cells."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _descriptions(schema) -> dict[str, str]:
    """Each column's description where the table's pandera schema gives one."""
    columns = getattr(schema, "columns", None) or {}
    return {name: column.description for name, column in columns.items() if getattr(column, "description", None)}


def table_schema(frame: pd.DataFrame, descriptions: dict[str, str], key: list[str]) -> dict:
    """A Table Schema for `frame`: a field per column with its type (and description where known), and its key."""
    fields = [{"name": c, "type": _field_type(frame[c]), **({"description": descriptions[c]} if c in descriptions
                                                              else {})} for c in frame.columns]
    return {"fields": fields, "primaryKey": key, "missingValues": [""]}


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows as JSON objects; a missing value is null, never 0 or NaN."""
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _series_resource(target: Path, series: pd.DataFrame, schema, common: dict) -> dict:
    """Write the measure series (measures/force_series: each force's, and England and Wales's, figure in every period
    the chapters show, each marked where it breaks with the one before) as CSV, and its resource."""
    rows = inert.spreadsheet(precision.for_file(series.reset_index(drop=True)))
    rows.to_csv(target / f"{SERIES}.csv", index=False)
    fields = table_schema(rows, _descriptions(schema), PRIMARY_KEY)
    fields["foreignKeys"] = [{"fields": "measure_id", "reference": {"resource": DEFINITIONS, "fields": "measure_id"}}]
    return {"name": SERIES, "title": "Each force's measures over time (CSV; series_break marks a period not "
                                     "comparable with the one before it)", "path": f"{SERIES}.csv", "format": "csv",
            "mediatype": "text/csv", "type": "table", **common, "schema": fields}


def write(target: Path, table: pd.DataFrame, measures: dict[str, dict], schema=None, series: pd.DataFrame | None = None,
          series_schema=None) -> Path:
    """Write the package into `target`: the table (floats at config.FILE_DIGITS, every text cell a spreadsheet could
    run neutralised) as CSV and as JSON, the measures' definitions as CSV, with `series` (each force's measures over
    time, whose measures `measures` also describes) as CSV, and datapackage.json; a national figure
    (`by_force: false`) is no force's measure and is left out. Returns its path."""
    measures = by_force(measures)
    order = {mid: i for i, mid in enumerate(measures)}
    rows = table[table["measure_id"].isin(list(measures))].sort_values(
        ["force_code", "measure_id", "period_end"], kind="stable",
        key=lambda s: s.map(order) if s.name == "measure_id" else s)
    rows = inert.spreadsheet(precision.for_file(rows.reset_index(drop=True)))
    defs = inert.spreadsheet(definitions(measures))
    target.mkdir(parents=True)
    rows.to_csv(target / f"{TABLE}.csv", index=False)
    # A row a line: readable, and a third of the size of indented JSON.
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in _records(rows))
    (target / f"{TABLE}.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    defs.to_csv(target / f"{DEFINITIONS}.csv", index=False)
    schema = table_schema(rows, _descriptions(schema), PRIMARY_KEY)
    schema["foreignKeys"] = [{"fields": "measure_id", "reference": {"resource": DEFINITIONS, "fields": "measure_id"}}]
    common = {"scheme": "file", "encoding": "utf-8", "licenses": [LICENCE]}
    resources = [
        {"name": TABLE, "title": "Every force's measures (CSV)", "path": f"{TABLE}.csv", "format": "csv",
         "mediatype": "text/csv", "type": "table", **common, "schema": schema},
        # The same rows and schema as JSON objects; typed "json" (a file frictionless parses) because reading JSON as a
        # table needs frictionless[json], which the project does not install (the tests check it against the schema).
        {"name": f"{TABLE}-json", "title": "Every force's measures (JSON: the same rows, the same schema)",
         "path": f"{TABLE}.json", "format": "json", "mediatype": "application/json", "type": "json", **common,
         "schema": schema},
        {"name": DEFINITIONS, "title": "What each measure is", "path": f"{DEFINITIONS}.csv", "format": "csv",
         "mediatype": "text/csv", "type": "table", **common,
         "schema": table_schema(defs, {}, ["measure_id"])},
    ]
    if series is not None:
        resources.append(_series_resource(target, series[series["measure_id"].isin(list(measures))], series_schema,
                                          common))
    forces_n = rows["force_code"].nunique()
    package = {"name": FOLDER, "title": "Public confidence in policing: every force's measures",
               "description": f"One row per force, measure and period for the {forces_n} territorial forces of England "
                              "and Wales: the force's figure and interval, England and Wales and the median force, "
                              "the verdicts (funnel place, against England and Wales, change since the previous "
                              "period) or the reason there is none, the source grade and datasets"
                              + ("; and each force's measures over time, each period marked where it is not "
                                 "comparable with the one before it" if series is not None else "") + ". Missing is empty, "
                              "never zero; text a spreadsheet would run as a formula starts with a single quote.",
               "licenses": [LICENCE], "resources": resources}
    descriptor = target / "datapackage.json"
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return descriptor


def publish(target: Path) -> Path:
    """`make site`: the package of the real table for all 43 forces, with their measure series, in `target`."""
    from analysis.measures import force_measures, force_series

    return write(target, force_measures.all_forces(), force_series.MEASURES, force_measures.SCHEMA,
                 force_series.all_series(), force_series.SCHEMA)

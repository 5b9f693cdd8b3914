"""An edition's data pack: a Frictionless Data Package (one CSV and table schema per resource) of every at-a-glance
measure and the data behind every chart, and one workbook with a sheet per table of the force's own (its measures and
the charts drawn for it) and a notes sheet."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from analysis.measures import force_measures
from analysis.present import inert, precision
from analysis.sources import manifest

MEASURES_KEY = "pcp_measures"  # output metadata of the at-a-glance table (chapters/at_a_glance.show_table)
# A chart's "Download the chart data (CSV)" link, as the book's Sphinx extension leaves it: to a file in _static.
CSV_LINK = re.compile(r'<a download="(pcp-[\w-]+)\.csv" href="((?:\.\./)*_static/[\w/-]+\.csv)"')
LICENCE = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
           "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
FIRST_COLUMNS = ["measure", "period", "force", "england_and_wales", "median_force", "comparison", "grade", "datasets",
                 "force_figure_alone"]


def folder_name(slug: str) -> str:
    return f"{slug}-data"


def workbook_name(slug: str) -> str:
    return f"{slug}-data.xlsx"


def zip_name(slug: str) -> str:
    return f"{slug}-data.zip"


def published(pack: Path, target: Path, slug: str, link) -> None:
    """What the site serves of a pack (in `target`): the workbook, and the package as one zip of its descriptor and
    CSVs, which is far lighter than 43 folders of loose files."""
    import zipfile

    target.mkdir()
    link(str(pack / workbook_name(slug)), str(target / workbook_name(slug)))
    with zipfile.ZipFile(target / zip_name(slug), "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in pack.rglob("*") if p.is_file() and p.suffix != ".xlsx"):
            # A fixed date, so the same pack gives the same bytes.
            info = zipfile.ZipInfo(f"{pack.name}/{file.relative_to(pack).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
            archive.writestr(info, file.read_bytes(), zipfile.ZIP_DEFLATED)


def measures(notebook: Path) -> pd.DataFrame:
    """The at-a-glance rows an executed notebook attached to its table, with each row's sources and grade."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            rows = output.get("metadata", {}).get(MEASURES_KEY)
            if rows is not None:
                # The notebook stores the rows with sorted keys: the reader's order again, comparable forces last.
                frame = pd.DataFrame(rows)
                first = [c for c in FIRST_COLUMNS if c in frame.columns]
                return frame[first + sorted(c for c in frame.columns if c not in first)]
    raise ValueError(f"{notebook}: no output carries the at-a-glance rows ({MEASURES_KEY}); expected the table cell "
                     "to call at_a_glance.show_table")


def chart_tables(html_root: Path) -> dict[str, tuple[str, pd.DataFrame]]:
    """Every chart's data as its page offers it for download, by chart id: (page, table). Text read as text."""
    found = {}
    for page in sorted(html_root.rglob("*.html")):
        for chart_id, href in CSV_LINK.findall(page.read_text(encoding="utf-8")):
            # Numbers stay numbers (a negative one is no formula); text is already neutralised by the renderer.
            frame = pd.read_csv(page.parent / href, keep_default_na=False)
            found.setdefault(chart_id, (page.relative_to(html_root).as_posix(), frame))
    return found


def notes(datasets) -> pd.DataFrame:
    """Sources, licences, periods and grades of the datasets the pack's figures come from."""
    files = manifest.load_manifest()
    rows = {}
    for file_id in datasets:
        if file_id in files:
            f = files[file_id]
            rows[f.dataset] = {"dataset": f.dataset, "title": f.title, "publisher": f.publisher, "period": f.period,
                               "grade": f.grade, "why accepted at that grade": f.grade_note, "licence": f.licence,
                               "source": f.original_url}
        else:
            rows[file_id] = {"dataset": file_id, "title": "a file the force supplied for this edition",
                             "grade": "the force's own file"}
    return pd.DataFrame(list(rows.values()))


def _sheet(name: str, taken: set[str]) -> str:
    """A unique Excel sheet name (31 characters at most, none of []:*?/\\)."""
    base = SHEET_NAME.sub("-", name)[:31]
    sheet, n = base, 1
    while sheet.lower() in taken:
        n += 1
        sheet = f"{base[:28]}-{n}"
    taken.add(sheet.lower())
    return sheet


# Table Schema types, tried in order on a column's non-empty cells as written to its CSV (frictionless's own
# inference reads every cell through its field readers, about 1.2 s an edition; these patterns take milliseconds).
FIELD_TYPES = [("boolean", re.compile(r"true|false", re.IGNORECASE)),
               ("integer", re.compile(r"[+-]?\d+")),
               ("number", re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")),
               ("date", re.compile(r"\d{4}-\d{2}-\d{2}")),
               ("datetime", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"))]


def table_schema(csv_path: Path) -> dict:
    """The Table Schema of a CSV: each column the first of FIELD_TYPES all its non-empty cells match, else string
    ("any" if it has none). An empty cell is missing, as Table Schema's default missing values say."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    fields = []
    for i, column in enumerate(header):
        cells = {row[i] for row in rows} - {""}
        kind = "any" if not cells else next(
            (name for name, pattern in FIELD_TYPES if all(pattern.fullmatch(c) for c in cells)), "string")
        fields.append({"name": column, "type": kind})
    return {"fields": fields}


def force_measures_table(rows: pd.DataFrame) -> pd.DataFrame:
    """A force's rows of the measures table (measures/force_measures.for_force) as the pack gives them: the figures
    as numbers with their verdicts as values, each measure's definition beside it."""
    definitions = {m: meta["definition"] for m, meta in force_measures.MEASURES.items()}
    return rows.assign(definition=rows["measure_id"].map(definitions))


def write(target: Path, slug: str, force: str, rows: pd.DataFrame, charts: dict[str, tuple[str, pd.DataFrame]],
          built: str, measures_rows: pd.DataFrame | None = None) -> Path:
    """Write the pack into `target` (datapackage.json, CSVs, the workbook); every text cell a spreadsheet could run
    is neutralised first; `measures_rows`, the force's rows of the measures table, as their own resource. Returns the
    datapackage.json path."""
    target.mkdir(parents=True)
    datasets = sorted({d for ds in rows["datasets"] for d in ds})
    measures_table = rows.assign(source=[" | ".join(ds) for ds in rows["datasets"]]).drop(columns="datasets")
    tables = {"key-measures": ("at-a-glance page", measures_table),
              **({} if measures_rows is None else {
                  "force-measures": ("every measure as numbers, with its verdicts and definition",
                                     force_measures_table(measures_rows))}),
              **{cid.removeprefix("pcp-").lower(): (page, frame) for cid, (page, frame) in charts.items()},
              "notes": ("sources, licences, periods and grades", notes(datasets))}
    tables = {name: (where, precision.for_file(frame)) for name, (where, frame) in tables.items()}
    (target / "data").mkdir()
    resources = []
    for name, (where, frame) in tables.items():
        path = f"data/{name}.csv"
        inert.spreadsheet(frame).to_csv(target / path, index=False)
        resources.append({"name": name, "type": "table", "title": f"{name} ({where})", "licenses": [LICENCE],
                          "path": path, "scheme": "file", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "schema": table_schema(target / path)})
    package = {"name": folder_name(slug), "title": f"Public confidence in policing: data for {force}",
               "description": f"Every at-a-glance measure and the data behind every chart of the {force} edition, "
                              f"built {built}. Source grades and licences are in the notes resource.",
               "licenses": [LICENCE], "resources": resources}
    descriptor = target / "datapackage.json"
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # The workbook holds the force's own tables (its measures, and the charts drawn for it); the package holds every
    # chart, national ones too, which are the same in all 43 editions and would otherwise weigh down the site 43 times.
    taken: set[str] = set()
    own = {n: t for n, t in tables.items()
           if n in ("key-measures", "force-measures", "notes") or slug in n or n.startswith("glance-")}
    with pd.ExcelWriter(target / workbook_name(slug), engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as book:
        for name, (where, frame) in own.items():
            inert.spreadsheet(frame).to_excel(book, sheet_name=_sheet(name, taken), index=False)
    return descriptor

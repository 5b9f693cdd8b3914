"""Parse the ONS police force area workbooks: find each table by its header, flatten multi-row headers, tidy rows."""

from __future__ import annotations

import re

import pandas as pd

from analysis import forces
from analysis.schemas import SchemaError
from analysis.sources import locate

FILES = {2018: "ons_pfa_data_tables/pfa_tables_2018", 2019: "ons_pfa_data_tables/pfa_tables_2019"}
AREA_CODE = re.compile(r"^[EWK]\d{8}$")
# Footnote markers are fused onto labels: "fraud5)", "burglary6,7", "London10".
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+(?:,\d+)*(?=\)|\s|$)")
AREA_TYPES = {"K04": "England and Wales", "E92": "country", "W92": "country", "E12": "region",
              "E23": "force", "W15": "force"}


def _clean(text) -> str:
    return re.sub(r"\s+", " ", FOOTNOTE.sub("", str(text))).strip()


def read_table(year_ending: int, table: str) -> pd.DataFrame:
    """One table (e.g. "Table P3") as a wide frame: area_code, area_name, area_type, then one column per header.

    The sheet is found by name, the header block is everything between the title and the first
    row with an ONS area code, and group headers are carried across the columns they span.
    """
    path = locate(FILES[year_ending])
    book = pd.ExcelFile(path)
    sheets = [s for s in book.sheet_names if s.strip().lower() == table.lower()]
    if not sheets:
        raise SchemaError(f"{path}: no sheet named {table!r}; expected one of the published tables, "
                          f"found {book.sheet_names}")
    raw = pd.read_excel(book, sheet_name=sheets[0], header=None, dtype=object)
    is_code = raw[0].astype(str).str.strip().str.match(AREA_CODE)
    if not is_code.any():
        raise SchemaError(f"{path} [{sheets[0]}]: no rows with an ONS area code (like K04000001) in column A; "
                          "the table layout has changed")
    first = int(is_code.to_numpy().argmax())
    header_rows = raw.iloc[1:first]
    area_row = [i for i in header_rows.index if _clean(raw.at[i, 0]) == "Area Code"]
    if not area_row:
        raise SchemaError(f"{path} [{sheets[0]}]: no 'Area Code' header above the first data row "
                          f"(row {first + 1}); the table layout has changed")
    labels = []
    for col in raw.columns:
        parts = []
        for i in header_rows.index:
            # Rows above 'Area Code' hold group headers that span several columns; carry them right.
            row = header_rows.loc[i].ffill() if i < area_row[0] else header_rows.loc[i]
            value = row[col]
            if pd.notna(value) and _clean(value) and _clean(value) not in parts and _clean(raw.at[i, 0]) != _clean(value):
                parts.append(_clean(value))
        labels.append(" | ".join(parts) or f"column {col}")
    labels[0], labels[1] = "area_code", "area_name"
    body = raw[is_code].copy()
    body.columns = labels
    # Spacer columns (and the stray 'Area Name' label above them) hold no values.
    body = body.loc[:, ~pd.Index(labels).str.startswith("column ")].dropna(axis=1, how="all")
    body["area_code"] = body["area_code"].str.strip()
    body["area_name"] = body["area_name"].map(_clean)
    body.insert(2, "area_type", body["area_code"].str[:3].map(AREA_TYPES).fillna("other"))
    body.attrs["source"] = f"{path} [{sheets[0]}]"
    return body.reset_index(drop=True)


def column(table: pd.DataFrame, *starts: str) -> str:
    """The one column whose label parts begin with each of `starts`, in order; a clear error otherwise."""
    def fits(label: str) -> bool:
        parts = label.split(" | ")
        return len(parts) >= len(starts) and all(p.lower().startswith(s.lower()) for p, s in zip(parts, starts))

    found = [c for c in table.columns if fits(c)]
    if len(found) != 1:
        raise SchemaError(f"{table.attrs.get('source', 'table')}: expected one column headed {' / '.join(starts)!r}, "
                          f"found {len(found)}; columns are {list(table.columns)}")
    return found[0]


def forces_only(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows for territorial forces, and a description of every other row the table holds."""
    is_force = table["area_code"].isin(forces.force_codes()) & (table["area_type"] == "force")
    others = [f"{r.area_name} ({r.area_code}, {r.area_type})" for r in table[~is_force].itertuples()]
    return table[is_force].reset_index(drop=True), others


def numeric(values: pd.Series) -> pd.Series:
    """Numbers, with the ONS symbols for suppressed or not applicable (':', '+', '..') as missing."""
    return pd.to_numeric(values.where(~values.astype(str).str.strip().isin([":", "+", "..", "-", "*"])),
                         errors="coerce")


def recorded_crime_rate(year_ending: int) -> pd.DataFrame:
    """Police recorded crime (excluding fraud) per 1,000 residents, and the population used, by area."""
    table = read_table(year_ending, "Table P3")
    rate = column(table, "Total recorded crime")
    population = column(table, "Population figures")
    return pd.DataFrame({"area_code": table["area_code"], "area_name": table["area_name"],
                         "area_type": table["area_type"], "crime_rate": numeric(table[rate]),
                         "population": numeric(table[population])}).assign(year_ending=year_ending)


def asb_experience(year_ending: int) -> pd.DataFrame:
    """CSEW: % of adults who experienced or witnessed any anti-social behaviour, by area, with ONS's test."""
    table = read_table(year_ending, "Table P6")
    pct = column(table, "Any anti-social behaviour", "Percentage experienced")
    sig = column(table, "Any anti-social behaviour", "Statistically significantly different from England")
    flag = table[sig].astype(str).str.strip()
    return pd.DataFrame({"area_code": table["area_code"], "area_name": table["area_name"],
                         "area_type": table["area_type"], "asb_pct": numeric(table[pct]),
                         "ons_significant": flag.str.startswith("*")}).assign(year_ending=year_ending)

"""Police recorded crime counts by force area, year ending June 2025 (ONS Table P1 as a CSV export), checked as its
PROVENANCE.md documents."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

TABLE_FILE = "ons_pfa_table_p1_ye_jun2025/table_p1"
PERIOD = "year ending June 2025"
BTP = "British Transport Police"
# The sheet's title and notes rows above its header (PROVENANCE.md: lines 1 to 6).
TITLE_ROWS = 6
TOTAL = "Total recorded crime (excluding fraud)"
VIOLENCE = "Violence against the person"
# Violence against the person is the sum of these (PROVENANCE.md's check).
VIOLENCE_PARTS = ("Homicide", "Death or serious injury - unlawful driving", "Violence with injury",
                  "Violence without injury", "Stalking and harassment")
AREA_CODES = frozenset({forces.ENGLAND_AND_WALES, "E92000001", "W92000004"})

SCHEMA = Schema(
    "police recorded crime by police force area, year ending June 2025 (ONS Table P1)",
    (Column("area_code", "str", nullable=True), Column("area_name", "str"), Column(TOTAL, "int", min=0),
     Column(VIOLENCE, "int", min=0)),
    unique=("area_code", "area_name"),
)


def _header(label: str) -> str:
    """A header as one line, its note markers dropped ("Total recorded crime\\n (excluding fraud) \\n[note 2]")."""
    return " ".join(label.replace("[note 2]", "").split())


def _numbers(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    """Every offence column as whole numbers; any cell that is not a number names its file, column and row."""
    out = raw.copy()
    for name in raw.columns[2:]:
        text = raw[name].str.replace(",", "", regex=False).str.strip()
        bad = ~text.str.fullmatch(r"\d+").fillna(False)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise SchemaError(f"{where}: column {name!r}, row {i + TITLE_ROWS + 2} ({raw.at[i, 'area_name']}) holds "
                              f"{raw.at[i, name]!r}; expected a count of offences")
        out[name] = text.astype("int64")
    return out


def _check(table: pd.DataFrame, where: str) -> None:
    """PROVENANCE.md's checks: the 43 forces, their sums to England and Wales (with BTP) in every column, England plus
    Wales plus BTP likewise, and violence against the person as the sum of its parts."""
    codes = set(table["area_code"].dropna())
    missing = sorted(forces.force_codes() - codes)
    if missing or (table["area_name"] == BTP).sum() != 1:
        raise SchemaError(f"{where}: force codes {missing} are missing or the {BTP} row is not there once; "
                          "expected the 43 territorial forces and British Transport Police")
    counts = table.columns[2:]
    by = table.set_index(table["area_code"].fillna(table["area_name"]))[counts]
    national = by.loc[forces.ENGLAND_AND_WALES]
    for what, parts in (("the 43 forces plus " + BTP, by.loc[sorted(forces.force_codes()) + [BTP]].sum()),
                        ("England plus Wales plus " + BTP, by.loc[["E92000001", "W92000004", BTP]].sum())):
        off = parts != national
        if off.any():
            column = off.idxmax()
            raise SchemaError(f"{where}: column {column!r}: {what} add up to {parts[column]:,}, not the England and "
                              f"Wales row's {national[column]:,}")
    apart = by[list(VIOLENCE_PARTS)].sum(axis=1) != by[VIOLENCE]
    if apart.any():
        row = apart.idxmax()
        raise SchemaError(f"{where}: row {row}: column {VIOLENCE!r} is {by.at[row, VIOLENCE]:,}, not the sum of its "
                          f"five parts ({by.loc[row, list(VIOLENCE_PARTS)].sum():,})")


@cache.in_memory
def load() -> pd.DataFrame:
    """Recorded crime (excluding fraud) in the year ending June 2025: pfa_code and crimes for the 43 forces and
    England and Wales (whose total includes British Transport Police's, as ONS's does); counts only, no rates."""
    path = locate(TABLE_FILE)
    where = str(path)
    raw = pd.read_csv(path, skiprows=TITLE_ROWS, dtype=str, encoding="ascii")
    raw.columns = ["area_code", "area_name", *(_header(c) for c in raw.columns[2:])]
    raw["area_code"] = raw["area_code"].str.strip()
    raw["area_name"] = raw["area_name"].str.strip()
    table = validate(_numbers(raw, where), SCHEMA, where)
    _check(table, where)
    kept = table[table["area_code"].isin(forces.force_codes() | {forces.ENGLAND_AND_WALES})]
    out = kept.rename(columns={"area_code": "pfa_code", TOTAL: "crimes"})[["pfa_code", "crimes"]]
    out.attrs["source"] = where
    return out.reset_index(drop=True)

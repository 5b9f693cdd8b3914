"""All stop and searches per force in 2024/25 (Home Office table SS_20, a third party's extract), checked against the
totals its PROVENANCE.md documents."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

TOTALS_FILE = "stop_search_force_totals_ye_mar2025/totals"
YEAR_ENDING = 2025
# What the extract's PROVENANCE.md documents: 44 forces (with British Transport Police) and the 43 territorial.
STATED_ALL = 528_582
STATED_TERRITORIAL = 513_474
BTP = "btp"

SCHEMA = Schema(
    "stop and search totals by force, 2024/25 (table SS_20)",
    (Column("force_id", "str"), Column("pfa_code", "str", nullable=True), Column("year_end", "int", min=YEAR_ENDING,
                                                                                max=YEAR_ENDING),
     Column("published_total", "int", min=0)),
    unique=("force_id",),
)


@cache.in_memory
def load() -> pd.DataFrame:
    """The 43 territorial forces' searches in 2024/25 (pfa_code, searches); British Transport Police is counted in
    the documented total and then left out, as the force areas have no place for it."""
    path = locate(TOTALS_FILE)
    where = str(path)
    df = validate(pd.read_csv(path, dtype={"pfa_code": str}), SCHEMA, where)
    if df["published_total"].sum() != STATED_ALL:
        raise SchemaError(f"{where}: the {len(df)} totals sum to {df['published_total'].sum():,}; its PROVENANCE.md "
                          f"documents {STATED_ALL:,} (43 forces and British Transport Police)")
    territorial = df[df["pfa_code"].notna()]
    unknown = sorted(set(territorial["pfa_code"]) - forces.force_codes())
    missing = sorted(forces.force_codes() - set(territorial["pfa_code"]))
    if unknown or missing or len(territorial) != 43:
        raise SchemaError(f"{where}: force codes {unknown or ''} are not territorial forces, {missing or ''} are "
                          "missing; expected one row for each of the 43 forces and one for British Transport Police")
    if territorial["published_total"].sum() != STATED_TERRITORIAL:
        raise SchemaError(f"{where}: the 43 territorial forces sum to {territorial['published_total'].sum():,}; "
                          f"expected {STATED_TERRITORIAL:,}")
    out = territorial.rename(columns={"published_total": "searches"})[["pfa_code", "searches"]]
    out.attrs["source"] = where
    return out.reset_index(drop=True)

"""ONS lookups from local authority districts to police force areas (December 2023, with the December 2016 lookup for
districts merged since)."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, require_columns, validate

LOOKUP_FILE = "lad23_pfa_lookup_dec2023/lookup"
LOOKUP_2016_FILE = "pfa_ethnicity_census2011/lookup"

# Census 2021 LAD codes abolished before December 2023 that the 2016 lookup lacks because they were formed
# after it. Somerset West and Taunton was formed on 1 April 2019 from Taunton Deane and West Somerset
# (The Somerset West and Taunton (Local Government Changes) Order 2018, SI 2018/649); it takes their PFA.
SUCCESSORS_OF = {"E07000246": ("E07000190", "E07000191")}


def _lookup(file_id: str, lad: str, pfa: str) -> pd.DataFrame:
    path = locate(file_id)
    # Both ONS lookups start with a UTF-8 byte-order mark; utf-8-sig keeps it out of the first column name.
    raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(raw, [lad, pfa], str(path))
    table = raw[[lad, pfa]].drop_duplicates().rename(columns={lad: "lad_code", pfa: "pfa_code"})
    schema = Schema(f"{lad} to {pfa} lookup", (Column("lad_code", "str"), forces.code_column()), unique=("lad_code",))
    # unique=lad_code also proves no district is split between two force areas.
    return validate(table.reset_index(drop=True), schema, str(path))


@cache.in_memory
def lad_to_pfa() -> pd.Series:
    """The force area (PFA code) of every local authority district, indexed by LAD code.

    Covers the December 2023 districts (ONS LAD23 lookup) and every older district in the ONS
    December 2016 lookup that the 2023 one lacks. Among those are the 16 Census 2021 districts of
    Cumbria, North Yorkshire and Somerset merged into unitary authorities in 2023; the 17th,
    Somerset West and Taunton (formed in 2019), gets its force area through SUCCESSORS_OF.
    """
    current = _lookup(LOOKUP_FILE, "LAD23CD", "PFA23CD").set_index("lad_code")["pfa_code"]
    older = _lookup(LOOKUP_2016_FILE, "LAD16CD", "PFA16CD").set_index("lad_code")["pfa_code"]
    merged = {}
    for code, parts in SUCCESSORS_OF.items():
        areas = set(older.reindex(list(parts)).dropna())
        if len(areas) != 1:
            raise ValueError(f"{locate(LOOKUP_2016_FILE)}: the districts {list(parts)} that formed {code} should "
                             f"lie in one force area; found {sorted(areas) or 'none'}")
        merged[code] = areas.pop()
    extra = pd.concat([older[~older.index.isin(current.index)], pd.Series(merged, dtype="str")])
    clash = current.reindex(older.index).dropna()
    clash = clash[clash != older.reindex(clash.index)]
    if len(clash):
        raise ValueError(f"{locate(LOOKUP_FILE)} and {locate(LOOKUP_2016_FILE)} put district {clash.index[0]} in "
                         f"different force areas; expected boundaries that only merged districts")
    return pd.concat([current, extra]).rename_axis("lad_code").rename("pfa_code")


def assign_pfa(lad_codes: pd.Series, source: str) -> pd.Series:
    """The PFA code of each LAD code; a code no lookup covers raises an error naming `source` and the code."""
    table = lad_to_pfa()
    unknown = sorted(set(lad_codes) - set(table.index))
    if unknown:
        raise ValueError(f"{source}: local authority district {unknown[0]} is in no LAD to PFA lookup "
                         f"({len(unknown)} unassigned: {unknown[:5]}); expected a code in {locate(LOOKUP_FILE)} "
                         f"or {locate(LOOKUP_2016_FILE)}")
    return lad_codes.map(table)

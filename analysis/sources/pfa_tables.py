"""Parse the ONS police force area workbooks: find each table by its header, flatten multi-row headers, tidy rows."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.sources import cache, forces, workbooks
from analysis.sources.files import locate
from analysis.sources.schemas import SchemaError

# Editions: the March editions by year ending March (the CSEW tables are in them), later ones by label.
DEC_2024 = "YE Dec 2024"
FILES = {2018: "ons_pfa_data_tables/pfa_tables_2018", 2019: "ons_pfa_data_tables/pfa_tables_2019",
         DEC_2024: "ons_pfa_tables_ye_dec2024/pfa_tables_dec2024"}
PERIODS = {2018: "year ending March 2018", 2019: "year ending March 2019", DEC_2024: "year ending December 2024"}
AREA_CODE = re.compile(r"^[EWK]\d{8}$")
# Footnote markers are fused onto labels in the older workbooks ("fraud5)", "burglary6,7", "London10")
# and bracketed in the newer ones ("[note 2]", "[note 7,8]").
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+(?:,\d+)*(?=\)|\s|$)|\[note [\d, ]+\]")
# Cells ONS left without a number: older symbols, and the bracketed shorthand of newer tables ("[u1]", "[x]").
NOT_A_NUMBER = re.compile(r"^(?::|\+|\.\.|-|\*|\[[a-z]\d*\])$")
# "[u1]" in the YE Dec 2024 tables: rates for the City of London, withheld for its small resident population.
SUPPRESSED_MARKERS = frozenset({"[u1]", "+"})
SUPPRESSED = "suppressed by ONS"
AREA_TYPES = {"K04": "England and Wales", "E92": "country", "W92": "country", "E12": "region",
              "E23": "force", "W15": "force"}


def _clean(text) -> str:
    return re.sub(r"\s+", " ", FOOTNOTE.sub("", str(text))).strip()


def read_table(edition: int | str, table: str, *, uncoded: tuple[str, ...] = ()) -> pd.DataFrame:
    """One table (e.g. "Table P3") as a wide frame: area_code, area_name, area_type, then one column per header.

    `edition` is a key of FILES. The sheet is found by name (trailing spaces ignored), the header
    block is everything between the title and the first row with an ONS area code, and group
    headers are carried across the columns they span. Rows without an area code are left out,
    except those whose name is in `uncoded` (e.g. British Transport Police), kept with no code.
    """
    if edition not in FILES:
        raise KeyError(f"unknown PFA tables edition {edition!r}; expected one of {list(FILES)}")
    path = locate(FILES[edition])
    # Keyed by the file's identity, so a changed or substituted workbook is read afresh.
    return _read_table(path, path.stat().st_mtime_ns, table, uncoded)


@cache.in_memory
def _read_table(path: Path, mtime_ns: int, table: str, uncoded: tuple[str, ...]) -> pd.DataFrame:
    """read_table's work, done once per table and kernel."""
    with workbooks.workbook(path) as book:
        # Sheet names are matched without case or trailing spaces ("Table P3 " in the 2019 edition).
        sheets = [s for s in book.sheet_names if s.strip().lower() == table.lower()] or [table]
        raw = book.sheet(sheets[0], "one of the published tables")
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
    named = raw[1].map(lambda v: _clean(v) if pd.notna(v) else "")
    keep_uncoded = (raw.index > first) & ~is_code & raw[0].isna() & named.isin(uncoded)
    body = raw[is_code | keep_uncoded].copy()
    body.columns = labels
    # Spacer columns (and the stray 'Area Name' label above them) hold no values.
    body = body.loc[:, ~pd.Index(labels).str.startswith("column ")].dropna(axis=1, how="all")
    body["area_code"] = body["area_code"].str.strip()
    body["area_name"] = body["area_name"].map(_clean)
    body.insert(2, "area_type", body["area_code"].str[:3].map(AREA_TYPES).fillna("other"))
    body.loc[body["area_code"].isna(), "area_type"] = "no area code"
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
    """Numbers, with the ONS symbols for suppressed or not applicable (':', '+', '..', '[u1]', '[x]') as missing.

    Any other text in a number column is an error naming the value, not a silent missing.
    """
    symbol = values.astype(str).str.strip().str.match(NOT_A_NUMBER) & values.notna()
    converted = pd.to_numeric(values.where(~symbol), errors="coerce")
    stray = converted.isna() & values.notna() & ~symbol
    if stray.any():
        raise SchemaError(f"{values.attrs.get('source', 'PFA table')}: column {values.name!r} holds "
                          f"{values[stray].iloc[0]!r}, which is neither a number nor an ONS symbol")
    return converted


def suppressed(values: pd.Series) -> pd.Series:
    """True where ONS withheld the figure (its suppression marker), as opposed to a figure that is absent."""
    return values.astype(str).str.strip().isin(SUPPRESSED_MARKERS)


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


BTP = "British Transport Police"


def recorded_crime(edition: int | str = DEC_2024) -> pd.DataFrame:
    """Police recorded crime (excluding fraud) by area: count (Table P1), rate per 1,000 and population (Table P3).

    One row per area with an ONS code, plus British Transport Police (count only, no code: it has no
    area of its own). `rate_note` says "suppressed by ONS" where ONS withheld the rate (the City of
    London: too few residents), so the text can say why a rate is missing. The counts are checked:
    the territorial forces plus BTP must add up to England and Wales.
    """
    counts = read_table(edition, "Table P1", uncoded=(BTP,))
    rates = read_table(edition, "Table P3")
    count_col = column(counts, "Total recorded crime")
    rate_col, population_col = column(rates, "Total recorded crime"), column(rates, "Population figures")
    table = pd.DataFrame({"area_code": counts["area_code"], "area_name": counts["area_name"],
                          "area_type": counts["area_type"], "crimes": numeric(counts[count_col])})
    coded = rates.set_index("area_code")
    table["crime_rate"] = table["area_code"].map(numeric(coded[rate_col]))
    table["population"] = table["area_code"].map(numeric(coded[population_col]))
    table["rate_note"] = table["area_code"].map(suppressed(coded[rate_col]).map({True: SUPPRESSED, False: ""}))
    table["rate_note"] = table["rate_note"].fillna("")
    _check_total(table, counts.attrs["source"])
    return table.assign(period=PERIODS[edition])


def _check_total(table: pd.DataFrame, source: str) -> None:
    """The 43 force totals plus BTP must equal the England and Wales total (ONS: E&W includes BTP)."""
    national = table.loc[table["area_code"] == forces.ENGLAND_AND_WALES, "crimes"]
    kept, _ = forces_only(table)
    btp = table.loc[table["area_name"] == BTP, "crimes"]
    if len(national) != 1 or len(kept) != 43 or len(btp) != 1:
        raise SchemaError(f"{source}: expected one England and Wales row, 43 force rows and one {BTP} row; "
                          f"found {len(national)}, {len(kept)} and {len(btp)}")
    total = kept["crimes"].sum() + btp.iloc[0]
    if total != national.iloc[0]:
        raise SchemaError(f"{source}: the 43 force totals plus {BTP} add up to {total:,.0f}, "
                          f"not the England and Wales total {national.iloc[0]:,.0f}")


def offence_group_rates(edition: int | str = DEC_2024) -> pd.DataFrame:
    """Recorded crime rates by offence group and area (Table P3), long: area_code, offence_group, rate, rate_unit, rate_note.

    Residential burglary is published per 1,000 residents and per 1,000 households; the unit says which.
    Suppressed rates are missing, with rate_note "suppressed by ONS".
    """
    rates = read_table(edition, "Table P3")
    first = rates.columns.get_loc(column(rates, "Total recorded crime"))
    frames = []
    for label in rates.columns[first + 1:]:
        group = label.split(" | ")[-1]
        per_household = "(households)" in group
        frames.append(pd.DataFrame({
            "area_code": rates["area_code"], "offence_group": group.replace(" (households)", ""),
            "rate": numeric(rates[label]),
            "rate_unit": "per 1,000 households" if per_household else "per 1,000 residents",
            "rate_note": suppressed(rates[label]).map({True: SUPPRESSED, False: ""})}))
    return pd.concat(frames, ignore_index=True).assign(period=PERIODS[edition])

"""Parse the IOPC deaths during or following police contact workbook: stacked tables found by title, checked against their totals."""

from __future__ import annotations

import re

import pandas as pd

from analysis.sources import cache, forces, workbooks
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

DEATHS_FILE = "iopc_deaths_following_contact/time_series"
# Death type -> (sheet, national table, by-force fatalities table).
TYPES = {
    "Road traffic fatalities": ("RTI", "1.1", "RTI_By_Force", "1.8"),
    "Fatal police shootings": ("Shootings", "2.1", "Shootings_By_Force", "2.5"),
    "Deaths in or following custody": ("Custody", "3.1", "Custody_By_Force", "3.5"),
    "Apparent suicides following custody": ("Apparent_suicides", "4.1", "Apparent_suicides_By_Force", "4.5"),
    "Other deaths following contact": ("Other_contact", "5.1", "Other_contact_by_force", "5.6"),
}
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
SHORT_YEAR = re.compile(r"^(\d{2})/(\d{2})$")
# IOPC marks revised cells with "~" and footnotes cells and names with "^", "*", "\"" or "#".
MARKS = re.compile(r'[~^*"#]')

SERIES_SCHEMA = Schema(
    "IOPC deaths by type and financial year",
    (Column("type", "str", allowed=frozenset(TYPES)), Column("year_ending", "int", min=2000, max=2100),
     Column("fatalities", "int", min=0), Column("incidents", "int", min=0)),
    unique=("type", "year_ending"),
)
FORCE_SCHEMA = Schema(
    "IOPC fatalities by type, force and financial year",
    (Column("type", "str", allowed=frozenset(TYPES)),
     forces.code_column(),
     Column("year_ending", "int", min=2000, max=2100), Column("fatalities", "int", min=0)),
    unique=("type", "pfa_code", "year_ending"),
)


@cache.in_memory
def _workbook() -> tuple[str, dict[str, pd.DataFrame]]:
    """Every sheet the book reads from the IOPC workbook, each cell as published, read once per kernel."""
    path = locate(DEATHS_FILE)
    names = dict.fromkeys(sheet for sheets in TYPES.values() for sheet in sheets[::2])
    with workbooks.workbook(path) as book:
        return str(path), {name: book.sheet(name, "the IOPC time-series layout") for name in names}


def _sheet(name: str) -> tuple[str, pd.DataFrame]:
    path, sheets = _workbook()
    return f"{path} [{name}]", sheets[name]


def _text(value) -> str:
    return "" if pd.isna(value) else MARKS.sub("", str(value)).strip()


def _count(value, where: str) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d+", text):
        raise SchemaError(f"{where}: {value!r} is not a count; expected a whole number of deaths")
    return int(text)


def _title_row(frame: pd.DataFrame, number: str, where: str) -> int:
    titles = frame[0].map(_text)
    hits = titles.index[titles.str.startswith(f"Table {number} ")]
    if len(hits) != 1:
        found = [t.split("  ")[0][:60] for t in titles if t.startswith("Table ")]
        raise SchemaError(f"{where}: expected one table titled 'Table {number} ...', found {len(hits)}; "
                          f"tables on this sheet: {found}")
    return int(hits[0])


def _header_column(header: pd.Series, start: str, where: str) -> int:
    hits = [c for c, v in header.items() if _text(v).lower().startswith(start.lower())]
    if len(hits) != 1:
        raise SchemaError(f"{where}: expected one column headed {start!r} in the header row, found "
                          f"{[_text(v) for v in header if _text(v)]}")
    return hits[0]


def _authorities(name: str, where: str) -> list[str | None]:
    """Force codes for an authority row; a joint row ("British Transport & Greater Manchester &
    Lancashire") gives each force, matched greedily so "Avon & Somerset" stays whole."""
    parts, codes = name.split(" & "), []
    while parts:
        # The longest run of parts that names an authority; a lone unknown part raises, naming the closest forces.
        size = next((n for n in range(len(parts), 1, -1) if forces.is_known_name(" & ".join(parts[:n]))), 1)
        codes.append(forces.code_for(" & ".join(parts[:size]), where))
        parts = parts[size:]
    return codes


def _check_total(values: pd.Series, total_row: pd.Series, column, label: str, where: str,
                 shared: bool = False) -> None:
    """The rows must add up to the published Total; with `shared` (a footnoted incident involving
    two forces, counted against each) they may add up to more, never less."""
    published, summed = _count(total_row[column], where), int(values.sum())
    if summed < published or (summed > published and not shared):
        raise SchemaError(f"{where}: {label} sum to {summed} but the table's Total row says {published}; "
                          "rows are missing or the layout has changed")


def national_series() -> pd.DataFrame:
    """Fatalities and incidents per death type and financial year (year ending March), checked against each Total."""
    frames = []
    for kind, (sheet, number, _, _) in TYPES.items():
        where, frame = _sheet(sheet)
        where = f"{where} Table {number}"
        top = _title_row(frame, number, where)
        header = frame.loc[top + 1]
        fatal = _header_column(header, "Number of fatalities", where)
        incid = _header_column(header, "Number of incidents", where)
        rows, total = [], None
        for i in range(top + 2, len(frame)):
            label = _text(frame.at[i, 0])
            if label.lower() == "total":
                total = frame.loc[i]
                break
            match = FINANCIAL_YEAR.match(label)
            if not match:
                raise SchemaError(f"{where}: row {i + 1} has {label!r} where a financial year like 2019/20 or the "
                                  "Total row was expected")
            rows.append({"type": kind, "year_ending": int(match.group(1)) + 1,
                         "fatalities": _count(frame.at[i, fatal], f"{where} row {i + 1}"),
                         "incidents": _count(frame.at[i, incid], f"{where} row {i + 1}")})
        if total is None:
            raise SchemaError(f"{where}: no Total row below the years; the table layout has changed")
        table = pd.DataFrame(rows)
        _check_total(table["fatalities"], total, fatal, "fatalities", where)
        frames.append(table)
    return validate(pd.concat(frames, ignore_index=True), SERIES_SCHEMA, DEATHS_FILE)


def year_notes(kind: str) -> pd.DataFrame:
    """The footnotes IOPC attaches to particular years of a death type's national table (a definition change, a
    change in how many deaths are referred and investigated): year_ending, note. Marker "*" and "**" rows are
    matched to the footnote lines below the table that start with the same marker."""
    sheet, number, _, _ = TYPES[kind]
    where, frame = _sheet(sheet)
    where = f"{where} Table {number}"
    top = _title_row(frame, number, where)
    labels = frame[0].map(lambda v: "" if pd.isna(v) else str(v))
    rows = []
    for i in range(top + 2, len(frame)):
        raw = labels.iat[i].strip()
        match = re.match(r"^(\d{4})/\d{2}\s*(\*+)$", raw)
        if match:
            marker = match.group(2)
            notes = [re.sub(r"^\*+\s*", "", n.strip()) for n in labels.iloc[i:]
                     if re.match(rf"^{re.escape(marker)}(?!\*)\s*\S", n.strip())]
            if not notes:
                raise SchemaError(f"{where}: {raw!r} carries the footnote marker {marker!r} but no note below the "
                                  "table starts with it")
            rows.append({"year_ending": int(match.group(1)) + 1, "note": notes[0]})
        if raw.lower() == "total":
            break
    return pd.DataFrame(rows, columns=["year_ending", "note"])


@cache.in_memory
def by_force() -> pd.DataFrame:
    """Fatalities per death type, territorial force and financial year, checked against each table's Total row.

    Non-territorial authorities (British Transport Police, HMRC, the Home Office and others)
    are dropped and listed in `attrs['dropped']`. A force missing from a table had no deaths
    of that type (the shootings table lists only forces with one), so it gets zeros. A death
    in an incident involving two forces is counted against each, as IOPC prints it.
    """
    frames, dropped = [], set()
    for kind, (_, _, sheet, number) in TYPES.items():
        where, frame = _sheet(sheet)
        where = f"{where} Table {number}"
        top = _title_row(frame, number, where)
        if not _text(frame.at[top + 1, 0]).startswith("Appropriate authority"):
            raise SchemaError(f"{where}: expected 'Appropriate authority' under the title, found "
                              f"{_text(frame.at[top + 1, 0])!r}")
        years = {c: SHORT_YEAR.match(_text(v)) for c, v in frame.loc[top + 2].items()}
        years = {c: 2000 + int(m.group(2)) for c, m in years.items() if m}
        if not years:
            raise SchemaError(f"{where}: no financial-year columns (like 19/20) two rows below the title")
        rows, all_rows, total, marked = [], [], None, set()
        for i in range(top + 3, len(frame)):
            name = _text(frame.at[i, 0])
            if name.lower().startswith("total"):
                total = frame.loc[i]
                break
            counts = {y: _count(frame.at[i, c], f"{where} row {i + 1}") for c, y in years.items()}
            marked |= {y for c, y in years.items() if MARKS.search(str(frame.at[i, c]))}
            all_rows.append(counts)
            codes = _authorities(name, where)
            if len(codes) > 1:
                marked |= {y for y, n in counts.items() if n}
            if not any(codes):
                dropped.add(name)
            rows += [{"type": kind, "pfa_code": code, "year_ending": y, "fatalities": n}
                     for code in codes if code for y, n in counts.items()]
        if total is None:
            raise SchemaError(f"{where}: no Total row below the authorities; the table layout has changed")
        every = pd.DataFrame(all_rows)
        for column, year in years.items():
            _check_total(every[year], total, column, f"fatalities in {year - 1}/{str(year)[2:]}", where,
                         shared=year in marked)
        frames.append(pd.DataFrame(rows))
    # A force can appear on its own row and in a joint row: add them up.
    listed = pd.concat(frames, ignore_index=True).groupby(["type", "pfa_code", "year_ending"], as_index=False).sum()
    full = pd.MultiIndex.from_product([list(TYPES), sorted(forces.force_codes()), sorted(listed["year_ending"].unique())],
                                      names=["type", "pfa_code", "year_ending"])
    listed = listed.set_index(["type", "pfa_code", "year_ending"])
    validate(listed.reset_index(), FORCE_SCHEMA, DEATHS_FILE)
    table = listed.reindex(full, fill_value=0).reset_index()
    table.attrs["dropped"] = sorted(dropped)
    return table

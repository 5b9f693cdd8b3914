"""Read police.uk downloads: one monthly file, or a force's archive folder of many months, checked to be one force's."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.sources import forces, localfiles
from analysis.sources.files import locate
from analysis.sources.localfiles import LocalDataError
from analysis.sources.schemas import SchemaError

SAMPLE = {"street": "policeuk_sample_2023_03/street", "outcomes": "policeuk_sample_2023_03/outcomes",
          "stop-and-search": "policeuk_sample_2023_03/stop_and_search"}
# The published column sets (data.police.uk/about), in file order.
COLUMNS = {
    "street": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
               "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"],
    "outcomes": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Outcome type"],
    "stop-and-search": ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
                        "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
                        "Object of search", "Outcome", "Outcome linked to object of search",
                        "Removal of more than just outer clothing"],
}
ASB = "Anti-social behaviour"


def load(kind: str, path: str | Path | None = None) -> pd.DataFrame:
    """A police.uk file of the given kind ('street', 'outcomes' or 'stop-and-search').

    With no path, the Bedfordshire March 2023 sample from the data manifest is used; any
    force's monthly file of the same kind can be passed instead.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown police.uk file kind {kind!r}; expected one of {sorted(COLUMNS)}")
    path = localfiles.regular(Path(path)) if path is not None else locate(SAMPLE[kind])
    df = _read(path, dict(dtype=str, keep_default_na=False, na_values=[""]))
    _check_columns(path, kind, list(df.columns))
    if kind != "stop-and-search":
        bad = ~df["Month"].str.fullmatch(r"\d{4}-\d{2}", na=False)
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise SchemaError(f"{path}: column 'Month' has {localfiles.shown(df['Month'].iloc[row])} at row {row}; "
                              "expected a month like 2023-03")
    for col in ("Longitude", "Latitude"):
        numbers = pd.to_numeric(df[col], errors="coerce")
        bad = df[col].notna() & numbers.isna()
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise SchemaError(f"{path}: column {col!r} has {localfiles.shown(df[col].iloc[row])} at row {row}; "
                              "expected a number (decimal degrees) or an empty cell")
        df[col] = numbers
    check_coordinates(path, df)
    df.attrs["source"] = str(path)
    return df


def _check_columns(path: Path, kind: str, found: list[str]) -> None:
    """Refuse a file whose header is not the published one for its kind, saying what it looks like instead."""
    expected = COLUMNS[kind]
    if found != expected:
        guess = [k for k, cols in COLUMNS.items() if found == cols]
        hint = f" It looks like a police.uk '{guess[0]}' file." if guess else ""
        missing = [c for c in expected if c not in found]
        # The header is not quoted back: whatever the file holds stays out of the message.
        lacks = f"its header lacks {missing}" if missing else "its columns are in another order or added to"
        raise SchemaError(f"{path}: not a police.uk '{kind}' file; expected columns {expected}; {lacks} "
                          f"({len(found)} columns found).{hint}")


def _read(path: Path, options: dict) -> pd.DataFrame:
    """pandas.read_csv as UTF-8 (a BOM is dropped); a file in another encoding is refused with its line and byte,
    and any other failure with a message naming the file (never quoting its content)."""
    try:
        return pd.read_csv(path, encoding="utf-8-sig", **options)
    except UnicodeDecodeError:
        localfiles.read_text(path)  # raises the LocalDataError naming the line
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        # pandas' parser messages give line and field counts, not values.
        raise LocalDataError(f"{path}: not a readable CSV file ({str(err).strip()}); expected a police.uk "
                             "download as published") from None
    except (ValueError, TypeError) as err:
        raise LocalDataError(f"{path}: a value does not fit the columns police.uk publishes ({type(err).__name__}); "
                             "expected a police.uk download as published") from None
    except OSError as err:
        raise LocalDataError(f"{path}: cannot be read ({err.strerror or type(err).__name__}); expected a readable "
                             "CSV file") from None


# England and Wales in decimal degrees, with a margin (the Isles of Scilly to Lowestoft, St Agnes to Berwick): a point
# outside is not a location in a territorial force's area.
BOUNDS = {"Longitude": (-6.5, 2.0), "Latitude": (49.8, 56.0)}
# data.police.uk's archive starts in December 2010.
FIRST_MONTH = "2010-12"


def check_coordinates(path: Path, df: pd.DataFrame) -> None:
    """Refuse a coordinate that is not a finite number inside England and Wales, naming the file, column and line."""
    for col, (low, high) in BOUNDS.items():
        if col not in df.columns:
            continue
        values = df[col].to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(values) & ~((values >= low) & (values <= high))
        if bad.any():
            row = int(bad.argmax())
            raise LocalDataError(f"{path}, line {row + 2}: column {col!r} has {float(values[row])!r}; expected decimal "
                                 f"degrees inside England and Wales ({low} to {high}) or an empty cell")


def _check_labels(path: Path, df: pd.DataFrame) -> None:
    """Refuse a NUL, control or text-direction character in any text column (each read as categories)."""
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            found = [c for c in df[col].cat.categories if isinstance(c, str) and re.search(localfiles.UNPRINTABLE, c)]
            if found:
                row = int((df[col] == found[0]).to_numpy().argmax())
                char = re.search(localfiles.UNPRINTABLE, found[0]).group()
                raise LocalDataError(f"{path}, line {row + 2}: column {col!r} holds the character U+{ord(char):04X} "
                                     "(a control or text-direction character); expected printable text")


def _check_dates(path: Path, dates: pd.Series, month: str) -> None:
    """Refuse a stop and search dated outside the month its file is for."""
    bad = ~dates.astype("str").str.startswith(month + "-").fillna(False).to_numpy(dtype=bool)
    if bad.any():
        row = int(bad.argmax())
        raise LocalDataError(f"{path}, line {row + 2}: column 'Date' has {localfiles.shown(dates.iloc[row])}; "
                             f"expected a date in {month}, the month in the file name")


def _month(file: Path, folder: Path, month: str) -> None:
    """Refuse a month that is not a calendar month police.uk could publish, or a month folder named for another."""
    number = int(month[5:])
    if not 1 <= number <= 12 or month < FIRST_MONTH:
        raise LocalDataError(f"{file}: {month!r} in the file name is not a month police.uk publishes; expected "
                             f"YYYY-MM from {FIRST_MONTH} on, with MM from 01 to 12")
    if file.parent != folder and file.parent.name != month:
        raise LocalDataError(f"{file}: the file is for {month} but its folder is named "
                             f"{localfiles.shown(file.parent.name)}; expected {LAYOUT.format(kind='<kind>')}")


NO_SUSPECT = "Investigation complete; no suspect identified"
NFA = "A no further action disposal"
# A police.uk archive: YYYY-MM/YYYY-MM-<force slug>-<kind>.csv (data.police.uk/data/archive).
FILE_NAME = re.compile(r"^(\d{4}-\d{2})-([a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$")
LAYOUT = "YYYY-MM/YYYY-MM-<force>-{kind}.csv, as in a data.police.uk archive download"
# What the book's measures need from each kind, read with compact dtypes (a year of a large force is ~1.5M rows).
NEEDED = {
    "street": {"Month": "category", "Falls within": "category", "Longitude": "float64", "Latitude": "float64",
               "Location": "category", "LSOA code": "category", "Crime type": "category",
               "Last outcome category": "category"},
    "outcomes": {"Month": "category", "Falls within": "category", "LSOA code": "category",
                 "Outcome type": "category"},
    "stop-and-search": {"Type": "category", "Officer-defined ethnicity": "category", "Object of search": "category",
                        "Outcome": "category", "Outcome linked to object of search": "str"},
}


def load_folder(path, kind: str, force: str | None = None) -> pd.DataFrame:
    """Every month of one kind in a police.uk download folder, checked to be one force's, with a Month column.

    `force` (an ONS code, name or slug) is the force the files must be for; without it, the
    force of the first file. attrs: force (ONS code), months, missing_months, files, source, label.
    Months missing between the first and last are stated (in attrs and the label; see `gap_note`), not filled.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown police.uk file kind {kind!r}; expected one of {sorted(COLUMNS)}")
    folder = localfiles.existing(path, f"police.uk files laid out as {LAYOUT.format(kind=kind)}", folder=True)
    # Only regular files inside the folder: a link out of it, a pipe or a device is refused before anything is read.
    localfiles.in_folder(folder, [p for p in folder.rglob("*") if not p.is_dir()])
    files = sorted(set(folder.glob(f"*-{kind}.csv")) | set(folder.glob(f"*/*-{kind}.csv")))
    if not files:
        others = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        found = f"found {others[:6]}{' and more' if len(others) > 6 else ''}" if others else "the folder is empty"
        raise LocalDataError(f"{folder}: no police.uk '{kind}' files; expected {LAYOUT.format(kind=kind)}; {found}")
    expected = forces.resolve(force) if force else None
    frames, months, seen = [], [], {}
    for file in files:
        match = FILE_NAME.match(file.name)
        if not match or match.group(3) != kind:
            raise LocalDataError(f"{file}: not named like a police.uk archive file; expected "
                                 f"{LAYOUT.format(kind=kind)}")
        month, slug = match.group(1), match.group(2)
        _month(file, folder, month)
        if month in seen:  # read twice, every count of the month would double
            raise LocalDataError(f"{file}: {month} is also in {seen[month]}; expected each month once (remove one "
                                 "of the two files)")
        seen[month] = file
        try:
            named = forces.resolve(slug)
        except forces.UnknownForceError:
            raise LocalDataError(f"{file}: {slug!r} in the file name is not one of the 43 territorial forces; expected "
                                 f"files for {expected.name if expected else 'one force'}") from None
        expected = expected or named
        if named.code != expected.code:
            raise LocalDataError(f"{file}: the file name says {named.name}; expected files for {expected.name} only")
        header = _read(file, dict(nrows=0)).columns.tolist()
        _check_columns(file, kind, header)
        checked = {"Date": "str", "Latitude": "float64", "Longitude": "float64"} if kind == "stop-and-search" else {}
        df = _read(file, dict(usecols=[*NEEDED[kind], *checked], dtype={**NEEDED[kind], **checked}))
        if df.empty:  # a header and no records: the month is missing, not a month of none
            continue
        check_coordinates(file, df)
        _check_labels(file, df)
        if checked:
            _check_dates(file, df["Date"], month)
            df = df.drop(columns=list(checked))
        if "Falls within" in df.columns:
            for name in df["Falls within"].cat.categories:
                try:
                    found = forces.resolve(name)
                except forces.UnknownForceError:
                    found = None
                if found is None or found.code != expected.code:
                    raise LocalDataError(f"{file}: 'Falls within' is {localfiles.shown(name)}; expected "
                                         f"{expected.name} only (the "
                                         "folder must hold one force's files)")
            bad = [m for m in df["Month"].cat.categories if m != month]
            if bad:
                raise LocalDataError(f"{file}: column 'Month' has {localfiles.shown(bad[0])}; expected {month} as in "
                                     "the file name")
        else:
            df["Month"] = month
        frames.append(df)
        months.append(month)
    if not frames:
        raise LocalDataError(f"{folder}: every police.uk '{kind}' file has a header and no records; expected at "
                             "least one month of records")
    out = _concat(frames)
    out["Month"] = out["Month"].astype("category")
    months = sorted(set(months))
    every = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m").tolist()
    missing = [m for m in every if m not in months]
    out.attrs.update({"force": expected.code, "months": months, "missing_months": missing,
                      "files": [str(f) for f in files], "source": str(folder),
                      "label": label(expected.name, months, missing)})
    return out


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate monthly frames, keeping categorical columns categorical (with the union of their categories)."""
    columns = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            # A month where a column is empty gets float categories; union_categoricals needs one dtype.
            parts = [p.cat.rename_categories(pd.Index(p.cat.categories.astype(str), dtype="str")) for p in parts]
            columns[col] = pd.Series(union_categoricals(parts, ignore_order=True))
        else:
            columns[col] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(columns)


def month_name(month: str) -> str:
    """'2024-04' as 'April 2024'."""
    return pd.Period(month, freq="M").strftime("%B %Y")


def label(force_name: str, months: list[str], missing: list[str] = ()) -> str:
    """'Kent Police, April 2024 to March 2025' (with the missing months named, if any)."""
    span = month_name(months[0]) if len(months) == 1 else f"{month_name(months[0])} to {month_name(months[-1])}"
    gaps = f" (no data for {', '.join(month_name(m) for m in missing)})" if missing else ""
    return f"{force_name}, {span}{gaps}"


def read(kind: str, path=None, force: str | None = None) -> pd.DataFrame:
    """A police.uk folder (any number of months) or one monthly file (the Bedfordshire sample by default).

    Either way the frame has a Month column and attrs force, months, missing_months, source and
    label ('Bedfordshire Police, March 2023'), taken from the data and the force registry.
    """
    if path is not None and Path(path).is_dir():
        return load_folder(path, kind, force)
    file = localfiles.existing(path, f"a police.uk '{kind}' file") if path is not None else locate(SAMPLE[kind])
    df = load(kind, file)
    match = FILE_NAME.match(Path(file).name)
    if "Month" not in df.columns:
        df["Month"] = match.group(1) if match else df["Date"].str[:7]
    named = df["Falls within"].mode().iloc[0] if "Falls within" in df.columns else (match.group(2) if match else None)
    try:
        f = forces.resolve(force or named)
    except forces.UnknownForceError:
        raise LocalDataError(f"{file}: cannot tell which force the file is for ({localfiles.shown(named)}); "
                             "expected a police.uk file "
                             "named YYYY-MM-<force>-<kind>.csv, or pass force=") from None
    months = sorted(df["Month"].dropna().unique())
    df.attrs.update({"force": f.code, "months": months, "missing_months": [], "files": [str(file)],
                     "source": str(file), "label": label(f.name, months)})
    return df


def span(records: pd.DataFrame) -> str:
    """The months a frame covers, as 'April 2024 to March 2025' (from its attrs)."""
    return records.attrs["label"].split(", ", 1)[1]


def force_name(records: pd.DataFrame) -> str:
    return forces.get(records.attrs["force"]).name



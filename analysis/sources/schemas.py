"""Table schemas checked by pandera, with errors that name the file, column, an example row and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from analysis.sources import cache


class SchemaError(ValueError):
    """A table does not match its schema."""


_DTYPE_CHECKS = {
    "str": lambda s: ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s),
    "int": ptypes.is_integer_dtype,
    "float": ptypes.is_float_dtype,
    "number": lambda s: ptypes.is_numeric_dtype(s) and not ptypes.is_bool_dtype(s),
    "date": ptypes.is_datetime64_any_dtype,
}


@dataclass(frozen=True)
class Column:
    """What one column must hold."""

    name: str
    dtype: str
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    allowed: frozenset | None = None
    # Name the allowed set in errors (e.g. "an ONS force code") instead of listing it.
    allowed_label: str | None = None

    def expectations(self) -> dict[str, str]:
        """What each of the column's value checks expects, in words, in the order errors report them."""
        words = {}
        if self.min is not None:
            words["min"] = f"a value >= {self.min}"
        if self.max is not None:
            words["max"] = f"a value <= {self.max}"
        if self.allowed is not None:
            words["allowed"] = self.allowed_label or f"one of {sorted(self.allowed)}"
        return words


@dataclass(frozen=True)
class Schema:
    """A tidy table: its columns, and the columns that identify a row."""

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = field(default=())


@cache.in_memory
def pandera_schema(schema: Schema) -> pa.DataFrameSchema:
    """The pandera schema of one of ours: a dtype check, nullability and value checks per column, unique keys."""
    columns = {}
    for col in schema.columns:
        # The order of expectations(): errors name a failed check by its place in this list.
        checks = [pa.Check(_DTYPE_CHECKS[col.dtype], name="dtype")]
        if col.min is not None:
            checks.append(pa.Check.ge(col.min))
        if col.max is not None:
            checks.append(pa.Check.le(col.max))
        if col.allowed is not None:
            checks.append(pa.Check.isin(col.allowed))
        columns[col.name] = pa.Column(None, checks=checks, nullable=col.nullable, name=col.name)
    return pa.DataFrameSchema(columns, unique=list(schema.unique) or None, report_duplicates="all",
                              name=schema.name)


def _plain(value):
    # numpy scalars print as np.int64(2007); errors should read 2007.
    return value.item() if hasattr(value, "item") else value


def _row_label(df: pd.DataFrame, position: int, key: tuple[str, ...]) -> str:
    # Data rows start on line 2 of a CSV with a header; say "row N" by position instead.
    label = f"row {position}"
    shown = [c for c in key if c in df.columns]
    if shown:
        label += " (" + ", ".join(f"{c}={_plain(df[c].iat[position])!r}" for c in shown) + ")"
    return label


def _positions(df: pd.DataFrame, index_labels: pd.Series) -> list[int]:
    """Row positions (first first) of the index labels pandera reports."""
    found = df.index.get_indexer(pd.Index(index_labels.dropna().unique()))
    return sorted(int(p) for p in found if p >= 0)


def validate(df: pd.DataFrame, schema: Schema, source: str) -> pd.DataFrame:
    """Return `df` unchanged if it matches `schema`; otherwise raise a SchemaError.

    `source` names where the table came from (a file path or dataset id). pandera finds every failure; the
    message reports the first, in the order of the schema's columns (missing columns, then dtype, empty cells,
    out-of-range and unexpected values column by column, then duplicate keys): which file, which column, an
    example offending row with its key, and what was expected.
    """
    where = f"{source} [{schema.name}]"
    missing = [c.name for c in schema.columns if c.name not in df.columns]
    if missing:
        raise SchemaError(
            f"{where}: missing column(s) {missing}; expected columns "
            f"{[c.name for c in schema.columns]}, found {list(df.columns)}"
        )
    try:
        pandera_schema(schema).validate(df, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise SchemaError(_first_failure(df, schema, errors.failure_cases, where)) from None
    return df


def _first_failure(df: pd.DataFrame, schema: Schema, cases: pd.DataFrame, where: str) -> str:
    """pandera's failure cases, as one message about the first failure."""
    for col in schema.columns:
        mine = cases[cases["column"] == col.name]
        if (mine["check_number"] == 0).any():
            return f"{where}: column '{col.name}' has dtype {df[col.name].dtype}; expected {col.dtype}"
        nulls = df[col.name].isna()
        if (mine["check"] == "not_nullable").any() and nulls.any():
            first = _row_label(df, int(nulls.to_numpy().argmax()), schema.unique)
            return (f"{where}: column '{col.name}' is empty at {first}; expected a value in every row "
                    f"({int(nulls.sum())} empty)")
        # A column's value checks follow its dtype check (number 0) in the order of expectations().
        for number, expected in enumerate(col.expectations().values(), start=1):
            rows = _positions(df, mine.loc[mine["check_number"] == number, "index"])
            if rows:
                return (f"{where}: column '{col.name}' has {_plain(df[col.name].iat[rows[0]])!r} at "
                        f"{_row_label(df, rows[0], schema.unique)}; expected {expected} ({len(rows)} row(s) fail)")
    rows = _positions(df, cases.loc[cases["check"] == "multiple_fields_uniqueness", "index"])
    if rows:
        return (f"{where}: duplicate rows for {list(schema.unique)} at {_row_label(df, rows[0], schema.unique)}; "
                f"expected one row per {' x '.join(schema.unique)} ({len(rows)} rows involved)")
    return f"{where}: does not match the schema: {cases.iloc[0].to_dict()}"


def require_columns(df: pd.DataFrame, columns: list[str], source: str) -> pd.DataFrame:
    """Check a raw file has the columns a parser reads, before any reshaping."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{source}: missing column(s) {missing}; expected the published layout with "
            f"columns {columns}, found {list(df.columns)}"
        )
    return df

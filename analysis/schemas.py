"""Declarative table schemas, and a validator whose errors name file, column, row and expectation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from pandas.api import types as ptypes


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


@dataclass(frozen=True)
class Schema:
    """A tidy table: its columns, and the columns that identify a row."""

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = field(default=())


def _plain(value):
    # numpy scalars print as np.int64(2007); errors should read 2007.
    return value.item() if hasattr(value, "item") else value


def _row_label(df: pd.DataFrame, idx, key: tuple[str, ...]) -> str:
    position = df.index.get_loc(idx)
    # Data rows start on line 2 of a CSV with a header; say "row N" by position instead.
    label = f"row {position}"
    shown = [c for c in key if c in df.columns]
    if shown:
        label += " (" + ", ".join(f"{c}={_plain(df.at[idx, c])!r}" for c in shown) + ")"
    return label


def validate(df: pd.DataFrame, schema: Schema, source: str) -> pd.DataFrame:
    """Return `df` unchanged if it matches `schema`; otherwise raise a SchemaError.

    `source` names where the table came from (a file path or dataset id), so the message
    says which file, which column, an example offending row, and what was expected.
    """
    where = f"{source} [{schema.name}]"
    missing = [c.name for c in schema.columns if c.name not in df.columns]
    if missing:
        raise SchemaError(
            f"{where}: missing column(s) {missing}; expected columns "
            f"{[c.name for c in schema.columns]}, found {list(df.columns)}"
        )
    for col in schema.columns:
        series = df[col.name]
        if not _DTYPE_CHECKS[col.dtype](series):
            raise SchemaError(
                f"{where}: column '{col.name}' has dtype {series.dtype}; expected {col.dtype}"
            )
        nulls = series.isna()
        if not col.nullable and nulls.any():
            idx = series.index[nulls.argmax()]
            raise SchemaError(
                f"{where}: column '{col.name}' is empty at {_row_label(df, idx, schema.unique)}; "
                f"expected a value in every row ({int(nulls.sum())} empty)"
            )
        present = series[~nulls]
        checks = []
        if col.min is not None:
            checks.append((present < col.min, f"a value >= {col.min}"))
        if col.max is not None:
            checks.append((present > col.max, f"a value <= {col.max}"))
        if col.allowed is not None:
            label = col.allowed_label or f"one of {sorted(col.allowed)}"
            checks.append((~present.isin(col.allowed), label))
        for bad, expected in checks:
            if bad.any():
                idx = present.index[bad.to_numpy().argmax()]
                raise SchemaError(
                    f"{where}: column '{col.name}' has {df.at[idx, col.name]!r} at "
                    f"{_row_label(df, idx, schema.unique)}; expected {expected} "
                    f"({int(bad.sum())} row(s) fail)"
                )
    if schema.unique:
        dup = df.duplicated(list(schema.unique), keep=False)
        if dup.any():
            idx = df.index[dup.to_numpy().argmax()]
            raise SchemaError(
                f"{where}: duplicate rows for {list(schema.unique)} at "
                f"{_row_label(df, idx, schema.unique)}; expected one row per "
                f"{' x '.join(schema.unique)} ({int(dup.sum())} rows involved)"
            )
    return df


def require_columns(df: pd.DataFrame, columns: list[str], source: str) -> pd.DataFrame:
    """Check a raw file has the columns a parser reads, before any reshaping."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{source}: missing column(s) {missing}; expected the published layout with "
            f"columns {columns}, found {list(df.columns)}"
        )
    return df

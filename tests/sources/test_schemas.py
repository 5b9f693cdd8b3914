"""Schema checks: every violation names the source, the column, an example row and the expectation."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import forces
from analysis.sources.schemas import Column, Schema, SchemaError, require_columns, validate

SCHEMA = Schema(
    "toy force-year counts",
    (
        Column("pfa_code", "str", allowed=forces.force_codes(), allowed_label="an ONS force code (E23/W15)"),
        Column("year", "int"),
        Column("searches", "int", min=0),
    ),
    unique=("pfa_code", "year"),
)


def frame(**overrides):
    df = pd.DataFrame({"pfa_code": ["E23000032", "E23000026"], "year": [2019, 2019], "searches": [10, 20]})
    for col, values in overrides.items():
        df[col] = values
    return df


def test_valid_frame_passes_unchanged():
    df = frame()
    assert validate(df, SCHEMA, "toy.csv") is df


def test_missing_column():
    with pytest.raises(SchemaError) as err:
        validate(frame().drop(columns="searches"), SCHEMA, "toy.csv")
    assert "toy.csv" in str(err.value) and "missing column(s) ['searches']" in str(err.value)


def test_negative_count_names_row_and_expectation():
    with pytest.raises(SchemaError) as err:
        validate(frame(searches=[10, -3]), SCHEMA, "toy.csv")
    msg = str(err.value)
    assert "'searches'" in msg and "-3" in msg and "row 1" in msg and "E23000026" in msg and ">= 0" in msg


def test_duplicate_force_year_rows():
    with pytest.raises(SchemaError, match=r"duplicate rows for \['pfa_code', 'year'\].*E23000032"):
        validate(frame(pfa_code=["E23000032", "E23000032"]), SCHEMA, "toy.csv")


def test_unknown_force_code():
    with pytest.raises(SchemaError, match=r"'E23000099'.*an ONS force code"):
        validate(frame(pfa_code=["E23000032", "E23000099"]), SCHEMA, "toy.csv")


def test_wrong_dtype():
    with pytest.raises(SchemaError, match=r"column 'year' has dtype .*expected int"):
        validate(frame(year=["2019", "2019"]), SCHEMA, "toy.csv")


def test_empty_value():
    with pytest.raises(SchemaError, match=r"column 'searches' is empty at row 0"):
        validate(frame(searches=[None, 1.0]).astype({"searches": "Int64"}), SCHEMA, "toy.csv")


def test_require_columns_lists_what_was_found():
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['Crime type'\].*found \['a'\]"):
        require_columns(pd.DataFrame({"a": [1]}), ["Crime type"], "street.csv")

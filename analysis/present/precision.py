"""Floats rounded to significant digits where they leave the analysis, so every output is the same on any CPU."""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd

from analysis import config


def significant(value: float, digits: int) -> float:
    """`value` to `digits` significant digits; NaN and infinities as they are.

    NumPy's vectorised exp, log and power differ in the last bit between CPUs (AVX-512, AVX2, none); rounding far
    above that bit makes the output identical everywhere. Python's decimal formatting is exact and the same on every
    machine, unlike a rounding built on log10, which is itself vectorised."""
    if not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def rounded(value, digits: int):
    """`value` with every float in it rounded by `significant`: a number, a DataFrame's or Series' float columns, or
    the dicts and lists of a chart spec or a JSON record; integers, text and booleans unchanged."""
    if isinstance(value, (float, np.floating)):
        return significant(float(value), digits)
    if isinstance(value, pd.DataFrame):
        floats = [c for c in value.columns if pd.api.types.is_float_dtype(value[c])]
        return value.assign(**{c: rounded(value[c], digits) for c in floats}) if floats else value
    if isinstance(value, pd.Series):
        if not pd.api.types.is_float_dtype(value):
            return value
        return value.map(lambda x: significant(x, digits) if pd.notna(x) else x).astype(value.dtype)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(rounded(v, digits) for v in value)
    return value


def for_chart(spec: dict) -> dict:
    """A chart spec with its data and numbers at `config.CHART_DIGITS`, far finer than a drawing resolves, and each
    dataset named by a hash of its rounded rows: Altair names it by a hash of the unrounded ones, which differ
    between CPUs."""
    spec = _missing_as_null(rounded(spec, config.CHART_DIGITS))
    names = {old: "data-" + hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:32]
             for old, rows in spec.get("datasets", {}).items() if old.startswith("data-")}
    if not names:
        return spec
    # Names are hex hashes, so each occurs in the spec only as a dataset's key or a reference to it.
    text = json.dumps(spec, sort_keys=True)
    for old, new in names.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


def _missing_as_null(value):
    """A chart spec with every NaN as null: Vega reads both as missing, but a NaN makes the spec invalid JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _missing_as_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_missing_as_null(v) for v in value]
    return value


def for_figure(value: float) -> float:
    """A glued figure or register value at `config.FIGURE_DIGITS` significant digits and at most
    `config.FIGURE_DECIMALS` decimals: enough to reproduce every printed figure."""
    return round(rounded(value, config.FIGURE_DIGITS), config.FIGURE_DECIMALS)


def for_file(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as written to a CSV download, the data pack or its workbook, at `config.FILE_DIGITS`."""
    return rounded(frame, config.FILE_DIGITS)

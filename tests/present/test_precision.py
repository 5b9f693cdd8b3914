"""Floats leave the analysis rounded (issue 31 §1): a last-bit difference between CPUs changes no chart, glued
figure, register entry or file."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import config
from analysis.present import precision, render
from analysis.present.numbers import fmt_number

# The funnel x value issue 31 quotes, as AVX-512 and AVX2 computed it.
ONE_CPU, OTHER_CPU = 1639253.3269576817, 1639253.3269576814


def test_significant_digits_keep_the_figure_and_drop_the_last_bit():
    assert ONE_CPU != OTHER_CPU
    assert precision.significant(ONE_CPU, 6) == precision.significant(OTHER_CPU, 6) == 1639250.0
    assert precision.significant(ONE_CPU, 10) == precision.significant(OTHER_CPU, 10) == 1639253.327
    assert precision.significant(0.000123456789, 3) == 0.000123 and precision.significant(-2.4e-9, 1) == -2e-9
    assert math.isnan(precision.significant(float("nan"), 6)) and precision.significant(math.inf, 6) == math.inf


def test_rounded_reaches_every_float_of_a_spec_or_a_table_and_leaves_the_rest():
    spec = {"datasets": {"d": [{"size": ONE_CPU, "n": 3, "ok": True, "area": "Kent"}]}, "width": 540,
            "scale": {"domain": [np.float64(OTHER_CPU), 2.0]}}
    out = precision.rounded(spec, 6)
    assert out == {"datasets": {"d": [{"size": 1639250.0, "n": 3, "ok": True, "area": "Kent"}]}, "width": 540,
                   "scale": {"domain": [1639250.0, 2.0]}}
    frame = pd.DataFrame({"x": [ONE_CPU, np.nan], "n": [1, 2], "name": ["a", "b"]})
    rounded = precision.rounded(frame, 6)
    assert rounded["x"].iloc[0] == 1639250.0 and pd.isna(rounded["x"].iloc[1])
    assert rounded["n"].tolist() == [1, 2] and rounded["name"].tolist() == ["a", "b"]
    assert frame["x"].iloc[0] == ONE_CPU  # the caller's table is not changed


def test_a_chart_renders_to_the_same_bytes_whichever_cpu_computed_its_data():
    def page(x):
        return render.render({"description": "d", "usermeta": {"pcp": {"name": "t"}},
                              "datasets": {"d": [{"pfa_code": "E23000032", "size": x}]}})["text/html"]

    assert page(ONE_CPU) == page(OTHER_CPU)
    assert f"{ONE_CPU!r}" not in page(ONE_CPU) and "1639250" in page(ONE_CPU)


def test_a_printed_figure_does_not_tip_over_a_rounding_edge_on_a_last_bit():
    # 2.45 computed with a last-bit error on one CPU: it must print as 2.45 does everywhere.
    assert fmt_number(2.4499999999999997, 1) == fmt_number(2.45, 1) == "2.5"
    assert precision.for_figure(2.4499999999999997) == 2.45
    assert config.CHART_DIGITS < config.FIGURE_DIGITS <= 15


def test_a_charts_datasets_are_named_by_their_rounded_rows_not_altairs_hash_of_the_unrounded_ones():
    import altair as alt

    def spec(x):
        chart = alt.Chart(pd.DataFrame({"pfa_code": ["E23000032"], "size": [x]})).mark_point().encode(x="size:Q")
        return precision.for_chart(chart.to_dict())

    one, other = spec(ONE_CPU), spec(OTHER_CPU)
    assert one == other and list(one["datasets"]) == [one["data"]["name"]]


def test_every_sort_in_the_analysis_is_stable_so_ties_keep_one_order_on_every_cpu():
    # NumPy's default quicksort dispatches to SIMD sorts (AVX-512, AVX2) that leave ties in different orders: a
    # chart's rows, or which force a tie puts first, would then depend on the machine.
    import ast

    unstable = []
    for path in sorted((config.REPO_ROOT / "analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # np.sort, not a list's sort (Python's own sort is stable).
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and (node.func.attr in {"sort_values", "sort_index", "argsort"}
                         or node.func.attr == "sort" and getattr(node.func.value, "id", None) == "np")
                    and not any(k.arg == "kind" and getattr(k.value, "value", None) == "stable"
                                for k in node.keywords)):
                unstable.append(f"{path.relative_to(config.REPO_ROOT)}:{node.lineno}")
    assert unstable == []


def test_a_missing_value_reaches_a_chart_spec_as_null_so_the_spec_is_valid_json():
    import json

    # Altair turns a frame's NaN into null, but not a NaN that reaches a spec otherwise (chapter 2's force chart had
    # "pfa_code": NaN on the comparable forces' median, review 8).
    spec = precision.for_chart({"data": {"name": "data-a"}, "datasets": {"data-a": [{"pfa_code": float("nan"),
                                                                                     "value": 1.5}]}})
    [rows] = spec["datasets"].values()
    assert rows == [{"pfa_code": None, "value": 1.5}]
    json.dumps(spec, allow_nan=False)  # raises on a NaN anywhere in the spec


def test_a_figure_near_zero_keeps_no_decimals_below_where_cpus_agree():
    # Chapter 3's pooled interaction correlation: 10 significant digits would be 12 decimals.
    assert precision.for_figure(-0.002023750373) == -0.0020237504
    assert precision.for_figure(1639253.3269576817) == 1639253.327
    assert math.isnan(precision.for_figure(float("nan")))

"""The caterpillar forest plot and the precision funnel: every sample drawn, the pooled r and both bands, and a width
that fits the book's column on a desktop and a phone."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import vl_convert

from analysis.methods import meta_analysis as meta
from analysis.present import forest, theme

KW = {"name": "t", "description": "a test chart", "source": "none", "title": "A title", "x_title": "r"}
PHONE_COLUMN = 342  # pixels: the text column at 390 px (tests/present/test_chart_layout.py)
DESKTOP_COLUMN = 780  # pixels: the text column at 1280 px (present/theme.py)


def samples(k: int = 152) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = rng.integers(50, 5000, k)
    r = np.tanh(rng.normal(0.43, 0.3, k)).round(2)
    frame = pd.DataFrame({"author": [f"S{i}" for i in range(k)], "place": "UK", "n": n, "r": r})
    z = meta.fisher_z(frame)
    return pd.DataFrame({"sample": z["author"], "country": z["place"], "n": z["n"], "r": z["r"],
                         "ci_low": z["ci_low_r"], "ci_high": z["ci_high_r"], "z": z["z"], "se_z": z["se_z"],
                         "published": "published"}), meta.pool_correlations(frame)


def _svg_width(spec: dict, width: int) -> float:
    fixed = json.loads(json.dumps(spec).replace('"container"', str(width)))
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', vl_convert.vegalite_to_svg(fixed)).group(1))


def test_caterpillar_draws_every_sample_sorted_with_the_pooled_r_and_both_bands():
    rows, pooled = samples()
    spec = forest.caterpillar(rows, pooled, **KW).to_dict()
    drawn = max(spec["datasets"].values(), key=len)
    assert len(drawn) == 152 and [d["order"] for d in drawn] == list(range(1, 153))
    assert [d["r"] for d in drawn] == sorted(d["r"] for d in drawn)
    bands = next(d for d in spec["datasets"].values() if d and "low" in d[0])
    assert [b["low"] for b in bands] == pytest.approx([pooled["pi_low_r"], pooled["hk_ci_low_r"]])
    centre = next(d for d in spec["datasets"].values() if d and d[0].get("what") == "pooled r")
    assert centre[0]["r"] == pytest.approx(pooled["estimate_r"])
    assert spec["height"] == forest.ROW_PX * 152


@pytest.mark.parametrize("column", [PHONE_COLUMN, DESKTOP_COLUMN])
def test_caterpillar_and_funnel_fit_the_column_on_a_phone_and_a_desktop(column):
    rows, pooled = samples()
    for chart in [forest.caterpillar(rows, pooled, **KW),
                  forest.precision_funnel(rows, pooled["estimate"], group="published", **KW)]:
        spec = chart.to_dict()
        assert spec["width"] == "container"
        assert _svg_width(spec, column) <= column
        assert all(len(line) <= theme.TITLE_CHARS for line in spec["title"]["text"])


def test_funnel_limits_are_the_centre_plus_or_minus_1_96_standard_errors():
    rows, pooled = samples(20)
    spec = forest.precision_funnel(rows, 0.4, group="published", **KW).to_dict()
    limits = next(d for d in spec["datasets"].values() if d and "side" in d[0])
    for point in limits:
        sign = -1 if point["side"] == "low" else 1
        assert point["z"] == pytest.approx(0.4 + sign * 1.96 * point["se_z"])


def test_the_standard_error_axis_has_no_tick_below_zero():
    # Its domain is padded above zero (review 11 saw -0.004 on chapter 3's funnel): the ticks start at zero.
    rows, _ = samples(20)
    spec = forest.precision_funnel(rows, 0.4, group="published", **KW).to_dict()
    ticks = next(layer["encoding"]["y"]["axis"]["values"] for layer in spec["layer"]
                 if layer["encoding"].get("y", {}).get("axis", {}).get("values"))
    assert ticks[0] == 0 and min(ticks) >= 0 and max(ticks) <= rows["se_z"].max() * (1 + forest.PAD)
    assert 4 <= len(ticks) <= 9


def _domain(spec: dict, channel: str, field: str) -> list[float]:
    return next(layer["encoding"][channel]["scale"]["domain"] for layer in spec["layer"]
                if layer["encoding"].get(channel, {}).get("field") == field
                and "domain" in layer["encoding"][channel].get("scale", {}))


def test_no_dot_or_whisker_sits_on_the_frame_of_either_plot():
    rows, pooled = samples()
    rows.loc[rows["r"].idxmax(), ["r", "ci_high"]] = [0.87, 0.9]  # a whisker ending on a tenth, as chapter 3's does
    spec = forest.caterpillar(rows, pooled, **KW).to_dict()
    low, high = _domain(spec, "x", "low")
    pad = forest.PAD * (rows["ci_high"].max() - rows["ci_low"].min())
    assert low <= rows["ci_low"].min() - pad and high >= rows["ci_high"].max() + pad and -1 <= low and high <= 1
    bottom, top = _domain(spec, "y", "order")
    assert bottom < 1 - 2 and top > len(rows) + 2  # the first and last samples a few rows inside the frame
    spec = forest.precision_funnel(rows, pooled["estimate"], group="published", **KW).to_dict()
    low, high = _domain(spec, "x", "z")
    pad = forest.PAD * (rows["z"].max() - rows["z"].min())
    assert low <= rows["z"].min() - pad and high >= rows["z"].max() + pad
    near, far = _domain(spec, "y", "se_z")
    assert near < 0 < rows["se_z"].min() and far > rows["se_z"].max()

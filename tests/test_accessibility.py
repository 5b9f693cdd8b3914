"""Accessibility of the charts: colour-blind-safe colours, and colour never the only cue (descriptions: test_book)."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from analysis import charts
from tests.accessibility import chart_specs, colour_only
from tests.conftest import EDITION_FORCE

# Okabe-Ito plus neutral greys, black and white: the only colours a chart may use.
NEUTRALS = {"#000", "#000000", "#333", "#444", "#767676", "#d9d9d9", "#e6e6e6", "white", "#fff", "#ffffff"}
COLOUR = re.compile(r'"(#[0-9a-fA-F]{3,6}|white|black|red|green|blue|orange|purple)"')
TOY = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "value": [1, 2, 3, 4], "series": ["a", "a", "b", "b"]})


def test_the_house_palette_is_okabe_ito():
    assert charts.PALETTE[:7] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def test_colour_only_is_caught_and_a_shape_or_label_clears_it():
    bare = alt.Chart(TOY).mark_line().encode(x="year:Q", y="value:Q", color="series:N")
    assert colour_only(bare.to_dict()) == ["line mark: color shows 'series' and nothing else does"]
    shaped = alt.layer(bare, alt.Chart(TOY).mark_point().encode(x="year:Q", y="value:Q", color="series:N",
                                                                 shape="series:N"))
    assert colour_only(shaped.to_dict()) == []
    bars = charts.labelled_bars(TOY.assign(label=TOY["series"] + TOY["year"].astype(str)), name="toy",
                                description="toy bars", source="none", title="t", x_title="x", colour_by="series")
    assert colour_only(bars.to_dict()) == []


def _check_specs(html_root):
    specs = chart_specs(html_root)
    assert specs, f"no charts found under {html_root}"
    for where, spec in specs.items():
        assert colour_only(spec) == [], where
        used = {c.lower() for c in COLOUR.findall(json.dumps(spec))}
        allowed = {c.lower() for c in charts.PALETTE} | NEUTRALS
        assert used <= allowed, f"{where}: colours outside the palette {sorted(used - allowed)}"


@pytest.mark.gate
def test_no_chart_of_the_national_book_relies_on_colour_alone(built):
    _check_specs(built / "html")


@pytest.mark.gate
def test_no_chart_of_an_edition_relies_on_colour_alone(edition):
    _check_specs(edition / EDITION_FORCE / "html")

"""Charts are accessible by construction: the Okabe-Ito palette, and colour never the only cue."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.present import ranked, theme
from tests.gates.accessibility import colour_only

TOY = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "value": [1, 2, 3, 4], "series": ["a", "a", "b", "b"]})


def test_the_house_palette_is_okabe_ito():
    assert theme.PALETTE[:7] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def test_colour_only_is_caught_and_a_shape_or_label_clears_it():
    bare = alt.Chart(TOY).mark_line().encode(x="year:Q", y="value:Q", color="series:N")
    assert colour_only(bare.to_dict()) == ["line mark: color shows 'series' and nothing else does"]
    shaped = alt.layer(bare, alt.Chart(TOY).mark_point().encode(x="year:Q", y="value:Q", color="series:N",
                                                                 shape="series:N"))
    assert colour_only(shaped.to_dict()) == []
    bars = ranked.labelled_bars(TOY.assign(label=TOY["series"] + TOY["year"].astype(str)), name="toy",
                                description="toy bars", source="none", title="t", x_title="x", colour_by="series")
    assert colour_only(bars.to_dict()) == []

"""Every funnel chart is drawn around the centre its verdicts were fitted on (issue 31 §2): the committed national
book here, Kent's edition in tests/gates/test_funnel_charts.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis import config
from analysis.methods import funnel
from analysis.present import funnels, precision
from analysis.sources import forces
from tests.present import funnel_lines


def _ratios(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = sorted(forces.force_codes())
    black = rng.integers(40, 4000, len(codes))
    return pd.DataFrame({"pfa_code": codes, "black": black, "white": 10 * black,
                         "ratio": np.exp(rng.normal(np.log(4), 0.4, len(codes)))})


def _drawn(fitted: funnel.Funnel) -> dict:
    chart = funnels.funnel_plot(fitted, name="t-funnel", description="Funnel plot of a test", source="test",
                                title="t", x_title="x", y_title="y", log_y=True)
    return precision.for_chart(chart.to_dict())


def test_every_funnel_in_the_committed_book_has_its_forces_on_the_side_of_the_drawn_lines_their_labels_say():
    specs = [s for nb in sorted((config.REPO_ROOT / "book").glob("*.ipynb")) for s in funnel_lines.notebook_specs(nb)
             if funnel_lines.funnel_parts(s) is not None]
    names = {s["usermeta"]["pcp"]["name"] for s in specs}
    assert {"stop-search-ratio-by-force", "search-rate-funnel", "use-of-force-ratio", "deaths-by-force",
            "complaint-reviews"} <= names
    assert [p for s in specs for p in funnel_lines.problems(s)] == []


def test_a_funnel_drawn_around_another_centre_than_its_fit_is_caught():
    # As chapter 3 drew it before issue 31: verdicts fitted around one ratio, lines and rule around another.
    fitted = funnel.forces_ratio_funnel(_ratios(), "black", "white", "ratio", 4.0)
    assert funnel_lines.problems(_drawn(fitted)) == []
    elsewhere = funnel.forces_ratio_funnel(_ratios(), "black", "white", "ratio", 4.8)
    found = funnel_lines.problems(_drawn(dataclasses.replace(fitted, curve=elsewhere.curve, centre=4.8)))
    assert any("fitted 95% limits" in p for p in found)


def test_a_force_labelled_within_the_limits_but_drawn_outside_them_is_caught():
    fitted = funnel.forces_ratio_funnel(_ratios(), "black", "white", "ratio", 4.0)
    table = fitted.table.copy()
    outside = table["funnel"] != funnel.WITHIN
    assert outside.any()
    table.loc[outside, "funnel"] = funnel.WITHIN
    found = funnel_lines.problems(_drawn(dataclasses.replace(fitted, table=table)))
    assert sum("is labelled 'within the 95% limits'" in p for p in found) == outside.sum()

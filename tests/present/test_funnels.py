"""The funnel plot: named, described, sourced, limits told apart without colour, the edition's force named."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.methods import funnel
from analysis.present import funnels, render


def _fitted() -> funnel.Funnel:
    """Two forces inside flat limit lines around 6.4."""
    points = pd.DataFrame({"pfa_code": ["E23000032", "E23000001"], "size": [1.8e6, 8.9e6], "value": [3.4, 20.6],
                           "funnel": [funnel.WITHIN, funnel.ABOVE_998]})
    curve = funnel.limit_curve(points["size"], lambda grid, level: (np.full(len(grid), 1.0), np.full(len(grid), 12.0)))
    return funnel.Funnel(points, curve, 6.4, {"phi": 1.0, "tau2": 0.0, "units": 2})


def test_funnel_plot_marks_and_names_the_force_and_dashes_the_998_limits():
    fitted = _fitted()
    spec = funnels.funnel_plot(fitted, name="t-funnel", description="Funnel plot of a test",
                               source="test", title="A funnel", x_title="Residents", y_title="Rate",
                               highlight="kent").to_dict()
    assert spec["usermeta"]["pcp"] == {"name": "t-funnel", "source": "test"} and spec["description"]
    dash = spec["layer"][0]["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["95% limits", "99.8% limits"] and dash["range"][1] != dash["range"][0]
    label = spec["layer"][-1]
    assert label["mark"]["type"] == "text" and label["encoding"]["text"]["field"] == "area"


def test_the_centre_line_is_named_with_what_it_is_and_its_value():
    fitted = dataclasses.replace(_fitted(), centre_name=funnel.MEDIAN_FORCE)
    spec = funnels.funnel_plot(fitted, name="t", description="d", source="s", title="t", x_title="x",
                               y_title="y").to_dict()
    names = [layer["encoding"]["text"]["value"] for layer in spec["layer"]
             if layer["mark"]["type"] == "text" and "value" in layer["encoding"]["text"]]
    assert names == ["The median force: 6.4"]


def test_a_force_at_the_large_end_is_named_to_the_left_of_its_dot_so_the_name_stays_inside_the_chart():
    fitted = _fitted()

    def named(highlight):
        spec = funnels.funnel_plot(fitted, name="t", description="d", source="s", title="t",
                                   x_title="x", y_title="y", highlight=highlight).to_dict()
        return {layer["mark"]["align"]: [row["area"] for row in spec["datasets"][layer["data"]["name"]]]
                for layer in spec["layer"] if layer["encoding"].get("text", {}).get("field") == "area"}

    assert named("kent") == {"left": ["Kent"], "right": []}
    assert named("metropolitan-police") == {"left": [], "right": ["Metropolitan Police"]}


def test_the_chart_data_download_of_a_funnel_holds_the_forces_not_its_limit_lines():
    import base64
    import io
    import re

    fitted = _fitted()
    chart = funnels.funnel_plot(fitted, name="t-download", description="Funnel plot of a test",
                                source="test", title="A funnel", x_title="Residents", y_title="Rate")
    assert len(fitted.curve) > len(fitted.table)  # the limit lines are the larger dataset
    markup = render.render(chart.to_dict())["text/html"]
    csv = base64.b64decode(re.search(r"data:text/csv;base64,([^\"]+)", markup).group(1)).decode()
    assert list(pd.read_csv(io.StringIO(csv))["pfa_code"]) == ["E23000032", "E23000001"]


def test_a_log_funnel_axis_spans_the_forces_and_limits_drawn_not_the_powers_of_ten_around_them():
    fitted = _fitted()
    spec = funnels.funnel_plot(fitted, name="t", description="d", source="s", title="t", x_title="x", y_title="y",
                               log_y=True).to_dict()
    scale = spec["layer"][0]["encoding"]["y"]["scale"]
    low, high = scale["domain"]
    # Drawn: limit lines from 1 to 12 and forces from 3.4 to 20.6; the axis within a factor of 1.25 of those.
    assert scale["type"] == "log" and scale["nice"] is False
    assert 1.0 / 1.25 <= low < 1.0 and 20.6 < high <= 20.6 * 1.25
    assert spec["layer"][0]["encoding"]["y"]["axis"]["values"] == [1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0]

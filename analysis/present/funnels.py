"""Funnel plots: every force's rate against its size, with 95% and 99.8% control limits around the funnel's centre
(the line named at its right end), the edition's force marked and named."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis import config
from analysis.methods import funnel
from analysis.present.numbers import fmt_number
from analysis.present.markers import force_labels, marker_encodings, name_label
from analysis.present.theme import COLUMN_WIDTH, GREY, axis_title, finish, independent, log_axis

# Past this share of the log size axis, a force's name goes to the left of its dot.
RIGHT_SHARE = 0.6


# What a funnel's subtitle says of the forces it draws apart or leaves out.
CITY_LEFT_OUT = "The City of London is left out: per resident, its figures say little"
HOLLOW = "Hollow: a force given no place among the others (the text says why)"


def funnel_plot(fitted: funnel.Funnel, *, name: str, description: str, source: str, title: str, x_title: str,
                y_title: str, subtitle=None, highlight: str | None = None, log_y: bool = False,
                fmt: str = ".1f") -> alt.LayerChart:
    """The forces of `fitted` as dots at (size, value) inside its limit lines, with a rule at its centre named by what
    it is and its value ("The median force: 5.2"): the lines, the centre and each force's verdict all come
    from the one fit.

    The 99.8% limits are dashed, the 95% limits solid, so the two read apart without colour.
    """
    points, curve, centre = fitted.table, fitted.curve, fitted.centre
    # The City of London is left out, as on every chart per resident; a force the fit gives no place (its two
    # denominators disagree, too few to place) is drawn hollow, so the picture suggests no verdict the text withholds.
    city = points["funnel"] == funnel.CITY_NOT_COMPARED
    frame = force_labels(points[~city], highlight)
    frame = frame.assign(placed=frame["funnel"].isin(funnel.PLACED))
    notes = ([CITY_LEFT_OUT] if city.any() else []) + ([] if frame["placed"].all() else [HOLLOW])
    if notes:
        subtitle = [*([subtitle] if isinstance(subtitle, str) else subtitle or []), *notes]
    # The axis spans the limit lines only: Vega's nice log domain would run to the next power of ten.
    x = alt.X("size:Q", title=axis_title(x_title),
              scale=alt.Scale(type="log", nice=False, domain=[curve["size"].min(), curve["size"].max()]))
    # A log axis spans the forces and limit lines drawn, not the powers of ten around them.
    y = alt.Y("value:Q", title=axis_title(y_title),
              **(log_axis(frame["value"], curve["value"], centre) if log_y else {"scale": alt.Scale(zero=False)}))
    levels = sorted(curve["level"].unique())
    lines = alt.Chart(curve).mark_line(color=GREY, strokeWidth=1.5).encode(
        x=x, y=y, detail="side:N",
        strokeDash=alt.StrokeDash("level:N", title=None, sort=levels,
                                  scale=alt.Scale(domain=levels, range=[[1, 0], [5, 3]]),
                                  legend=alt.Legend(orient="top", direction="horizontal")))
    centre_rule = alt.Chart(pd.DataFrame({"centre": [centre]})).mark_rule(color="#000", strokeWidth=1).encode(
        y="centre:Q")
    # Named at the right end, just under the line: the largest forces sit there, few and close to the centre, and
    # the edition's force is named beside its own dot, above or below it.
    named = f"{fitted.centre_name[0].upper()}{fitted.centre_name[1:]}: {fmt_number(centre, 1)}"
    centre_name = alt.Chart(pd.DataFrame({"centre": [centre]})).mark_text(
        align="right", baseline="top", dx=-4, dy=3, fontSize=11, color="#000").encode(
        x=alt.value("width"), y="centre:Q", text=alt.value(named))
    colour, shape = marker_encodings(frame)
    marks = alt.Chart(frame).encode(
        x=x, y=y, color=colour.legend(None), shape=shape.legend(None),
        tooltip=[alt.Tooltip("area:N", title="Force"), alt.Tooltip("value:Q", format=fmt, title="Value"),
                 alt.Tooltip("funnel:N", title=f"Against {fitted.centre_name}")])
    # A layer only where it has forces to draw: an empty mark group is an unnamed graphic to a screen reader.
    dots = [marks.mark_point(filled=True, size=60, opacity=0.9).transform_filter("datum.placed")] * bool(
        frame["placed"].any())
    hollow = [marks.mark_point(filled=False, size=60, strokeWidth=1.5).transform_filter("!datum.placed")] * bool(
        (~frame["placed"]).any())
    # A force in the right part of the plot (the largest) is named to the left of its dot, so the name stays inside
    # the chart however narrow the column.
    lo, hi = np.log(curve["size"].min()), np.log(curve["size"].max())
    right = (np.log(frame["size"]) - lo) / (hi - lo) > RIGHT_SHARE
    names = [name_label(frame[~right], "size:Q", y), name_label(frame[right], "size:Q", y, align="right")]
    chart = alt.layer(lines, centre_rule, centre_name, *dots, *hollow, *names, resolve=independent("color", "shape"),
                      **COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)

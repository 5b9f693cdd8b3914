"""The evidence-and-gap map: the guide's actions down the side, outcomes across the top, one mark per study and
outcome, sized by grade, coloured by direction and shaped by whether it was done in the UK; empty cells are gaps."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.methods.evidence_strength import DIRECTIONS, GRADES
from analysis.present import theme

# The map's columns (the register's outcome_domain) and their short headings, which fit a phone.
OUTCOMES = {"confidence/trust/legitimacy": "Confidence", "satisfaction": "Satisfaction",
            "fear/perceived safety": "Fear", "crime/disorder": "Crime", "officer behaviour": "Officers"}
DIRECTION_COLOURS = dict(zip(DIRECTIONS, (theme.PALETTE[2], theme.GREY, theme.PALETTE[5], theme.PALETTE[4])))
SIZES = {"Strong": 260, "Strong to moderate": 200, "Moderate": 140, "Limited": 90, "Association only": 45,
         "Narrative review": 45}
CELL = 34  # pixels per outcome column: five columns and the wrapped action labels fit 390 px


def chart(frame: pd.DataFrame, actions: list[str], *, name: str, title: str, source: str):
    """The map for `actions` (one row each, in order, empty rows kept): `frame` has action, outcome, study, grade,
    direction, place ("UK" or "Elsewhere") and offset (the mark's place within its cell)."""
    grades = [g for g, _ in GRADES if g in SIZES]
    base = alt.Chart(frame).encode(
        x=alt.X("outcome:N", scale=alt.Scale(domain=list(OUTCOMES.values())), title=None,
                axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", domain=False, ticks=False)),
        xOffset=alt.XOffset("offset:N", scale=alt.Scale(domain=list(range(4)), paddingOuter=0.3)),
        y=alt.Y("action:N", scale=alt.Scale(domain=actions), title=None,
                axis=alt.Axis(labelExpr=theme.wrapped_labels(pd.Series(actions), 26), grid=True, domain=False,
                              ticks=False)),
    )
    marks = base.mark_point(filled=True, opacity=0.9, strokeWidth=1, stroke="black").encode(
        color=alt.Color("direction:N", scale=alt.Scale(domain=list(DIRECTION_COLOURS),
                                                       range=list(DIRECTION_COLOURS.values())),
                        legend=alt.Legend(title="Direction", orient="bottom", direction="vertical")),
        size=alt.Size("grade:N", scale=alt.Scale(domain=grades, range=[SIZES[g] for g in grades]),
                      legend=alt.Legend(title="Grade", orient="bottom", direction="vertical")),
        shape=alt.Shape("place:N", scale=alt.Scale(domain=["UK", "Elsewhere"], range=["square", "circle"]),
                        legend=alt.Legend(title="Where", orient="bottom", direction="vertical")),
        tooltip=["action", "outcome", "study", "grade", "direction", "place"],
    )
    drawn = marks.properties(width=CELL * len(OUTCOMES), height=alt.Step(theme.row_step(pd.Series(actions), 26) + 14))
    return theme.finish(drawn.configure_view(stroke="#cccccc"), name=name, title=title, source=source,
                        description=f"{title}. One mark per study and outcome; an empty cell is a gap.")


def gaps(frame: pd.DataFrame, actions: list[str]) -> list[str]:
    """Each action's outcomes no study on the map measured, in words."""
    lines = []
    for action in actions:
        seen = set(frame.loc[frame["action"] == action, "outcome"])
        missing = [o.lower() for o in OUTCOMES.values() if o not in seen]
        if len(missing) == len(OUTCOMES):
            lines.append(f"**{action}**: this book found no readable study of its effect on any of these outcomes.")
        elif missing:
            lines.append(f"**{action}**: no study on the map measured {', '.join(missing[:-1])}"
                         f"{' or ' if len(missing) > 1 else ''}{missing[-1]}.")
    return lines

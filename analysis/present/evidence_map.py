"""The evidence-and-gap map: the guide's actions down the side, outcomes across the top, one mark per study and
outcome, sized by grade, coloured and signed by direction and shaped by where it was done; empty cells are gaps."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.methods.evidence_strength import DIRECTIONS, GRADES
from analysis.present import theme

# The map's columns (the register's outcome_domain) and their short headings, which fit a phone.
OUTCOMES = {"confidence/trust/legitimacy": "Confidence", "satisfaction": "Satisfaction",
            "fear/perceived safety": "Fear", "crime/disorder": "Crime", "officer behaviour": "Officers"}
DIRECTION_COLOURS = dict(zip(DIRECTIONS, (theme.PALETTE[2], theme.GREY, theme.PALETTE[5], theme.PALETTE[4])))
# A sign beside each mark says its direction too, so the map never relies on colour alone.
DIRECTION_SIGNS = dict(zip(DIRECTIONS, ("+", "0", "\u2212", "?")))


def _by_direction(value: str) -> str:
    """A Vega expression giving the sign of the direction in `value` (an expression such as datum.direction)."""
    expression = "''"
    for direction, sign in reversed(DIRECTION_SIGNS.items()):
        expression = f"{value} === '{direction}' ? '{sign}' : {expression}"
    return expression
SIZES = {"Strong": 190, "Strong to moderate": 140, "Moderate": 100, "Limited": 65, "Association only": 35,
         "Narrative review": 35}
# Where a study was done, and its mark's shape; a country the source does not give is not "elsewhere".
PLACES = {"UK": "square", "Elsewhere": "circle", "Country not stated": "triangle-up"}
CELL = 40  # pixels per outcome column: five columns and the wrapped action labels fit 390 px
LABEL_CHARS = 20  # characters per line of an action's label
MARK_STEP = 15  # pixels between the marks stacked in one cell
LABEL_WIDTH = 130  # about the widest wrapped action label, in pixels


def chart(frame: pd.DataFrame, actions: list[str], *, name: str, title: str, source: str):
    """The map for `actions` (one row each, in order, empty rows kept): `frame` has action, outcome, study, grade,
    direction, place (a key of PLACES) and offset (the mark's place within its cell)."""
    grades = [g for g, _ in GRADES if g in SIZES]
    per_cell = int(frame["offset"].max()) + 1 if len(frame) else 1
    step = max(theme.row_step(pd.Series(actions), LABEL_CHARS), MARK_STEP * per_cell) + 10
    height = len(actions) * step
    # Legends stacked under the plot from the labels' left edge, so the map is no wider than its plot and labels.

    def legend(title: str, below: int) -> alt.Legend:
        return alt.Legend(title=title, orient="none", direction="vertical", legendX=-LABEL_WIDTH,
                          legendY=height + below, titleFontSize=12, labelFontSize=11)
    base = alt.Chart(frame).encode(
        x=alt.X("outcome:N", scale=alt.Scale(domain=list(OUTCOMES.values())), title=None,
                axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", domain=False, ticks=False)),
        y=alt.Y("action:N", scale=alt.Scale(domain=actions), title=None,
                axis=alt.Axis(labelExpr=theme.wrapped_labels(pd.Series(actions), LABEL_CHARS), grid=True,
                              tickBand="extent", domain=False, ticks=False)),
        yOffset=alt.YOffset("offset:O", scale=alt.Scale(domain=list(range(per_cell)), paddingOuter=0.5)))
    direction_legend = legend("Direction (its sign)", 12)
    direction_legend.labelExpr = f"datum.label + ' (' + ({_by_direction('datum.label')}) + ')'"
    marks = base.mark_point(filled=True, opacity=0.9, strokeWidth=1, stroke="#333").encode(
        color=alt.Color("direction:N", scale=alt.Scale(domain=list(DIRECTION_COLOURS),
                                                       range=list(DIRECTION_COLOURS.values())),
                        legend=direction_legend),
        size=alt.Size("grade:O", scale=alt.Scale(type="ordinal", domain=grades, range=[SIZES[g] for g in grades]),
                      legend=legend("Grade (design)", 100)),
        shape=alt.Shape("place:N", scale=alt.Scale(domain=list(PLACES), range=list(PLACES.values())),
                        legend=legend("Where", 230)),
        tooltip=["action", "outcome", "study", "grade", "direction", "place"])
    signs = base.transform_calculate(sign=_by_direction("datum.direction")).mark_text(
        dx=9, align="left", baseline="middle", fontSize=11, fontWeight="bold").encode(text="sign:N")
    layered = alt.layer(marks, signs, width=CELL * len(OUTCOMES), height=height)
    return theme.finish(layered.configure_view(stroke="#d9d9d9"), name=name, title=title, source=source,
                        description=f"{title}. One mark per study and outcome; an empty cell is a gap.")


def gaps(frame: pd.DataFrame, actions: list[str], pooled: dict[str, list[str]] | None = None) -> list[str]:
    """Each action's outcomes no study on the map measured, in words; `pooled` names, by action, the studies left
    off the map because their figures are on another outcome or several together, which may speak to a gap."""
    lines = []
    for action in actions:
        seen = set(frame.loc[frame["action"] == action, "outcome"])
        missing = [o.lower() for o in OUTCOMES.values() if o not in seen]
        others = (pooled or {}).get(action, [])
        aside = (f"; {' and '.join(others)} {'is' if len(others) == 1 else 'are'} not drawn: its figures are on "
                 "another outcome, or on several together (see the chapter's table)") if others else ""
        if len(missing) == len(OUTCOMES) and not others:
            lines.append(f"**{action}**: this book found no readable study of its effect on any of these outcomes.")
        elif missing:
            lines.append(f"**{action}**: no study on the map measured {', '.join(missing[:-1])}"
                         f"{' or ' if len(missing) > 1 else ''}{missing[-1]}{aside}.")
    return lines

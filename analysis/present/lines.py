"""Charts over time: yearly and dated lines with their intervals, series that stop at breaks, small multiples and
concentration curves."""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from analysis import config
from analysis.present import precision
from analysis.present.markers import force_labels, series_encodings
from analysis.present.theme import (COLUMN_WIDTH, FORCE_COLOURS, FORCE_SHAPES, GREY, NATIONAL, OTHER_FORCES, PALETTE,
                                    SHAPES, SMALL_WIDTH, axis_title, finish, log_axis)

# A line chart's plot at 390 px (the 342 px column less its y axis) and a character of its 11 px labels, in pixels.
PHONE_PLOT, CHAR_PX = 280, 7
# Labels at the right of a line chart closer than this share of its y range are moved apart: about 15 px of its plot.
LABEL_GAP = 0.05


def hollow_where(df: pd.DataFrame, flag: str, colour: alt.Color) -> dict:
    """Fill and stroke encodings that draw a point hollow (white, outlined in its series' colour) where the `flag`
    column is true: the theme's points are filled, so a white fill alone would leave no outline at all."""
    if flag not in df.columns:
        return {}
    return {"fill": alt.condition(f"datum.{flag}", alt.value("white"), colour),
            "stroke": alt.Stroke(**{**colour.to_dict(), "legend": None})}


def csew_year_axis(title: str = "CSEW year (April to March)") -> alt.Axis:
    """An axis on 'year ending March' integers, labelled as survey years like 2023/24."""
    return alt.Axis(
        title=title,
        format="d",
        labelExpr="toString(datum.value - 1) + '/' + slice(toString(datum.value), 2)",
        labelAngle=-45,
    )


def trend_with_breaks(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                      y_title: str = "% of adults", subtitle=None) -> alt.LayerChart:
    """Annual series as lines that stop at series breaks, with the breaks drawn and labelled.

    Expects columns year_ending (int), value_pct, series (label), segment (rows that may
    be joined share a segment) and, optionally, a `breaks` frame in df.attrs with columns
    start, end, label: a shaded span (start < end) or a rule (start == end).
    """
    colour, shape = series_encodings(df)
    x = alt.X("year_ending:Q", axis=csew_year_axis(), scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value_pct:Q", title=axis_title(y_title), scale=alt.Scale(domain=[0, 100]))
    tooltip = [alt.Tooltip("series:N", title="Measure"), alt.Tooltip("csew_year:N", title="Year"),
               alt.Tooltip("value_pct:Q", title="%", format=".1f")]
    base = alt.Chart(df)
    lines = base.mark_line().encode(x=x, y=y, color=colour, detail="segment:N")
    # Provisional values (one source only) are drawn hollow.
    points = base.mark_point().encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip,
                                      **hollow_where(df, "provisional", colour))
    layers = [lines, points]
    breaks = df.attrs.get("breaks")
    if breaks is not None and len(breaks):
        spans = breaks[breaks["start"] < breaks["end"]]
        rules = breaks[breaks["start"] == breaks["end"]]
        if len(spans):
            layers.insert(0, alt.Chart(spans).mark_rect(color="#d9d9d9", opacity=0.6).encode(x="start:Q", x2="end:Q"))
        if len(rules):
            layers.insert(0, alt.Chart(rules).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="start:Q"))
        # Each note on its own line (pixel rows from the top), written towards the middle of the
        # plot, so on a narrow screen notes neither overlap nor run off the edge.
        middle = (df["year_ending"].min() + df["year_ending"].max()) / 2
        placed = breaks.sort_values("start", kind="stable").reset_index(drop=True)
        placed = placed.assign(note_y=4 + 13 * placed.index, right=placed["start"] > middle)
        for right, notes in placed.groupby("right"):
            layers.append(alt.Chart(notes).mark_text(
                align="right" if right else "left", baseline="top", dx=-3 if right else 3, fontSize=10, color="#333",
            ).encode(x="start:Q", y=alt.Y("note_y:Q", scale=None), text="label:N"))
    chart = alt.layer(*layers, **COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def yearly_lines(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                 subtitle=None, x_title: str = "31 March of each year", fmt: str = ".0f",
                 zero: bool = True, marks: pd.DataFrame | None = None, highlight: str | None = None,
                 name_at_last: bool = False) -> alt.LayerChart:
    """Yearly lines, one colour and marker shape per series, with the series named at the line end.

    Expects columns year, series and value. `marks` (columns year, label) draws labelled
    vertical rules, e.g. a policy change. Series that are areas (a pfa_code column) are styled
    as markers.series_encodings says, the `highlight` force's points drawn over the others'. With a segment column, a
    line joins only the points of one segment (never across a break or a missing year), a series is named where its
    longest segment ends (with `name_at_last`, at its last point with that point's value: a later point only a few
    years on would sit under a name at the line's end) and a point joined to no other (a segment of one year) is
    labelled with its value. An optional flagged (bool) column draws those points hollow and larger, so a filled
    point at the same place shows inside the ring (e.g. another measure: officers alone beside officers and PCSOs);
    a flagged point is labelled only as a series' named last point.
    """
    colour, shape = series_encodings(df, legend=False, highlight=highlight)
    ordered = df.sort_values("year", kind="stable").reset_index(drop=True)
    flagged = ordered["flagged"].astype(bool) if "flagged" in df.columns else pd.Series(False, index=ordered.index)
    named = ordered.groupby("series", sort=False).tail(1)
    alone = ordered.iloc[:0]
    if "segment" in df.columns:
        size = ordered.groupby(["series", "segment"], sort=False, dropna=False)["year"].transform("size")
        if not name_at_last:  # named where its longest line ends, not beside a lone later point
            named = ordered[size == size.groupby(ordered["series"]).transform("max")].groupby(
                "series", sort=False).tail(1)
        alone = ordered[(size == 1) & ~ordered.index.isin(named.index) & ~flagged]

    def shown(rows: pd.DataFrame) -> pd.Series:
        return precision.rounded(rows["value"], config.CHART_DIGITS).map(lambda v: format(v, fmt))

    values = shown(alone)
    names = named["series"] + " " + shown(named) if name_at_last else named["series"]
    labels = pd.concat([named.assign(label=names), alone.assign(label=values)], ignore_index=True)
    low = min(0.0, df["value"].min()) if zero else df["value"].min()
    labels["label_y"] = spread(labels["value"], LABEL_GAP * (df["value"].max() - low))
    scale = {"zero": False, "nice": False}
    if len(alone) and alone["year"].max() == df["year"].max():
        # Room right of the last year for a lone point and its value, even on a phone, so neither meets the edge.
        # (A name beyond the last year is left to the chart's fit, which narrows the plot to keep it whole.)
        first, last = int(df["year"].min()), int(df["year"].max())
        share = min((CHAR_PX * values.str.len().max() + 10) / PHONE_PLOT, 0.3)
        scale |= {"domain": [first, last + (last - first) * share / (1 - share)]}
        axis = alt.Axis(format="d", values=list(range(first, last + 1)))
    else:
        # A lone point at the end (a segment after a gap) is drawn whole, not cut in half by the plot's edge.
        scale |= {"padding": 8} if "segment" in df.columns else {}
        axis = alt.Axis(format="d")
    x = alt.X("year:Q", title=axis_title(x_title), axis=axis, scale=alt.Scale(**scale))
    y_scale = alt.Scale(zero=zero)
    y = alt.Y("value:Q", title=axis_title(y_title), scale=y_scale)
    base = alt.Chart(df)
    line = base.mark_line().encode(x=x, y=y, color=colour,
                                   detail="segment:N" if "segment" in df.columns else "series:N")
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year"),
               alt.Tooltip("value:Q", format=fmt, title="Value")]
    points = _on_top(base.mark_point(size=40, filled=True).encode(x=x, y=y, color=colour, shape=shape,
                                                                   tooltip=tooltip), df, highlight)
    # Hollow rings drawn first and larger, so a filled point at the same place stays visible inside one.
    rings = []
    if flagged.any():
        points = points.transform_filter("!datum.flagged")
        rings = [_on_top(base.mark_point(size=110, filled=False, strokeWidth=1.5).encode(
            x=x, y=y, color=colour, shape=shape, tooltip=tooltip).transform_filter("datum.flagged"), df, highlight)]
    # Series names at the line ends and lone points' values, in black: coloured text would fail the contrast check.
    text = alt.Chart(labels[["year", "series", "label", "label_y"]]).mark_text(
        align="left", dx=6, fontSize=11, color="#000").encode(
        x=x, y=alt.Y("label_y:Q", title=axis_title(y_title), scale=y_scale), text="label:N")
    chart = alt.layer(*_marked([line, *rings, points, text], marks, "year"), **COLUMN_WIDTH,
                      height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def spread(values: pd.Series, gap: float) -> pd.Series:
    """Positions for labels at `values`, at least `gap` apart: labels that would crowd are moved apart evenly about
    their middle, in their order, so two lines ending at almost the same value keep legible names."""
    order = values.sort_values(kind="stable")
    clusters: list[tuple[list[float], float]] = []  # (the values of a run of labels, its first label's position)
    for value in order:
        clusters.append(([value], value))
        while len(clusters) > 1 and clusters[-1][1] < clusters[-2][1] + gap * len(clusters[-2][0]):
            members = clusters[-2][0] + clusters[-1][0]
            clusters[-2:] = [(members, sum(members) / len(members) - gap * (len(members) - 1) / 2)]
    placed = [start + gap * i for members, start in clusters for i in range(len(members))]
    return pd.Series(placed, index=order.index, dtype=float).reindex(values.index)


def lone(df: pd.DataFrame) -> pd.Series:
    """Rows joined to no other by a line: the only row of their segment (with a segment column) or of their series."""
    keys = ["series", "segment"] if "segment" in df.columns else ["series"]
    return df.groupby(keys, sort=False, dropna=False)["series"].transform("size").eq(1)


def intervals_key(df: pd.DataFrame, what: str = "95% intervals") -> str:
    """What a lines_with_bands chart's subtitle says of the intervals it draws of `df`: shaded along a line, a bar at
    a point joined to no other."""
    alone = lone(df)
    kinds = [kind for kind, drawn in (("shaded", (~alone).any()), ("a bar where a year is joined to no other",
                                                                     alone.any())) if drawn]
    return f"{kinds[0].capitalize()}{f' ({kinds[1]})' if len(kinds) > 1 else ''}: {what}"


def _on_top(layer: alt.Chart, df: pd.DataFrame, highlight: str | None) -> alt.Chart:
    """A layer of markers with the `highlight` force's drawn last, so no other area's marker hides its own where their
    values meet."""
    if not highlight or "pfa_code" not in df.columns:
        return layer
    areas = force_labels(df[df["pfa_code"].notna()], highlight)
    mine = list(dict.fromkeys(areas.loc[~areas["marker"].isin([OTHER_FORCES, NATIONAL]), "series"]))
    return layer.transform_calculate(front=f"indexof({json.dumps(mine)}, datum.series)").encode(
        order=alt.Order("front:Q"))


def _marked(layers: list, marks: pd.DataFrame | None, x: str) -> list:
    """`layers` with a labelled dashed rule at each of `marks`' `x` (columns x, label and, optionally, align: "right"
    writes the label left of its rule, for a rule near the right edge that a narrow screen would cut off): a policy
    change, a break."""
    if marks is None or not len(marks):
        return layers
    rules = alt.Chart(marks).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x=f"{x}:Q")
    marks = marks[marks["label"] != ""]  # an unlabelled rule (its chart's subtitle says what it marks) has no text
    right = marks["align"].eq("right") if "align" in marks else pd.Series(False, index=marks.index)
    notes = [alt.Chart(marks[side].drop(columns="align", errors="ignore")).mark_text(
        align="right" if late else "left", baseline="top", dx=-3 if late else 3, dy=4, fontSize=10, color="#333").encode(
        x=f"{x}:Q", y=alt.value(0), text="label:N") for late, side in ((False, ~right), (True, right)) if side.any()]
    return [rules, *layers, *notes]


def lines_with_bands(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                     reference: float | None = None, subtitle=None, log: bool = True,
                     highlight: str | None = None, marks: pd.DataFrame | None = None) -> alt.LayerChart:
    """Yearly lines (one per series) with their 95% intervals, x in years ending March: shaded along a line, a bar
    with ticks at a point joined to no other (a band of one year would draw nothing).

    Expects columns year_ending, series, value, ci_low, ci_high; series that are areas (a
    pfa_code column) are styled as markers.series_encodings says. An optional flagged (bool) column draws
    those points hollow, e.g. years whose denominator is far from its census. `marks` (columns year_ending, label)
    draws labelled vertical rules, e.g. where a series breaks (as yearly_lines' marks, with an optional align). A log
    axis spans the values, intervals and reference drawn, not the powers of ten around them.
    """
    colour, shape = series_encodings(df, highlight=highlight)
    alone = lone(df)
    # A lone point's bar at either end is drawn whole, ticks and all, not cut by the plot's edge.
    x = alt.X("year_ending:Q", axis=csew_year_axis("Year (April to March)"),
              scale=alt.Scale(zero=False, nice=False, **({"padding": 10} if alone.any() else {})))
    drawn = [df["value"], df["ci_low"], df["ci_high"], *([reference] if reference is not None else [])]
    y = alt.Y("ci_low:Q", title=axis_title(y_title),
              **(log_axis(*drawn) if log else {"scale": alt.Scale(zero=False)}))
    # With a segment column, lines and bands are not joined across a gap (a year with too few events).
    gaps = {"detail": alt.Detail("segment:N")} if "segment" in df.columns else {}
    base = alt.Chart(df)
    band = base.mark_area(opacity=0.2).encode(x=x, y=y, y2="ci_high:Q", color=colour, **gaps)
    bars = alt.Chart(df[alone]).mark_errorbar(ticks={"size": 8}, thickness=1.5).encode(
        x=x, y=y, y2="ci_high:Q", color=colour)
    line = base.mark_line().encode(x=x, y="value:Q", color=colour, **gaps)
    points = _on_top(base.mark_point().encode(
        x=x, y="value:Q", color=colour, shape=shape, **hollow_where(df, "flagged", colour),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year_ending:Q", title="Year ending March"),
                 alt.Tooltip("value:Q", format=".1f", title="Value"),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")]), df, highlight)
    # A layer only where it has rows to draw: an empty mark group is an unnamed graphic to a screen reader.
    layers = [band, *[bars] * bool(alone.any()), line, points]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(y="ref:Q"))
    chart = alt.layer(*_marked(layers, marks, "year_ending"), **COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def dated_lines_with_ci(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                        subtitle=None) -> alt.LayerChart:
    """Lines over dates (one colour and marker shape per series) with shaded 95% intervals where there are any.

    Expects columns date (datetime), period (its label), series, value, ci_low and ci_high (in %;
    missing bounds draw no band, so an estimate without an interval is never shown with one) and,
    optionally, segment: lines and bands are not joined across segments (e.g. across missing months).
    """
    series = list(dict.fromkeys(df["series"]))
    colour = alt.Color("series:N", title=None, sort=series,
                       scale=alt.Scale(domain=series, range=(PALETTE * 3)[: len(series)]))
    shape = alt.Shape("series:N", title=None, sort=series, scale=alt.Scale(domain=series, range=(SHAPES * 3)[: len(series)]))
    # At least a month between ticks, so monthly data never get two ticks labelled with the same month.
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45, tickMinStep=31 * 24 * 3600 * 1000))
    detail = alt.Detail("segment:N") if "segment" in df.columns else alt.Detail("series:N")
    base = alt.Chart(df)
    band = base.transform_filter("isValid(datum.ci_low) && isValid(datum.ci_high)").mark_area(opacity=0.2).encode(
        x=x, y=alt.Y("ci_low:Q", title=y_title, scale=alt.Scale(zero=False)), y2="ci_high:Q", color=colour,
        detail=detail)
    line = base.mark_line().encode(x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)), color=colour,
                                   detail=detail)
    points = base.mark_point().encode(
        x=x, y="value:Q", color=colour, shape=shape,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("value:Q", format=".1f", title="%"),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")])
    chart = alt.layer(band, line, points, width=config.CHART_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def line_with_spread(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                     y_title: str, subtitle=None) -> alt.LayerChart:
    """A headline line with the spread of its parts drawn as bands (range and middle half).

    Expects columns date, headline, low, q1, q3, high (fractions 0-1 are shown as %).
    """
    x = alt.X("date:T", title=None)
    base = alt.Chart(df)
    full = base.mark_area(color=PALETTE[4], opacity=0.25).encode(
        x=x, y=alt.Y("low:Q", title=axis_title(y_title), axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
        y2="high:Q")
    middle = base.mark_area(color=PALETTE[4], opacity=0.5).encode(x=x, y="q1:Q", y2="q3:Q")
    line = base.mark_line(color=PALETTE[0]).encode(
        x=x, y="headline:Q",
        tooltip=[alt.Tooltip("date:T", title="Quarter ending"), alt.Tooltip("headline:Q", title="London", format=".0%"),
                 alt.Tooltip("low:Q", title="Lowest borough", format=".0%"),
                 alt.Tooltip("high:Q", title="Highest borough", format=".0%")])
    chart = alt.layer(full, middle, line, **COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def small_trends(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                 subtitle=None, zero: bool = False) -> alt.FacetChart:
    """Small line charts, one panel per measure (own y scale), the force against England and Wales.

    Expects columns measure, year (a number on the x axis), value, series (the force's short name or
    "England and Wales") and pfa_code; an optional segment column splits a series at its breaks, each segment its
    own line (a segment of one year is a point), never joined across a break. `zero`: every y axis from 0 (counts set
    only beside their own past, where a cut axis would overstate a change)."""
    frame = force_labels(df, None).assign(series=df["series"])
    frame["line"] = frame["series"] + " | " + (df["segment"] if "segment" in df else "")
    names = list(dict.fromkeys(frame["series"]))
    pairs = [(FORCE_COLOURS[1], FORCE_SHAPES[1]) if s == NATIONAL else (FORCE_COLOURS[2], FORCE_SHAPES[2])
             for s in names]
    colour = alt.Color("series:N", sort=names, title=None,
                       scale=alt.Scale(domain=names, range=[c for c, _ in pairs]))
    shape = alt.Shape("series:N", sort=names, title=None,
                      scale=alt.Scale(domain=names, range=[s for _, s in pairs]))
    # Padded so a lone newest point (a year after a gap or a break) is drawn whole, not on the panel's edge.
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=4),
              scale=alt.Scale(zero=False, nice=False, padding=8))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=zero))
    base = alt.Chart()
    lines = base.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="line:N")
    points = base.mark_point(size=25, filled=True).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=[alt.Tooltip("measure:N"), alt.Tooltip("series:N", title="Area"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", format=".1f", title="Value")])
    measures = list(dict.fromkeys(frame["measure"]))
    # Every panel is in the lookup: Vega-Lite inlines `datum.label` unbracketed, so `… || datum.label` misparses.
    titles = {m: textwrap.wrap(m, 44) for m in measures}
    # One panel a row: side by side, a phone would shrink the pair to half size and its text past reading.
    chart = alt.layer(lines, points, data=frame, width=SMALL_WIDTH, height=100).facet(
        facet=alt.Facet("measure:N", sort=measures, title=None,
                        header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top", labelFontWeight="bold",
                                          labelExpr=f"{json.dumps(titles)}[datum.label]")),
        columns=1).resolve_scale(y="independent")
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def concentration_curve(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                        subtitle=None) -> alt.LayerChart:
    """Cumulative % of incidents against cumulative % of places, with the line of no concentration.

    Expects columns series, places_pct and incidents_pct.
    """
    series = list(dict.fromkeys(df["series"]))
    colour = alt.Color("series:N", title=None, sort=series, scale=alt.Scale(domain=series, range=PALETTE))
    x = alt.X("places_pct:Q", title="% of places, busiest first", scale=alt.Scale(domain=[0, 100]))
    y = alt.Y("incidents_pct:Q", title="% of incidents", scale=alt.Scale(domain=[0, 100]))
    equal = alt.Chart(pd.DataFrame({"places_pct": [0, 100], "incidents_pct": [0, 100]})).mark_line(
        color=GREY, strokeDash=[4, 3]).encode(x=x, y=y)
    lines = alt.Chart(df).mark_line().encode(
        x=x, y=y, color=colour, strokeDash=alt.StrokeDash("series:N", sort=series, legend=None),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("places_pct:Q", format=".1f", title="% places"),
                 alt.Tooltip("incidents_pct:Q", format=".1f", title="% incidents")])
    chart = alt.layer(equal, lines, **COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)

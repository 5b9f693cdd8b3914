"""Charts that set forces or groups side by side: ranked intervals and changes, labelled bars, ski slopes and survey
estimates with their confidence intervals."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from analysis.methods import stats
from analysis.present.markers import force_labels, marker_encodings, marker_scales, name_label
from analysis.present.theme import (COLUMN_WIDTH, FACET_HEADER_CHARS, FACET_WIDTH, GREY, NATIONAL, OTHER_FORCES,
                                    PALETTE, SHAPES, axis_title, finish, independent, row_step, wrapped_labels)

PHONE_PLOT = 220  # pixels: about the plot width of a bar chart with its labels in a phone's column


def _room_for_labels(frame: pd.DataFrame, fmt: str, colour_by: str | None, marked: bool) -> float:
    """The end of a bar chart's value axis, leaving room past the longest bar for its label on a phone.

    Vega's "fit" autosize does not make room for text written past the plot's edge, so the
    scale does: the label takes its share of a phone-width plot, at most 60%.
    """
    top = frame["value"].max()
    chars = len(format(top, fmt.replace("~", "")))
    chars += len(max(frame[colour_by].astype(str), key=len)) + 4 if colour_by else 0
    chars += len(max(frame["area"], key=len)) + 4 if marked else 0
    share = min(0.6, (6.2 * chars + (16 if marked else 3) + 6) / PHONE_PLOT)
    return float(top / (1 - share)) if top > 0 else 1.0


def _panel_titles(df: pd.DataFrame) -> dict[str, list[str]]:
    """Each panel's title ("<measure>, by <breakdown>") in order, as lines: the breakdown on a line of its own where
    the title is too wide for a phone."""
    titles = {}
    for measure, breakdown in dict.fromkeys(zip(df["measure"], df["breakdown"].str.lower())):
        title = f"{measure}, by {breakdown}"
        titles[title] = [title] if len(title) <= FACET_HEADER_CHARS else [f"{measure},", f"by {breakdown}"]
    return titles


def estimates_with_ci(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                      reference_label: str, x_title: str = "% of adults", subtitle=None) -> alt.FacetChart:
    """Dot-and-whisker chart of survey estimates with 95% CIs, one panel per measure and breakdown, stacked, each
    panel with its own axis and the key above the first, so any panel reads on its own on a phone.

    Expects columns measure, breakdown, group, pct, ci_low_pct, ci_high_pct, comparison
    (higher/lower/similar against the reference) and ref_pct (the reference value).
    Colour and shape both carry the comparison, so colour is never the only cue.
    """
    order = ["lower", "similar", "higher"]
    # The key reads a non-significant comparison as a reader must take it (methods/stats.WORDS), never "similar";
    # its entries one above another, so the longer words still fit a phone's column.
    key = alt.Legend(orient="top", direction="vertical",
                     labelExpr=f"datum.label == {json.dumps(stats.SIMILAR)} ? {json.dumps(stats.WORDS[stats.SIMILAR])} "
                               ": datum.label")
    comp_colour = alt.Color("comparison:N", title=f"Against {reference_label}", sort=order, legend=key,
                            scale=alt.Scale(domain=order, range=[PALETTE[5], GREY, PALETTE[0]]))
    comp_shape = alt.Shape("comparison:N", title=f"Against {reference_label}", sort=order, legend=key,
                           scale=alt.Scale(domain=order, range=["triangle-left", "circle", "triangle-right"]))
    y = alt.Y("group:N", title=None, sort=None, axis=alt.Axis(labelExpr=wrapped_labels(df["group"])))
    x_scale = alt.Scale(zero=False)
    base = alt.Chart()
    whiskers = base.mark_rule(color=GREY, strokeWidth=2).encode(
        x=alt.X("ci_low_pct:Q", title=axis_title(x_title), scale=x_scale), x2="ci_high_pct:Q", y=y)
    dots = base.mark_point(size=90, filled=True).encode(
        x="pct:Q", y=y, color=comp_colour, shape=comp_shape,
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("pct:Q", title="%", format=".1f"),
                 alt.Tooltip("ci_low_pct:Q", title="95% CI from", format=".1f"),
                 alt.Tooltip("ci_high_pct:Q", title="95% CI to", format=".1f"),
                 alt.Tooltip("comparison:N", title=f"Against {reference_label}")])
    ref = base.mark_rule(color="#000", strokeDash=[3, 3]).encode(x="ref_pct:Q")
    titles = _panel_titles(df)
    chart = alt.layer(ref, whiskers, dots, data=df.assign(panel=df["measure"] + ", by " + df["breakdown"].str.lower()),
                      width=FACET_WIDTH, height=alt.Step(row_step(df["group"]))).facet(
        # Every panel is in the lookup: Vega-Lite inlines `datum.label` unbracketed, so `… || datum.label` misparses.
        facet=alt.Facet("panel:N", title=None, sort=list(titles),
                        header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top", labelFontWeight="bold",
                                          labelExpr=f"{json.dumps(titles)}[datum.label]")),
        columns=1,
    ).resolve_scale(y="independent").resolve_axis(x="independent")
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ranked_intervals(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                     reference: float | None = None, subtitle=None, log: bool = True,
                     highlight: str | None = None, value_title: str = "Value") -> alt.LayerChart:
    """One row per area, ranked by value, with its 95% interval; an optional reference rule.

    Expects columns pfa_code (forces and England and Wales), value, ci_low and ci_high.
    England and Wales and the `highlight` force (ONS code) get their own colour and shape,
    and the highlighted force is named beside its interval. Rows that are not forces give `label`
    instead of pfa_code, and a boolean `highlight` column marks the whole area among its parts.
    """
    if "pfa_code" in df.columns:
        frame = force_labels(df, highlight)
    else:  # areas that are not forces (a survey's boroughs): `label`, and a boolean `highlight` for the whole area
        if "label" not in df.columns:
            raise KeyError(f"a ranked chart needs a pfa_code column (ONS code) for forces, or a label column for "
                           f"other areas; got columns {list(df.columns)}")
        marked = df["highlight"] if "highlight" in df.columns else pd.Series(False, index=df.index)
        # The whole area is marked as a highlighted force is, by its own name (never as England and Wales).
        frame = df.assign(area=df["label"], marker=df["label"].where(marked.astype(bool), OTHER_FORCES))
    order = frame.sort_values("value", ascending=False, kind="stable")["area"].tolist()
    y = alt.Y("area:N", sort=order, title=None)
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    colour, shape = marker_encodings(frame)
    base = alt.Chart(frame)
    axis = {"title": axis_title(x_title), "scale": scale}
    # Where no row has an interval (a survey published without sample sizes), there are no whiskers to draw: an
    # empty layer would leave an unlabelled, empty graphic in the page for a screen reader to stumble on.
    has_interval = bool(frame[["ci_low", "ci_high"]].notna().all(axis=1).any())
    dots = base.mark_point(filled=True, size=60).encode(
        x=alt.X("value:Q") if has_interval else alt.X("value:Q", **axis), y=y, color=colour.legend(None),
        shape=shape.legend(None),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("value:Q", format=".1f", title=value_title),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")])
    if has_interval:
        whiskers = base.mark_rule(color=GREY).encode(x=alt.X("ci_low:Q", **axis), x2="ci_high:Q", y=y)
        layers = [whiskers, dots, name_label(frame, "ci_high:Q", y)]
    else:
        layers = [dots, name_label(frame, "value:Q", y)]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(x="ref:Q"))
    chart = alt.layer(*layers, **COLUMN_WIDTH, height=14 * len(frame))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def labelled_bars(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                  subtitle=None, fmt: str = ".0f", colour_by: str | None = None,
                  highlight: str | None = None) -> alt.LayerChart:
    """Horizontal bars in the given order, each labelled with its value.

    Expects columns label and value; `colour_by` names an optional grouping column, which is
    then also written after each value, so colour is never the only cue to the group. When the
    rows are forces (a pfa_code column), they are labelled with short names, and England and
    Wales and the `highlight` force are marked at the end of their bars and named in their labels.
    """
    frame = df
    if "pfa_code" in df.columns:
        frame = force_labels(df, highlight)
        frame = frame.assign(label=frame["area"])
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelExpr=wrapped_labels(frame["label"], 32)))
    marked = "marker" in frame.columns and highlight is not None
    x = alt.X("value:Q", title=axis_title(x_title),
              scale=alt.Scale(domain=[0, _room_for_labels(frame, fmt, colour_by, marked)], nice=False))
    colour = (alt.Color(f"{colour_by}:N", title=None, scale=alt.Scale(range=PALETTE)) if colour_by
              else alt.value(PALETTE[0]))
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(x=x, y=y, color=colour,
                                  tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=fmt)])
    group = f" + '  (' + datum[{json.dumps(colour_by)}] + ')'" if colour_by else ""
    layers = [bars]
    if marked:
        # A marker past the bar end for England and Wales and the edition's force; the force is named.
        colour_m, shape_m = marker_encodings(frame)
        layers.append(base.transform_filter(alt.datum.marker != OTHER_FORCES).mark_point(
            filled=True, size=70, xOffset=8).encode(x=x, y=y, color=colour_m.legend(None), shape=shape_m.legend(None)))
        group += (f" + (datum.marker != {json.dumps(OTHER_FORCES)} && datum.marker != {json.dumps(NATIONAL)}"
                  f" ? '  ← ' + datum.marker : '')")
    text = base.mark_text(align="left", dx=16 if marked else 3, fontSize=11).encode(x=x, y=y, text="bar_label:N")
    text = text.transform_calculate(bar_label=f"format(datum.value, {json.dumps(fmt)}){group}")
    chart = alt.layer(*layers, text, resolve=independent("color"), **COLUMN_WIDTH,
                      height=alt.Step(row_step(frame["label"], 32) + 2))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ranked_changes(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                   subtitle=None, highlight: str | None = None) -> alt.LayerChart:
    """One row per area, ranked, with a marker per moment (e.g. 2010, low point, 2022) joined by a rule.

    Expects columns pfa_code, moment, value and order (the ranking value per area). The rule of
    England and Wales and of the `highlight` force is drawn thick in the house force colours,
    with a force marker and (for the highlighted force) its name past the row's last marker.
    """
    frame = force_labels(df, highlight)
    moments = list(dict.fromkeys(frame["moment"]))
    order = frame.drop_duplicates("area").sort_values("order", ascending=False, kind="stable")["area"].tolist()
    y = alt.Y("area:N", sort=order, title=None)
    x = alt.X("value:Q", title=axis_title(x_title), scale=alt.Scale(zero=False))
    base = alt.Chart(frame)
    span = base.mark_rule(color=GREY).encode(x="min(value):Q", x2="max(value):Q", y=y)
    dots = base.mark_point(filled=True, size=55).encode(
        x=x, y=y,
        color=alt.Color("moment:N", title=None, sort=moments, scale=alt.Scale(domain=moments, range=PALETTE)),
        shape=alt.Shape("moment:N", title=None, sort=moments, scale=alt.Scale(domain=moments, range=SHAPES)),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("moment:N", title="When"),
                 alt.Tooltip("value:Q", format=".0f", title="Value")])
    layers = [span, dots]
    marked = frame[frame["marker"] != OTHER_FORCES]
    if len(marked):
        colour, shape = marker_encodings(frame)
        ends = marked.groupby(["area", "marker"], as_index=False)["value"].max()
        stroke = alt.Stroke("marker:N", legend=None, scale=marker_scales(frame)[0])
        layers.insert(0, alt.Chart(marked).mark_rule(strokeWidth=4, opacity=0.5).encode(
            x="min(value):Q", x2="max(value):Q", y=y, stroke=stroke))
        layers.append(alt.Chart(ends).mark_point(filled=True, size=70, xOffset=14).encode(
            x="value:Q", y=y, color=colour.legend(None), shape=shape.legend(None)))
        layers.append(name_label(ends, "value:Q", y, dx=24))
    # The force markers have scales of their own, apart from the moments' colours and shapes.
    chart = alt.layer(*layers, resolve=independent("color", "shape"), **COLUMN_WIDTH, height=14 * len(order))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ski_slope(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
              highlight: str | None = None, reference: float | None = None, fmt: str = ".0f",
              subtitle=None) -> alt.LayerChart:
    """Every force as a column, highest first (the "ski slope" of HMICFRS's value-for-money profiles), with the
    `highlight` force in its own colour and named above its column with its value (never its place: the book sets a
    force beside the median force, not in a league), and an optional dashed reference rule (the median force).

    Expects columns pfa_code and value (forces only; missing values are left out and should be named in the
    subtitle)."""
    frame = force_labels(df[df["value"].notna()], highlight).sort_values("value", ascending=False, kind="stable")
    x = alt.X("area:N", sort=frame["area"].tolist(), title=f"{len(frame)} forces, highest first",
              axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("value:Q", title=y_title)
    colours, _ = marker_scales(frame)
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(
        x=x, y=y, color=alt.Color("marker:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("area:N", title="Force"), alt.Tooltip("value:Q", format=fmt, title="Value")])
    layers = [bars]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[4, 3])
                      .encode(y="ref:Q"))
    named = frame[~frame["marker"].isin([OTHER_FORCES, NATIONAL])]
    if len(named):
        # The marker of a named column is the force's short name, so the label carries what the colour shows.
        caption = f"datum.marker + ' ' + format(datum.value, {json.dumps(fmt)})"
        # The name sits above the top of the plot, over its column, on a white halo so no line crosses it, its
        # bottom clear of the top tick's label (which straddles the plot's top edge).
        text = alt.Chart(named).transform_calculate(caption=caption).encode(x=x, y=alt.value(-10), text="caption:N")
        layers += [text.mark_text(fontSize=12, fontWeight="bold", baseline="bottom", stroke="white", strokeWidth=4),
                   text.mark_text(fontSize=12, fontWeight="bold", baseline="bottom", color="#000")]
    # As wide as its column: on a phone, and side by side with another chart in the briefing, its text keeps its size.
    chart = alt.layer(*layers, height=220, **COLUMN_WIDTH)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)

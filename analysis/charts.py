"""House chart style: one Altair theme, an offline renderer with stable ids, and chart factories.

Importing this module registers and enables both the theme and the renderer, so every
chart in the book looks the same and renders from the locally bundled Vega JavaScript.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt
import pandas as pd

from analysis import config

# Okabe-Ito: distinguishable under the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#767676"
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
FONT = "Helvetica, Arial, sans-serif"

# The bundle is served from the book's _static folder (see analysis/sphinx_ext.py).
BUNDLE_NAME = "vega-bundle.js"


@alt.theme.register("pcp", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": config.CHART_WIDTH, "continuousHeight": config.CHART_HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": 2, "labelLimit": 320},
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#444", "subtitleFontSize": 12},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 55, "filled": True},
        }
    }


class ChartDescriptionError(ValueError):
    """A chart was rendered without the description a screen-reader user would hear."""


def _chart_id(spec: dict) -> str:
    meta = spec.get("usermeta", {}).get("pcp", {})
    if meta.get("name"):
        return "pcp-" + meta["name"]
    return "pcp-" + hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]


def _csv_link(spec: dict, chart_id: str) -> str:
    """A download link for the chart's main data (its largest dataset), embedded as a data: URI."""
    datasets = list(spec.get("datasets", {}).values())
    if not datasets:
        return ""
    frame = pd.DataFrame(max(datasets, key=len))
    payload = base64.b64encode(frame.to_csv(index=False).encode()).decode()
    return f'<a download="{chart_id}.csv" href="data:text/csv;base64,{payload}">Download the chart data (CSV)</a>'


def render(spec: dict, **_) -> dict:
    """Altair renderer: a figure with an aria-label, source line, CSV link and a vegaEmbed call.

    The element id comes from the chart's name (or a hash of its spec), never a random
    uuid, so re-executing a notebook reproduces its outputs byte for byte (nbval).
    """
    description = spec.get("description", "").strip()
    if not description:
        raise ChartDescriptionError(
            "chart has no description: pass description='…' (what a screen-reader user should hear)"
        )
    chart_id = _chart_id(spec)
    meta = spec.get("usermeta", {}).get("pcp", {})
    source = meta.get("source", "")
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    caption = " ".join(filter(None, [f"Source: {html.escape(source)}." if source else "", _csv_link(spec, chart_id)]))
    markup = (
        f'<figure class="pcp-chart">\n'
        f'<div id="{chart_id}" class="pcp-vega" role="img" aria-label="{html.escape(description, quote=True)}"></div>\n'
        f"<figcaption>{caption}</figcaption>\n"
        f"<script>(function(){{var el=document.getElementById({json.dumps(chart_id)});"
        f"if(typeof vegaEmbed==='undefined'){{el.textContent='Chart needs {BUNDLE_NAME}, which is loaded by the built book.';return;}}"
        f"vegaEmbed(el,{payload},{{actions:false,renderer:'svg'}})"
        f".catch(function(e){{el.textContent='Chart failed to draw: '+e;console.error(e);}});}})();</script>\n"
        f"</figure>"
    )
    return {"text/html": markup, "text/plain": f"<chart {chart_id}: {description}>"}


alt.renderers.register("pcp", render)
alt.renderers.enable("pcp")


def finish(chart: alt.TopLevelMixin, *, name: str, description: str, source: str, title: str | None = None,
           subtitle: str | list[str] | None = None):
    """Attach what every chart needs: a stable name, alt text, a source line and a title."""
    props = {"description": description, "usermeta": {"pcp": {"name": name, "source": source}}}
    if title:
        props["title"] = alt.Title(title, subtitle=subtitle or alt.Undefined)
    return chart.properties(**props)


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
    series_order = list(dict.fromkeys(df["series"]))
    colour = alt.Color("series:N", title=None, sort=series_order, scale=alt.Scale(range=PALETTE[: len(series_order)]))
    shape = alt.Shape("series:N", title=None, sort=series_order, scale=alt.Scale(range=SHAPES[: len(series_order)]))
    x = alt.X("year_ending:Q", axis=csew_year_axis(), scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value_pct:Q", title=y_title, scale=alt.Scale(domain=[0, 100]))
    tooltip = [alt.Tooltip("series:N", title="Measure"), alt.Tooltip("csew_year:N", title="Year"),
               alt.Tooltip("value_pct:Q", title="%", format=".1f")]
    base = alt.Chart(df)
    lines = base.mark_line().encode(x=x, y=y, color=colour, detail="segment:N")
    points = base.mark_point().encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    layers = [lines, points]
    breaks = df.attrs.get("breaks")
    if breaks is not None and len(breaks):
        spans = breaks[breaks["start"] < breaks["end"]]
        rules = breaks[breaks["start"] == breaks["end"]]
        if len(spans):
            layers.insert(0, alt.Chart(spans).mark_rect(color="#d9d9d9", opacity=0.6).encode(x="start:Q", x2="end:Q"))
        if len(rules):
            layers.insert(0, alt.Chart(rules).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="start:Q"))
        notes = alt.Chart(breaks).mark_text(align="left", baseline="top", dx=3, dy=4, fontSize=10, color="#333").encode(
            x="start:Q", y=alt.value(0), text="label:N"
        )
        layers.append(notes)
    chart = alt.layer(*layers).properties(width=config.CHART_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def estimates_with_ci(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                      reference_label: str, x_title: str = "% of adults", subtitle=None) -> alt.FacetChart:
    """Dot-and-whisker chart of survey estimates with 95% CIs, faceted by breakdown.

    Expects columns measure, breakdown, group, pct, ci_low_pct, ci_high_pct, comparison
    (higher/lower/similar against the reference) and ref_pct (the reference value).
    Colour and shape both carry the comparison, so colour is never the only cue.
    """
    order = ["lower", "similar", "higher"]
    comp_colour = alt.Color("comparison:N", title=f"Against {reference_label}", sort=order,
                            scale=alt.Scale(domain=order, range=[PALETTE[5], GREY, PALETTE[0]]))
    comp_shape = alt.Shape("comparison:N", title=f"Against {reference_label}", sort=order,
                           scale=alt.Scale(domain=order, range=["triangle-left", "circle", "triangle-right"]))
    y = alt.Y("group:N", title=None, sort=None)
    x_scale = alt.Scale(zero=False)
    base = alt.Chart(df)
    whiskers = base.mark_rule(color=GREY, strokeWidth=2).encode(
        x=alt.X("ci_low_pct:Q", title=x_title, scale=x_scale), x2="ci_high_pct:Q", y=y)
    dots = base.mark_point(size=90, filled=True).encode(
        x="pct:Q", y=y, color=comp_colour, shape=comp_shape,
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("pct:Q", title="%", format=".1f"),
                 alt.Tooltip("ci_low_pct:Q", title="95% CI from", format=".1f"),
                 alt.Tooltip("ci_high_pct:Q", title="95% CI to", format=".1f"),
                 alt.Tooltip("comparison:N", title=f"Against {reference_label}")])
    ref = base.mark_rule(color="#000", strokeDash=[3, 3]).encode(x="ref_pct:Q")
    chart = alt.layer(ref, whiskers, dots).properties(width=config.CHART_WIDTH - 330).facet(
        row=alt.Row("breakdown:N", title=None, sort=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        column=alt.Column("measure:N", title=None, sort=None),
    ).resolve_scale(y="independent")
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def line_with_spread(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                     y_title: str, subtitle=None) -> alt.LayerChart:
    """A headline line with the spread of its parts drawn as bands (range and middle half).

    Expects columns date, headline, low, q1, q3, high (fractions 0-1 are shown as %).
    """
    x = alt.X("date:T", title=None)
    base = alt.Chart(df)
    full = base.mark_area(color=PALETTE[4], opacity=0.25).encode(
        x=x, y=alt.Y("low:Q", title=y_title, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)), y2="high:Q")
    middle = base.mark_area(color=PALETTE[4], opacity=0.5).encode(x=x, y="q1:Q", y2="q3:Q")
    line = base.mark_line(color=PALETTE[0]).encode(
        x=x, y="headline:Q",
        tooltip=[alt.Tooltip("date:T", title="Quarter ending"), alt.Tooltip("headline:Q", title="London", format=".0%"),
                 alt.Tooltip("low:Q", title="Lowest borough", format=".0%"),
                 alt.Tooltip("high:Q", title="Highest borough", format=".0%")])
    chart = alt.layer(full, middle, line).properties(width=config.CHART_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ranked_intervals(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                     reference: float | None = None, subtitle=None, log: bool = True,
                     value_title: str = "Ratio") -> alt.LayerChart:
    """One row per area, ranked by value, with its 95% interval; an optional reference rule.

    Expects columns force, value, ci_low, ci_high and highlight (bool: England and Wales or
    the edition's force, drawn in a second colour and shape).
    """
    order = df.sort_values("value", ascending=False)["force"].tolist()
    y = alt.Y("force:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    base = alt.Chart(df)
    whiskers = base.mark_rule(color=GREY).encode(x=alt.X("ci_low:Q", title=x_title, scale=scale), x2="ci_high:Q", y=y)
    dots = base.mark_point(filled=True, size=60).encode(
        x="value:Q", y=y,
        color=alt.Color("highlight:N", legend=None, scale=alt.Scale(domain=[False, True], range=[PALETTE[0], PALETTE[5]])),
        shape=alt.Shape("highlight:N", legend=None, scale=alt.Scale(domain=[False, True], range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("force:N", title="Area"), alt.Tooltip("value:Q", format=".1f", title=value_title),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")])
    layers = [whiskers, dots]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(x="ref:Q"))
    chart = alt.layer(*layers).properties(width=config.CHART_WIDTH - 200, height=13 * len(df))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def lines_with_bands(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                     reference: float | None = None, subtitle=None, log: bool = True) -> alt.LayerChart:
    """Yearly lines (one per series) with shaded 95% intervals, x in years ending March.

    Expects columns year_ending, series, value, ci_low, ci_high.
    """
    series = list(dict.fromkeys(df["series"]))
    colour = alt.Color("series:N", title=None, sort=series, scale=alt.Scale(range=PALETTE[: len(series)]))
    shape = alt.Shape("series:N", title=None, sort=series, scale=alt.Scale(range=SHAPES[: len(series)]))
    x = alt.X("year_ending:Q", axis=csew_year_axis("Year (April to March)"), scale=alt.Scale(zero=False, nice=False))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    base = alt.Chart(df)
    band = base.mark_area(opacity=0.2).encode(x=x, y=alt.Y("ci_low:Q", title=y_title, scale=scale), y2="ci_high:Q",
                                              color=colour)
    line = base.mark_line().encode(x=x, y="value:Q", color=colour)
    points = base.mark_point().encode(
        x=x, y="value:Q", color=colour, shape=shape,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year_ending:Q", title="Year ending March"),
                 alt.Tooltip("value:Q", format=".1f", title="Value"),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")])
    layers = [band, line, points]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(y="ref:Q"))
    chart = alt.layer(*layers).properties(width=config.CHART_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def labelled_bars(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                  subtitle=None, fmt: str = ".0f", colour_by: str | None = None) -> alt.LayerChart:
    """Horizontal bars in the given order, each labelled with its value.

    Expects columns label and value; `colour_by` names an optional grouping column, which is
    then also written after each value, so colour is never the only cue to the group.
    """
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=400))
    x = alt.X("value:Q", title=x_title)
    colour = (alt.Color(f"{colour_by}:N", title=None, scale=alt.Scale(range=PALETTE)) if colour_by
              else alt.value(PALETTE[0]))
    base = alt.Chart(df)
    bars = base.mark_bar().encode(x=x, y=y, color=colour,
                                  tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=fmt)])
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(x=x, y=y, text="bar_label:N")
    group = f" + '  (' + datum[{json.dumps(colour_by)}] + ')'" if colour_by else ""
    text = text.transform_calculate(bar_label=f"format(datum.value, {json.dumps(fmt)}){group}")
    chart = alt.layer(bars, text).properties(width=config.CHART_WIDTH - 240, height=22 * len(df))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def yearly_lines(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                 subtitle=None, x_title: str = "31 March of each year", fmt: str = ".0f",
                 zero: bool = True, marks: pd.DataFrame | None = None) -> alt.LayerChart:
    """Yearly lines, one colour and marker shape per series, with the series named at the line end.

    Expects columns year, series, value and flagged (bool); flagged points are drawn hollow,
    e.g. years whose denominator is an older estimate. `marks` (columns year, label) draws
    labelled vertical rules, e.g. a policy change.
    """
    series = list(dict.fromkeys(df["series"]))
    colour = alt.Color("series:N", title=None, sort=series, legend=None,
                       scale=alt.Scale(domain=series, range=(PALETTE * 3)[: len(series)]))
    shape = alt.Shape("series:N", title=None, sort=series, legend=None,
                      scale=alt.Scale(domain=series, range=(SHAPES * 3)[: len(series)]))
    x = alt.X("year:Q", title=x_title, axis=alt.Axis(format="d"), scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=zero))
    base = alt.Chart(df)
    line = base.mark_line().encode(x=x, y=y, color=colour, detail="series:N")
    points = base.mark_point(size=40).encode(
        x=x, y=y, color=colour, shape=shape,
        fill=alt.condition("datum.flagged", alt.value("white"), colour),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", format=fmt, title="Value"), alt.Tooltip("flagged:N", title="Flagged")])
    last = df.sort_values("year").groupby("series", as_index=False).tail(1)
    labels = alt.Chart(last).mark_text(align="left", dx=6, fontSize=11).encode(x=x, y=y, color=colour, text="series:N")
    layers = [line, points, labels]
    if marks is not None and len(marks):
        layers.insert(0, alt.Chart(marks).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="year:Q"))
        layers.append(alt.Chart(marks).mark_text(align="left", baseline="top", dx=3, dy=4, fontSize=10, color="#333")
                      .encode(x="year:Q", y=alt.value(0), text="label:N"))
    chart = alt.layer(*layers).properties(width=config.CHART_WIDTH - 120, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ranked_changes(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                   subtitle=None) -> alt.LayerChart:
    """One row per area, ranked, with a marker per moment (e.g. 2010, low point, 2022) joined by a rule.

    Expects columns area, moment, value and order (the ranking value per area).
    """
    moments = list(dict.fromkeys(df["moment"]))
    order = df.drop_duplicates("area").sort_values("order", ascending=False)["area"].tolist()
    y = alt.Y("area:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=x_title, scale=alt.Scale(zero=False))
    base = alt.Chart(df)
    span = base.mark_rule(color=GREY).encode(x="min(value):Q", x2="max(value):Q", y=y)
    dots = base.mark_point(filled=True, size=55).encode(
        x=x, y=y,
        color=alt.Color("moment:N", title=None, sort=moments, scale=alt.Scale(domain=moments, range=PALETTE)),
        shape=alt.Shape("moment:N", title=None, sort=moments, scale=alt.Scale(domain=moments, range=SHAPES)),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("moment:N", title="When"),
                 alt.Tooltip("value:Q", format=".0f", title="Value")])
    chart = alt.layer(span, dots).properties(width=config.CHART_WIDTH - 200, height=13 * len(order))
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
    chart = alt.layer(equal, lines).properties(width=config.CHART_HEIGHT + 60, height=config.CHART_HEIGHT)
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
    chart = alt.layer(band, line, points).properties(width=config.CHART_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)

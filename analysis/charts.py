"""House chart style: one Altair theme, an offline renderer with stable ids, and chart factories.

Importing this module registers and enables both the theme and the renderer, so every
chart in the book looks the same and renders from the locally bundled Vega JavaScript.

Width: single-view charts take the width of the text column (`width: "container"`), so they
reflow on a phone; faceted charts are stacked in one column at a fixed width that fits the
desktop column, and the book's CSS scales them down on narrow screens.

Forces: factories that draw one row or line per force take rows keyed by `pfa_code` (the ONS
code) and name them with the registry's short names, so no label is ever truncated. Their
`highlight` argument is the edition's force as an ONS code (a name or slug is resolved through
the registry); that force is drawn in its own colour and shape and labelled by name, and England
and Wales (K04000001) is always marked in a second colour and shape.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import textwrap

import altair as alt
import pandas as pd

from analysis import config, forces

# Okabe-Ito: distinguishable under the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#767676"
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
FONT = "Helvetica, Arial, sans-serif"

# Marking forces: every other force, England and Wales, and the edition's force.
OTHER_FORCES = "Other forces"
NATIONAL = "England and Wales"
FORCE_COLOURS = [PALETTE[0], PALETTE[5], PALETTE[7]]  # blue, vermilion, black
FORCE_SHAPES = ["circle", "diamond", "square"]
# For series beside forces that are not one area (an average of comparable forces): far from vermilion.
SPARE_COLOURS = [PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[1]]
# Widths in pixels: a fixed-width chart's plot area, so that with its labels it fits the book's
# text column (about 780 px at a 1280 px window); narrower screens scale it down.
FACET_WIDTH = 330
SMALL_WIDTH = 290  # each of two small multiples side by side
SLOPE_WIDTH = 560  # a ranked column chart of all forces: fixed, so it also prints
LABEL_CHARS = 24  # characters per line of a wrapped axis label
TITLE_CHARS = 42  # characters per title line: about 340 px at 15 px, so titles fit a phone
SUBTITLE_CHARS = 56  # characters per subtitle line: about 340 px at 12 px
AXIS_TITLE_CHARS = 40  # characters per axis title line: it spans the plot, narrower than the chart
LABEL_LIMIT = 0  # no limit: labels are kept short or wrapped, never cut with an ellipsis

# Single views take the text column's width. Vega's "fit" measures text marks one layout behind,
# so without `resize` a value written at the plot's right edge could be cut off.
COLUMN_WIDTH = {"width": "container", "autosize": alt.AutoSizeParams(type="fit-x", contains="padding", resize=True)}

# The bundle is served from the book's _static folder (see analysis/sphinx_ext.py).
BUNDLE_NAME = "vega-bundle.js"


@alt.theme.register("pcp", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": config.CHART_WIDTH, "continuousHeight": config.CHART_HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "gridColor": "#e6e6e6",
                     "labelLimit": LABEL_LIMIT},
            # Numbers may thin out on a narrow plot (log scales crowd); category labels never do.
            "axisQuantitative": {"labelOverlap": "greedy", "labelSeparation": 4},
            # One legend entry per row: long series names would otherwise be cut at the column edge.
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                       "labelLimit": LABEL_LIMIT},
            "header": {"labelFontSize": 13, "labelLimit": LABEL_LIMIT},
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


def embedded_spec(spec: dict) -> dict:
    """The spec as a page embeds it: a map that names the force shapes (analysis/maps.py) gets them as a dataset."""
    if spec.get("data", {}).get("name") != config.SHAPES_DATASET:
        return spec
    from analysis import geography  # shapely, only for maps

    return {**spec, "datasets": {**spec.get("datasets", {}), config.SHAPES_DATASET: geography.boundaries()}}


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
    payload = json.dumps(embedded_spec(spec), sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
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


class Drawn:
    """A finished chart whose page markup is computed on first display and kept, so a national chart that every
    edition shows unchanged is drawn once per kernel. Everything else (to_dict, properties …) is the chart's own."""

    def __init__(self, chart):
        self.chart = chart
        self._bundle = None

    def _repr_mimebundle_(self, *args, **kwargs):
        if self._bundle is None:
            self._bundle = self.chart._repr_mimebundle_(*args, **kwargs) or None  # Altair gives {} on failure
        return self._bundle or {}

    def __getattr__(self, name):
        if name == "chart":  # not yet set (a copy being made): no chart to ask
            raise AttributeError(name)
        return getattr(self.chart, name)


alt.renderers.register("pcp", render)
alt.renderers.enable("pcp")
# Altair checks every spec against the Vega-Lite schema when it is rendered; in its debug mode it also checks each
# piece as it is built, which doubles the cost of a chart (an edition draws about 40) and finds nothing more.
alt.utils.schemapi.disable_debug_mode()


def _lines(text: str | list[str] | None, width: int) -> list[str]:
    """Text broken into lines of at most `width` characters (each given line wrapped on its own)."""
    if not text:
        return []
    given = [text] if isinstance(text, str) else list(text)
    return [line for part in given for line in textwrap.wrap(part, width) or [""]]


def _axis_title(text: str) -> list[str]:
    """An axis title in lines short enough for a plot on a phone."""
    return _lines(text, AXIS_TITLE_CHARS)


def finish(chart: alt.TopLevelMixin, *, name: str, description: str, source: str, title: str | None = None,
           subtitle: str | list[str] | None = None):
    """Attach what every chart needs: a stable name, alt text, a source line and a title.

    Titles and subtitles are broken into lines (Vega never wraps them), so a chart is no wider
    than its plot.
    """
    props = {"description": description, "usermeta": {"pcp": {"name": name, "source": source}}}
    if title:
        props["title"] = alt.Title(_lines(title, TITLE_CHARS),
                                   subtitle=_lines(subtitle, SUBTITLE_CHARS) or alt.Undefined)
    return chart.properties(**props)


def wrapped_labels(values: pd.Series, width: int = LABEL_CHARS) -> str:
    """An axis labelExpr that writes each label longer than `width` characters on several lines.

    Lines break at spaces and after slashes ("Black/African/Caribbean/Black British"), never
    mid-word, and no label is cut short.
    """
    lines = {}
    for value in dict.fromkeys(values.dropna().astype(str)):
        if len(value) > width:
            lines[value] = [line.replace("/ ", "/") for line in textwrap.wrap(value.replace("/", "/ "), width)]
    if not lines:
        return "datum.label"
    return f"{json.dumps(lines, sort_keys=True)}[datum.label] || datum.label"


def _row_step(values: pd.Series, width: int = LABEL_CHARS) -> int:
    """Pixels per row of a band axis, enough for the most lines any of its wrapped labels takes."""
    lines = max((len(textwrap.wrap(str(v).replace("/", "/ "), width)) for v in values.dropna()), default=1)
    return 20 + 14 * (lines - 1)


def _force_labels(frame: pd.DataFrame, highlight: str | None) -> pd.DataFrame:
    """Rows keyed by pfa_code with `area` (short display name) and `marker` (other force, England and Wales,
    or the highlighted force's short name), the field that colour, shape and labels show.

    Besides the 43 forces, rows may be national totals (England and Wales, and England and Wales excluding the
    Met), marked as England and Wales is, or an area that ONS reports for several forces together (London's
    two forces in the CSEW), highlighted in the edition of any force it covers."""
    if "pfa_code" not in frame.columns:
        raise KeyError(f"a chart of forces needs a pfa_code column (ONS code); got columns {list(frame.columns)}")
    short = (forces.registry().set_index("pfa_code")["short_name"].to_dict() | forces.NATIONAL_SHORT_NAMES
             | {code: label for code, (label, _) in forces.COMBINED_AREAS.items()})
    unknown = sorted(set(frame["pfa_code"]) - set(short))
    if unknown:
        raise KeyError(f"pfa_code values not in the force registry: {unknown}")
    area = frame["pfa_code"].map(short)
    marker = pd.Series(OTHER_FORCES, index=frame.index).mask(frame["pfa_code"].isin(forces.NATIONAL_NAMES), NATIONAL)
    if highlight:
        code = forces.resolve(highlight).code
        mine = {code} | {c for c, (_, covered) in forces.COMBINED_AREAS.items() if code in covered}
        marker = marker.mask(frame["pfa_code"].isin(mine), area)
    return frame.assign(area=area, marker=marker)


def _marker_style(marker: str) -> tuple[str, str]:
    """Colour and shape of a force marker: other forces, England and Wales, or the highlighted force."""
    fixed = dict(zip([OTHER_FORCES, NATIONAL], zip(FORCE_COLOURS, FORCE_SHAPES)))
    return fixed.get(marker, (FORCE_COLOURS[2], FORCE_SHAPES[2]))


def _marker_scales(frame: pd.DataFrame) -> tuple[alt.Scale, alt.Scale]:
    """Colour and shape scales of the force markers present in `frame` (other forces, England and Wales, highlight)."""
    present = set(frame["marker"])
    domain = [m for m in [OTHER_FORCES, NATIONAL] if m in present] + sorted(present - {OTHER_FORCES, NATIONAL})
    pairs = [_marker_style(m) for m in domain]
    return (alt.Scale(domain=domain, range=[c for c, _ in pairs]),
            alt.Scale(domain=domain, range=[shape for _, shape in pairs]))


def _marker_encodings(frame: pd.DataFrame) -> tuple[alt.Color, alt.Shape]:
    """Colour and shape of the force markers, sharing title and domain so Vega-Lite would draw one legend."""
    colours, shapes = _marker_scales(frame)
    return alt.Color("marker:N", title=None, scale=colours), alt.Shape("marker:N", title=None, scale=shapes)


def _name_label(frame: pd.DataFrame, x: str, y: alt.Y, dx: int = 9) -> alt.Chart:
    """The highlighted force's name written beside its marker."""
    named = frame[~frame["marker"].isin([OTHER_FORCES, NATIONAL])]
    return alt.Chart(named).mark_text(align="left", dx=dx, fontSize=12, fontWeight="bold", color="#000").encode(
        x=x, y=y, text="area:N")


def _series_encodings(df: pd.DataFrame, legend: bool = True,
                      highlight: str | None = None) -> tuple[alt.Color, alt.Shape]:
    """Colour and shape for the same series, with one title, order and domain, so Vega-Lite draws one legend.

    When each series is an area (a pfa_code column), England and Wales and the `highlight` force
    take the house force colours and shapes; a series that is no single area (an average of
    comparable forces, say: pfa_code missing) takes a colour and shape no force marker uses.
    """
    names = list(dict.fromkeys(df["series"]))
    colours, shapes = (PALETTE * 3)[: len(names)], (SHAPES * 3)[: len(names)]
    codes = df.drop_duplicates("series").set_index("series")["pfa_code"] if "pfa_code" in df.columns else None
    # Only when each series is one area: several groups of one area are not areas.
    if codes is not None and codes.dropna().is_unique and (df.groupby("series")["pfa_code"].nunique() <= 1).all():
        known = _force_labels(df[df["pfa_code"].notna()], highlight).drop_duplicates("series")
        styles = {row.series: _marker_style(row.marker) for row in known.itertuples()}
        spare = iter(zip(SPARE_COLOURS, [sh for sh in SHAPES if sh not in FORCE_SHAPES] * 2))
        pairs = [styles[n] if pd.notna(codes[n]) else next(spare) for n in names]
        colours, shapes = [c for c, _ in pairs], [sh for _, sh in pairs]
    # Full-strength symbols, even where a faint band shares the colour scale.
    legend_spec = alt.Legend(title=None, symbolOpacity=1) if legend else None
    return (alt.Color("series:N", sort=names, legend=legend_spec, scale=alt.Scale(domain=names, range=colours)),
            alt.Shape("series:N", sort=names, legend=legend_spec, scale=alt.Scale(domain=names, range=shapes)))


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
    colour, shape = _series_encodings(df)
    x = alt.X("year_ending:Q", axis=csew_year_axis(), scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value_pct:Q", title=_axis_title(y_title), scale=alt.Scale(domain=[0, 100]))
    tooltip = [alt.Tooltip("series:N", title="Measure"), alt.Tooltip("csew_year:N", title="Year"),
               alt.Tooltip("value_pct:Q", title="%", format=".1f")]
    base = alt.Chart(df)
    lines = base.mark_line().encode(x=x, y=y, color=colour, detail="segment:N")
    # Provisional values (one source only) are drawn hollow.
    fill = (alt.condition("datum.provisional", alt.value("white"), colour) if "provisional" in df.columns
            else colour)
    points = base.mark_point().encode(x=x, y=y, color=colour, shape=shape, fill=fill, tooltip=tooltip)
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
        placed = breaks.sort_values("start").reset_index(drop=True)
        placed = placed.assign(note_y=4 + 13 * placed.index, right=placed["start"] > middle)
        for right, notes in placed.groupby("right"):
            layers.append(alt.Chart(notes).mark_text(
                align="right" if right else "left", baseline="top", dx=-3 if right else 3, fontSize=10, color="#333",
            ).encode(x="start:Q", y=alt.Y("note_y:Q", scale=None), text="label:N"))
    chart = alt.layer(*layers).properties(**COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def estimates_with_ci(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                      reference_label: str, x_title: str = "% of adults", subtitle=None) -> alt.FacetChart:
    """Dot-and-whisker chart of survey estimates with 95% CIs, one panel per measure and breakdown, stacked.

    Expects columns measure, breakdown, group, pct, ci_low_pct, ci_high_pct, comparison
    (higher/lower/similar against the reference) and ref_pct (the reference value).
    Colour and shape both carry the comparison, so colour is never the only cue.
    """
    order = ["lower", "similar", "higher"]
    comp_colour = alt.Color("comparison:N", title=f"Against {reference_label}", sort=order,
                            scale=alt.Scale(domain=order, range=[PALETTE[5], GREY, PALETTE[0]]))
    comp_shape = alt.Shape("comparison:N", title=f"Against {reference_label}", sort=order,
                           scale=alt.Scale(domain=order, range=["triangle-left", "circle", "triangle-right"]))
    y = alt.Y("group:N", title=None, sort=None, axis=alt.Axis(labelExpr=wrapped_labels(df["group"])))
    x_scale = alt.Scale(zero=False)
    base = alt.Chart()
    whiskers = base.mark_rule(color=GREY, strokeWidth=2).encode(
        x=alt.X("ci_low_pct:Q", title=_axis_title(x_title), scale=x_scale), x2="ci_high_pct:Q", y=y)
    dots = base.mark_point(size=90, filled=True).encode(
        x="pct:Q", y=y, color=comp_colour, shape=comp_shape,
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("pct:Q", title="%", format=".1f"),
                 alt.Tooltip("ci_low_pct:Q", title="95% CI from", format=".1f"),
                 alt.Tooltip("ci_high_pct:Q", title="95% CI to", format=".1f"),
                 alt.Tooltip("comparison:N", title=f"Against {reference_label}")])
    ref = base.mark_rule(color="#000", strokeDash=[3, 3]).encode(x="ref_pct:Q")
    panels = list(dict.fromkeys(df["measure"] + ", by " + df["breakdown"].str.lower()))
    chart = alt.layer(ref, whiskers, dots, data=df.assign(panel=df["measure"] + ", by " + df["breakdown"].str.lower())
                      ).properties(width=FACET_WIDTH, height=alt.Step(_row_step(df["group"]))).facet(
        facet=alt.Facet("panel:N", title=None, sort=panels,
                        header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top",
                                          labelFontWeight="bold")),
        columns=1,
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
        x=x, y=alt.Y("low:Q", title=_axis_title(y_title), axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
        y2="high:Q")
    middle = base.mark_area(color=PALETTE[4], opacity=0.5).encode(x=x, y="q1:Q", y2="q3:Q")
    line = base.mark_line(color=PALETTE[0]).encode(
        x=x, y="headline:Q",
        tooltip=[alt.Tooltip("date:T", title="Quarter ending"), alt.Tooltip("headline:Q", title="London", format=".0%"),
                 alt.Tooltip("low:Q", title="Lowest borough", format=".0%"),
                 alt.Tooltip("high:Q", title="Highest borough", format=".0%")])
    chart = alt.layer(full, middle, line).properties(**COLUMN_WIDTH, height=config.CHART_HEIGHT)
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
        frame = _force_labels(df, highlight)
    else:  # areas that are not forces (a survey's boroughs): `label`, and a boolean `highlight` for the whole area
        if "label" not in df.columns:
            raise KeyError(f"a ranked chart needs a pfa_code column (ONS code) for forces, or a label column for "
                           f"other areas; got columns {list(df.columns)}")
        marked = df["highlight"] if "highlight" in df.columns else pd.Series(False, index=df.index)
        frame = df.assign(area=df["label"], marker=marked.map({True: NATIONAL, False: OTHER_FORCES}))
    order = frame.sort_values("value", ascending=False)["area"].tolist()
    y = alt.Y("area:N", sort=order, title=None)
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    colour, shape = _marker_encodings(frame)
    base = alt.Chart(frame)
    axis = {"title": _axis_title(x_title), "scale": scale}
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
        layers = [whiskers, dots, _name_label(frame, "ci_high:Q", y)]
    else:
        layers = [dots, _name_label(frame, "value:Q", y)]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(x="ref:Q"))
    chart = alt.layer(*layers).properties(**COLUMN_WIDTH, height=14 * len(frame))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def lines_with_bands(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                     reference: float | None = None, subtitle=None, log: bool = True,
                     highlight: str | None = None) -> alt.LayerChart:
    """Yearly lines (one per series) with shaded 95% intervals, x in years ending March.

    Expects columns year_ending, series, value, ci_low, ci_high; series that are areas (a
    pfa_code column) are styled as _series_encodings says. An optional flagged (bool) column draws
    those points hollow, e.g. years whose denominator is far from its census.
    """
    colour, shape = _series_encodings(df, highlight=highlight)
    x = alt.X("year_ending:Q", axis=csew_year_axis("Year (April to March)"), scale=alt.Scale(zero=False, nice=False))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    base = alt.Chart(df)
    # With a segment column, lines and bands are not joined across a gap (a year with too few events).
    gaps = {"detail": alt.Detail("segment:N")} if "segment" in df.columns else {}
    band = base.mark_area(opacity=0.2).encode(x=x, y=alt.Y("ci_low:Q", title=_axis_title(y_title), scale=scale),
                                              y2="ci_high:Q",
                                              color=colour, **gaps)
    line = base.mark_line().encode(x=x, y="value:Q", color=colour, **gaps)
    fill = alt.condition("datum.flagged", alt.value("white"), colour) if "flagged" in df.columns else colour
    points = base.mark_point().encode(
        x=x, y="value:Q", color=colour, shape=shape, fill=fill,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year_ending:Q", title="Year ending March"),
                 alt.Tooltip("value:Q", format=".1f", title="Value"),
                 alt.Tooltip("ci_low:Q", format=".1f", title="95% CI from"),
                 alt.Tooltip("ci_high:Q", format=".1f", title="95% CI to")])
    layers = [band, line, points]
    if reference is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#000", strokeDash=[3, 3])
                      .encode(y="ref:Q"))
    chart = alt.layer(*layers).properties(**COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


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
        frame = _force_labels(df, highlight)
        frame = frame.assign(label=frame["area"])
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelExpr=wrapped_labels(frame["label"], 32)))
    marked = "marker" in frame.columns and highlight is not None
    x = alt.X("value:Q", title=_axis_title(x_title),
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
        colour_m, shape_m = _marker_encodings(frame)
        layers.append(base.transform_filter(alt.datum.marker != OTHER_FORCES).mark_point(
            filled=True, size=70, xOffset=8).encode(x=x, y=y, color=colour_m.legend(None), shape=shape_m.legend(None)))
        group += (f" + (datum.marker != {json.dumps(OTHER_FORCES)} && datum.marker != {json.dumps(NATIONAL)}"
                  f" ? '  ← ' + datum.marker : '')")
    text = base.mark_text(align="left", dx=16 if marked else 3, fontSize=11).encode(x=x, y=y, text="bar_label:N")
    text = text.transform_calculate(bar_label=f"format(datum.value, {json.dumps(fmt)}){group}")
    chart = alt.layer(*layers, text).resolve_scale(color="independent").properties(
        **COLUMN_WIDTH, height=alt.Step(_row_step(frame["label"], 32) + 2))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def yearly_lines(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
                 subtitle=None, x_title: str = "31 March of each year", fmt: str = ".0f",
                 zero: bool = True, marks: pd.DataFrame | None = None, highlight: str | None = None) -> alt.LayerChart:
    """Yearly lines, one colour and marker shape per series, with the series named at the line end.

    Expects columns year, series and value. `marks` (columns year, label) draws labelled
    vertical rules, e.g. a policy change. Series that are areas (a pfa_code column) are styled
    as _series_encodings says.
    """
    colour, shape = _series_encodings(df, legend=False, highlight=highlight)
    x = alt.X("year:Q", title=_axis_title(x_title), axis=alt.Axis(format="d"),
              scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value:Q", title=_axis_title(y_title), scale=alt.Scale(zero=zero))
    base = alt.Chart(df)
    line = base.mark_line().encode(x=x, y=y, color=colour, detail="series:N")
    points = base.mark_point(size=40, filled=True).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", format=fmt, title="Value")])
    last = df.sort_values("year").groupby("series", as_index=False).tail(1)
    # Series names at the line ends, in black: coloured text would fail the contrast check.
    labels = alt.Chart(last).mark_text(align="left", dx=6, fontSize=11, color="#000").encode(x=x, y=y, text="series:N")
    layers = [line, points, labels]
    if marks is not None and len(marks):
        layers.insert(0, alt.Chart(marks).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="year:Q"))
        layers.append(alt.Chart(marks).mark_text(align="left", baseline="top", dx=3, dy=4, fontSize=10, color="#333")
                      .encode(x="year:Q", y=alt.value(0), text="label:N"))
    chart = alt.layer(*layers).properties(**COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ranked_changes(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, x_title: str,
                   subtitle=None, highlight: str | None = None) -> alt.LayerChart:
    """One row per area, ranked, with a marker per moment (e.g. 2010, low point, 2022) joined by a rule.

    Expects columns pfa_code, moment, value and order (the ranking value per area). The rule of
    England and Wales and of the `highlight` force is drawn thick in the house force colours,
    with a force marker and (for the highlighted force) its name past the row's last marker.
    """
    frame = _force_labels(df, highlight)
    moments = list(dict.fromkeys(frame["moment"]))
    order = frame.drop_duplicates("area").sort_values("order", ascending=False)["area"].tolist()
    y = alt.Y("area:N", sort=order, title=None)
    x = alt.X("value:Q", title=_axis_title(x_title), scale=alt.Scale(zero=False))
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
        colour, shape = _marker_encodings(frame)
        ends = marked.groupby(["area", "marker"], as_index=False)["value"].max()
        stroke = alt.Stroke("marker:N", legend=None, scale=_marker_scales(frame)[0])
        layers.insert(0, alt.Chart(marked).mark_rule(strokeWidth=4, opacity=0.5).encode(
            x="min(value):Q", x2="max(value):Q", y=y, stroke=stroke))
        layers.append(alt.Chart(ends).mark_point(filled=True, size=70, xOffset=14).encode(
            x="value:Q", y=y, color=colour.legend(None), shape=shape.legend(None)))
        layers.append(_name_label(ends, "value:Q", y, dx=24))
    # The force markers have scales of their own, apart from the moments' colours and shapes.
    chart = alt.layer(*layers).resolve_scale(color="independent", shape="independent").properties(
        **COLUMN_WIDTH, height=14 * len(order))
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
    chart = alt.layer(equal, lines).properties(**COLUMN_WIDTH, height=config.CHART_HEIGHT)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def ski_slope(df: pd.DataFrame, *, name: str, description: str, source: str, title: str, y_title: str,
              highlight: str | None = None, reference: float | None = None, fmt: str = ".0f",
              subtitle=None) -> alt.LayerChart:
    """Every force as a column, highest first (the "ski slope" of HMICFRS's value-for-money profiles), with the
    `highlight` force in its own colour and named above its column with its value and rank, and an optional
    reference rule (England and Wales).

    Expects columns pfa_code and value (forces only; missing values are left out and should be named in the
    subtitle)."""
    frame = _force_labels(df[df["value"].notna()], highlight).sort_values("value", ascending=False)
    frame = frame.assign(rank=range(1, len(frame) + 1), of=len(frame))
    x = alt.X("area:N", sort=frame["area"].tolist(), title=f"{len(frame)} forces, highest first",
              axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("value:Q", title=y_title)
    colours, _ = _marker_scales(frame)
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(
        x=x, y=y, color=alt.Color("marker:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("area:N", title="Force"), alt.Tooltip("value:Q", format=fmt, title="Value"),
                 alt.Tooltip("rank:Q", title="Rank")])
    layers = [bars]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"ref": [reference], "label": [f"{NATIONAL} {reference:{fmt[1:]}}"]}))
                      .mark_rule(color="#000", strokeDash=[4, 3]).encode(y="ref:Q"))
    named = frame[~frame["marker"].isin([OTHER_FORCES, NATIONAL])]
    if len(named):
        # The marker of a named column is the force's short name, so the label carries what the colour shows.
        caption = (f"datum.marker + ' ' + format(datum.value, {json.dumps(fmt)}) + ' (' + datum.rank + ' of ' "
                   "+ datum.of + ')'")
        # The name sits above the top of the plot, over its column, on a white halo so no line crosses it.
        text = alt.Chart(named).transform_calculate(caption=caption).encode(x=x, y=alt.value(-6), text="caption:N")
        layers += [text.mark_text(fontSize=12, fontWeight="bold", stroke="white", strokeWidth=4),
                   text.mark_text(fontSize=12, fontWeight="bold", color="#000")]
    chart = alt.layer(*layers).properties(width=SLOPE_WIDTH, height=220)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def small_trends(df: pd.DataFrame, *, name: str, description: str, source: str, title: str,
                 subtitle=None) -> alt.FacetChart:
    """Small line charts, one panel per measure (own y scale), the force against England and Wales.

    Expects columns measure, year (a number on the x axis), value, series (the force's short name or
    "England and Wales") and pfa_code."""
    frame = _force_labels(df, None).assign(series=df["series"])
    names = list(dict.fromkeys(frame["series"]))
    pairs = [(FORCE_COLOURS[1], FORCE_SHAPES[1]) if s == NATIONAL else (FORCE_COLOURS[2], FORCE_SHAPES[2])
             for s in names]
    colour = alt.Color("series:N", sort=names, title=None,
                       scale=alt.Scale(domain=names, range=[c for c, _ in pairs]))
    shape = alt.Shape("series:N", sort=names, title=None,
                      scale=alt.Scale(domain=names, range=[s for _, s in pairs]))
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=4), scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False))
    base = alt.Chart()
    lines = base.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="series:N")
    points = base.mark_point(size=25, filled=True).encode(
        x=x, y=y, color=colour, shape=shape,
        tooltip=[alt.Tooltip("measure:N"), alt.Tooltip("series:N", title="Area"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", format=".1f", title="Value")])
    measures = list(dict.fromkeys(frame["measure"]))
    chart = alt.layer(lines, points, data=frame).properties(width=SMALL_WIDTH, height=90).facet(
        facet=alt.Facet("measure:N", sort=measures, title=None,
                        header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top", labelFontWeight="bold",
                                          labelExpr=wrapped_labels(frame["measure"], 48))),
        columns=2).resolve_scale(y="independent")
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

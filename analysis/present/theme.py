"""House chart style: the Okabe-Ito palette, sizes, one Altair theme, and finish(), which gives every chart its name,
alt text, source line and wrapped title.

Width: single-view charts take the width of the text column (`width: "container"`), so they reflow on a phone;
faceted charts are stacked in one column at a fixed width that fits the desktop column, and the book's CSS scales
them down on narrow screens. Importing this module registers and enables the theme and (through render) the
offline renderer, so every chart in the book looks the same and draws from the locally bundled Vega JavaScript.
"""

from __future__ import annotations

import json
import math
import textwrap

import altair as alt
import pandas as pd

from analysis import config
from analysis.present import render  # noqa: F401  (registers the offline renderer)

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
# A stacked panel's plot, and the characters per line of its title: with its wrapped labels the chart is about
# 340 px wide, so it fits a phone's column unscaled.
FACET_WIDTH = 180
FACET_HEADER_CHARS = 30
SMALL_WIDTH = 290  # small multiples one above another: with their axis about 340 px, so a phone shows them unscaled
LABEL_CHARS = 24  # characters per line of a wrapped axis label
TITLE_CHARS = 42  # characters per title line: about 340 px at 15 px, so titles fit a phone
SUBTITLE_CHARS = 56  # characters per subtitle line: about 340 px at 12 px
AXIS_TITLE_CHARS = 40  # characters per axis title line: it spans the plot, narrower than the chart
LABEL_LIMIT = 0  # no limit: labels are kept short or wrapped, never cut with an ellipsis

# Single views take the text column's width. Vega's "fit" measures text marks one layout behind,
# so without `resize` a value written at the plot's right edge could be cut off.
COLUMN_WIDTH = {"width": "container", "autosize": alt.AutoSizeParams(type="fit-x", contains="padding", resize=True)}


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


def wrap_lines(text: str | list[str] | None, width: int) -> list[str]:
    """Text broken into lines of at most `width` characters (each given line wrapped on its own)."""
    if not text:
        return []
    given = [text] if isinstance(text, str) else list(text)
    return [line for part in given for line in textwrap.wrap(part, width) or [""]]


def axis_title(text: str) -> list[str]:
    """An axis title in lines short enough for a plot on a phone."""
    return wrap_lines(text, AXIS_TITLE_CHARS)


def finish(chart: alt.TopLevelMixin, *, name: str, description: str, source: str, title: str | None = None,
           subtitle: str | list[str] | None = None):
    """Attach what every chart needs, to `chart` itself: a stable name, alt text, a source line and a title.

    Titles and subtitles are broken into lines (Vega never wraps them), so a chart is no wider
    than its plot.
    """
    props = {"description": description, "usermeta": {"pcp": {"name": name, "source": source}}}
    if title:
        props["title"] = alt.Title(wrap_lines(title, TITLE_CHARS),
                                   subtitle=wrap_lines(subtitle, SUBTITLE_CHARS) or alt.Undefined)
    # Set on the chart itself, which every caller has just built: .properties() would rebuild a layered chart,
    # deep-copying each layer twice.
    for key, value in props.items():
        setattr(chart, key, value)
    return chart


def independent(*channels: str) -> alt.Resolve:
    """A layered chart's scales for these channels kept apart (alt.layer(..., resolve=…)): the edition's force
    markers have colours and shapes of their own. Given to alt.layer, not set after it by .resolve_scale(), which
    rebuilds the chart."""
    return alt.Resolve(scale=alt.ScaleResolveMap(**dict.fromkeys(channels, "independent")))


def log_axis(*drawn, pad: float = 0.05) -> dict:
    """The scale and axis of a log axis over the positive values a chart draws (points, intervals, limit lines, a
    reference rule), padded by `pad` of its log range at each end: Vega's nice log domain would run on to the powers
    of ten around them, leaving most of the plot empty. A log scale has no zero or negative value to draw. Ticks at 1,
    2, 3, 5 and, on a short span, 7 times a power of ten (every digit on a narrow span), so 1, parity, is labelled
    wherever it is drawn:
    Vega's own ticks on a short span drop labels that would overlap, 1 among them."""
    values = pd.concat([pd.Series(v, dtype=float) for v in drawn], ignore_index=True)
    values = values[values > 0]
    low, high = float(values.min()), float(values.max())
    factor = max((high / low) ** pad, 1.05)
    domain = [low / factor, high * factor]
    powers = range(math.floor(math.log10(domain[0])), math.ceil(math.log10(domain[1])) + 1)
    ticks = [[t for p in powers for d in digits if domain[0] <= (t := float(f"{d}e{p}")) <= domain[1]]
             for digits in ((1, 2, 3, 5, 7), (1, 2, 3, 5), range(1, 10))]
    # 7 too where the span is short enough to label it (a ratio of 6.5 can then be read off), else 1, 2, 3 and 5.
    ticks[0] = ticks[0] if len(ticks[0]) <= 8 else []
    axis = next(({"axis": alt.Axis(values=t)} for t in ticks if len(t) >= 3), {})
    return {"scale": alt.Scale(type="log", nice=False, domain=domain), **axis}


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


def row_step(values: pd.Series, width: int = LABEL_CHARS) -> int:
    """Pixels per row of a band axis, enough for the most lines any of its wrapped labels takes."""
    lines = max((len(textwrap.wrap(str(v).replace("/", "/ "), width)) for v in values.dropna()), default=1)
    return 20 + 14 * (lines - 1)

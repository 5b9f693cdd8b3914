"""Maps of the 43 force areas in the house style: a choropleth of one measure, and a force with its comparable forces.

The simplified shapes are embedded in the rendered chart as inline values (never a URL), so a map draws
offline from file:// as well as when served. Values are joined to shapes by ONS force code only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import config
from analysis.present import source_lines, theme
from analysis.sources import boundaries, forces
from analysis.sources.schemas import Column, Schema, validate

WIDTH, HEIGHT = 420, 480
# Transverse Mercator on 2°W, the central meridian of the British National Grid: Great Britain as OS maps draw it.
PROJECTION = {"type": "transverseMercator", "rotate": [2, 0, 0]}
# A sequential ramp built from Okabe-Ito colours (yellow, orange, vermillion): light is low, dark is high.
RAMP = [theme.PALETTE[6], theme.PALETTE[1], theme.PALETTE[5]]
MISSING_FILL = "#d9d9d9"
BORDER = "white"
OUTLINE = "#000"
NO_FIGURE = "no published figure"
# Labels east of this longitude run west of their point, so they stay on the map.
LABEL_FLIP_LON = -0.8
# Two labels closer than this (degrees) would overlap; the later one is left out.
LABEL_GAP_LAT, LABEL_GAP_LON = 0.35, 3.0
ROLES = ["Force", "Comparable forces", "Other forces"]


def _values_schema() -> Schema:
    return Schema("map values", (forces.code_column(), Column("value", "number", nullable=True)),
                  unique=("pfa_code",))


def _layered(*layers: alt.Chart) -> alt.LayerChart:
    """Layers drawn on the force shapes, which the rendered page embeds once, at the top, as inline values (never a
    URL). The chart only names them: carried as values, Altair would copy, hash and check all 43 shapes at every
    step of building the map (about half a second a map)."""
    return alt.layer(*layers, data=alt.NamedData(name=config.SHAPES_DATASET), projection=alt.Projection(**PROJECTION),
                     width=WIDTH, height=HEIGHT)


def _label_layers(points: pd.DataFrame, label: str) -> list[alt.Chart]:
    """Text labels at a point inside each named force: a white halo under dark text, so they read on any fill.

    `points` has pfa_code, longitude, latitude and the fields that `label` (a Vega expression) reads;
    the label is computed in the chart, so the fields it shows are named in the spec.
    """
    layers = []
    for west, group in points.groupby(points["longitude"] > LABEL_FLIP_LON):
        base = alt.Chart(group).transform_calculate(label=label).encode(
            longitude="longitude:Q", latitude="latitude:Q", text="label:N")
        place = {"align": "right", "dx": -6} if west else {"align": "left", "dx": 6}
        layers += [base.mark_text(fontSize=11, fontWeight="bold", stroke="white", strokeWidth=3, strokeJoin="round",
                                  **place),
                   base.mark_text(fontSize=11, fontWeight="bold", color="#000", **place),
                   base.mark_point(shape="circle", size=20, filled=True, color="#000")]
    return layers


def _points(codes: list[str]) -> pd.DataFrame:
    """Label points of `codes`, in that order, leaving out any that would crowd a label already placed."""
    points = pd.DataFrame(boundaries.label_points()).set_index("pfa_code")
    kept: list[str] = []
    for code in dict.fromkeys(codes):
        here = points.loc[code]
        if all(abs(here["latitude"] - points.at[k, "latitude"]) > LABEL_GAP_LAT
               or abs(here["longitude"] - points.at[k, "longitude"]) > LABEL_GAP_LON for k in kept):
            kept.append(code)
    return points.loc[kept].reset_index()


def _legend_values(values: pd.Series, log: bool) -> list[float]:
    """Legend ticks: the lowest and highest value, and round numbers between them on a log scale."""
    low, high = float(values.min()), float(values.max())
    if not log:
        return [low, high]
    steps = [m * 10 ** e for e in range(-2, 4) for m in (1, 2, 5)]
    return [low, *(v for v in steps if low * 1.45 < v < high / 1.45), high]


def choropleth(values: pd.DataFrame, *, name: str, title: str, measure_label: str, unit: str, period: str,
               source: str, fmt: str = ".1f", highlight: str | None = None, description: str | None = None,
               subtitle: str | list[str] | None = None, label_extremes: bool = True,
               log: bool = False) -> alt.LayerChart:
    """A map of the 43 force areas coloured by `values` (columns pfa_code, value; optional note).

    Forces with no value (missing from `values`, or value NaN) are drawn in light grey and named in the
    subtitle as having no published figure, with their `note` (e.g. "suppressed by ONS") where given.
    `highlight` (a force code, name or slug) draws that force's outline thick and dark and labels it;
    `label_extremes` labels the highest and lowest force with their values. The description (alt text)
    is written from the data unless given. `log` puts the colour scale on a log scale (for ratios).
    Width 420 px, height 480 px: fits a 700 px column.
    """
    validate(values[["pfa_code", "value"]], _values_schema(), f"map {name!r} values")
    registry = forces.registry()
    table = registry[["pfa_code"]].merge(values, on="pfa_code", how="left", validate="one_to_one")
    table["force"] = forces.area_names(table["pfa_code"])
    notes = table["note"].fillna("") if "note" in table else pd.Series("", index=table.index)
    table["note"] = notes.where(notes != "", NO_FIGURE).where(table["value"].isna(), "")
    table["value_text"] = [f"{format(v, fmt)} {unit}" if pd.notna(v) else n
                           for v, n in zip(table["value"], table["note"])]
    table["period"] = period
    shown = table[table["value"].notna()]
    absent = table[table["value"].isna()]
    if shown.empty:
        raise ValueError(f"map {name!r}: no force has a value to draw")

    # A data frame, so the renderer offers it as the chart's CSV (the shapes are not data).
    lookup = alt.LookupData(table[["pfa_code", "force", "value", "value_text", "period", "note"]],
                            key="pfa_code", fields=["force", "value", "value_text", "period"])
    tooltip = [alt.Tooltip("force:N", title="Force"),
               alt.Tooltip("value_text:N", title=measure_label), alt.Tooltip("period:N", title="Period")]
    base = alt.Chart().transform_lookup(lookup="properties.pfa_code", from_=lookup)
    grey = base.mark_geoshape(fill=MISSING_FILL, stroke=BORDER, strokeWidth=0.5).encode(tooltip=tooltip)
    coloured = base.transform_filter("isValid(datum.value)").mark_geoshape(stroke=BORDER, strokeWidth=0.5).encode(
        color=alt.Color("value:Q", title=[measure_label, unit],
                        scale=alt.Scale(type="log" if log else "linear", range=RAMP, zero=False, interpolate="hcl"),
                        legend=alt.Legend(format=fmt, orient="top-left", values=_legend_values(shown["value"], log), direction="vertical", gradientLength=140,
                                          titleLimit=200, titleLineHeight=14)),
        tooltip=tooltip)
    layers = [grey, coloured]

    labelled = []
    if highlight is not None:
        code = forces.resolve(highlight).code
        labelled.append(code)
        layers.append(alt.Chart().transform_filter(alt.datum["properties"]["pfa_code"] == code)
                      # An outline drawn over its force, which the layers below already describe to a screen reader.
                      .mark_geoshape(filled=False, stroke=OUTLINE, strokeWidth=2.5, aria=False))
    if label_extremes:
        labelled += [shown.loc[shown["value"].idxmax(), "pfa_code"], shown.loc[shown["value"].idxmin(), "pfa_code"]]
    by_code = table.set_index("pfa_code")
    points = _points(labelled).join(by_code[["force", "value", "note"]], on="pfa_code")
    layers += _label_layers(points, f"datum.force + ': ' + (isValid(datum.value) ? format(datum.value, '{fmt}') "
                                    f": datum.note)")
    if len(absent):
        # A grey dot, so a force too small to see at this scale (the City of London) can still be found.
        dots = _points(absent["pfa_code"].tolist()).join(by_code[["force", "value_text"]], on="pfa_code")
        layers.append(alt.Chart(dots).mark_point(shape="circle", size=45, filled=True, fill=MISSING_FILL,
                                                 stroke=OUTLINE, strokeWidth=1).encode(
            longitude="longitude:Q", latitude="latitude:Q",
            tooltip=[alt.Tooltip("force:N", title="Force"), alt.Tooltip("value_text:N", title=measure_label)]))

    missing_names = "; ".join(f"{r.force} ({r.note})" if r.note != NO_FIGURE else r.force for r in absent.itertuples())
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    if len(absent):
        lines += [f"Grey, or a grey dot where the area is too small to see: {NO_FIGURE}", missing_names]
    if description is None:
        top, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
        description = (f"Map of the {len(table)} police force areas of England and Wales. Shading: {measure_label}, "
                       f"{unit}, {period}; light for low, dark for high. Highest: {top['force']} "
                       f"({format(top['value'], fmt)}); lowest: {low['force']} ({format(low['value'], fmt)}).")
        if len(absent):
            description += f" {NO_FIGURE.capitalize()} for {missing_names}."
    return theme.finish(_layered(*layers), name=name, description=description,
                        source=source or source_lines.line([boundaries.BOUNDARIES_FILE]), title=title,
                         subtitle=lines or None)


def force_and_peers_map(force_code: str, peer_codes: list[str], *, name: str | None = None,
                        title: str | None = None, source: str | None = None,
                        peers_label: str = ROLES[1]) -> alt.LayerChart:
    """The force filled dark, its comparable forces in a lighter shade with dashed outlines, others grey, labelled.

    The legend names the three roles (colour and dash both carry them, so colour is never the only cue).
    """
    force = forces.resolve(force_code)
    peers = [forces.resolve(p).code for p in peer_codes]
    if force.code in peers:
        raise ValueError(f"force_and_peers_map: {force.code} is listed among its own comparable forces")
    # Each role with its fill, outline and dash; a force with no comparable forces has no such role in the legend.
    styles = [(ROLES[0], theme.PALETTE[0], OUTLINE, [1, 0]), (peers_label, theme.PALETTE[4], OUTLINE, [3, 2]),
              (ROLES[2], MISSING_FILL, BORDER, [1, 0])]
    styles = [style for style in styles if peers or style[0] != peers_label]
    roles, fills, outlines, dashes = (list(column) for column in zip(*styles))
    table = forces.registry()[["pfa_code"]].assign(force=lambda d: forces.area_names(d["pfa_code"]))
    table["role"] = ROLES[2]
    table.loc[table["pfa_code"].isin(peers), "role"] = peers_label
    table.loc[table["pfa_code"] == force.code, "role"] = ROLES[0]
    lookup = alt.LookupData(table, key="pfa_code", fields=["force", "role"])
    legend = alt.Legend(title=None, orient="top-right", direction="vertical", symbolType="square", symbolSize=160,
                        labelLimit=200)
    shapes = alt.Chart().transform_lookup(lookup="properties.pfa_code", from_=lookup).mark_geoshape(
        strokeWidth=1).encode(
        color=alt.Color("role:N", sort=roles, legend=legend,
                        scale=alt.Scale(domain=roles, range=fills)),
        stroke=alt.Stroke("role:N", sort=roles, legend=None, scale=alt.Scale(domain=roles, range=outlines)),
        strokeDash=alt.StrokeDash("role:N", sort=roles, legend=legend, scale=alt.Scale(domain=roles, range=dashes)),
        tooltip=[alt.Tooltip("force:N", title="Force"), alt.Tooltip("role:N", title="On this map")])
    labels = _points([force.code]).join(table.set_index("pfa_code")[["force", "role"]], on="pfa_code")
    peer_names = forces.area_names(pd.Series(peers)).tolist()
    peers_text = (f"its {len(peers)} {peers_label.lower()} in light blue with dashed outlines "
                  f"({', '.join(peer_names)})" if peers else f"no {peers_label.lower().removesuffix('s')}")
    description = (f"Map of the police force areas of England and Wales with {force.name} filled dark blue and "
                   f"labelled, {peers_text}, and the other forces grey.")
    return theme.finish(_layered(shapes, *_label_layers(labels, "datum.force")),
                        name=name or f"force-and-peers-{force.slug}", description=description,
                        source=source or source_lines.line([boundaries.BOUNDARIES_FILE]),
                        title=title or f"{force.name} and its {peers_label.lower()}")

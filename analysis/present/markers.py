"""Forces on charts: rows keyed by ONS code named by the registry's short names; the edition's force and England and
Wales marked in their own colour and shape, everything else as "other forces"."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.present.theme import FORCE_COLOURS, FORCE_SHAPES, NATIONAL, OTHER_FORCES, PALETTE, SHAPES, SPARE_COLOURS
from analysis.sources import forces

def force_labels(frame: pd.DataFrame, highlight: str | None) -> pd.DataFrame:
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


def marker_style(marker: str) -> tuple[str, str]:
    """Colour and shape of a force marker: other forces, England and Wales, or the highlighted force."""
    fixed = dict(zip([OTHER_FORCES, NATIONAL], zip(FORCE_COLOURS, FORCE_SHAPES)))
    return fixed.get(marker, (FORCE_COLOURS[2], FORCE_SHAPES[2]))


def marker_scales(frame: pd.DataFrame) -> tuple[alt.Scale, alt.Scale]:
    """Colour and shape scales of the force markers present in `frame` (other forces, England and Wales, highlight)."""
    present = set(frame["marker"])
    domain = [m for m in [OTHER_FORCES, NATIONAL] if m in present] + sorted(present - {OTHER_FORCES, NATIONAL})
    pairs = [marker_style(m) for m in domain]
    return (alt.Scale(domain=domain, range=[c for c, _ in pairs]),
            alt.Scale(domain=domain, range=[shape for _, shape in pairs]))


def marker_encodings(frame: pd.DataFrame) -> tuple[alt.Color, alt.Shape]:
    """Colour and shape of the force markers, sharing title and domain so Vega-Lite would draw one legend."""
    colours, shapes = marker_scales(frame)
    return alt.Color("marker:N", title=None, scale=colours), alt.Shape("marker:N", title=None, scale=shapes)


def name_label(frame: pd.DataFrame, x: str, y: alt.Y, dx: int = 9, align: str = "left") -> alt.Chart:
    """The highlighted force's name written beside its marker: to its right, or to its left with align="right"."""
    named = frame[~frame["marker"].isin([OTHER_FORCES, NATIONAL])]
    return alt.Chart(named).mark_text(align=align, dx=dx if align == "left" else -dx, fontSize=12, fontWeight="bold",
                                      color="#000").encode(x=x, y=y, text="area:N")


def series_encodings(df: pd.DataFrame, legend: bool = True,
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
        known = force_labels(df[df["pfa_code"].notna()], highlight).drop_duplicates("series")
        styles = {row.series: marker_style(row.marker) for row in known.itertuples()}
        spare = iter(zip(SPARE_COLOURS, [sh for sh in SHAPES if sh not in FORCE_SHAPES] * 2))
        pairs = [styles[n] if pd.notna(codes[n]) else next(spare) for n in names]
        colours, shapes = [c for c, _ in pairs], [sh for _, sh in pairs]
    # Full-strength symbols, even where a faint band shares the colour scale.
    legend_spec = alt.Legend(title=None, symbolOpacity=1) if legend else None
    return (alt.Color("series:N", sort=names, legend=legend_spec, scale=alt.Scale(domain=names, range=colours)),
            alt.Shape("series:N", sort=names, legend=legend_spec, scale=alt.Scale(domain=names, range=shapes)))

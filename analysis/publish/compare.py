"""The compare-forces page: choose any forces by name or on a map and see every measure side by side, with a dot plot
of all forces per measure; one self-contained HTML file that works offline, its selection kept in the address."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import pandas as pd

from analysis.present import precision, source_lines, theme
from analysis.publish import landing, measures_package
from analysis.sources import boundaries, forces

PAGE = "compare.html"  # in the site's root, beside the national book's index.html
HERE = Path(__file__).parent
# The fields of a force's row the page shows: the contract's, then those the table may add (a ratio's verdict against
# parity, the denominator a figure is per, the area whose figure a force is given and the force whose row carries it,
# why an estimate has no interval, where the site shows it, the funnel's centre as a figure) where it has them.
ROW_FIELDS = ["value", "ci_low", "ci_high", "period", "funnel_place", "funnel_centre", "vs_england_and_wales", "test",
              "previous_period", "previous_value", "change", "change_verdict", "reason", "grade"]
OPTIONAL_FIELDS = ["vs_parity", "basis", "area", "shared_with", "interval_note", "shown_at", "funnel_centre_value"]
# The map's drawing: an equirectangular projection scaled by the cosine of this latitude (mid England and Wales),
# close to the book's transverse Mercator at this size; the width is in SVG units, the height follows.
MAP_LAT, MAP_WIDTH = 53.0, 300


def _value(v):
    """A cell as JSON: missing is null, never 0 or NaN."""
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v


def _first(values: pd.Series):
    """The first figure given (England and Wales and the median force are the same on every row of a period)."""
    given = values.dropna()
    return _value(given.iloc[0]) if len(given) else None


def page_data(table: pd.DataFrame, measures: dict[str, dict]) -> dict:
    """What the page embeds: the 43 forces (for the type-ahead and the map) and, per measure of the forces in the
    order of its data file, its newest period's rows keyed by force code, floats rounded as every file the book
    writes, and the decimal places the book prints it to. A national figure (`by_force: false`) and a period where no
    force has a figure are no section of the page."""
    table = precision.for_file(table)
    fields = ROW_FIELDS + [f for f in OPTIONAL_FIELDS if f in table.columns]
    out = []
    for measure_id, meta in measures_package.by_force(measures).items():
        rows = table[table["measure_id"] == measure_id]
        if rows.empty:
            continue
        newest = rows[rows["period_end"] == rows["period_end"].max()]
        if newest["value"].isna().all():
            continue
        first = newest.iloc[0]
        # A count's England and Wales figure is the forces' total: stated, never drawn beside the forces' counts.
        out.append({"id": measure_id, "label": meta.get("label") or first["measure"], "unit": first["unit"],
                    "total": bool(meta.get("count")),
                    "definition": meta.get("definition"), "decimals": meta.get("decimals"),
                    "period": first["period"], "england_and_wales": _first(newest["england_and_wales"]),
                    "median_force": _first(newest["median_force"]),
                    "rows": {r["force_code"]: {f: _value(r[f]) for f in fields}
                             for r in newest.to_dict("records")}})
    registry = forces.registry().sort_values("name", kind="stable")
    return {"forces": [{"code": r.pfa_code, "name": r.name, "short": r.short_name, "slug": r.slug}
                       for r in registry.itertuples()],
            "measures": out}


def embedded_json(data) -> str:
    """JSON safe inside a <script> element: <, > and & as \\u escapes, so no text in it can end the element or open
    a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _ring(points, west: float, north: float, scale: float) -> str:
    x0 = math.cos(math.radians(MAP_LAT))
    return "M" + "L".join(f"{(lon - west) * x0 * scale:.1f},{(north - lat) * scale:.1f}" for lon, lat in points) + "Z"


def force_map() -> str:
    """The 43 force areas as a small SVG that works as a multi-select list: a path per force (keyed by its code,
    named by its <title>, which is also the mouse's tooltip), alphabetical by name; the page's script makes it one
    tab stop, moved through with the arrow keys, each area choosing its force by click, tap, Space or Enter."""
    features = boundaries.boundaries()
    rings = {f["properties"]["pfa_code"]: [ring for polygon in f["geometry"]["coordinates"] for ring in polygon[:1]]
             for f in features}
    points = [p for polys in rings.values() for ring in polys for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    scale = MAP_WIDTH / ((east - west) * math.cos(math.radians(MAP_LAT)))
    height = (north - south) * scale
    # Alphabetical, in the document as for the keys: the name list's and the chosen list's order, so a screen reader's
    # "12 of 43" and the arrow keys agree, and a reader who cannot see the map can predict the next force. An order by
    # position would not be predictable: the areas are irregular, and the City of London sits inside London.
    names = {code: forces.get(code).name for code in rings}
    paths = "".join(
        f'<path data-code="{code}" role="option" aria-selected="false" '
        f'd="{"".join(_ring(r, west, north, scale) for r in rings[code])}"><title>{html.escape(names[code])}</title>'
        "</path>" for code in sorted(rings, key=names.get))
    # A listbox, not 43 checkboxes: one tab stop, and screen readers leave browse mode in it, so the arrow keys reach
    # the page's script. The areas take their tabindex from the script, so without it the map is no dead stop.
    return (f'<svg id="force-map" viewBox="0 0 {MAP_WIDTH} {height:.0f}" role="listbox" aria-multiselectable="true" '
            'aria-label="Map of the 43 police force areas of England and Wales: choose forces" '
            f'aria-describedby="map-help">{paths}</svg>')


def page(table: pd.DataFrame, measures: dict[str, dict], links: list[tuple[str, str]], static: str) -> str:
    """The whole page. `links`: (href, text) pairs for the header (national book, editions, the data package);
    `static`: the folder of the book's favicon."""
    data = page_data(table, measures)
    nav = " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in links)
    options = "".join(f'<option value="{html.escape(f["name"])}"></option>' for f in data["forces"])
    css = (landing.LANDING_CSS + f":root {{ --chosen: {theme.PALETTE[5]}; --other: {theme.PALETTE[0]}; }}\n"
           + (HERE / "compare.css").read_text(encoding="utf-8"))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Compare forces: public confidence in policing</title>"
        f'<link rel="icon" href="{html.escape(static)}favicon.svg"><style>{css}</style></head><body>'
        '<header><p>Public confidence in policing: an executable evidence review</p><h1>Compare forces</h1>'
        f"<p>{nav}</p></header>"
        '<main class="compare">'
        '<section class="choose" aria-labelledby="choose-heading"><div class="pick">'
        '<h2 id="choose-heading">Choose forces</h2>'
        f"<p>Every measure of the {len(data['forces'])} territorial forces of England and Wales, side by side: choose "
        "forces by name or on the map. The address of this page keeps your choice, so you can share it.</p>"
        '<label for="force-input">Add a force</label><div class="add">'
        '<input id="force-input" list="force-options" autocomplete="off" aria-describedby="force-help">'
        '<button type="button" id="add-force">Add</button></div>'
        f'<datalist id="force-options">{options}</datalist>'
        '<p id="force-help" class="help" aria-live="polite">Type part of a name, then choose it from the list or press Enter.</p>'
        '<ul id="chosen" class="chosen" aria-label="Chosen forces"></ul>'
        '<button type="button" id="clear-forces" hidden>Remove all</button></div>'
        f'<figure class="map">{force_map()}<figcaption><span class="map-help" id="map-help">Click or tap an area to '
        "add or remove its force. From the keyboard, Tab to the map, move from force to force in alphabetical order "
        "with the arrow keys (or type the start of a name), and press Space or Enter to add or remove one.</span> "
        f'{html.escape(source_lines.line([boundaries.BOUNDARIES_FILE]))}</figcaption>'
        "</figure></section>"
        '<p id="summary" class="summary" role="status" aria-live="polite"></p>'
        '<div id="measures"></div>'
        "<noscript><p>This page needs JavaScript to choose forces. Every figure is also in the data package linked "
        "above.</p></noscript></main>"
        f'<script type="application/json" id="compare-data">{embedded_json(data)}</script>'
        f'<script>{(HERE / "compare.js").read_text(encoding="utf-8")}</script></body></html>\n')


def write(target: Path, table: pd.DataFrame, measures: dict[str, dict], links: list[tuple[str, str]],
          static: str) -> Path:
    """Write the page to `target` and return it."""
    target.write_text(page(table, measures, links, static), encoding="utf-8")
    return target


def publish(target: Path, links: list[tuple[str, str]], static: str) -> Path:
    """`make site`: the page for the real table of all 43 forces."""
    from analysis.measures import force_measures

    return write(target, force_measures.all_forces(), force_measures.MEASURES, links, static)

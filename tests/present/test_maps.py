"""Maps: the shapes embedded inline once, values joined by code, missing values grey and named, within the page
budget, in the palette."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import config
from analysis.present import maps, render, theme
from analysis.sources import forces
from analysis.sources.schemas import SchemaError
from tests.gates.accessibility import COLOUR, NEUTRALS, colour_only

# One map may add at most about 150 KB to a page.
MAP_BUDGET = 150_000


def _values():
    codes = sorted(forces.force_codes())
    values = pd.DataFrame({"pfa_code": codes, "value": [float(i) for i in range(1, len(codes) + 1)]})
    values.loc[values["pfa_code"] == forces.CITY_OF_LONDON, "value"] = float("nan")
    return values.assign(note=lambda d: d["value"].isna().map({True: "suppressed by ONS", False: ""}))


def _map(**kwargs):
    return maps.choropleth(_values(), name="toy-map", title="Toy", measure_label="Toy measure", unit="per 1,000",
                           period="year ending December 2024", source="test", **kwargs)


def test_a_map_names_its_shapes_and_the_book_serves_them_once():
    chart_spec = _map().to_dict()
    assert chart_spec["data"] == {"name": config.SHAPES_DATASET} and '"MultiPolygon"' not in json.dumps(chart_spec)
    html = render.render(chart_spec)["text/html"]  # what the page carries: the map's values, not its shapes
    assert "MultiPolygon" not in html and f'"{config.SHAPES_DATASET}"' in html
    assert '"url"' not in html and "http" not in html.replace("https://vega.github.io/schema", "")
    script = render.shapes_script()  # served once beside the Vega bundle (publish/sphinx_ext.py)
    shapes = json.loads(script.split("=", 1)[1].split(";\n", 1)[0])
    assert len(shapes) == 43 and shapes[0]["type"] == "Feature" and script.count('"MultiPolygon"') == 43
    assert "window.vegaEmbed = function" in script
    assert chart_spec["projection"]["type"] == "transverseMercator"


def test_map_renders_within_the_page_budget_with_description_and_csv():
    html = render.render(_map(highlight="kent").to_dict())["text/html"]
    assert len(html.encode()) <= MAP_BUDGET
    assert 'aria-label="Map of the 43 police force areas' in html and "Download the chart data (CSV)" in html


def test_map_csv_is_the_values_not_the_shapes():
    spec = _map().to_dict()
    largest = max(spec["datasets"].values(), key=len)
    assert set(largest[0]) >= {"pfa_code", "force", "value", "value_text"} and "geometry" not in largest[0]


def test_missing_values_are_grey_and_named_not_zero():
    spec = _map().to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "no published figure" in subtitle and "City of London Police (suppressed by ONS)" in subtitle
    assert "No published figure for City of London Police" in spec["description"]
    rows = max(spec["datasets"].values(), key=len)
    city = next(r for r in rows if r["pfa_code"] == forces.CITY_OF_LONDON)
    assert city["value"] is None and city["value_text"] == "suppressed by ONS"
    assert maps.MISSING_FILL in json.dumps(spec)


def test_highlight_draws_a_dark_outline_and_a_label():
    spec = _map(highlight="kent").to_dict()
    outline = [layer for layer in spec["layer"] if layer.get("mark", {}).get("filled") is False]
    assert len(outline) == 1 and outline[0]["mark"]["stroke"] == maps.OUTLINE
    assert "E23000032" in json.dumps(outline[0]["transform"])
    labels = [r for d in spec["datasets"].values() for r in d if "latitude" in r]
    assert "Kent Police" in {r.get("force") for r in labels}
    assert not [layer for layer in _map().to_dict()["layer"] if layer.get("mark", {}).get("filled") is False]


def test_maps_use_the_palette_and_never_colour_alone():
    for chart in (_map(highlight="kent"), maps.force_and_peers_map("kent", ["E23000030", "E23000033"])):
        assert colour_only(chart.to_dict()) == []
        used = {c.lower() for c in COLOUR.findall(json.dumps(chart.to_dict()))}
        assert used and used <= {c.lower() for c in theme.PALETTE} | NEUTRALS


def test_force_and_peers_map_names_the_roles():
    spec = maps.force_and_peers_map("kent", ["hampshire", "E23000033"]).to_dict()
    rows = max(spec["datasets"].values(), key=len)
    roles = {r["pfa_code"]: r["role"] for r in rows}
    assert roles["E23000032"] == "Force" and roles["E23000030"] == roles["E23000033"] == "Comparable forces"
    assert sum(r == "Other forces" for r in roles.values()) == 40
    assert "Hampshire" in spec["description"] and "Kent Police" in spec["description"]
    with pytest.raises(ValueError, match="among its own comparable forces"):
        maps.force_and_peers_map("kent", ["kent"])


def test_values_with_an_unknown_code_are_refused():
    bad = pd.DataFrame({"pfa_code": ["E23000099"], "value": [1.0]})
    with pytest.raises(SchemaError, match=r"map 'toy-map' values.*'E23000099'"):
        maps.choropleth(bad, name="toy-map", title="t", measure_label="m", unit="u", period="p", source="s")


def test_map_png_draws(tmp_path):
    import vl_convert as vlc

    png = vlc.vegalite_to_png(_map(highlight="cumbria").to_json())
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000

"""Force area boundaries and maps: 43 valid simplified shapes, embedded inline, joined by code, within the page budget."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from shapely.geometry import shape

from analysis import charts, config, forces, geography, maps
from analysis.schemas import SchemaError
from tests.accessibility import colour_only
from tests.test_accessibility import COLOUR, NEUTRALS

# One map may add at most about 150 KB to a page; the shapes alone at most about 120 KB.
MAP_BUDGET = 150_000
SHAPES_BUDGET = 120_000


def _values():
    codes = sorted(forces.force_codes())
    values = pd.DataFrame({"pfa_code": codes, "value": [float(i) for i in range(1, len(codes) + 1)]})
    values.loc[values["pfa_code"] == forces.CITY_OF_LONDON, "value"] = float("nan")
    return values.assign(note=lambda d: d["value"].isna().map({True: "suppressed by ONS", False: ""}))


def _map(**kwargs):
    return maps.choropleth(_values(), name="toy-map", title="Toy", measure_label="Toy measure", unit="per 1,000",
                           period="year ending December 2024", source="test", **kwargs)


def test_simplified_shapes_keep_all_43_forces_valid_and_small():
    features = geography.boundaries()
    assert [f["properties"]["pfa_code"] for f in features] == sorted(forces.force_codes())
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and not geometry.is_empty and geometry.area > 0, feature["properties"]
        # d3-geo needs clockwise exterior rings: a counter-clockwise one would fill the whole world.
        assert all(not p.exterior.is_ccw for p in geometry.geoms)
    assert geography.compact_size(features) <= SHAPES_BUDGET
    city = shape(next(f for f in features if f["properties"]["pfa_code"] == forces.CITY_OF_LONDON)["geometry"])
    assert city.bounds[0] > -0.12 and city.bounds[2] < -0.07 and 51.50 < city.bounds[1] < 51.53


def test_coordinates_are_rounded_to_four_decimals():
    text = json.dumps(geography.boundaries()[0]["geometry"])
    decimals = [len(n.split(".")[1]) for n in text.replace("[", " ").replace("]", " ").replace(",", " ").split()
                if "." in n]
    assert decimals and max(decimals) <= geography.DECIMALS


def test_label_points_fall_inside_their_force():
    shapes = {f["properties"]["pfa_code"]: shape(f["geometry"]) for f in geography.boundaries()}
    from shapely.geometry import Point
    for p in geography.label_points():
        assert shapes[p["pfa_code"]].buffer(0.01).contains(Point(p["longitude"], p["latitude"])), p


def test_a_boundary_file_with_a_wrong_code_is_refused():
    features = geography._read_features()[0]
    broken = [dict(f, properties={**f["properties"], "PFA23CD": "E23000099"}) if i == 0 else f
              for i, f in enumerate(features)]
    with pytest.raises(SchemaError, match=r"toy.geojson: property PFA23CD .*unknown \['E23000099'\], "
                                          r"missing \['E23000001'\]"):
        geography.validate_features(broken, "toy.geojson")


def test_map_embeds_the_shapes_inline_once_and_no_url():
    chart_spec = _map().to_dict()
    assert chart_spec["data"] == {"name": config.SHAPES_DATASET} and '"MultiPolygon"' not in json.dumps(chart_spec)
    spec = charts.embedded_spec(chart_spec)  # what the page carries
    text = json.dumps(spec)
    assert '"url"' not in text and "http" not in text.replace("https://vega.github.io/schema", "")
    shapes = spec["datasets"][config.SHAPES_DATASET]
    assert len(shapes) == 43 and shapes[0]["type"] == "Feature"
    assert text.count('"MultiPolygon"') == 43  # the shapes appear once, not once per layer
    assert spec["projection"]["type"] == "transverseMercator"
    html = charts.render(chart_spec)["text/html"]
    assert html.count("MultiPolygon") == 43 and f'"{config.SHAPES_DATASET}"' in html


def test_map_renders_within_the_page_budget_with_description_and_csv():
    html = charts.render(_map(highlight="kent").to_dict())["text/html"]
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
        assert used and used <= {c.lower() for c in charts.PALETTE} | NEUTRALS


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


@pytest.mark.gate
def test_maps_draw_in_chromium_from_file_and_served(tmp_path, chrome):
    """A page with both maps, opened as file:// and from 127.0.0.1: both draw, no error, nothing fetched."""
    import vl_convert

    from analysis import fairness, wider
    from tests.browser import check_page, visit

    (tmp_path / "vega-bundle.js").write_text("(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n")
    body = "\n".join(charts.render(s.chart.to_dict())["text/html"]
                     for s in (wider.recorded_crime_map(highlight="kent"), fairness.search_ratio_map()))
    (tmp_path / "maps.html").write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                        f'<title>maps</title><link rel="icon" href="data:,"><script src="vega-bundle.js"></script></head>'
                                        f"<body>{body}</body></html>")
    assert len(check_page(chrome, tmp_path, "maps.html", "maps.png")) == 2
    report = visit(chrome, (tmp_path / "maps.html").as_uri(), tmp_path / "file.png")
    assert not report.unexpected_errors() and all(c["marks"] > 0 for c in report.charts)
    assert all(u.startswith("file:") or u.startswith("data:") for u in report.requests), report.requests

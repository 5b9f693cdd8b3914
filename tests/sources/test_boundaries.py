"""Force area boundaries: 43 valid simplified shapes, coordinates rounded, label points inside, bad codes refused."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from analysis.sources import boundaries, forces
from analysis.sources.schemas import SchemaError

# The shapes may add at most about 120 KB to a page (present/test_maps.py: a whole map at most about 150 KB).
SHAPES_BUDGET = 120_000


def test_simplified_shapes_keep_all_43_forces_valid_and_small():
    features = boundaries.boundaries()
    assert [f["properties"]["pfa_code"] for f in features] == sorted(forces.force_codes())
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and not geometry.is_empty and geometry.area > 0, feature["properties"]
        # d3-geo needs clockwise exterior rings: a counter-clockwise one would fill the whole world.
        assert all(not p.exterior.is_ccw for p in geometry.geoms)
    assert boundaries.compact_size(features) <= SHAPES_BUDGET
    city = shape(next(f for f in features if f["properties"]["pfa_code"] == forces.CITY_OF_LONDON)["geometry"])
    assert city.bounds[0] > -0.12 and city.bounds[2] < -0.07 and 51.50 < city.bounds[1] < 51.53


def test_coordinates_are_rounded_to_four_decimals():
    text = json.dumps(boundaries.boundaries()[0]["geometry"])
    decimals = [len(n.split(".")[1]) for n in text.replace("[", " ").replace("]", " ").replace(",", " ").split()
                if "." in n]
    assert decimals and max(decimals) <= boundaries.DECIMALS


def test_label_points_fall_inside_their_force():
    shapes = {f["properties"]["pfa_code"]: shape(f["geometry"]) for f in boundaries.boundaries()}
    from shapely.geometry import Point
    for p in boundaries.label_points():
        assert shapes[p["pfa_code"]].buffer(0.01).contains(Point(p["longitude"], p["latitude"])), p


def test_a_boundary_file_with_a_wrong_code_is_refused():
    features = boundaries._read_features()[0]
    broken = [dict(f, properties={**f["properties"], "PFA23CD": "E23000099"}) if i == 0 else f
              for i, f in enumerate(features)]
    with pytest.raises(SchemaError, match=r"toy.geojson: property PFA23CD .*unknown \['E23000099'\], "
                                          r"missing \['E23000001'\]"):
        boundaries.validate_features(broken, "toy.geojson")

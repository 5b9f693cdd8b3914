"""Police force area boundaries: load the ONS GeoJSON, check its codes, simplify once for embedding in maps."""

from __future__ import annotations

import copy
import json

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from analysis.sources import cache, forces
from analysis.sources.files import locate
from analysis.sources.schemas import SchemaError

BOUNDARIES_FILE = "pfa_boundaries_dec2023/boundaries"
CODE_PROPERTY = "PFA23CD"
# Degrees (about 780 m north-south, 480 m east-west here): under one pixel of a 420 x 480 px map of
# England and Wales (about 1.4 km a pixel), and it brings the 43 shapes to about 107 KB of compact GeoJSON.
TOLERANCE_DEG = 0.007
# Coordinates are snapped to this grid (4 decimal places, about 10 m), which also keeps every ring valid.
GRID_DEG = 1e-4
DECIMALS = 4


def _read_features() -> tuple[list[dict], str]:
    path = locate(BOUNDARIES_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}: not valid GeoJSON ({exc})") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise SchemaError(f"{path}: expected a GeoJSON FeatureCollection with a 'features' list")
    return features, str(path)


def validate_features(features: list[dict], source: str) -> None:
    """Each feature is a polygon keyed by one of the 43 force codes, and every force has exactly one."""
    codes = []
    for i, feature in enumerate(features):
        code = (feature.get("properties") or {}).get(CODE_PROPERTY)
        kind = (feature.get("geometry") or {}).get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            raise SchemaError(f"{source}: feature {i} ({CODE_PROPERTY}={code!r}) has geometry {kind!r}; "
                              "expected Polygon or MultiPolygon")
        codes.append(code)
    expected = forces.force_codes()
    unknown = sorted(str(c) for c in set(codes) - expected)
    missing = sorted(expected - set(codes))
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if unknown or missing or repeated:
        raise SchemaError(f"{source}: property {CODE_PROPERTY} must hold each of the 43 force codes once; "
                          f"unknown {unknown}, missing {missing}, repeated {repeated}")


def _simplified(geometry: dict, code: str, source: str) -> dict:
    shp = shape(geometry).simplify(TOLERANCE_DEG, preserve_topology=True)
    shp = shapely.set_precision(shp, GRID_DEG)
    # d3-geo (Vega) reads rings on the sphere: an exterior ring must run clockwise, or the
    # polygon is taken to be the whole world minus the force.
    parts = shp.geoms if shp.geom_type == "MultiPolygon" else [shp]
    shp = shapely.MultiPolygon([orient(p, sign=-1.0) for p in parts if p.geom_type == "Polygon" and not p.is_empty])
    if shp.is_empty or not shp.is_valid:
        raise SchemaError(f"{source}: the shape of {code} is empty or invalid after simplification "
                          f"(tolerance {TOLERANCE_DEG} degrees); lower boundaries.TOLERANCE_DEG")
    return json.loads(json.dumps(mapping(shp)), parse_float=lambda x: round(float(x), DECIMALS))


# Kept uncopied: label_points, called by every map, reads only the points (in_memory would copy all 43 shapes each
# time); boundaries() copies the shapes it hands out.
@cache.keep
def _boundaries() -> tuple[tuple[dict, ...], tuple[tuple[str, float, float], ...]]:
    features, source = _read_features()
    validate_features(features, source)
    shapes, points = [], []
    for feature in sorted(features, key=lambda f: f["properties"][CODE_PROPERTY]):
        code = feature["properties"][CODE_PROPERTY]
        geometry = _simplified(feature["geometry"], code, source)
        shapes.append({"type": "Feature", "properties": {"pfa_code": code}, "geometry": geometry})
        # A point inside the force (a centroid can fall outside a ragged coastline), for its label.
        inside = shape(feature["geometry"]).representative_point()
        points.append((code, round(inside.x, DECIMALS), round(inside.y, DECIMALS)))
    return tuple(shapes), tuple(points)


def boundaries() -> list[dict]:
    """The 43 force areas as simplified GeoJSON features (WGS84), properties {"pfa_code"}, in code order.

    Read, checked and simplified once per kernel; each caller gets its own copy.
    """
    return copy.deepcopy(list(_boundaries()[0]))


def label_points() -> list[dict]:
    """One point inside each force area (pfa_code, longitude, latitude), for map labels."""
    return [{"pfa_code": c, "longitude": x, "latitude": y} for c, x, y in _boundaries()[1]]


def compact_size(features: list[dict]) -> int:
    """Bytes of the features as compact JSON, as they are embedded in a chart."""
    return len(json.dumps(features, separators=(",", ":")).encode())

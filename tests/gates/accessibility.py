"""Find chart specs in built pages, and views where colour is the only cue to a field."""

from __future__ import annotations

import json
import re
from pathlib import Path

# The renderer's call (analysis/present/render.py): vegaEmbed(el, <spec>, {actions:false,...}).
SPEC = re.compile(r"vegaEmbed\(el,(\{.*?\}),\{actions:false")
COLOUR_CHANNELS = ("color", "fill", "stroke")
# Channels that carry a field without relying on colour: position, shape, dash, facet, text.
OTHER_CUES = ("x", "y", "x2", "y2", "shape", "strokeDash", "row", "column", "facet", "text")
# Okabe-Ito plus neutral greys, black and white: the only colours a chart may use.
NEUTRALS = {"#000", "#000000", "#333", "#444", "#767676", "#d9d9d9", "#e6e6e6", "white", "#fff", "#ffffff"}
COLOUR = re.compile(r'"(#[0-9a-fA-F]{3,6}|white|black|red|green|blue|orange|purple)"')


def chart_specs(html_root: Path) -> dict[str, dict]:
    """Every chart spec on every page, keyed 'page: chart name'."""
    specs = {}
    for page in sorted(html_root.rglob("*.html")):
        for match in SPEC.finditer(page.read_text(encoding="utf-8")):
            spec = json.loads(match.group(1))
            name = spec.get("usermeta", {}).get("pcp", {}).get("name", "?")
            specs[f"{page.relative_to(html_root)}: {name}"] = spec
    return specs


def _field(definition) -> str | None:
    return definition.get("field") if isinstance(definition, dict) else None


def _groups(spec: dict, inherited: dict | None = None, facets: frozenset = frozenset()) -> list[list[tuple]]:
    """Groups of unit views drawn together (a layer is one group); each view is (mark, encoding, transforms, facets)."""
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    facets = facets | {f for key in ("facet", "row", "column") if (f := _field(spec.get(key)))}
    if "layer" in spec:
        return [[view for layer in spec["layer"] for group in _groups(layer, encoding, facets) for view in group]]
    for key in ("hconcat", "vconcat", "concat"):
        if key in spec:
            return [group for child in spec[key] for group in _groups(child, None, facets)]
    if "spec" in spec:
        return _groups(spec["spec"], encoding, facets)
    mark = spec.get("mark")
    mark = mark.get("type") if isinstance(mark, dict) else mark
    return [[(mark, encoding, spec.get("transform", []), facets)]]


def _cued_fields(view: tuple) -> set[str]:
    """Fields a view shows other than by colour (a calculated text label counts for the fields it uses)."""
    _, encoding, transforms, facets = view
    fields = {f for ch in OTHER_CUES if (f := _field(encoding.get(ch)))} | set(facets)
    text = _field(encoding.get("text"))
    for t in transforms:
        if t.get("as") == text and "calculate" in t:
            fields |= {a or b for a, b in re.findall(r"datum\[\"(\w+)\"\]|datum\.(\w+)", t["calculate"])}
    return fields


def colour_only(spec: dict) -> list[str]:
    """Fields that a chart shows by colour alone, with no shape, position, facet or label carrying them too."""
    problems = []
    for group in _groups(spec):
        cued = set().union(*(_cued_fields(view) for view in group))
        for mark, encoding, _, _ in group:
            for channel in COLOUR_CHANNELS:
                field = _field(encoding.get(channel))
                if field and field not in cued:
                    problems.append(f"{mark} mark: {channel} shows '{field}' and nothing else does")
    return problems


# axe-core (bundled with axe_playwright_python and injected with page.evaluate, so it runs offline).
# A page fails on any violation of these impacts, with no allow-list.
FAILING_IMPACTS = {"serious", "critical"}
# preload off: axe's stylesheet preloading re-fetches the theme's @import url(basic.css) against the
# wrong base URL (a 404 the browser check would report); no rule used here needs it.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}


def axe_violations(page, context: str | None = None, impacts=FAILING_IMPACTS) -> list[dict]:
    """axe-core's violations of `impacts` (serious and critical unless told) on the loaded page, or on the part of it
    `context` selects, one entry per rule."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page, context=context, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in impacts:
            nodes = violation["nodes"]
            found.append({"rule": violation["id"], "impact": violation["impact"], "help": violation["help"],
                          "elements": [" ".join(map(str, n["target"])) for n in nodes][:8],
                          "html": [n["html"][:200] for n in nodes][:3]})
    return found

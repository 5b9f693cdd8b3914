"""Check a drawn funnel chart against its own verdicts: each force's fitted limits on the drawn lines, and each force
on the side of them its label says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.methods import funnel

# The renderer's call (analysis/present/render.py): the spec is the first argument, the options the second.
EMBED = re.compile(r"vegaEmbed\(el,(.*?),\{actions:false,renderer:'svg'\}\)", re.DOTALL)
LEVELS = {level: f"{100 * level:g}% limits" for level in funnel.LEVELS}
# Drawn values are rounded to 6 significant digits (config.CHART_DIGITS).
SLACK = 1e-5


def specs_in(text: str) -> list[dict]:
    """Every chart spec embedded in a page or a notebook output."""
    return [json.loads(payload) for payload in EMBED.findall(text)]


def notebook_specs(path: Path) -> list[dict]:
    """Every chart spec in an executed notebook's outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [spec for cell in nb.get("cells", []) for output in cell.get("outputs", [])
            for spec in specs_in("".join(output.get("data", {}).get("text/html", "")))]


def funnel_parts(spec: dict) -> tuple[pd.DataFrame, pd.DataFrame, float] | None:
    """(forces, limit lines, centre) of a funnel chart, or None for any other chart."""
    datasets = [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values() if rows]
    curves = [d for d in datasets if {"size", "value", "level", "side"} <= set(d.columns)]
    dots = [d for d in datasets if {"pfa_code", "size", "value", "funnel"} <= set(d.columns)]
    centres = [d for d in datasets if list(d.columns) == ["centre"]]
    if not (curves and dots and centres):
        return None
    return max(dots, key=len), curves[0], float(centres[0]["centre"].iloc[0])


def _bracket(curve: pd.DataFrame, level: str, side: str, size: float) -> tuple[float, float] | None:
    """The lowest and highest the drawn line can be at `size`: the two grid points either side, widened by the step
    between them (exact binomial limits saw-tooth between grid points), or None beyond the line's span."""
    line = curve[(curve["level"] == level) & (curve["side"] == side)].sort_values("size")
    sizes, values = line["size"].to_numpy(), line["value"].to_numpy()
    if not sizes[0] * (1 - SLACK) <= size <= sizes[-1] * (1 + SLACK):
        return None
    i = int(np.clip(np.searchsorted(sizes, size), 1, len(sizes) - 1))
    low, high = sorted(values[i - 1:i + 1])
    step = high - low
    slack = SLACK * max(abs(low), abs(high))
    return low - step - slack, high + step + slack


def problems(spec: dict) -> list[str]:
    """What is wrong with one funnel chart (nothing for a chart that is not a funnel)."""
    parts = funnel_parts(spec)
    if parts is None:
        return []
    dots, curve, centre = parts
    name = spec.get("usermeta", {}).get("pcp", {}).get("name", "?")
    found = []
    for label in LEVELS.values():
        low = curve[(curve["level"] == label) & (curve["side"] == "lower")]["value"].to_numpy()
        high = curve[(curve["level"] == label) & (curve["side"] == "upper")]["value"].to_numpy()
        if not ((low <= centre * (1 + SLACK)) & (centre * (1 - SLACK) <= high)).all():
            found.append(f"{name}: the centre rule ({centre:g}) is not between the {label}")
    for row in dots.to_dict("records"):
        where = {}
        for level, label in LEVELS.items():
            for side, column in (("lower", f"low_{level:g}"), ("upper", f"high_{level:g}")):
                drawn = _bracket(curve, label, side, row["size"])
                if drawn is None:
                    found.append(f"{name}: {row['pfa_code']} (size {row['size']:g}) lies beyond the span of the lines")
                    break
                where[level, side] = drawn
                fitted = row.get(column)
                if fitted is not None and pd.notna(fitted) and not drawn[0] <= fitted <= drawn[1]:
                    found.append(f"{name}: {row['pfa_code']}'s fitted {label} ({side}) is {fitted:g}, the drawn "
                                 f"line {drawn[0]:g} to {drawn[1]:g}")
        if len(where) == 4:
            found += _verdict_problems(name, row, where)
    return found


def _verdict_problems(name: str, row: dict, where: dict) -> list[str]:
    """A force labelled within the 95% limits must be between the drawn 95% lines; one labelled above or below a
    limit must be past that line."""
    inner, outer = funnel.LEVELS
    value, verdict = row["value"], row["funnel"]
    checks = {funnel.WITHIN: where[inner, "lower"][0] <= value <= where[inner, "upper"][1],
              funnel.ABOVE_95: value >= where[inner, "upper"][0] and value <= where[outer, "upper"][1],
              funnel.ABOVE_998: value >= where[outer, "upper"][0],
              funnel.BELOW_95: value <= where[inner, "lower"][1] and value >= where[outer, "lower"][0],
              funnel.BELOW_998: value <= where[outer, "lower"][1]}
    if verdict in checks and not checks[verdict]:
        return [f"{name}: {row['pfa_code']} at {value:g} is labelled '{verdict}', on the other side of the drawn lines"]
    return []

"""Glue a number into the book and record it (value, unit, chapter, source datasets) for the figure register."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import display
from myst_nb import glue

from analysis.numbers import fmt_number, format_spec

# Output metadata key under which a notebook's records travel to the Sphinx extension.
METADATA_KEY = "pcp_figures"


class Figures:
    """The numbers one chapter glues into its prose."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.records: list[dict] = []

    def glue(self, key: str, value, *, unit: str, datasets: list[str], fmt: str = "{:.0f}",
             label: str | None = None) -> str:
        """Glue `value` (formatted, rounded half away from zero) as `key`, and record it with a label saying
        what it is; returns the text glued."""
        if any(r["key"] == key for r in self.records):
            raise ValueError(f"figure key {key!r} glued twice in chapter {self.chapter}")
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"figure {key!r} in chapter {self.chapter} is NaN; refusing to glue a missing number")
        text = value if isinstance(value, str) else fmt_number(value, *format_spec(fmt))
        glue(key, Text(text), display=False)
        stored = value if isinstance(value, str) else round(float(value), 6)
        self.records.append({"key": key, "value": stored, "text": text, "unit": unit,
                             "chapter": self.chapter, "datasets": sorted(datasets)})
        return text

    def add(self, section: "Section") -> "Section":
        """Glue every figure of a section; returns the section so its chart can be shown."""
        for f in section.figures:
            self.glue(f.key, f.value, unit=f.unit, datasets=f.datasets, fmt=f.fmt, label=f.label)
        return section

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.records, columns=["key", "text", "unit", "datasets"]).assign(
            datasets=lambda d: d["datasets"].map(", ".join))

    def show(self) -> None:
        """Display the chapter's numbers (so nbval checks them) with the records attached."""
        display(self.table(), metadata={METADATA_KEY: self.records})


def collect(notebooks: list[Path]) -> list[dict]:
    """All figure records found in executed notebooks, sorted by chapter then key."""
    records = []
    for path in notebooks:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                records.extend(output.get("metadata", {}).get(METADATA_KEY, []))
    return sorted(records, key=lambda r: (r["chapter"], r["key"]))


def every_number(records: list[dict]):
    """The figure register as a table for the appendix, each figure linked to its chapter page."""
    table = pd.DataFrame(records, columns=["chapter", "key", "text", "unit", "datasets"])
    table["datasets"] = table["datasets"].map(", ".join)
    # A fixed uuid keeps the HTML identical between runs (nbval compares it).
    return (table.style.set_uuid("every-number").hide(axis="index")
            .format({"chapter": lambda c: f'<a href="{c}.html">{c}</a>'}))


def write_register(records: list[dict], target: Path) -> None:
    """Write the register deterministically: same records, same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


class Text:
    """A glued string that renders without quotes in `{glue:}` roles."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


@dataclass
class Figure:
    """One number (or phrase) a chapter quotes, with what it is and where it came from."""

    key: str
    value: object
    unit: str
    datasets: list[str]
    fmt: str = "{:.0f}"
    label: str | None = None  # what the number is, with its period, for the chapter's list of numbers


@dataclass
class Section:
    """What one section of a chapter shows: its table, its chart and the figures it quotes."""

    table: pd.DataFrame
    chart: object = None
    figures: list[Figure] = field(default_factory=list)

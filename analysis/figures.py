"""Glue a number into the book and record it (value, label, unit, chapter, source datasets) for the figure register."""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import display
from myst_nb import glue

from analysis import charts, config, manifest, tables
from analysis.numbers import fmt_number, format_spec

# How a figure names a file a force supplied itself, which is not in the manifest.
LOCAL_DATA = "local "
# Output metadata key under which a notebook's records travel to the Sphinx extension.
METADATA_KEY = "pcp_figures"


def national(factory):
    """For a section that depends on no force (called with no arguments): compute and draw it once per process, as
    a worker's kernel serves edition after edition; each caller gets its own copy of the table and lists. Called
    with arguments (a force's own files), the factory runs as usual."""

    @functools.lru_cache(maxsize=None)
    def drawn() -> Section:
        made = factory()
        return dataclasses.replace(made, chart=None if made.chart is None else charts.Drawn(made.chart),
                                   more_charts=[charts.Drawn(c) for c in made.more_charts])

    @functools.wraps(factory)
    def section(*args, **kwargs) -> Section:
        if args or kwargs:
            return factory(*args, **kwargs)
        shared = drawn()
        table = shared.table.copy() if isinstance(shared.table, pd.DataFrame) else shared.table
        return dataclasses.replace(shared, table=table, figures=list(shared.figures),
                                   more_charts=list(shared.more_charts))

    section.cache_clear = drawn.cache_clear
    return section


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
        # A force's own files (an edition's local survey or police.uk download) are named "local <file>".
        unknown = sorted(d for d in set(datasets) - set(manifest.load_manifest()) if not d.startswith(LOCAL_DATA))
        if unknown:
            raise ValueError(f"figure {key!r} in chapter {self.chapter} names dataset(s) {unknown} that are not in "
                             f"{config.MANIFEST_PATH.name}; expected ids such as 'dataset/key'")
        text = value if isinstance(value, str) else fmt_number(value, *format_spec(fmt))
        glue(key, Text(text), display=False)
        stored = value if isinstance(value, str) else round(float(value), 6)
        self.records.append({"key": key, "value": stored, "text": text, "unit": unit,
                             "label": label or derived_label(key, unit),
                             "chapter": self.chapter, "datasets": sorted(datasets)})
        return text

    def add(self, section: "Section") -> "Section":
        """Glue every figure of a section; returns the section so its chart can be shown."""
        for f in section.figures:
            self.glue(f.key, f.value, unit=f.unit, datasets=f.datasets, fmt=f.fmt, label=f.label)
        return section

    def show(self) -> None:
        """Display the chapter's numbers for readers (so nbval checks them) with the records attached."""
        display(numbers_table(self.records), metadata={METADATA_KEY: self.records})


def collect(notebooks: list[Path]) -> list[dict]:
    """All figure records found in executed notebooks, sorted by chapter then key."""
    records = []
    for path in notebooks:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                records.extend(output.get("metadata", {}).get(METADATA_KEY, []))
    return sorted(records, key=lambda r: (r["chapter"], r["key"]))


# Words in figure keys, spelled out for a label where a chapter gives none.
KEY_WORDS = {
    "conf": "confidence", "pct": "per cent", "ss": "stop and search", "bw": "Black/White", "aw": "Asian/White",
    "mw": "Mixed/White", "ew": "England and Wales", "wf": "officers and PCSOs", "hs": "hot spots", "sat": "satisfaction",
    "pas": "Public Attitude Survey", "asb": "anti-social behaviour", "cjs": "criminal justice system", "sv": "searches",
    "lsoa": "LSOAs", "ev": "cited", "g": "", "reg": "register row",
    "n": "number of", "min": "minimum", "max": "maximum", "uof": "use of force", "num": "number",
}


def derived_label(key: str, unit: str) -> str:
    """A readable label from the key's words and the unit, for figures glued without one."""
    words = [KEY_WORDS.get(w, w) for w in key.split("_")]
    text = " ".join(w for w in words if w)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def _sources(dataset_ids: list[str]) -> str | None:
    """The datasets a figure came from, by title and period (one line each), not by id."""
    files = manifest.load_manifest()
    # Figures.glue refuses unknown ids; one here comes from a notebook executed before a manifest
    # change, and is shown as it was recorded.
    lines = [f"{files[i].title} ({files[i].period})" if i in files else i for i in dataset_ids]
    return "<br>".join(html.escape(x) for x in dict.fromkeys(lines)) or None


def _shown(record: dict) -> str:
    """The figure as the text shows it, with its unit where the unit is a unit (not a kind of name)."""
    text, unit = record["text"], record["unit"]
    if isinstance(record["value"], str) or not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def chapter_title(chapter: str) -> str:
    """A notebook name as a reader knows it: "03-procedural-justice" -> "3. Procedural justice"."""
    match = re.match(r"^(\d+)-(.*)$", chapter)
    number, words = (str(int(match[1])) + ". ", match[2]) if match else ("", chapter)
    words = words.replace("-", " ")
    return number + words[:1].upper() + words[1:]


# Lists longer than this scroll inside a box of capped height (the whole list is there).
TALL_LIST = 20


def numbers_table(records: list[dict], *, with_chapter: bool = False) -> tables.Table:
    """Every figure as a reader checks it: what it is, the figure, its sources, and its key in small type."""
    frame = pd.DataFrame({
        "chapter": [f'<a href="{html.escape(r["chapter"])}.html">{html.escape(chapter_title(r["chapter"]))}</a>'
                    for r in records],
        "label": [r.get("label") or derived_label(r["key"], r["unit"]) for r in records],
        "figure": [_shown(r) for r in records],
        "sources": [_sources(r["datasets"]) for r in records],
        "key": [f'<small><code>{html.escape(r["key"])}</code></small>' for r in records],
    }, columns=["chapter", "label", "figure", "sources", "key"])
    if not with_chapter:
        frame = frame.drop(columns="chapter")
    return tables.format_table(
        frame, kind="numbers", html_columns=[c for c in ("chapter", "sources", "key") if c in frame],
        headers={"label": "What it is", "figure": "Figure", "sources": "Computed from", "key": "Key"},
        missing={"sources": "the book's own method settings, not data"},
        caption="Every number quoted on this page" if not with_chapter else "Every number quoted in the book",
        tall=len(frame) > TALL_LIST)


def every_number(records: list[dict]) -> tables.Table:
    """The figure register as a table for the appendix, each figure linked to its chapter page."""
    return numbers_table(records, with_chapter=True)


def write_register(records: list[dict], target: Path) -> None:
    """Write the register deterministically: same records, same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def display_section(section: "Section") -> None:
    """Show a section to readers: its note, its charts, then its table (without the index)."""
    from IPython.display import Markdown

    if section.note:
        display(Markdown(section.note))
    for chart in filter(None, [section.chart, *section.more_charts]):
        display(chart)
    if isinstance(section.table, pd.DataFrame):
        if len(section.table):
            floats = [c for c in section.table.columns if pd.api.types.is_float_dtype(section.table[c])]
            display(tables.format_table(section.table, decimals={c: 1 for c in floats}, missing="not given"))
    elif section.table is not None:  # already formatted for readers
        display(section.table)


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
    # Further charts, and plain-language notes (Markdown) a reader needs beside them, when a section has them.
    more_charts: list = field(default_factory=list)
    note: str = ""

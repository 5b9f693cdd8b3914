"""Glue a number into the book and record it (value, label, unit, chapter, source datasets) for the figure register;
the Figure and Section that chapter functions return."""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import display
from myst_nb import glue

from analysis import config
from analysis.present import precision, tables
from analysis.present.numbers import fmt_number, format_spec
from analysis.present import register
from analysis.present.register import METADATA_KEY, numbers_table
from analysis.present.render import Drawn
from analysis.sources import cache, manifest

# How a figure names a file a force supplied itself, which is not in the manifest.
LOCAL_DATA = "local "
# Marks a key point's link to its evidence, which a briefing printed without the site's address leaves out.
EVIDENCE_LINK = "pcp-evidence-link"
# Marks the at-a-glance comparison charts of a force they leave out (the City of London), which its briefing omits.
NOT_CHARTED = "pcp-force-not-charted"
LOCAL_GRADE = "the force's own file"


def _drawn(made: Section) -> Section:
    """A section whose charts keep their page markup once drawn (render.Drawn)."""
    return dataclasses.replace(made, chart=None if made.chart is None else Drawn(made.chart),
                               more_charts=[Drawn(c) for c in made.more_charts])


def _own_copy(shared: Section) -> Section:
    """A caller's copy of a kept section: its own table and lists, the drawn charts shared."""
    table = shared.table.copy() if isinstance(shared.table, pd.DataFrame) else shared.table
    return dataclasses.replace(shared, table=table, figures=list(shared.figures), more_charts=list(shared.more_charts))


def national(factory):
    """For a section that depends on no force (called with no arguments): compute and draw it once per process, as
    a worker's kernel serves edition after edition; each caller gets its own copy of the table and lists. Called
    with arguments (a force's own files), the factory runs as usual."""

    @cache.keep
    def drawn() -> Section:
        return _drawn(factory())

    @functools.wraps(factory)
    def section(*args, **kwargs) -> Section:
        return factory(*args, **kwargs) if args or kwargs else _own_copy(drawn())

    section.cache_clear = drawn.cache_clear
    return section


def national_by_key(factory):
    """For a section that depends on no force but on hashable arguments that name a part of the book (a chapter):
    computed and drawn once per process for each, as `national` does for a section with none."""
    drawn = cache.keep(lambda *args: _drawn(factory(*args)))

    @functools.wraps(factory)
    def section(*args) -> Section:
        return _own_copy(drawn(*args))

    section.cache_clear = drawn.cache_clear
    return section


class Figures:
    """The numbers one chapter glues into its prose."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.records: list[dict] = []

    def glue(self, key: str, value, *, unit: str, datasets: list[str], label: str, fmt: str = "{:.0f}",
             kind: str = register.DATUM) -> str:
        """Glue `value` (formatted, rounded half away from zero) as `key`, and record it with a label saying
        what it is, and what kind of figure it is (register.kind), which decides its grade; returns the text glued."""
        if not label:  # the chapter's list of numbers says what each is in words, never by its key
            raise ValueError(f"figure {key!r} in chapter {self.chapter} has no label")
        if any(r["key"] == key for r in self.records):
            raise ValueError(f"figure key {key!r} glued twice in chapter {self.chapter}")
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"figure {key!r} in chapter {self.chapter} is NaN; refusing to glue a missing number")
        # A force's own files (an edition's local survey or police.uk download) are named "local <file>".
        unknown = sorted(d for d in set(datasets) - set(manifest.load_manifest()) if not d.startswith(LOCAL_DATA))
        if unknown:
            raise ValueError(f"figure {key!r} in chapter {self.chapter} names dataset(s) {unknown} that are not in "
                             f"{config.MANIFEST_PATH.name}; expected ids such as 'dataset/key'")
        stored = value if isinstance(value, str) else precision.for_figure(float(value))
        text = value if isinstance(value, str) else fmt_number(stored, *format_spec(fmt))
        what = register.kind(unit, value, datasets, kind)
        glue(key, Text(text), display=False)
        self.records.append({"key": key, "value": stored, "text": text, "unit": unit, "label": label,
                             "chapter": self.chapter, "datasets": sorted(datasets), "kind": what,
                             "grade": grade(datasets) if what == register.DATUM else ""})
        return text

    def add(self, section: "Section") -> "Section":
        """Glue every figure of a section; returns the section so its chart can be shown."""
        for f in section.figures:
            self.glue(f.key, f.value, unit=f.unit, datasets=f.datasets, fmt=f.fmt, label=f.label, kind=f.kind)
        return section

    def show(self) -> None:
        """Display the chapter's numbers for readers (so nbval checks them) with the records attached."""
        display(numbers_table(self.records), metadata={METADATA_KEY: self.records})


def grade(datasets: list[str]) -> str:
    """A figure's source grade: the lowest of its datasets' (manifest.GRADES); a force's own file is its own."""
    if any(d.startswith(LOCAL_DATA) for d in datasets):
        return LOCAL_GRADE
    return manifest.lowest_grade(datasets)


def marked(text: str, datasets: list[str]) -> str:
    """`text` with its source grade beside it when readers must be told ("… (third-party extract)")."""
    g = grade(datasets)
    return f"{text} ({g})" if g in manifest.MARKED else text


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
    label: str | None = None  # what the number is, with its period, for the chapter's list of numbers (glue needs it)
    # register.OWN_COUNT for the book's own count of its checks or citations, register.NAME for a name that says what
    # a section shows: neither takes a grade
    kind: str = register.DATUM


@dataclass
class Section:
    """What one section of a chapter shows: its table, its chart and the figures it quotes."""

    table: pd.DataFrame
    chart: object = None
    figures: list[Figure] = field(default_factory=list)
    # Further charts, and plain-language notes (Markdown) a reader needs beside them, when a section has them.
    more_charts: list = field(default_factory=list)
    note: str = ""

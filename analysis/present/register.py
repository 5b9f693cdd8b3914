"""The figure register: every number glued into a page, with its label, unit and source datasets, as the JSON file
a build writes and as the "numbers on this page" tables readers see."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd

from analysis.present import tables
from analysis.sources import manifest

# Output metadata key under which a notebook's records travel to the Sphinx extension.
METADATA_KEY = "pcp_figures"


def collect(notebooks: list[Path]) -> list[dict]:
    """All figure records found in executed notebooks, sorted by chapter then key."""
    records = []
    for path in notebooks:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                records.extend(output.get("metadata", {}).get(METADATA_KEY, []))
    return sorted(records, key=lambda r: (r["chapter"], r["key"]))


def _sources(dataset_ids: list[str]) -> str | None:
    """The datasets a figure came from, by title and period (one line each), not by id."""
    files = manifest.load_manifest()
    # Figures.glue refuses unknown ids; one here comes from a notebook executed before a manifest
    # change, and is shown as it was recorded.
    lines = [f"{files[i].title} ({files[i].period})" if i in files else i for i in dataset_ids]
    return "<br>".join(html.escape(x) for x in dict.fromkeys(lines)) or None


# Units of a figure that says when (a period, a date) or names a file's checksum: it reads as itself ("2023", not
# "2023 year") and takes no source grade.
NAMES = frozenset({"year", "CSEW year", "month", "quarter ending", "date", "period", "sha256"})
# Units of a name (a force, a borough, a measure): it reads as itself ("Dorset Police", never "Dorset Police force").
# A name a chapter found in the data (the force with the highest ratio) takes the data's grade; one that only says
# what a section shows (the force whose own survey it is) is declared NAME and takes none.
SUBJECTS = frozenset({"force", "borough", "group", "feature", "outcome", "area", "measure"})
# Units of a span of time: counted ("8 years") it is a figure; given as text ("2012/13 to 2014/15") it names a period.
SPANS = frozenset({"years", "CSEW years", "months"})
# Units of a phrase or sentence that gives figures in words: it reads as itself, with its grade.
WORDED = frozenset({"method", "note", "sentence", "comparison", "verdict"})
KINDS = NAMES | SUBJECTS | WORDED

# What a figure is, which decides its source grade: a figure read or computed from data takes its sources' lowest
# grade; the book's own method settings (which cite no data), names and periods, and the book's own counts of its
# checks or citations (which cite what they counted) take none.
DATUM = "datum"
SETTING = "method setting"
NAME = "name or period"
OWN_COUNT = "the book's own count"


def kind(unit: str, value, datasets: list[str], declared: str = DATUM) -> str:
    """What a figure is (DATUM, SETTING, NAME or OWN_COUNT): by its datasets and unit, or as its chapter declares it
    (OWN_COUNT, which nothing else can tell from a count of the data; NAME, for a name that only says what a
    section shows)."""
    if declared not in (DATUM, OWN_COUNT, NAME):
        raise ValueError(f"a figure is declared {DATUM!r}, {OWN_COUNT!r} or {NAME!r}, not {declared!r}; the others "
                         "follow from its datasets and unit")
    if not datasets:
        return SETTING
    if unit in NAMES or (unit in SPANS and isinstance(value, str)):
        return NAME
    return declared


# Where a unit's counted noun ends: "deaths| per million residents a year", "interviews| a year", "stops| (approx.)".
_NOUN_END = re.compile(r" per | a | \(")
_IRREGULAR = {"people": "person"}


def singular(unit: str) -> str:
    """The unit of exactly one: its counted noun singular ("forces" -> "force", "searches per 1,000 residents" ->
    "search per 1,000 residents", "percentage points" -> "percentage point"); a share ("% of incidents") or a unit
    with no plural noun as it is."""
    if unit.startswith("%"):
        return unit
    end = _NOUN_END.search(unit)
    noun, rest = (unit[:end.start()], unit[end.start():]) if end else (unit, "")
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "sses", "xes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".lstrip() + rest if head else last + rest


def _shown(record: dict) -> str:
    """The figure as the text shows it: with its unit where the unit is a unit (not a kind of name, KINDS), singular
    for a figure shown as 1; and its source grade where a reader must be told (a third-party extract or a
    transcription), once: not where its text or label already gives it in brackets. Only data have a grade (kind):
    a method setting, a name or period, or the book's own count has none."""
    text, unit, value = record["text"], record["unit"], record["value"]
    if not isinstance(value, str) and unit and unit not in KINDS:
        unit = singular(unit) if text == "1" else unit
        text = f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"
    grade = record.get("grade", "")
    told = f"({grade}" in record["text"] or f"({grade}" in record["label"]  # "(third-party extract only)"
    return f"{text} ({grade})" if grade in manifest.MARKED and not told else text


def chapter_title(chapter: str) -> str:
    """A notebook name as a reader knows it: "03-procedural-justice" -> "3. Procedural justice"."""
    match = re.match(r"^(\d+)-(.*)$", chapter)
    number, words = (str(int(match[1])) + ". ", match[2]) if match else ("", chapter)
    words = words.replace("-", " ")
    return number + words[:1].upper() + words[1:]


# Lists longer than this scroll inside a box of capped height (the whole list is there).
TALL_LIST = 20


def numbers_table(records: list[dict], *, with_chapter: bool = False) -> tables.Table:
    """Every figure as a reader checks it: what it is, the figure and its sources. Its register key is no text a
    reader sees: each row carries it as an attribute (tables.ROW_KEYS), where a check or a reviewer finds it."""
    frame = pd.DataFrame({
        "chapter": [f'<a href="{html.escape(r["chapter"])}.html">{html.escape(chapter_title(r["chapter"]))}</a>'
                    for r in records],
        "label": [r["label"] for r in records],
        "figure": [_shown(r) for r in records],
        "sources": [_sources(r["datasets"]) for r in records],
        "key": [r["key"] for r in records],
    }, columns=["chapter", "label", "figure", "sources", "key"])
    if not with_chapter:
        frame = frame.drop(columns="chapter")
    return tables.format_table(
        frame, kind="numbers", html_columns=[c for c in ("chapter", "sources") if c in frame], row_keys="key",
        headers={"label": "What it is", "figure": "Figure", "sources": "Computed from"},
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

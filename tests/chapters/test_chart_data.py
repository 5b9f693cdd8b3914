"""Every chart in the committed notebooks carries only what it draws and what a reader needs: never the link a figure
was read from, an editor's or transcriber's note, a file id, or a link to a copy of a source."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path

import pytest

from analysis import config
from analysis.sources.evidence import MIRROR_HOSTS

BOOK = Path(config.REPO_ROOT, "book")
DATA = Path(config.REPO_ROOT, "data")
# Columns that are the reading process, not the figure: where it was read and what the reader of it noted.
INTERNAL_COLUMNS = {"source_url", "review_note", "file", "file_id"}
EMBED = re.compile(r"vegaEmbed\(el,")
CSV_LINK = re.compile(r'href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')


def _charts() -> list[tuple[str, dict, list[dict]]]:
    """(notebook, chart spec, rows of its CSV download) for every chart output of every committed notebook."""
    found = []
    for nb in sorted(BOOK.glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                markup = "".join(output.get("data", {}).get("text/html", ""))
                match = EMBED.search(markup)
                if not match:
                    continue
                spec, _ = json.JSONDecoder().raw_decode(markup, match.end())
                link = CSV_LINK.search(markup)
                rows = list(csv.DictReader(io.StringIO(base64.b64decode(link.group(1)).decode()))) if link else []
                found.append((nb.name, spec, rows))
    return found


def _internal_notes() -> set[str]:
    """The transcribers' notes of every file that records where its figures were read (a source_url column)."""
    notes = set()
    for path in sorted(DATA.rglob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "source_url" not in (reader.fieldnames or []):
                continue
            for row in reader:
                notes |= {(row.get(c) or "").strip() for c in ("note", "review_note")}
    return {n for n in notes if len(n) >= 30}


CHARTS = _charts()


def test_the_notebooks_have_charts_to_check():
    assert len(CHARTS) >= 20
    assert any(name.startswith("04-") and spec.get("datasets") for name, spec, _ in CHARTS)


@pytest.mark.parametrize("name,spec,rows", CHARTS, ids=[f"{n}:{i}" for i, (n, _, _) in enumerate(CHARTS)])
def test_no_chart_carries_internal_columns_notes_or_copies(name, spec, rows):
    records = [r for data in spec.get("datasets", {}).values() for r in data if isinstance(r, dict)] + rows
    columns = {c for r in records for c in r}
    assert not columns & INTERNAL_COLUMNS, f"{name}: {sorted(columns & INTERNAL_COLUMNS)}"
    text = json.dumps(records, ensure_ascii=False)
    hosts = [h for h in MIRROR_HOSTS if re.search(rf"(?<![\w.-]){re.escape(h)}", text)]
    assert not hosts, f"{name}: links to copies {hosts}"
    leaked = [n for n in _NOTES if n in text]
    assert not leaked, f"{name}: notes {leaked[:2]}"


_NOTES = _internal_notes()


def test_the_notes_checked_for_are_real():
    assert len(_NOTES) >= 10

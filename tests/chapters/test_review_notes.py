"""The register's review_note column (its editors' notes) never reaches a reader: not a page, a table, the map or a
data pack."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.chapters import evidence
from analysis.sources.evidence import REGISTER_FILE, load_register
from analysis.sources.files import locate


def _notes() -> list[str]:
    """Every review_note's text, and its sentences long enough to be its own (not a phrase a claim could share)."""
    raw = pd.read_csv(locate(REGISTER_FILE))["review_note"].dropna()
    pieces = {n.strip() for n in raw} | {s.strip() for n in raw for s in n.split(". ") if len(s.strip()) >= 60}
    return sorted(pieces)


def test_the_loader_drops_review_note():
    assert "review_note" not in load_register().columns


def test_no_review_note_reaches_a_table_the_map_or_a_page():
    notes = _notes()
    assert len(notes) >= 60
    shown = [evidence.section(c).table._repr_html_() for c in evidence.CHAPTER_PAGES]
    shown.append(evidence.map_frame().to_csv() + evidence.map_section().note)
    book = Path(config.REPO_ROOT, "book")
    shown += [p.read_text(encoding="utf-8") for p in sorted(book.glob("*.ipynb")) + [book / "intro.md"]]
    built = Path(config.REPO_ROOT, "_build")
    shown += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(built.rglob("*"))
              if p.suffix in {".html", ".csv", ".json", ".md"} and p.is_file()] if built.exists() else []
    for text in shown:
        leaked = [n for n in notes if n in text]
        assert not leaked, leaked[:3]

"""Every message of the guide (the list in guide_outline.md) has evidence in its chapter or a plain statement that
no study could be read, listed in the appendix; every register row is shown in the executed book or listed as not
used, with its reason."""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from analysis import config
from analysis.chapters import appendix, evidence
from analysis.sources.evidence import load_register

OUTLINE = config.REPO_ROOT / "data" / "evidence" / "guide_outline.md"
BOOK = config.REPO_ROOT / "book"
SHOWN_ROWS = re.compile(r"Register: (E\d{3}(?:, E\d{3})*)</small>")


def outline_messages() -> list[tuple[str, str]]:
    """(register chapter, message) for each row of the outline's list of messages."""
    listed = OUTLINE.read_text(encoding="utf-8").split("## Messages checked against the book", 1)[1]
    return re.findall(r"^\| (\d) \| (.+?) \|$", listed, re.M)


def prose(page: str) -> str:
    """A chapter's national prose, its lines joined."""
    nb = nbformat.read(BOOK / f"{page}.ipynb", as_version=4)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown"
                    and "force-section" not in c.metadata.get("tags", []))
    return re.sub(r"\s+", " ", text)


def html_outputs(page: str) -> str:
    """Every HTML output the executed notebook holds."""
    nb = nbformat.read(BOOK / f"{page}.ipynb", as_version=4)
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)


def test_the_outline_lists_ten_action_messages_and_two_framing_sections():
    messages = outline_messages()
    assert len(messages) == 12 and {c for c, _ in messages} == set(evidence.CHAPTER_PAGES)
    assert sum(c in "12345" for c, _ in messages) == 10
    assert [c for c, _ in messages if c in "06"] == ["0", "6"]


@pytest.mark.parametrize("chapter, message", outline_messages())
def test_every_message_has_evidence_or_says_none_could_be_read(chapter, message):
    tab = evidence.table(chapter)
    rows = tab[tab["message"] == message]
    if rows.empty:
        assert chapter in evidence.NO_EVIDENCE, (chapter, message)
        assert f"{evidence.NO_EVIDENCE[chapter]}, {evidence.NO_STUDY}" in prose(evidence.CHAPTER_PAGES[chapter])
    else:
        assert all(rows["ids"].str.len() > 0)


@pytest.mark.parametrize("chapter", list(evidence.NO_EVIDENCE))
def test_each_part_no_study_supports_is_said_in_its_chapter_and_listed_in_the_appendix(chapter):
    part = evidence.NO_EVIDENCE[chapter]
    assert f"{part}, {evidence.NO_STUDY}".lower() in prose(evidence.CHAPTER_PAGES[chapter]).lower()
    assert html.escape(part) in appendix.unsupported_messages().html
    # The guide's reference list was never obtained: the book says what it found, never what the guide cites.
    assert evidence.NO_STUDY == "this book found no readable study for this message"


def test_every_register_row_is_in_the_executed_book_or_listed_as_not_used():
    shown = {i for page in evidence.CHAPTER_PAGES.values() for ids in SHOWN_ROWS.findall(html_outputs(page))
             for i in ids.split(", ")}
    everything = set(load_register()["id"])
    assert not shown & set(evidence.NOT_USED)
    assert sorted(everything - shown - set(evidence.NOT_USED)) == []
    listed = html_outputs("appendix-data-and-methods")
    for row_id, reason in evidence.NOT_USED.items():
        assert f">{row_id}<" in listed and html.escape(reason) in listed


@pytest.mark.parametrize("chapter, page", list(evidence.CHAPTER_PAGES.items()))
def test_each_chapter_shows_its_evidence_tables(chapter, page):
    outputs = html_outputs(page)
    for message in dict.fromkeys(evidence.table(chapter)["message"]):
        assert f"<caption>{html.escape(message)}</caption>" in outputs, (page, message)

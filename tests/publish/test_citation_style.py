"""The bibliography style formats an entry once per process and formats it again whenever anything in it changes."""

from __future__ import annotations

from pybtex.database import Entry, Person

from analysis.publish.citation_style import PlainByAuthor


def _entry(year: str) -> Entry:
    entry = Entry("techreport", fields={"title": "Improving public confidence in the police", "year": year,
                                    "institution": "College of Policing"})
    entry.key = "cop2025"
    entry.persons["author"] = [Person("{College of Policing}")]
    return entry


def test_an_entry_is_formatted_once_and_again_when_it_changes():
    style = PlainByAuthor()
    first = style.format_entry("1", _entry("2025"))
    assert PlainByAuthor().format_entry("1", _entry("2025")) is first
    changed = style.format_entry("1", _entry("2024"))
    assert "2024" in changed.text.render_as("text") and "2025" in first.text.render_as("text")
    assert style.format_entry("2", _entry("2025")).label == "2"

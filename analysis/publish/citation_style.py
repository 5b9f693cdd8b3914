"""Sphinx extension: author-year citations in round brackets, "(College of Policing, 2025)", and a
bibliography sorted by author with corporate authors ({{College of Policing}}) in their place."""

from __future__ import annotations

import dataclasses

import pybtex.plugin
from pybtex.backends.plaintext import Backend as Plaintext
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle

from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

STYLE = "author_year_round"
BIBLIOGRAPHY_STYLE = "plain_by_author"


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclasses.dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author_year style (square brackets by default) with round ones."""

    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_textual: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_author: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_label: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_year: BracketStyle = dataclasses.field(default_factory=_round)


class ByAuthor(AuthorYearTitle):
    """pybtex's author, year, title order, ignoring the braces that keep a corporate author whole
    (they would otherwise sort after every letter)."""

    def person_key(self, person):
        return super().person_key(person).replace("{", "").replace("}", "")


# Formatted entries by everything that decides their text: the same 38 entries are formatted for the national book
# and again for every edition (and twice in each, once for the tooltips), about 0.2 s an edition.
_FORMATTED: dict[tuple, object] = {}


class PlainByAuthor(PlainStyle):
    """pybtex's plain bibliography style, sorted by ByAuthor; an entry already formatted in this process is reused."""

    default_sorting_style = ByAuthor

    def format_entry(self, label, entry, bib_data=None):
        if bib_data is not None:  # cross-references: the entry's text may depend on other entries
            return super().format_entry(label, entry, bib_data)
        key = (type(self.name_style), self.abbreviate_names, label, entry.key, entry.type, tuple(entry.fields.items()),
               tuple((role, tuple(str(p) for p in people)) for role, people in entry.persons.items()))
        if key not in _FORMATTED:
            _FORMATTED[key] = super().format_entry(label, entry)
        return _FORMATTED[key]


register_plugin("sphinxcontrib.bibtex.style.referencing", STYLE, RoundAuthorYear)
pybtex.plugin.register_plugin("pybtex.style.formatting", BIBLIOGRAPHY_STYLE, PlainByAuthor)
# sphinxcontrib-bibtex looks up the plaintext backend for every citation, and pybtex answers by scanning every
# installed package's entry points (about 10 ms a citation, 0.3 s an edition); a plugin registered at run time is
# found first. It is the same class the entry point names.
pybtex.plugin.register_plugin("pybtex.backends", "plaintext", Plaintext, force=True)


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}

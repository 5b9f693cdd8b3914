"""Make text from a force's own files (and their names) inert where it meets a page or a spreadsheet."""

from __future__ import annotations

import re
import string

import pandas as pd

# CommonMark lets a backslash escape any ASCII punctuation; escaped, `<`, `&`, `*`, backticks, `{` and `$` are
# characters, never raw HTML, an entity, emphasis, a role or maths.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# Line breaks and other control characters would let a value start a new Markdown block; text-direction overrides
# and isolates would make a file name read in another order than it is stored.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def markdown(text) -> str:
    """`text` as literal characters in Markdown: every ASCII punctuation mark escaped, line breaks made spaces."""
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", str(text)))


def cell(value):
    """A spreadsheet cell that cannot run: text starting with a formula character gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` safe to write as CSV or a workbook: every text cell (and column name) through `cell`."""
    out = frame.rename(columns=lambda c: cell(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(cell)
    return out

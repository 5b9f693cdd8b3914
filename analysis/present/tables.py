"""Turn a DataFrame into the table a reader sees: plain headers, rounded figures, intervals, no index, stable HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.present.numbers import fmt_number

# CSS classes (styled by the book's stylesheet): every table, the box around it (scrolls sideways
# when the table is wider than the page, and lets each row stack on a phone), a box of capped
# height for long tables, and right-aligned number cells.
TABLE_CLASS = "pcp-table"
WRAP_CLASS = "pcp-table-wrap"
TALL_CLASS = "pcp-table-tall"
NUMBER_CLASS = "pcp-num"

# A missing value says so in words: a dash is a placeholder a reader must decode.
MISSING = "no figure"


class Table:
    """A formatted table: HTML for the book (byte-stable between runs, for nbval) and plain text elsewhere."""

    def __init__(self, frame: pd.DataFrame, html_text: str):
        self.frame = frame  # the cells as shown (strings), headers as column names
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


class ScreenAndPrint:
    """One table on screen, and a compact form of it (HTML) on paper: the briefing, or a printed page; the book's CSS
    shows one of the two."""

    def __init__(self, screen: Table, printed_html: str):
        self.screen, self.printed_html = screen, printed_html
        self.frame = screen.frame

    def _repr_html_(self) -> str:
        return (f'<div class="pcp-screen-only">{self.screen.html}</div>'
                f'<div class="pcp-print-only">{self.printed_html}</div>')

    def __repr__(self) -> str:
        return repr(self.screen)


def header(column: str) -> str:
    """The default header for a column: snake_case as words, first letter capital ("ci_low" -> "Ci low")."""
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _decimals_for(column: str, values: pd.Series, decimals: Mapping[str, int]) -> int:
    """The decimals given for a column, or 0 when every value is whole (counts); otherwise ask the caller."""
    if column in decimals:
        return decimals[column]
    numbers = [v for v in values if _is_number(v) and not _missing(v)]
    if all(float(v).is_integer() for v in numbers):
        return 0
    raise ValueError(f"column {column!r} holds fractional numbers but no decimals were given for it; "
                     f"pass decimals={{{column!r}: <places the text uses>}}")


def _thousands(column: str, no_separators: Iterable[str]) -> bool:
    # Years and codes are never written "2,008".
    return column not in no_separators and "year" not in str(column).lower()


# Where a page marks a figure with its key in the figure register (a glued figure's span: publish/sphinx_ext), and a
# table row with the keys of the figures it shows: what reads a built page (the briefing, choosing the sources it
# cites) finds figures by key, never by their text.
FIGURE_KEY, ROW_KEYS = "data-pcp-key", "data-pcp-keys"


def format_table(
    df: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    intervals: Mapping[str, tuple[str, str]] | None = None,
    links: Mapping[str, str] | None = None,
    html_columns: Iterable[str] = (),
    no_separators: Iterable[str] = (),
    missing: str | Mapping[str, str] = MISSING,
    caption: str | None = None,
    kind: str | None = None,
    tall: bool = False,
    row_group: str | None = None,
    row_keys: str | None = None,
) -> Table:
    """`df` as a reader sees it. Every column of `df` is shown, in order, without the index.

    headers: column -> header text; other columns get `header(column)`.
    decimals: column -> decimal places (half away from zero). Whole-number columns (counts) need none.
    intervals: new column -> (low column, high column), shown as "10.6 to 12.5" where the low column was;
        its decimals are decimals[new column] or decimals[low column].
    links: column -> URL column; the cell links to the URL where there is one (the URL column is not shown).
    html_columns: columns already holding safe HTML (inserted as is).
    no_separators: numeric columns written without thousands separators (columns named "...year..." never have them).
    missing: the text for a missing value, for all columns or per column (default "no figure"); say why where the table knows; never "NaN".
    caption: shown above the table and naming its scroll box for screen readers.
    kind: a word added as CSS class `pcp-table-<kind>`, for per-table styling.
    tall: cap the table's height in a scrolling box (needs a caption, which names the box).
    row_group: a column (not shown) each row carries as its `data-group` attribute, so what reads the page can tell
        which rows belong together (the dashboard's rows of one measure) without reading their text.
    row_keys: a column (not shown) of the figure register keys each row shows, space-separated, written as its
        ROW_KEYS attribute.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"format_table expects a DataFrame, got {type(df).__name__}")
    headers, decimals, intervals, links = dict(headers or {}), dict(decimals or {}), dict(intervals or {}), dict(links or {})
    html_columns, no_separators = set(html_columns), set(no_separators)
    named = set(headers) | set(decimals) | set(html_columns) | set(links) | set(links.values()) | set(no_separators)
    named |= {c for pair in intervals.values() for c in pair} | {c for c in (row_group, row_keys) if c}
    unknown = sorted(str(c) for c in named - set(df.columns) - set(intervals))
    if unknown:
        raise KeyError(f"format_table: no column(s) {unknown} in the table; it has {list(map(str, df.columns))}")
    if tall and not caption:
        raise ValueError("format_table: a tall (scrolling) table needs a caption to name its scroll box")

    def blank(column) -> str:
        return missing.get(column, MISSING) if isinstance(missing, Mapping) else missing

    # Which source columns make up each shown column, in order.
    hidden = set(links.values()) | {c for pair in intervals.values() for c in pair} | {row_group, row_keys}
    starts = {low: name for name, (low, _) in intervals.items()}
    shown: list[str] = []
    for column in df.columns:
        if column in starts:
            shown.append(starts[column])
        elif column not in hidden:
            shown.append(column)

    cells: dict[str, list[str]] = {}
    numeric: set[str] = set()
    for column in shown:
        if column in intervals:
            low, high = intervals[column]
            places = decimals.get(column, decimals.get(low))
            if places is None:
                places = _decimals_for(low, pd.concat([df[low], df[high]]), decimals)
            sep = _thousands(low, no_separators)
            cells[column] = [blank(column) if _missing(lo) or _missing(hi)
                             else f"{fmt_number(lo, places, sep)} to {fmt_number(hi, places, sep)}"
                             for lo, hi in zip(df[low], df[high])]
            numeric.add(column)
            continue
        values = df[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            numeric.add(column)
        places = None
        out = []
        for value in values:
            if _missing(value):
                out.append(blank(column))
            elif _is_number(value):
                if places is None:
                    places = _decimals_for(column, values, decimals)
                out.append(fmt_number(value, places, _thousands(column, no_separators)))
            elif column in html_columns:
                out.append(str(value))
            else:
                out.append(html.escape(str(value)))
        if column in links:
            out = [f'<a href="{html.escape(str(url))}">{text}</a>' if not _missing(url) and str(url).strip() else text
                   for text, url in zip(out, df[links[column]])]
        cells[column] = out

    titles = [html.escape(headers.get(c, header(c))) for c in shown]
    classes = " ".join([TABLE_CLASS] + ([f"{TABLE_CLASS}-{kind}"] if kind else []))
    lines = [f'<table class="{classes}">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f'<th scope="col">{t}</th>' for t in titles) + "</tr></thead>")
    lines.append("<tbody>")
    number_class = f' class="{NUMBER_CLASS}"'
    for i in range(len(df)):
        row = "".join(f'<td data-label="{t}"{number_class if c in numeric else ""}>{cells[c][i]}</td>'
                      for c, t in zip(shown, titles))
        group = f' data-group="{html.escape(str(df[row_group].iloc[i]))}"' if row_group else ""
        keys = df[row_keys].iloc[i] if row_keys else None
        group += f' {ROW_KEYS}="{html.escape(keys)}"' if isinstance(keys, str) and keys else ""
        lines.append(f"<tr{group}>{row}</tr>")
    lines.append("</tbody></table>")
    wrap = WRAP_CLASS + (f" {TALL_CLASS}" if tall else "")
    # A box that can scroll must be reachable by keyboard, and then needs a name.
    region = f' role="region" aria-label="{html.escape(caption)}" tabindex="0"' if caption else ""
    body = "\n".join(lines)
    html_text = f'<div class="{wrap}"{region}>\n{body}\n</div>'

    plain = pd.DataFrame({headers.get(c, header(c)): [html.unescape(_strip_tags(v)) for v in cells[c]] for c in shown})
    return Table(plain, html_text)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "; ", text))

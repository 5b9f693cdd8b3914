"""Read one sheet of an OpenDocument spreadsheet fast, from the cell values rather than the displayed text."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_SHEET, _ROW, _CELL, _COVERED = (f"{{{_TABLE}}}{t}" for t in ("table", "table-row", "table-cell",
                                                              "covered-table-cell"))
_NAME = f"{{{_TABLE}}}name"
_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_COLS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_VALUE_TYPE, _VALUE = f"{{{_OFFICE}}}value-type", f"{{{_OFFICE}}}value"
_PARAGRAPH, _SPACE = f"{{{_TEXT}}}p", f"{{{_TEXT}}}s"
# Cell types whose office:value holds the number; display text can be rounded or carry separators.
_NUMERIC = {"float", "percentage", "currency"}


class OdsLayoutError(ValueError):
    """The spreadsheet lacks the sheet asked for, or is not an OpenDocument spreadsheet."""


def _text(cell) -> str:
    """The cell's text, with <text:s/> as the spaces it stands for."""
    parts = []
    for p in cell.iter(_PARAGRAPH):
        chunk = [p.text or ""]
        for child in p:
            if child.tag == _SPACE:
                chunk.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
            else:
                chunk.append("".join(child.itertext()))
            chunk.append(child.tail or "")
        parts.append("".join(chunk))
    return "\n".join(parts)


def _value(cell):
    kind = cell.get(_VALUE_TYPE)
    if kind is None:
        return None
    if kind in _NUMERIC:
        return float(cell.get(_VALUE))
    return _text(cell)


def read_sheet(path: Path, sheet: str) -> list[list]:
    """Every row of `sheet` down to its last non-empty row, each trimmed of trailing empty cells.

    Numeric cells give floats from office:value; text cells give their text; empty cells None.
    Columns and rows repeated to the sheet's edge (a million blank rows is usual) are not expanded
    beyond the last value. pandas' odf engine takes about 30 s on a 29,000-row sheet; this takes a few.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise OdsLayoutError(f"{path}: not an OpenDocument spreadsheet ({exc})") from exc
    with archive, archive.open("content.xml") as xml:
        rows: list[list] = []
        seen: list[str] = []
        blank = 0
        # End events only (half the work of start and end): a sheet's rows are collected until the
        # sheet closes, and kept if it is the one asked for.
        for _, elem in iterparse(xml):
            if elem.tag == _ROW:
                cells = _cells(elem)
                repeat = int(elem.get(_ROWS_REPEATED, "1"))
                if cells:
                    rows.extend([[]] * blank + [cells] * repeat)
                    blank = 0
                else:
                    blank += repeat  # kept only if a row with values follows
                elem.clear()
            elif elem.tag == _SHEET:
                if elem.get(_NAME) == sheet:
                    return rows
                seen.append(elem.get(_NAME))
                rows, blank = [], 0
                elem.clear()
    raise OdsLayoutError(f"{path}: no sheet named {sheet!r}; the sheets are {seen}")


def _cells(row) -> list:
    """A row's values, with repeated cells expanded but trailing empty cells dropped."""
    cells: list = []
    blank = 0
    for cell in row:
        if cell.tag not in (_CELL, _COVERED):
            continue
        value, repeat = _value(cell), int(cell.get(_COLS_REPEATED, "1"))
        if value is None:
            blank += repeat
        else:
            cells.extend([None] * blank + [value] * repeat)
            blank = 0
    return cells

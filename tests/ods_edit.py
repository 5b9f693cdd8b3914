"""Change the XML of a copied ODS file in a test mirror, keeping it a valid OpenDocument package."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

ROW = re.compile(r"<table:table-row\b[^>]*>.*?</table:table-row>", re.S)


def rewrite(path: Path, change) -> None:
    """Replace content.xml of the ODS at `path` by change(content.xml text)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in parts.items():
            if info.filename == "content.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            # 'mimetype' stays first and stored, as the OpenDocument format requires.
            archive.writestr(info, data, compress_type=info.compress_type)


def data_row(xml: str, sheet: str, n: int = 1) -> re.Match:
    """The n-th table row of `sheet` (0 is its first row, e.g. the header)."""
    start = xml.index(f'table:name="{sheet}"')
    for i, match in enumerate(ROW.finditer(xml, start)):
        if i == n:
            return match
    raise ValueError(f"sheet {sheet!r} has fewer than {n + 1} rows")


def change_row(xml: str, sheet: str, change, n: int = 1) -> str:
    """`xml` with the n-th row of `sheet` replaced by change(row xml)."""
    row = data_row(xml, sheet, n)
    return xml[:row.start()] + change(row.group()) + xml[row.end():]


def set_last_number(row: str, value: str) -> str:
    """The row with its last numeric cell value (e.g. Total (FTE)) set to `value`."""
    found = list(re.finditer(r'office:value="[^"]*"', row))[-1]
    return row[:found.start()] + f'office:value="{value}"' + row[found.end():]

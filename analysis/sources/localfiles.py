"""Reading a file a force supplies itself: it must exist, be UTF-8 (a BOM is fine), and be named in every error."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.sources.files import sha256_of


class LocalDataError(ValueError):
    """A force's own file is missing or unreadable; the message names the file and what was expected."""


def existing(path, what: str, folder: bool = False) -> Path:
    """The path as a Path, or a LocalDataError saying it does not exist (or is the wrong kind of thing)."""
    p = Path(path).expanduser()
    if not p.exists():
        raise LocalDataError(f"{p}: no such {'folder' if folder else 'file'}; expected {what}")
    if folder and not p.is_dir():
        raise LocalDataError(f"{p}: is a file; expected a folder holding {what}")
    if not folder and not p.is_file():
        raise LocalDataError(f"{p}: is a folder; expected a file: {what}")
    return p


def read_text(path: Path) -> str:
    """The file's text as UTF-8, a byte-order mark dropped; a non-UTF-8 file is refused with its line and byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise LocalDataError(
            f"{path}, line {line}: byte 0x{data[err.start]:02x} is not UTF-8 text; expected a UTF-8 file. "
            "Re-save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)'); a Windows-1252 or Latin-1 "
            "export would show accented names and £ wrongly if it were read as it is.") from None


def fingerprint(path) -> dict:
    """What an edition records about a local file: its name, absolute path and sha256."""
    p = Path(path).resolve()
    if p.is_dir():
        digest = hashlib.sha256()
        for file in sorted(f for f in p.rglob("*") if f.is_file()):
            digest.update(str(file.relative_to(p)).encode())
            digest.update(sha256_of(file).encode())
        return {"name": p.name, "path": str(p), "sha256": digest.hexdigest()}
    return {"name": p.name, "path": str(p), "sha256": sha256_of(p)}

"""Reading a file a force supplies itself: it must exist, be UTF-8 (a BOM is fine), and be named in every error."""

from __future__ import annotations

import hashlib
import shutil
import stat
from pathlib import Path

from analysis.sources.files import sha256_of


# NUL and other control characters, and the bidirectional embeddings, overrides and isolates that can make text read
# in another order than it is stored: none has a place in a label from a force's file.
UNPRINTABLE = r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


class LocalDataError(ValueError):
    """A force's own file is missing or unreadable; the message names the file and what was expected."""


def existing(path, what: str, folder: bool = False) -> Path:
    """The path as a Path, or a LocalDataError saying it does not exist (or is the wrong kind of thing)."""
    p = Path(path).expanduser()
    if not p.exists():
        raise LocalDataError(f"{p}: no such {'folder' if folder else 'file'}; expected {what}")
    if folder and not p.is_dir():
        raise LocalDataError(f"{p}: is a file; expected a folder holding {what}")
    if not folder and p.is_dir():
        raise LocalDataError(f"{p}: is a folder; expected a file: {what}")
    return p if folder else regular(p)


# Folders the operating system fills: nothing in them is a force's data, and some would hang a read or show secrets.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def regular(path: Path, folder: Path | None = None, what: str = "a CSV file") -> Path:
    """`path` if it is a regular file (inside `folder`, when given, after following links); otherwise a
    LocalDataError that names it and never shows what it holds. A pipe would hang a build and /dev/zero fill memory."""
    resolved = path.resolve()
    if folder is not None and not resolved.is_relative_to(folder.resolve()):
        raise LocalDataError(f"{path}: a link to {resolved}, outside the folder {folder}; expected the folder's own "
                             "files (copy the file in rather than linking to it)")
    system = next((root for root in SYSTEM_FOLDERS if resolved.is_relative_to(root)), None)
    if system is not None:  # /proc/self/environ is a "regular file" whose content is the environment
        raise LocalDataError(f"{path}: a file under {system}, the system's own folder; expected {what}")
    mode = resolved.stat().st_mode
    if not stat.S_ISREG(mode):
        raise LocalDataError(f"{path}: a {_kind(mode)}, not a regular file; expected {what}")
    return path


def in_folder(folder: Path, files) -> list[Path]:
    """The regular files among `files` that lie inside `folder` (links followed); anything else is refused."""
    return [regular(f, folder) for f in files]


def shown(value, limit: int = 60) -> str:
    """A value from a force's file as an error message quotes it: repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


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


def snapshot(path, into: Path) -> Path:
    """A copy of a force's file, or of a folder's regular files, made in `into` under the same name: a build hashes
    and reads only the copy, so a file changed while it runs can neither reach its pages nor its inputs hash."""
    source = Path(path).resolve()
    target = Path(into) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        shutil.copyfile(regular(source), target)
        return target
    for file in in_folder(source, sorted(f for f in source.rglob("*") if not f.is_dir())):
        copy = target / file.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, copy)
    return target


def fingerprint(path) -> dict:
    """What an edition records about a local file: its name, absolute path and sha256."""
    p = Path(path).resolve()
    if p.is_dir():
        digest = hashlib.sha256()
        for file in in_folder(p, sorted(f for f in p.rglob("*") if not f.is_dir())):
            digest.update(str(file.relative_to(p)).encode())
            digest.update(sha256_of(file).encode())
        return {"name": p.name, "path": str(p), "sha256": digest.hexdigest()}
    return {"name": p.name, "path": str(p), "sha256": sha256_of(p)}

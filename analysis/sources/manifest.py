"""Read data/manifest.yml: where each raw file lives, where it came from and its sha256."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType

import pandas as pd
import yaml

from analysis import config
from analysis.sources import cache


@dataclass(frozen=True)
class RawFile:
    """One raw public file, as the manifest describes it."""

    dataset: str
    key: str
    path: str
    sha256: str
    # True for a project file read from the repository (repo_path), not from the data mirror.
    in_repo: bool
    download_url: str | None
    publisher: str
    title: str
    original_url: str
    licence: str
    period: str
    grade: str  # one of GRADES: how directly the bytes come from the publisher
    grade_note: str  # why the dataset was accepted at that grade

    @property
    def id(self) -> str:
        return f"{self.dataset}/{self.key}"


# Source grades, best first: the publisher's own file; a byte copy of a CSV export of an official sheet; figures
# taken from official tables by someone else; figures typed (or rebuilt) from a stored page.
GRADES = ("official", "official, re-exported", "third-party extract", "transcribed")
# The grades a reader is told of beside the figure.
MARKED = GRADES[2:]


class ManifestError(ValueError):
    """The manifest is malformed, or a dataset or file is not in it."""


_DATASET_FIELDS = ("publisher", "title", "original_url", "licence", "period", "grade", "grade_note", "files")
_FILE_FIELDS = ("sha256", "download_url")


@cache.in_memory
def load_manifest(path: Path = config.MANIFEST_PATH) -> Mapping[str, RawFile]:
    """Every raw file in the manifest, keyed 'dataset/key', read-only: every glued figure looks up its grade here, so
    it is handed out as it is, never copied."""
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    files: dict[str, RawFile] = {}
    for dataset, meta in (doc or {}).get("datasets", {}).items():
        missing = [f for f in _DATASET_FIELDS if f not in meta]
        if missing:
            raise ManifestError(f"{path}: dataset '{dataset}' lacks {missing}")
        if meta["grade"] not in GRADES:
            raise ManifestError(f"{path}: dataset '{dataset}' has grade {meta['grade']!r}; expected one of {GRADES}")
        for key, entry in meta["files"].items():
            absent = [f for f in _FILE_FIELDS if f not in entry]
            if ("path" in entry) == ("repo_path" in entry):
                absent.append("exactly one of path or repo_path")
            if absent:
                raise ManifestError(f"{path}: file '{dataset}/{key}' lacks {absent}")
            _check_contained(path, f"{dataset}/{key}", entry)
            if len(str(entry["sha256"])) != 64:
                raise ManifestError(f"{path}: file '{dataset}/{key}' sha256 is not 64 hex digits")
            files[f"{dataset}/{key}"] = RawFile(
                dataset=dataset,
                key=key,
                path=entry.get("path") or entry["repo_path"],
                sha256=entry["sha256"],
                in_repo="repo_path" in entry,
                download_url=entry["download_url"],
                publisher=meta["publisher"],
                title=meta["title"],
                original_url=meta["original_url"],
                licence=meta["licence"],
                period=meta["period"],
                grade=meta["grade"],
                grade_note=meta["grade_note"],
            )
    return MappingProxyType(files)


def _check_contained(manifest: Path, file_id: str, entry: dict) -> None:
    """Refuse a path that could leave its folder (the mirror or download cache; data/ for a repo_path), before any
    file is opened or folder made: a relative path of plain names, no `..`, no drive or root."""
    text = str(entry.get("path") or entry.get("repo_path") or "")
    parts = PurePosixPath(text).parts
    bad = (not parts or PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive or "\\" in text
           or any(p in ("..", ".") for p in parts) or ("repo_path" in entry and parts[0] != "data"))
    if bad:
        where = "data/ in the repository" if "repo_path" in entry else "the data mirror"
        raise ManifestError(f"{manifest}: file '{file_id}' has path {text!r}; expected a relative path inside "
                            f"{where} (plain folder and file names, no '..' and no leading '/')")


def raw_file(file_id: str) -> RawFile:
    """The manifest entry for 'dataset/key'; an unknown id lists the valid ones."""
    files = load_manifest()
    if file_id not in files:
        raise ManifestError(
            f"'{file_id}' is not in {config.MANIFEST_PATH.name}; expected one of: "
            + ", ".join(sorted(files))
        )
    return files[file_id]


def lowest_grade(file_ids) -> str:
    """The lowest source grade among the files a figure came from (a force's own file, not in the manifest, has
    none); '' when none of them is in the manifest."""
    files = load_manifest()
    found = [GRADES.index(files[i].grade) for i in file_ids if i in files]
    return GRADES[max(found)] if found else ""


def sources_table() -> pd.DataFrame:
    """One row per raw file, for the book's data-sources appendix (built from the manifest)."""
    rows = [
        {"dataset": f.dataset, "title": f.title, "file": f.path.split("/")[-1], "publisher": f.publisher,
         "period": f.period, "licence": f.licence, "grade": f.grade, "grade_note": f.grade_note, "sha256": f.sha256,
         "source": f.original_url}
        for f in load_manifest().values()
    ]
    return pd.DataFrame(rows)

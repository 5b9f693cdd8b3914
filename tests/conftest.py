"""Shared fixtures: a throwaway data mirror, and tiny frames with known answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config, manifest


@pytest.fixture
def mirror(tmp_path, monkeypatch) -> Path:
    """An empty mirror folder that the loader will use instead of ../shared/data/raw."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv(config.MIRROR_ENV, str(folder))
    monkeypatch.setattr(config, "DOWNLOAD_CACHE", tmp_path / "downloads")
    return folder


@pytest.fixture
def copy_into(mirror):
    """Copy one real raw file into the throwaway mirror and return its path there."""

    def _copy(file_id: str) -> Path:
        entry = manifest.raw_file(file_id)
        target = mirror / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.DEFAULT_MIRROR / entry.path, target)
        target.chmod(0o644)
        return target

    return _copy


@pytest.fixture
def altered(copy_into, monkeypatch):
    """Copy a real raw file into the mirror, let the test change it, and accept its new checksum.

    For testing what a parser does with a changed layout: the manifest check is relaxed for
    that one file only, so the parser (not the checksum) has to catch the problem.
    """
    from analysis import sources

    real_verify = sources.verify
    changed: set[str] = set()

    def _verify(path, entry):
        return path if entry.path in changed else real_verify(path, entry)

    monkeypatch.setattr(sources, "verify", _verify)

    def _alter(file_id: str) -> Path:
        path = copy_into(file_id)
        changed.add(manifest.raw_file(file_id).path)
        return path

    return _alter

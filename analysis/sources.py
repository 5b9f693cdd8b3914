"""Find a raw file in the mirror (or download it) and prove its bytes match the manifest."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from analysis import config
from analysis.manifest import RawFile, raw_file


class DataSourceError(RuntimeError):
    """A raw file is missing, cannot be fetched, or is not the file the manifest names."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _gzip_damage(path: Path) -> str:
    """Why a .gz file cannot be read to its end ('' when it can, or is not gzip)."""
    if not path.name.endswith(".gz"):
        return ""
    try:
        with gzip.open(path) as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        return f" It is not a complete gzip file ({exc}): the copy or download was cut short."
    return ""


def verify(path: Path, entry: RawFile) -> Path:
    """Return `path` if its sha256 matches the manifest; otherwise raise naming both hashes."""
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise DataSourceError(
            f"{path}: sha256 is {actual} but data/manifest.yml expects {entry.sha256} "
            f"for '{entry.id}'.{_gzip_damage(path)} The file has changed or is not the published copy; "
            "restore it, or update the manifest only after checking the new release."
        )
    return path


def _download(entry: RawFile, target: Path) -> None:
    if not entry.download_url:
        raise DataSourceError(
            f"'{entry.id}' ({entry.path}) is not in the mirror {config.mirror_dir()} and has no "
            "download_url in data/manifest.yml (it was derived or transcribed by the shared-data "
            f"team). Set {config.MIRROR_ENV} to a folder holding it."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Download beside the target, then rename, so a cut connection leaves no half file.
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        try:
            with urllib.request.urlopen(entry.download_url, timeout=config.DOWNLOAD_TIMEOUT_S) as resp:
                shutil.copyfileobj(resp, tmp)
        except (urllib.error.URLError, OSError) as exc:
            Path(tmp.name).unlink(missing_ok=True)
            raise DataSourceError(
                f"'{entry.id}' is not in the mirror {config.mirror_dir()} and downloading "
                f"{entry.download_url} failed ({exc}). Set {config.MIRROR_ENV} to a folder "
                "holding the raw files, or connect to the network."
            ) from exc
    try:
        verify(Path(tmp.name), entry)
    except DataSourceError:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    Path(tmp.name).replace(target)


def locate(file_id: str) -> Path:
    """A verified local path to the raw file 'dataset/key' (mirror first, then download)."""
    entry = raw_file(file_id)
    mirrored = config.mirror_dir() / entry.path
    if mirrored.exists():
        return verify(mirrored, entry)
    cached = config.DOWNLOAD_CACHE / entry.path
    if cached.exists():
        return verify(cached, entry)
    _download(entry, cached)
    return cached

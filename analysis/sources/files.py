"""Find a raw file in data/raw (or another mirror, or fetch it with pooch) and prove its bytes match the manifest."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

from analysis import config
from analysis.sources.manifest import RawFile, raw_file


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


def _downloader():
    """pooch's HTTP downloader, with the project's timeout (tests replace this function)."""
    import pooch

    return pooch.HTTPDownloader(timeout=config.DOWNLOAD_TIMEOUT_S, progressbar=False)


def _fetch(entry: RawFile, target: Path) -> Path:
    """Fetch a file missing from the mirror with pooch, which checks its sha256 and keeps no partial file."""
    if not entry.download_url:
        raise DataSourceError(
            f"'{entry.id}' ({entry.path}) is not in the mirror {config.mirror_dir()} and has no "
            "download_url in data/manifest.yml (it was derived, transcribed or rebuilt by the shared-data "
            f"team, so the committed copy in data/raw is the only one). Restore it with git, or set "
            f"{config.MIRROR_ENV} to a folder holding it."
        )
    # Imported only when a file must be fetched: pooch imports tqdm, which warns in every notebook kernel.
    import pooch

    try:
        fetched = pooch.retrieve(entry.download_url, known_hash=f"sha256:{entry.sha256}", fname=target.name,
                                 path=target.parent, downloader=_downloader(), progressbar=False)
    except ValueError as exc:  # pooch's word for a hash mismatch
        raise DataSourceError(
            f"{entry.download_url}: the downloaded bytes do not match the sha256 {entry.sha256} that "
            f"data/manifest.yml expects for '{entry.id}' ({exc}); nothing was kept."
        ) from exc
    except Exception as exc:  # requests' connection errors, timeouts, HTTP status errors
        raise DataSourceError(
            f"'{entry.id}' is not in the mirror {config.mirror_dir()} and downloading "
            f"{entry.download_url} failed ({exc}). Restore data/raw with git, set {config.MIRROR_ENV} to a "
            "folder holding the raw files, or connect to the network."
        ) from exc
    return Path(fetched)


def locate(file_id: str) -> Path:
    """A verified local path to the raw file 'dataset/key' (mirror first, then download); the manifest has already
    refused any path that could leave those folders (manifest._check_contained)."""
    entry = raw_file(file_id)
    if entry.in_repo:
        return verify(config.REPO_ROOT / entry.path, entry)
    mirrored = config.mirror_dir() / entry.path
    if mirrored.exists():
        return verify(mirrored, entry)
    cached = config.DOWNLOAD_CACHE / entry.path
    if cached.exists():
        return verify(cached, entry)
    return _fetch(entry, cached)

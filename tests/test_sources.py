"""The loader: mirror first, download otherwise, sha256 always."""

from __future__ import annotations

import io
import urllib.error

import pytest

from analysis import config, csew, manifest, sources
from analysis.sources import DataSourceError


def test_every_manifest_file_is_in_the_mirror_with_its_checksum():
    files = manifest.load_manifest()
    assert len(files) >= 25
    for file_id, entry in files.items():
        path = config.DEFAULT_MIRROR / entry.path
        assert path.exists(), f"{file_id}: {path} missing from the shared mirror"
        assert sources.sha256_of(path) == entry.sha256, file_id


def test_manifest_entries_have_provenance():
    for entry in manifest.load_manifest().values():
        assert entry.licence and entry.publisher and entry.period and entry.original_url.startswith("https://")
        assert entry.download_url is None or entry.download_url.startswith("https://")


def test_mirror_file_is_used_and_verified(copy_into):
    path = copy_into(csew.SERIES_FILE)
    assert sources.locate(csew.SERIES_FILE) == path


def test_checksum_mismatch_names_file_and_both_hashes(copy_into):
    path = copy_into(csew.SERIES_FILE)
    path.write_text(path.read_text().replace("63.1", "99.9"))
    with pytest.raises(DataSourceError) as err:
        sources.locate(csew.SERIES_FILE)
    msg = str(err.value)
    assert str(path) in msg and manifest.raw_file(csew.SERIES_FILE).sha256 in msg
    assert "sha256 is" in msg


def test_no_mirror_and_no_download_url_says_what_to_set(mirror):
    with pytest.raises(DataSourceError, match=config.MIRROR_ENV) as err:
        sources.locate(csew.SERIES_FILE)  # a derived file: no public byte copy
    assert "no download_url" in str(err.value)


def test_no_mirror_and_no_network_names_the_url(mirror, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("network unreachable")

    monkeypatch.setattr(sources.urllib.request, "urlopen", offline)
    entry = manifest.raw_file(csew.OPEN_DATA_FILE)
    with pytest.raises(DataSourceError) as err:
        sources.locate(csew.OPEN_DATA_FILE)
    assert entry.download_url in str(err.value) and "network unreachable" in str(err.value)
    assert not (config.DOWNLOAD_CACHE / entry.path).exists(), "a failed download must leave no file"


def test_download_is_verified_and_cached(mirror, monkeypatch):
    entry = manifest.raw_file(csew.OPEN_DATA_FILE)
    payload = (config.DEFAULT_MIRROR / entry.path).read_bytes()
    calls = []

    def fake_urlopen(url, timeout):
        calls.append(url)
        return io.BytesIO(payload)

    monkeypatch.setattr(sources.urllib.request, "urlopen", fake_urlopen)
    first = sources.locate(csew.OPEN_DATA_FILE)
    second = sources.locate(csew.OPEN_DATA_FILE)
    assert first == second == config.DOWNLOAD_CACHE / entry.path
    assert calls == [entry.download_url], "the second call must use the cached copy"
    assert len(csew.load_open_data()) > 20000


def test_download_with_wrong_bytes_is_refused(mirror, monkeypatch):
    monkeypatch.setattr(sources.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(b"not the file"))
    with pytest.raises(DataSourceError, match="sha256"):
        sources.locate(csew.OPEN_DATA_FILE)
    assert not any(config.DOWNLOAD_CACHE.rglob("*.csv.gz"))


def test_unknown_file_id_lists_valid_ids():
    with pytest.raises(manifest.ManifestError, match="csew_perceptions_cjs_2018q4/open_data"):
        manifest.raw_file("csew/nope")


def test_sources_table_has_one_row_per_file():
    table = manifest.sources_table()
    assert len(table) == len(manifest.load_manifest())
    assert table["licence"].str.contains("Open Government Licence").all()

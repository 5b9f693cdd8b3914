"""The loader: mirror first, download otherwise, sha256 always."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.sources import csew, manifest
from analysis.sources import files as sources
from analysis.sources.files import DataSourceError


def test_every_manifest_file_is_in_the_mirror_with_its_checksum():
    files = manifest.load_manifest()
    assert len(files) >= 25
    for file_id, entry in files.items():
        path = (config.REPO_ROOT if entry.in_repo else config.DEFAULT_MIRROR) / entry.path
        assert path.exists(), f"{file_id}: {path} missing from data/raw"
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


def offline_downloader():
    def download(url, output_file, pooch_obj):
        raise ConnectionError("network unreachable")
    return download


def serving(payload: bytes, calls: list):
    """A pooch downloader that 'serves' `payload` and records each URL asked for."""
    def factory():
        def download(url, output_file, pooch_obj):
            calls.append(url)
            with open(output_file, "wb") as fh:
                fh.write(payload)
        return download
    return factory


def test_no_mirror_and_no_network_names_the_url(mirror, monkeypatch):
    monkeypatch.setattr(sources, "_downloader", offline_downloader)
    entry = manifest.raw_file(csew.OPEN_DATA_FILE)
    with pytest.raises(DataSourceError) as err:
        sources.locate(csew.OPEN_DATA_FILE)
    assert entry.download_url in str(err.value) and "network unreachable" in str(err.value)
    assert not (config.DOWNLOAD_CACHE / entry.path).exists(), "a failed download must leave no file"
    assert not [p for p in config.DOWNLOAD_CACHE.rglob("*") if p.is_file()]


def test_download_is_verified_with_pooch_and_cached(mirror, monkeypatch):
    entry = manifest.raw_file(csew.OPEN_DATA_FILE)
    calls = []
    monkeypatch.setattr(sources, "_downloader", serving((config.DEFAULT_MIRROR / entry.path).read_bytes(), calls))
    first = sources.locate(csew.OPEN_DATA_FILE)
    second = sources.locate(csew.OPEN_DATA_FILE)
    assert first == second == config.DOWNLOAD_CACHE / entry.path
    assert calls == [entry.download_url], "the second call must use the cached copy"
    assert len(csew.load_open_data()) > 20000


def test_download_with_wrong_bytes_is_refused(mirror, monkeypatch):
    monkeypatch.setattr(sources, "_downloader", serving(b"not the file", []))
    with pytest.raises(DataSourceError, match="sha256"):
        sources.locate(csew.OPEN_DATA_FILE)
    assert not [p for p in config.DOWNLOAD_CACHE.rglob("*") if p.is_file()]


def test_the_loader_never_writes_into_data_raw(mirror, monkeypatch):
    """Raw files are immutable: a fetch goes to the download cache, never into the committed folder."""
    monkeypatch.delenv(config.MIRROR_ENV)
    before = {p: p.stat().st_mtime_ns for p in config.DEFAULT_MIRROR.rglob("*") if p.is_file()}
    for file_id in manifest.load_manifest():
        sources.locate(file_id)
    after = {p: p.stat().st_mtime_ns for p in config.DEFAULT_MIRROR.rglob("*") if p.is_file()}
    assert before == after


def test_unknown_file_id_lists_valid_ids():
    with pytest.raises(manifest.ManifestError, match="csew_perceptions_cjs_2018q4/open_data"):
        manifest.raw_file("csew/nope")


def test_sources_table_has_one_row_per_file():
    table = manifest.sources_table()
    assert len(table) == len(manifest.load_manifest())
    # The public-sector files in data/raw are all under the OGL; the evidence kept in data/evidence (the register, and a
    # review's study-level data under its authors' licence) each say their own.
    in_repo = {f.dataset for f in manifest.load_manifest().values() if f.in_repo}
    public = table[~table["dataset"].isin(in_repo)]
    assert public["licence"].str.contains("Open Government Licence").all()
    assert table.set_index("dataset").at["chan2023_pj_legitimacy", "licence"].startswith("MIT")


@pytest.mark.parametrize("bad", ["/etc/passwd", "../../../escaped/file.csv", "csew/../../outside.csv",
                                 "C:/data/file.csv", "csew\\..\\..\\file.csv"])
def test_a_manifest_path_that_could_leave_the_mirror_is_refused_before_anything_is_opened(tmp_path, bad):
    text = config.MANIFEST_PATH.read_text(encoding="utf-8")
    entry = manifest.raw_file(csew.SERIES_FILE)
    altered = tmp_path / "manifest.yml"
    altered.write_text(text.replace(f"path: {entry.path}", f"path: {bad!r}", 1), encoding="utf-8")
    assert f"path: {bad!r}" in altered.read_text(encoding="utf-8")
    with pytest.raises(manifest.ManifestError, match=rf"'{csew.SERIES_FILE}' has path .*; expected a relative path "
                                                     r"inside the data mirror"):
        manifest.load_manifest(altered)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["manifest.yml"]  # no folder made for a download


def test_a_repo_path_outside_data_is_refused(tmp_path):
    text = config.MANIFEST_PATH.read_text(encoding="utf-8")
    altered = tmp_path / "manifest.yml"
    altered.write_text(text.replace("repo_path: data/evidence/", "repo_path: analysis/../../", 1), encoding="utf-8")
    with pytest.raises(manifest.ManifestError, match=r"expected a relative path inside data/ in the repository"):
        manifest.load_manifest(altered)


def test_every_dataset_has_a_source_grade_and_a_figure_takes_the_lowest_of_its_sources(tmp_path):
    files = manifest.load_manifest()
    assert {f.grade for f in files.values()} <= set(manifest.GRADES) and all(f.grade_note for f in files.values())
    assert files["force_indicators_thirdparty_2026/indicators"].grade == "third-party extract"
    assert files["mid_year_population_lad23_mid2024/mye_2024"].grade == "official, re-exported"
    assert manifest.lowest_grade(["mid_year_population_lad23_mid2024/mye_2024", csew.SERIES_FILE]) == \
        files[csew.SERIES_FILE].grade
    assert manifest.lowest_grade(["mid_year_population_lad23_mid2024/mye_2024"]) == "official, re-exported"
    assert manifest.lowest_grade(["local survey.csv"]) == ""
    altered = tmp_path / "manifest.yml"
    text = config.MANIFEST_PATH.read_text(encoding="utf-8")
    altered.write_text(text.replace("grade: official\n", "grade: good\n", 1))
    with pytest.raises(manifest.ManifestError, match=r"grade 'good'; expected one of \('official'"):
        manifest.load_manifest(altered)

"""Bad input, case by case: a message naming the file, column, row or parameter and what was expected, and no output.

"No output" is checked on everything a run can write: the disk cache of shared results, the
download cache, an editions folder holding a last good edition, and the notebook being run.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import nbformat
import openpyxl
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import config
from analysis.publish import editions, shell
from analysis.sources import cache, forces, manifest, pfa_tables, policeuk, workforce
from analysis.sources import files as sources
from tests.fixtures import ods_edit

WORKFORCE = workforce.WORKFORCE_FILE  # an ODS table
STRENGTH = workforce.STRENGTH_FILE  # a gzipped CSV


@pytest.fixture
def outputs(tmp_path, monkeypatch, mirror):
    """Point every output at tmp_path, put a last good edition in place, and return a snapshot function (of what a
    build publishes: not the mirror, nor the editions' empty lock files)."""
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    live = tmp_path / "editions" / "kent"
    (live / "html").mkdir(parents=True)
    (live / "html" / "index.html").write_text("last good edition")
    workforce.load_workforce.cache_clear()
    yield lambda: {str(p.relative_to(tmp_path)): p.read_bytes() for p in sorted(tmp_path.rglob("*"))
                   if p.is_file() and not {"mirror", editions.LOCKS} & set(p.relative_to(tmp_path).parts)}
    workforce.load_workforce.cache_clear()


def refused(outputs, call, error, *fragments: str) -> str:
    """`call` raises `error` whose message holds every fragment, and nothing was written."""
    before = outputs()
    with pytest.raises(error) as err:
        call()
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert outputs() == before, "a refused input left output behind"
    return message


def change_first_officer_row(path: Path, change) -> None:
    """Apply `change` to the XML of the workforce table's first data row, a row the loader keeps (a police officer)."""
    def edit(xml: str) -> str:
        assert "<text:p>Police Officer</text:p>" in ods_edit.data_row(xml, workforce.WORKFORCE_SHEET).group()
        return ods_edit.change_row(xml, workforce.WORKFORCE_SHEET, change)

    ods_edit.rewrite(path, edit)


def build(tmp_path, force):
    return lambda: editions.build_edition(force, tmp_path / "editions", tmp_path / "figures")


# 1-3: parameters

def test_1_unknown_force_lists_the_closest_names(outputs, tmp_path):
    message = refused(outputs, build(tmp_path, "Kentt Polise"), forces.UnknownForceError, "'Kentt Polise'",
                      "closest valid names", "Kent Police (kent)")
    assert "figures" not in {p.name for p in tmp_path.iterdir()}, message


def test_2_an_empty_force_says_what_a_force_looks_like(outputs, tmp_path):
    refused(outputs, build(tmp_path, ""), forces.UnknownForceError, "non-empty ONS code, name or slug", "got ''")


def test_3_a_parameter_name_that_is_not_an_identifier_never_reaches_the_notebook(outputs, tmp_path):
    notebook = tmp_path / "editions" / "chapter.ipynb"
    params = new_code_cell("force = None", metadata={"tags": ["parameters"]})
    nbformat.write(new_notebook(cells=[params, new_code_cell("print(force)")]), notebook)
    refused(outputs, lambda: shell.NotebookShell().run(notebook, {"force=1;import os#": "kent"}), ValueError,
            "parameter name 'force=1;import os#'", "expected a name like 'force'")


# 4-10: raw files

def test_4_a_raw_file_whose_sha256_does_not_match(outputs, copy_into):
    path = copy_into(WORKFORCE)
    change_first_officer_row(path, lambda row: ods_edit.set_last_number(row, "7.6"))
    refused(outputs, workforce.load_workforce, sources.DataSourceError, str(path), "sha256 is",
            manifest.raw_file(WORKFORCE).sha256)


def test_5_a_raw_file_with_a_missing_column(outputs, altered):
    path = altered(WORKFORCE)
    ods_edit.rewrite(path, lambda xml: xml.replace("<text:p>Total (FTE)</text:p>", "<text:p>FTE</text:p>"))
    refused(outputs, workforce.load_workforce, Exception, str(path), "[Data]", "missing column(s) ['Total (FTE)']")


def test_6_a_raw_file_with_a_negative_count(outputs, altered):
    path = altered(WORKFORCE)
    change_first_officer_row(path, lambda row: ods_edit.set_last_number(row, "-2.5"))
    refused(outputs, workforce.load_workforce, Exception, str(path), "column 'fte'", "-2.5", "row 0", ">= 0")


def test_7_duplicate_force_year_rows(outputs, altered):
    path = altered(WORKFORCE)
    change_first_officer_row(path, lambda row: row * 2)
    refused(outputs, workforce.load_workforce, Exception, str(path), "duplicate rows for ['pfa_code', 'year'",
            "expected one row per")


def test_8_an_unknown_force_code_inside_a_data_file(outputs, altered):
    path = altered(WORKFORCE)
    change_first_officer_row(path, lambda row: row.replace("<text:p>E23000036</text:p>", "<text:p>E23000099</text:p>"))
    refused(outputs, workforce.load_workforce, Exception, str(path), "'E23000099'", "one of the 43 ONS force codes")


def test_9_no_mirror_and_no_network_names_the_url_and_the_setting(outputs, monkeypatch):
    def offline():
        def download(url, output_file, pooch_obj):
            raise ConnectionError("network unreachable")
        return download

    monkeypatch.setattr(sources, "_downloader", offline)
    entry = manifest.raw_file(WORKFORCE)
    refused(outputs, workforce.load_workforce, sources.DataSourceError, entry.download_url, "network unreachable",
            config.MIRROR_ENV)
    assert not (config.DOWNLOAD_CACHE / entry.path).exists()


def test_10_a_truncated_gzip_file(outputs, copy_into):
    path = copy_into(STRENGTH)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(EOFError):
        gzip.decompress(path.read_bytes())
    refused(outputs, workforce.national_strength, sources.DataSourceError, str(path), "not a complete gzip file",
            "cut short")


def test_11_a_police_uk_file_of_another_format(outputs, tmp_path, copy_into):
    own = tmp_path / "editions" / "2023-03-somewhere-street.csv"
    own.write_bytes(copy_into(policeuk.SAMPLE["outcomes"]).read_bytes())
    refused(outputs, lambda: policeuk.load("street", own), Exception, str(own), "not a police.uk 'street' file",
            "looks like a police.uk 'outcomes' file")


def test_12_an_ods_or_xlsx_whose_table_layout_moved(outputs, altered):
    path = altered(pfa_tables.FILES[2019])
    book = openpyxl.load_workbook(path)
    book["Table P3 "].delete_cols(6)  # the rate column moves out from under its header
    book["Table P3 "]["F5"] = "Something else"
    book.save(path)
    refused(outputs, lambda: pfa_tables.recorded_crime_rate(2019), Exception, "Table P3",
            "expected one column headed 'Total recorded crime'")


@pytest.mark.slow  # a real edition build
def test_a_bad_raw_file_fails_the_edition_and_keeps_the_last_good_one(outputs, tmp_path, copy_into, monkeypatch):
    """End to end: with one corrupted file in the mirror, a real edition build names it and publishes nothing."""
    for entry in manifest.load_manifest().values():
        target = Path(config.mirror_dir()) / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(config.DEFAULT_MIRROR / entry.path)
    path = Path(config.mirror_dir()) / manifest.raw_file(WORKFORCE).path
    path.unlink()
    copy_into(WORKFORCE).write_bytes(b"not the published file")
    before = outputs()
    result = editions.build_edition("kent", tmp_path / "editions", tmp_path / "figures", use_cache=False)
    assert result.status == "failed" and str(path) in result.detail and "sha256 is" in result.detail
    assert outputs() == before
    assert (tmp_path / "editions" / "kent" / "html" / "index.html").read_text() == "last good edition"

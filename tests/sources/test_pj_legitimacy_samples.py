"""Chan, Bradford & Stott (2023) samples: the documented totals, and a bad correlation, n or layout refused by name."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.sources import manifest
from analysis.sources import pj_legitimacy_samples as samples
from analysis.sources.schemas import SchemaError

REAL = config.REPO_ROOT / manifest.raw_file(samples.SAMPLES_FILE).path


@pytest.fixture
def edit(tmp_path, monkeypatch):
    """`edit(change)` writes the sheet with one change to a scratch file and points the loader at it."""

    def _edit(change):
        path = tmp_path / "meta_analysis_data.csv"
        path.write_text(change(REAL.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setattr(samples, "locate", lambda _file_id: path)
        samples.load.cache_clear()

    yield _edit
    samples.load.cache_clear()


def test_the_sheet_loads_with_the_totals_its_provenance_documents():
    df = samples.load()
    assert len(df) == 159 and df["n"].sum() == 200_966
    assert {pair: int(df[pair].notna().sum()) for pair in samples.PAIRS} == {"pj_le": 152, "si_le": 22,
                                                                               "pj_si": 26, "pjxsi_le": 11}
    assert (df["design"] == "C").sum() == 133
    # Missing moderators stay missing, never zero.
    assert df["mean_age"].isna().sum() == 30 and df["mean_age"].min() > 0


def test_a_correlation_above_one_is_refused_naming_the_column_and_row(edit):
    edit(lambda t: t.replace('1,"Akinlabi_a",2017,305,1,NA,1,0.14,', '1,"Akinlabi_a",2017,305,1,NA,1,1.2,', 1))
    with pytest.raises(SchemaError, match=r"meta_analysis_data\.csv.*column 'pj_le' has 1\.2 at row 0 "
                                          r"\(sample_no=1\); expected a value <= 1"):
        samples.load()


def test_an_n_of_two_is_refused(edit):
    edit(lambda t: t.replace('1,"Akinlabi_a",2017,305,', '1,"Akinlabi_a",2017,2,', 1))
    with pytest.raises(SchemaError, match=r"column 'n' has 2 at row 0 \(sample_no=1\); expected a value >= 4"):
        samples.load()


def test_a_missing_column_is_refused(edit):
    edit(lambda t: t.replace('"pj_le"', '"pj_legit"', 1))
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['pj_le'\]"):
        samples.load()


def test_a_changed_n_that_no_longer_sums_to_the_abstracts_n_is_refused(edit):
    edit(lambda t: t.replace('1,"Akinlabi_a",2017,305,', '1,"Akinlabi_a",2017,306,', 1))
    with pytest.raises(SchemaError, match=r"sums to 200,967; expected 200,966"):
        samples.load()

"""police.uk loaders take any standard monthly file and refuse other formats."""

from __future__ import annotations

import pytest

from analysis.sources import policeuk
from analysis.sources.files import locate
from analysis.sources.schemas import SchemaError


def test_real_street_file_loads():
    crimes = policeuk.load("street")
    assert len(crimes) == 4887 and crimes["Month"].eq("2023-03").all()


def test_any_force_file_of_the_standard_format_is_accepted(tmp_path):
    own = tmp_path / "2024-05-kent-street.csv"
    policeuk.load("street").head(50).assign(**{"Falls within": "Kent Police"}).to_csv(own, index=False)
    assert policeuk.load("street", own)["Falls within"].eq("Kent Police").all()


def test_a_file_of_another_format_is_refused_with_a_hint(tmp_path):
    with pytest.raises(SchemaError, match=r"not a police.uk 'street' file.*looks like a police.uk 'outcomes' file"):
        policeuk.load("street", locate(policeuk.SAMPLE["outcomes"]))


def test_bad_month_names_the_row(tmp_path):
    own = tmp_path / "street.csv"
    policeuk.load("street").head(5).assign(Month=["2023-03"] * 4 + ["March 2023"]).to_csv(own, index=False)
    with pytest.raises(SchemaError, match=r"column 'Month' has 'March 2023' at row 4"):
        policeuk.load("street", own)

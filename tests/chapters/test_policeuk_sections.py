"""The police.uk sections of chapters 2, 4 and 5: a force's own folder, the sample by default, gaps stated."""

from __future__ import annotations

import pytest

from analysis.chapters import c02_neighbourhood_policing as c02
from analysis.chapters import c04_contact_with_victims as c04
from analysis.chapters import c05_contact_with_suspects as c05
from analysis.chapters import common
from analysis.sources import policeuk
from tests.fixtures.make_policeuk import write_folder


@pytest.fixture(scope="module")
def kent(tmp_path_factory):
    return write_folder(tmp_path_factory.mktemp("kent"), months=3, street_rows=600, lsoas=60)


def test_chapter_sections_take_a_folder_and_name_force_and_months(kent):
    for build, key in ((c02.hot_spots, "own_hs"), (c04.outcomes, "own_out"),
                       (c05.detail, "own_ss")):
        section = build(kent, key=key)
        assert "Kent Police, April 2024 to June 2024" in " ".join(section.chart.to_dict()["title"]["text"])
        keys = {f.key: f.value for f in section.figures}
        assert len(keys[f"{key}_sha256"]) == 64 and len(section.more_charts) == 1
        assert section.more_charts[0].to_dict()["description"]


def test_the_sample_stays_the_default_and_its_heading_comes_from_the_data():
    section = c04.outcomes()
    assert " ".join(section.chart.to_dict()["title"]["text"]) == \
        "Outcomes recorded for crimes, Bedfordshire Police, March 2023"
    assert {f.key: f.value for f in section.figures}["out_month"] == "March 2023"


def test_8_gaps_are_stated_not_filled(tmp_path):
    folder = write_folder(tmp_path, months=4, street_rows=100, lsoas=20, skip=("2024-06",))
    crimes = policeuk.load_folder(folder, "street")
    assert crimes.attrs["missing_months"] == ["2024-06"]
    assert crimes.attrs["label"] == "Kent Police, April 2024 to July 2024 (no data for June 2024)"
    assert common.policeuk_gap_note(crimes).startswith(
        "The download has no file for June 2024: that month is missing here")
    section = c02.hot_spots(folder, key="own_hs")
    assert "no file for June 2024" in section.note
    assert section.more_charts[0].to_dict()["datasets"]  # drawn in two segments, around the gap
    segments = {r["segment"] for r in list(section.more_charts[0].to_dict()["datasets"].values())[0]}
    assert segments == {"0", "1"}


def test_hot_spots_are_set_against_the_share_chance_alone_would_give():
    section = c02.hot_spots()
    values = {f.key: f.value for f in section.figures}
    observed, chance = values["hs_crime_lsoa_top1"], values["hs_crime_lsoa_top1_chance"]
    assert 0 < chance < observed and values["hs_crime_lsoa_top1_beyond"] == pytest.approx(observed - chance)
    assert "Share by chance alone (%)" in section.table.frame.columns
    assert "no sampling interval" not in str(section.more_charts)

"""Chapter 1's section on a force's own survey: intervals, charts, the file's checksum, the PAS for the Met."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from analysis.chapters import c01_trust_and_confidence as c01
from analysis.methods import stats, survey
from analysis.sources import local_survey as ls
from analysis.sources.localfiles import LocalDataError
from tests.fixtures.make_local_survey import write, write_survey


def shown(note: str) -> str:
    """A section's note as a reader sees it: Markdown rendered, tags dropped (its file text arrives escaped)."""
    return re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(note))


def test_estimates_without_base_or_se_say_no_interval_can_be_given(tmp_path):
    path = write(tmp_path, "Q1 23,2023-06-30,Kent Police,Confidence,All,,,0.70,,unknown,\n"
                           "Q1 24,2024-06-30,Kent Police,Confidence,All,,,0.64,,unknown,\n")
    df = ls.load(path)
    ch = survey.changes(df)
    assert (ch["comparison"] == "").all() and ch["wording"].str.contains("no interval can be given").all()
    section = c01.survey_section(df, "kent")
    assert "no interval can be given" in shown(section.note)
    assert "ls_latest_low" not in [f.key for f in section.figures]


def test_survey_section_for_kent_has_intervals_charts_and_the_file_checksum(tmp_path):
    df = ls.load(write_survey(tmp_path / "kent.csv"))
    section = c01.survey_section(df, "kent")
    keys = {f.key: f.value for f in section.figures}
    assert keys["ls_force"] == "Kent Police" and keys["ls_file_sha256"] == df.attrs["sha256"]
    assert keys["ls_latest_low"] < keys["ls_latest"] < keys["ls_latest_high"]
    assert "95% CI" in shown(section.note) and section.table["95% CI from"].notna().all()
    for chart in [section.chart, *section.more_charts]:
        spec = chart.to_dict()
        assert spec["description"] and spec["usermeta"]["pcp"]["source"] and spec["usermeta"]["pcp"]["name"]
    assert len(section.more_charts) == 2


def test_the_forces_own_row_among_its_districts_is_marked_as_the_force_not_as_england_and_wales(tmp_path):
    section = c01.survey_section(ls.load(write_survey(tmp_path / "kent.csv")), "kent")
    areas = max(section.more_charts[0].to_dict()["datasets"].values(), key=len)
    assert {r["label"]: r["marker"] for r in areas if r["marker"] != "Other forces"} == {"Kent Police": "Kent Police"}


def test_met_pas_becomes_a_local_survey_its_boroughs_without_intervals_london_as_chapter_1_tests_it():
    from analysis.sources import evidence, met_pas

    df = ls.met_pas_as_local_survey()
    london = df["area"] == "Metropolitan Police"
    boroughs = df[~london]
    assert london.any() and boroughs["estimate"].between(0, 1).all() and boroughs["base"].isna().all()
    # London-wide: shares of the interviews a year MOPAC publishes, the base chapter 1 tests the PAS's fall on.
    interviews = int(evidence.load_register().set_index("id").at[met_pas.INTERVIEWS_ROW, "n"])
    assert (df.loc[london, "base"] == interviews).all() and df.loc[london, "estimate"].notna().all()
    # MOPAC publishes no design effect: the one assumed is stated, and the file's whole per cents are known.
    assert (df.loc[london, "design_effect"] == 1.5).all() and df.attrs["rounded_to"] == met_pas.ROUNDED_TO
    assert df["measure"].iloc[0] == '"Good Job" local'
    section = c01.survey_section(df, "met")
    assert "MOPAC" in shown(section.note)
    assert ls.for_edition("E23000001") is not None and ls.for_edition("kent") is None


def test_optional_columns_may_be_left_out(tmp_path):
    path = write(tmp_path, "2024 Q1,2024-03-31,Kent Police,Confidence,0.70,500,yes\n"
                           "2025 Q1,2025-03-31,Kent Police,Confidence,0.66,500,yes\n",
                 head="period,period_end,area,measure,estimate,base,weighted\n")
    df = ls.load(path)
    assert df["group"].tolist() == ["All", "All"] and df["design_effect"].isna().all()
    section = c01.survey_section(df, "kent")
    low, high = stats.wilson_ci(330, 500)
    keys = {f.key: f.value for f in section.figures}
    assert (keys["ls_latest_low"], keys["ls_latest_high"]) == pytest.approx((100 * float(low), 100 * float(high)))
    assert "not significantly different from 2024 Q1 (70%)" in keys["ls_change_year"]


def test_a_survey_of_another_force_is_refused(tmp_path):
    df = ls.load(write_survey(tmp_path / "kent.csv"))
    with pytest.raises(LocalDataError, match=r"kent\.csv: the file's areas name Kent Police; expected Essex Police's own"):
        c01.survey_section(df, "essex")

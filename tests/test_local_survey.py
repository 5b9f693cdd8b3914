"""A force's own survey file: the format's checks (each error names file, line or column), intervals, tests, the PAS."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import local_survey as ls
from analysis import config, stats
from analysis.localfiles import LocalDataError
from tests.fixtures.make_local_survey import write_survey

HEAD = "period,period_end,area,measure,group,agree,base,estimate,standard_error,weighted,design_effect\n"


def write(tmp_path, body: str, head: str = HEAD, name: str = "survey.csv"):
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return path


def test_the_example_file_loads_and_is_labelled_invented():
    path = config.DATA_DIR / "examples" / "INVENTED-example-local-survey.csv"
    assert path.read_text().startswith("# INVENTED EXAMPLE")
    df = ls.load(path)
    assert len(df) == 224 and set(df["weighted"]) == {"no"} and len(df.attrs["sha256"]) == 64


def test_wilson_interval_from_counts_and_effective_base_from_design_effect(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,60,100,,,yes,\n"
                           "Q2,2024-09-30,Kent,Confidence,All,60,100,,,yes,2\n")
    iv = ls.with_intervals(ls.load(path)).set_index("period")
    low, high = stats.wilson_ci(60, 100)
    assert iv.loc["Q1", ["ci_low", "ci_high"]].tolist() == pytest.approx([float(low), float(high)])
    # A design effect of 2 halves the effective sample: the interval is that of 30 out of 50.
    low2, high2 = stats.wilson_ci(30, 50)
    assert iv.loc["Q2", ["ci_low", "ci_high"]].tolist() == pytest.approx([float(low2), float(high2)])
    assert iv.loc["Q2", "n_effective"] == 50


def test_interval_from_standard_error_and_from_base_and_none(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,,,0.7,0.02,yes,\n"
                           "Q1,2024-06-30,Kent,Fair,All,,400,0.5,,yes,\n"
                           "Q1,2024-06-30,Kent,Trust,All,,,0.6,,yes,\n"
                           "Q1,2024-06-30,Kent,Seen,All,,,0.6,0.02,yes,4\n")
    iv = ls.with_intervals(ls.load(path)).set_index("measure")
    assert iv.loc["Confidence", ["ci_low", "ci_high"]].tolist() == pytest.approx([0.7 - 1.959964 * 0.02,
                                                                                  0.7 + 1.959964 * 0.02])
    assert iv.loc["Seen", "se"] == pytest.approx(0.04)  # SE times sqrt(deff)
    low, high = stats.wilson_ci(200, 400)
    assert iv.loc["Fair", ["ci_low", "ci_high"]].tolist() == pytest.approx([float(low), float(high)])
    assert np.isnan(iv.loc["Trust", "ci_low"]) and iv.loc["Trust", "interval_from"] == ls.NO_INTERVAL


def test_changes_use_the_two_sample_tests_and_significance_wording(tmp_path):
    path = write(tmp_path, "Q1 23,2023-06-30,Kent,Confidence,All,700,1000,,,no,\n"
                           "Q1 24,2024-06-30,Kent,Confidence,All,640,1000,,,no,\n"
                           "Q1 23,2023-06-30,Kent,Fair,All,,,0.60,0.02,no,\n"
                           "Q1 24,2024-06-30,Kent,Fair,All,,,0.62,0.02,no,\n")
    ch = ls.changes(ls.load(path)).set_index(["measure", "against"])
    counts = stats.compare_proportions(640, 1000, 700, 1000).iloc[0]
    row = ch.loc[("Confidence", "a year earlier")]
    assert row["p_value"] == pytest.approx(counts["p_value"]) and row["comparison"] == "lower"
    assert row["wording"] == "Confidence in Q1 24 (64%) is lower than Q1 23 (70%)"
    se = ch.loc[("Fair", "a year earlier")]
    assert se["comparison"] == "similar" and "statistically similar to Q1 23 (60%)" in se["wording"]


def test_estimates_without_base_or_se_say_no_interval_can_be_given(tmp_path):
    path = write(tmp_path, "Q1 23,2023-06-30,Kent Police,Confidence,All,,,0.70,,unknown,\n"
                           "Q1 24,2024-06-30,Kent Police,Confidence,All,,,0.64,,unknown,\n")
    df = ls.load(path)
    ch = ls.changes(df)
    assert (ch["comparison"] == "").all() and ch["wording"].str.contains("no interval can be given").all()
    section = ls.survey_section(df, "kent")
    assert "no interval can be given" in section.note
    assert "ls_latest_low" not in [f.key for f in section.figures]


def test_groups_against_the_area_total_and_areas_ranked(tmp_path):
    df = ls.load(write_survey(tmp_path / "kent.csv"))
    g = ls.groups(df, "Kent Police")
    assert set(g["breakdown"]) == {"Age", "Ethnic group"} and set(g["comparison"]) <= {"higher", "lower", "similar"}
    ranked = ls.areas(df, "Confidence in local police")
    assert ranked["share"].is_monotonic_decreasing and len(ranked) == 7 and ranked["ci_low"].notna().all()


def test_survey_section_for_kent_has_intervals_charts_and_the_file_checksum(tmp_path):
    df = ls.load(write_survey(tmp_path / "kent.csv"))
    section = ls.survey_section(df, "kent")
    keys = {f.key: f.value for f in section.figures}
    assert keys["ls_force"] == "Kent Police" and keys["ls_file_sha256"] == df.attrs["sha256"]
    assert keys["ls_latest_low"] < keys["ls_latest"] < keys["ls_latest_high"]
    assert "95% CI" in section.note and section.table["95% CI from"].notna().all()
    for chart in [section.chart, *section.more_charts]:
        spec = chart.to_dict()
        assert spec["description"] and spec["usermeta"]["pcp"]["source"] and spec["usermeta"]["pcp"]["name"]
    assert len(section.more_charts) == 2


def test_met_pas_becomes_a_local_survey_without_intervals():
    df = ls.met_pas_as_local_survey()
    assert "Metropolitan Police" in set(df["area"]) and df["estimate"].between(0, 1).all()
    assert df["base"].isna().all() and df["measure"].iloc[0] == '"Good Job" local'
    section = ls.survey_section(df, "met")
    assert "no interval can be given" in section.note and "MOPAC" in section.note
    assert ls.for_edition("E23000001") is not None and ls.for_edition("kent") is None


# Bad input: each message names the file and the line or column, and says what was expected.

def test_1_missing_required_column(tmp_path):
    path = write(tmp_path, "Q1,Kent,Confidence,All,60,100,no\n", head="period,area,measure,group,agree,base,weighted\n")
    with pytest.raises(LocalDataError, match=r"survey\.csv: missing column \['period_end'\]; expected columns period"):
        ls.load(path)


def test_2_row_with_neither_counts_nor_estimate(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,60,100,,,no,\nQ2,2024-09-30,Kent,Confidence,All,,,,,no,\n")
    with pytest.raises(LocalDataError, match=r"survey\.csv, line 3: no agree and base .* expected either agree and base"):
        ls.load(path)


def test_3_percentage_where_a_proportion_is_expected(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,,,0.7,,no,\nQ2,2024-09-30,Kent,Confidence,All,,,72,,no,\n"
                           "Q3,2024-12-31,Kent,Confidence,All,,,71,,no,\n")
    with pytest.raises(LocalDataError, match=r"survey\.csv, lines 3, 4: column 'estimate' is over 1; expected a "
                                             r"proportion between 0 and 1 \(72 looks like a percentage: 72% is 0\.72\)"):
        ls.load(path)


def test_3_negative_proportion(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,,,-0.1,,no,\n")
    with pytest.raises(LocalDataError, match=r"line 2: column 'estimate' is negative"):
        ls.load(path)


def test_4_agree_more_than_base(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,120,100,,,no,\n")
    with pytest.raises(LocalDataError, match=r"line 2: agree \(120\) is more than base \(100\); expected agree to be at "
                                             r"most base"):
        ls.load(path)


def test_5_unparseable_period_end(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,60,100,,,no,\nQ2,end of Q2,Kent,Confidence,All,60,100,,,no,\n")
    with pytest.raises(LocalDataError, match=r"line 3: column 'period_end' has 'end of Q2'; expected .* YYYY-MM-DD"):
        ls.load(path)


def test_5_empty_period(tmp_path):
    path = write(tmp_path, ",2024-06-30,Kent,Confidence,All,60,100,,,no,\n")
    with pytest.raises(LocalDataError, match=r"line 2: column 'period' is empty"):
        ls.load(path)


def test_9_path_that_does_not_exist(tmp_path):
    with pytest.raises(LocalDataError, match=r"nowhere\.csv: no such file; expected a local survey CSV"):
        ls.load(tmp_path / "nowhere.csv")


def test_10_a_bom_is_read_fine_and_non_utf8_is_explained(tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEAD + "Q1,2024-06-30,Kent,Confidence,All,60,100,,,no,\n").encode())
    assert ls.load(bom)["period"].tolist() == ["Q1"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEAD + "Q1,2024-06-30,Ynys M\u00f4n,Confidence,All,60,100,,,no,\n").encode("latin-1"))
    with pytest.raises(LocalDataError, match=r"latin\.csv, line 2: byte 0xf4 is not UTF-8 text; expected a UTF-8 file"):
        ls.load(latin)


def test_a_comment_header_keeps_line_numbers_true(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,120,100,,,no,\n", head="# note\n# more\n" + HEAD)
    with pytest.raises(LocalDataError, match=r"line 4: agree"):
        ls.load(path)


def test_optional_columns_may_be_left_out(tmp_path):
    path = write(tmp_path, "2024 Q1,2024-03-31,Kent Police,Confidence,0.70,500,yes\n"
                           "2025 Q1,2025-03-31,Kent Police,Confidence,0.66,500,yes\n",
                 head="period,period_end,area,measure,estimate,base,weighted\n")
    df = ls.load(path)
    assert df["group"].tolist() == ["All", "All"] and df["design_effect"].isna().all()
    section = ls.survey_section(df, "kent")
    low, high = stats.wilson_ci(330, 500)
    keys = {f.key: f.value for f in section.figures}
    assert (keys["ls_latest_low"], keys["ls_latest_high"]) == pytest.approx((100 * float(low), 100 * float(high)))
    assert "statistically similar to 2024 Q1 (70%)" in keys["ls_change_year"]


def test_a_survey_of_another_force_is_refused(tmp_path):
    df = ls.load(write_survey(tmp_path / "kent.csv"))
    with pytest.raises(LocalDataError, match=r"kent\.csv: the file's areas name Kent Police; expected Essex Police's own"):
        ls.survey_section(df, "essex")


def test_design_effect_enters_the_two_sample_test(tmp_path):
    rows = "Q1 23,2023-06-30,Kent,Confidence,All,700,1000,,,yes,{d}\nQ1 24,2024-06-30,Kent,Confidence,All,650,1000,,,yes,{d}\n"
    plain = ls.changes(ls.load(write(tmp_path, rows.format(d=""), name="a.csv"))).iloc[0]
    inflated = ls.changes(ls.load(write(tmp_path, rows.format(d="2.5"), name="b.csv"))).iloc[0]
    assert plain["comparison"] == "lower" and inflated["comparison"] == "similar"
    assert inflated["p_value"] == pytest.approx(stats.compare_proportions(260, 400, 280, 400).iloc[0]["p_value"])

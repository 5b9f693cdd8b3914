"""A force's own survey file: the format's checks (each error names file, line or column), intervals, tests, the PAS."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.sources import local_survey as ls
from analysis.sources.localfiles import LocalDataError
from tests.fixtures.make_local_survey import COLUMNS, write

def test_the_example_file_loads_and_is_labelled_invented():
    path = config.DATA_DIR / "examples" / "INVENTED-example-local-survey.csv"
    assert path.read_text().startswith("# INVENTED EXAMPLE")
    df = ls.load(path)
    assert len(df) == 224 and set(df["weighted"]) == {"no"} and len(df.attrs["sha256"]) == 64


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
    bom.write_bytes(b"\xef\xbb\xbf" + (COLUMNS + "Q1,2024-06-30,Kent,Confidence,All,60,100,,,no,\n").encode())
    assert ls.load(bom)["period"].tolist() == ["Q1"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes((COLUMNS + "Q1,2024-06-30,Ynys M\u00f4n,Confidence,All,60,100,,,no,\n").encode("latin-1"))
    with pytest.raises(LocalDataError, match=r"latin\.csv, line 2: byte 0xf4 is not UTF-8 text; expected a UTF-8 file"):
        ls.load(latin)


def test_a_comment_header_keeps_line_numbers_true(tmp_path):
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,120,100,,,no,\n", head="# note\n# more\n" + COLUMNS)
    with pytest.raises(LocalDataError, match=r"line 4: agree"):
        ls.load(path)


def test_11_a_file_over_the_size_or_row_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    rows = "".join(f"Q1,2024-06-30,Kent,Confidence {i},All,60,100,,,no,\n" for i in range(30))
    path = write(tmp_path, rows)
    monkeypatch.setenv("PCP_LOCAL_SURVEY_MAX_ROWS", "20")
    with pytest.raises(LocalDataError, match=r"survey\.csv: 30 lines, over the 20-row limit .* set "
                                             r"PCP_LOCAL_SURVEY_MAX_ROWS"):
        ls.load(path)
    monkeypatch.setenv("PCP_LOCAL_SURVEY_MAX_ROWS", "30")
    assert len(ls.load(path)) == 30
    path.write_text(path.read_text() + "#" * 2_000_000)
    monkeypatch.setenv("PCP_LOCAL_SURVEY_MAX_MB", "1")
    with pytest.raises(LocalDataError, match=r"survey\.csv: 2\.0 MB, over the 1 MB limit .* PCP_LOCAL_SURVEY_MAX_MB"):
        ls.load(path)
    assert config.local_survey_limits() == (10**6, 30)
    monkeypatch.delenv("PCP_LOCAL_SURVEY_MAX_MB")
    monkeypatch.delenv("PCP_LOCAL_SURVEY_MAX_ROWS")
    assert config.local_survey_limits() == (50 * 10**6, 500_000)


def test_an_edition_reads_its_survey_file_once_and_again_only_when_it_changes(tmp_path, monkeypatch):
    from analysis.sources import localfiles

    reads = []
    original = localfiles.read_text
    monkeypatch.setattr(localfiles, "read_text", lambda p: reads.append(p) or original(p))
    path = write(tmp_path, "Q1,2024-06-30,Kent,Confidence,All,60,100,,,no,\n")
    first = ls.load(path)
    first.loc[0, "measure"] = "changed by a caller"
    again = ls.load(path)
    assert len(reads) == 1 and again.loc[0, "measure"] == "Confidence"  # each caller has its own copy
    path.write_text(path.read_text().replace(",60,", ",61,"))
    assert ls.load(path).loc[0, "agree"] == 61 and len(reads) == 2


# Issue 36: every case below once reached a traceback, a build, or a page.

ROW = "Q1,2024-06-30,Kent Police,Confidence,All,60,100,,,no,\n"


@pytest.mark.parametrize("head", ["period,period_end,area,Area,measure,group,agree,base,weighted\n",
                                  "period,period_end,area,area,measure,group,agree,base,weighted\n"])
def test_a_column_named_twice_is_refused(tmp_path, head):
    path = write(tmp_path, "Q1,2024-06-30,Kent Police,Dartford,Confidence,All,60,100,no\n", head=head)
    with pytest.raises(LocalDataError, match=r"survey\.csv, line 1: column 'area' appears 2 times"):
        ls.load(path)


def test_a_header_only_file_is_refused(tmp_path):
    with pytest.raises(LocalDataError, match=r"survey\.csv: a header and no rows"):
        ls.load(write(tmp_path, ""))


@pytest.mark.parametrize("row,message", [
    ("Q1,2024-06-30,Kent Police,Confidence,All,1e309,1e309,,,no,\n", r"line 2: column 'agree' has '1e309', which is "
                                                                      "not a finite number"),
    ("Q1,2024-06-30,Kent Police,Confidence,All,,,0.7,,yes,inf\n", r"line 2: column 'design_effect' has 'inf'"),
    ("Q1,2024-06-30,Kent Police,Confidence,All,,,0.7,,yes,5e-324\n", r"line 2: design_effect is 4\.94066e-324; "
                                                                     r"expected 0\.1 or more"),
    ("Q1,2024-06-30,Kent Police,Confidence,All,,,0.7,0,no,\n", r"line 2: standard_error is 0"),
])
def test_numbers_that_are_not_finite_or_make_no_sense_are_refused(tmp_path, row, message):
    with pytest.raises(LocalDataError, match=message):
        ls.load(write(tmp_path, row))


@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u2066", "\u202a"])
def test_nul_and_text_direction_characters_in_a_label_are_refused(tmp_path, char):
    path = write(tmp_path, ROW.replace("Confidence", f"Confi{char}dence"))
    with pytest.raises(LocalDataError, match=rf"line 2: column 'measure' holds the character U\+{ord(char):04X}"):
        ls.load(path)


def test_two_periods_with_the_same_end_date_are_refused(tmp_path):
    path = write(tmp_path, ROW + ROW.replace("Q1", "2024/25 Q1"))
    with pytest.raises(LocalDataError, match=r"lines 2, 3: two periods end on 2024-06-30"):
        ls.load(path)


def test_a_label_over_the_documented_length_is_refused(tmp_path):
    path = write(tmp_path, ROW.replace("Confidence", "x" * 40_000))
    with pytest.raises(LocalDataError, match=rf"line 2: column 'measure' is 40,000 characters long; expected at most "
                                             rf"{ls.LABEL_MAX}"):
        ls.load(path)


def test_a_huge_header_is_quoted_as_a_short_excerpt_only(tmp_path):
    head = ",".join(f"column{i}" for i in range(300_000)) + "\n"
    with pytest.raises(LocalDataError) as caught:
        ls.load(write(tmp_path, "", head=head))
    assert len(str(caught.value)) < 1000 and "and 299,994 more" in str(caught.value)


@pytest.mark.parametrize("path", ["/proc/self/environ", "/proc/self/pagemap", "/sys/kernel/mm/transparent_hugepage/"
                                                                               "enabled"])
def test_files_the_system_fills_are_refused_unread(path):
    if not __import__("os").path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(LocalDataError, match=r"a file under /(proc|sys), the system's own folder") as caught:
        ls.load(path)
    assert "PATH=" not in str(caught.value)


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "0", "99999999999"])
def test_a_size_setting_that_is_not_a_whole_number_of_1_or_more_is_refused_naming_it(monkeypatch, value):
    monkeypatch.setenv("PCP_LOCAL_SURVEY_MAX_MB", value)
    with pytest.raises(config.SettingError, match=rf"PCP_LOCAL_SURVEY_MAX_MB='{value}': expected a whole number"):
        config.local_survey_limits()


def test_a_survey_of_another_force_only_is_refused_before_the_build(tmp_path):
    df = ls.load(write(tmp_path, ROW.replace("Kent Police", "Essex Police")))
    with pytest.raises(LocalDataError, match="the file's areas name Essex Police; expected Kent Police's own survey"):
        ls.total_area(df, "kent")


@pytest.mark.parametrize("url", ["javascript:alert(1)//https://x", "http://example.org/", "https://", "https://a b/",
                                 "https://x.org/\"onclick"])
def test_a_site_address_other_than_https_is_refused(monkeypatch, url):
    monkeypatch.setenv(config.SITE_URL_ENV, url)
    with pytest.raises(config.SettingError, match="PCP_SITE_URL=.*expected an https:// address"):
        config.site_url()
    monkeypatch.setenv(config.SITE_URL_ENV, "https://owner.github.io/book")
    assert config.site_url() == "https://owner.github.io/book/"

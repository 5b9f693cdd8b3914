"""How the "Numbers in this chapter" tables show a figure: its unit only where it is a unit, singular for one, and
its source grade once, only for data."""

from __future__ import annotations

import pytest

from analysis.present import glue, register
from analysis.sources import manifest
from analysis.sources.evidence import REGISTER_FILE

SERIES = "ons_perceptions_series_thirdparty_extract/perceptions_long"  # a third-party extract
OFFICIAL = "mid_year_population_lad23_2011_2023/mye_2011_2023"


@pytest.fixture
def figs(monkeypatch):
    monkeypatch.setattr(glue, "glue", lambda *a, **k: None)
    return glue.Figures("02-neighbourhood-policing")


def _shown(figs) -> dict[str, str]:
    frame = register.numbers_table(figs.records).frame
    return dict(zip([r["key"] for r in figs.records], frame["Figure"]))


def test_a_year_or_other_kind_of_name_takes_no_unit_and_a_count_keeps_its_unit(figs):
    figs.glue("map_year", 2023, unit="year", datasets=[OFFICIAL], label="Year of the map (31 March)")
    figs.glue("span_years", 8, unit="years", datasets=[OFFICIAL], label="Years from the census")
    figs.glue("force_name", "Kent Police", unit="force", datasets=[OFFICIAL], label="Force with the most")
    shown = _shown(figs)
    assert shown["map_year"] == "2023"  # never "2023 year"
    assert shown["span_years"] == "8 years"  # a count of years is a count
    assert shown["force_name"] == "Kent Police"


def test_a_figure_of_one_takes_the_singular_and_any_other_the_plural(figs):
    figs.glue("one_force", 1, unit="forces", datasets=[OFFICIAL], label="Forces above")
    figs.glue("no_force", 0, unit="forces", datasets=[OFFICIAL], label="Forces below")
    figs.glue("one_rate", 1, unit="searches per 1,000 residents", datasets=[OFFICIAL], label="Rate")
    figs.glue("one_point", 1, unit="percentage points", datasets=[OFFICIAL], label="Gap")
    figs.glue("one_share", 1, unit="% of incidents", datasets=[OFFICIAL], label="Share")
    figs.glue("one_decimal", 1.0, unit="forces", datasets=[OFFICIAL], fmt="{:.1f}", label="Shown as 1.0")
    shown = _shown(figs)
    assert shown["one_force"] == "1 force" and shown["no_force"] == "0 forces"
    assert shown["one_rate"] == "1 search per 1,000 residents"
    assert shown["one_point"] == "1 percentage point"
    assert shown["one_share"] == "1% of incidents"
    assert shown["one_decimal"] == "1.0 forces"


@pytest.mark.parametrize(("unit", "one"), [("values", "value"), ("reviews", "review"), ("studies", "study"),
                                           ("people", "person"), ("interviews a year", "interview a year"),
                                           ("breath-test stops (approx.)", "breath-test stop (approx.)"),
                                           ("deaths per million residents a year",
                                            "death per million residents a year"),
                                           ("per 100,000", "per 100,000"), ("ratio", "ratio")])
def test_singular_changes_only_the_counted_noun(unit, one):
    assert register.singular(unit) == one


def test_a_method_setting_carries_no_grade_and_a_datum_from_an_extract_does(figs):
    figs.glue("reviews_min", 20, unit="reviews", datasets=[], label="Fewest reviews a force needs (a rule of this "
                                                                     "book)")
    figs.glue("reviews_total", 5998, unit="reviews", datasets=[SERIES], fmt="{:,.0f}", label="Reviews, 2024/25")
    shown = _shown(figs)
    assert shown["reviews_min"] == "20 reviews"
    assert shown["reviews_total"] == "5,998 reviews (third-party extract)"


def test_a_name_or_period_is_no_graded_figure_and_shows_its_source_without_a_grade(figs):
    # A name that says what a section shows is declared so; a name found in the data takes its grade.
    figs.glue("ls_force", "Metropolitan Police Service", unit="force", datasets=[SERIES],
              label="Force whose own survey this section shows", kind=register.NAME)
    figs.glue("ls_measure", '"Good Job" local', unit="measure", datasets=[SERIES], label="Measure shown",
              kind=register.NAME)
    figs.glue("top", "Dorset Police", unit="force", datasets=[SERIES], label="Force with the highest ratio")
    figs.glue("ls_latest_period", "quarter ending December 2023", unit="period", datasets=[SERIES],
              label="Latest period of the force's own survey")
    figs.glue("span", "2012/13 to 2014/15", unit="years", datasets=[SERIES], label="Years averaged")
    figs.glue("count", 8, unit="years", datasets=[SERIES], label="Years from the census")  # a count of years: data
    kinds = {r["key"]: (r["kind"], r["grade"]) for r in figs.records}
    assert kinds == {"ls_force": (register.NAME, ""), "ls_measure": (register.NAME, ""),
                     "top": (register.DATUM, "third-party extract"),
                     "ls_latest_period": (register.NAME, ""), "span": (register.NAME, ""),
                     "count": (register.DATUM, "third-party extract")}
    frame = register.numbers_table(figs.records).frame
    assert frame["Figure"].tolist() == ["Metropolitan Police Service", '"Good Job" local',
                                        "Dorset Police (third-party extract)", "quarter ending December 2023", "2012/13 to 2014/15",
                                        "8 years (third-party extract)"]
    series = manifest.raw_file(SERIES)
    assert (frame["Computed from"] == f"{series.title} ({series.period})").all()  # a name still says where it is from


def test_the_books_own_count_cites_what_it_counted_without_a_grade(figs):
    figs.add(glue.Section(None, None, [glue.Figure("reviews_cited", 12, "reviews", [REGISTER_FILE],
                                                   label="Reviews cited", kind=register.OWN_COUNT)]))
    record, = figs.records
    assert record["kind"] == register.OWN_COUNT and record["grade"] == ""
    row = register.numbers_table(figs.records).frame.iloc[0]
    assert row["Figure"] == "12 reviews" and manifest.raw_file(REGISTER_FILE).title in row["Computed from"]
    # Only an own count is declared: a setting, a name or period follows from the figure's datasets and unit.
    with pytest.raises(ValueError, match="declared"):
        figs.glue("x", 1, unit="%", datasets=[SERIES], label="x", kind=register.SETTING)


def test_a_method_setting_shows_no_data_source_and_no_grade(figs):
    figs.glue("unknown_limit", 25, unit="%", datasets=[], label="Share above which the test is not made")
    record, = figs.records
    assert (record["kind"], record["grade"]) == (register.SETTING, "")
    row = register.numbers_table(figs.records).frame.iloc[0]
    assert (row["Figure"], row["Computed from"]) == ("25%", "the book's own method settings, not data")


def test_the_grade_is_not_printed_twice_when_the_text_or_label_already_says_it(figs):
    figs.glue("latest", "3.6 (third-party extract only)", unit="ratio", datasets=[SERIES], label="Ratio, latest")
    figs.glue("reviews", 5998, unit="reviews", datasets=[SERIES], fmt="{:,.0f}",
              label="Reviews completed, 2024/25 (third-party extract)")
    figs.glue("first", 63.4, unit="%", datasets=[SERIES],
              label="Trust, 2015/16, which the third-party extract gives")  # named, not given as a grade
    shown = _shown(figs)
    assert shown["latest"] == "3.6 (third-party extract only)"
    assert shown["reviews"] == "5,998 reviews"
    assert shown["first"] == "63% (third-party extract)"

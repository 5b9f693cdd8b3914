"""How the "Numbers in this chapter" tables show a figure: its unit only where it is a unit, singular for one, and
its source grade once, only for data."""

from __future__ import annotations

import pytest

from analysis.present import glue, register

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


def test_the_grade_is_not_printed_twice_when_the_text_or_label_already_says_it(figs):
    figs.glue("latest_year", "2025/26 (third-party extract only)", unit="CSEW year", datasets=[SERIES],
              label="Confidence: the latest year")
    figs.glue("period", "2024/25", unit="year", datasets=[SERIES], label="Year of the reviews (third-party extract)")
    figs.glue("first_year", "2015/16", unit="CSEW year", datasets=[SERIES],
              label="Trust: the first year, which the third-party extract gives")  # named, not given as a grade
    shown = _shown(figs)
    assert shown["latest_year"] == "2025/26 (third-party extract only)"
    assert shown["period"] == "2024/25"
    assert shown["first_year"] == "2015/16 (third-party extract)"

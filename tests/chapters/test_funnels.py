"""Force comparisons as funnels (issue 21 §2) and many tests controlled together (§3): the sentence under a chart
says where the force falls, never a rank, and a count of significant forces is adjusted for the family."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.chapters import c06_police_wrongdoing as c06
from analysis.methods import funnel
from analysis.present import funnels as drawn
from analysis.sources import forces


def figures(section) -> dict:
    return {f.key: f.value for f in section.figures}


def test_deaths_by_force_is_a_funnel_with_the_force_placed_not_ranked():
    section = c06.force_counts(highlight="kent")
    values = figures(section)
    assert "deaths_force_rank" not in values and "highest" not in values["deaths_force_funnel"]
    assert values["deaths_force_funnel"].startswith("Kent Police: 2.6 for deaths")
    assert values["deaths_force_funnel"].endswith(funnel.WITHIN + " around the median force")
    spec = section.chart.to_dict()
    assert spec["usermeta"]["pcp"]["name"] == "deaths-by-force" and "Funnel plot" in spec["description"]
    # The limits allow for the forces' spread beyond Poisson noise, and say so.
    assert values["deaths_funnel_phi"] > 1 and "random effects" in values["deaths_funnel_spread"]


def test_deaths_have_one_method_the_funnel_and_the_city_no_verdict_on_any_page():
    from analysis.chapters import at_a_glance as glance
    from analysis.measures import force_measures as fm

    section = c06.force_counts()
    values = figures(section)
    # No second test (against the rest of England and Wales) beside the funnel, in the figures or the data pack's table.
    assert not any(key.startswith("deaths_forces_") for key in values)
    assert not {"p_value", "against_rest", "against_rest_fdr"} & set(section.table.columns)
    table = c06.deaths_funnel().table.set_index("pfa_code")
    assert table.at[forces.CITY_OF_LONDON, "funnel"] == funnel.CITY_NOT_COMPARED
    rows = fm.all_forces()
    deaths = rows[rows["measure_id"] == "deaths_per_million"].set_index("force_code")
    assert deaths["vs_england_and_wales"].isna().all()
    met = glance.at_a_glance(forces.resolve("metropolitan-police")).table
    met_deaths = met[met["measure_id"] == "deaths_per_million"]["comparison"].iloc[0]
    assert "significantly" not in met_deaths and "95% limits around the median force" in met_deaths
    city = glance.at_a_glance(forces.resolve("city-of-london")).table
    city_deaths = city[city["measure_id"] == "deaths_per_million"].iloc[0]
    assert city_deaths["funnel_place"] is None and "naming no incident" in city_deaths["comparison"]
    assert not any(word in city_deaths["comparison"] for word in ("above", "below", "within"))


def test_search_rate_ratio_by_force_is_a_log_funnel_and_kent_gets_the_range_from_its_two_denominators():
    from analysis.chapters import c03_procedural_justice as c03

    section = c03.disproportionality_by_force(highlight="kent")
    values = figures(section)
    # Issue 21 quoted the old sentence: "11.5 (95% CI 10.6 to 12.5) ... 5th highest of 40 forces". On interpolated
    # residents Kent's ratio halves, and the gap is far wider than its interval: no funnel verdict, the range instead.
    assert "ss_force_rank" not in values
    assert values["ss_force_funnel"] == (
        "Kent Police: 5.5 for the Black/White search rate ratio in 2018/19 (interpolated residents), not compared: "
        "11.5 on the 2011 Census and 5.5 on interpolated residents, further apart in proportion than its 95% interval is wide")
    assert values["ss_funnel_within"] + values["ss_funnel_above_95"] + values["ss_funnel_below_95"] + \
        values["ss_funnel_uncertain"] == values["ss_forces_quotable"]
    assert section.chart.to_dict()["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"


def test_outcome_test_counts_forces_after_benjamini_hochberg_and_places_a_force_without_a_rank():
    from analysis.chapters import c05_contact_with_suspects as c05

    values = figures(c05.outcome_test(highlight="kent"))
    assert "ot_force_rank" not in values
    assert values["ot_forces_higher"] + values["ot_forces_lower"] + values["ot_forces_similar"] == values["ot_forces"]
    assert values["ot_forces_higher"] <= values["ot_forces_higher_unadjusted"]
    # Issue 35: 19.0 less 16.1 reads 2.9 but the unrounded gap is 2.83, so both shares, the gap and its interval
    # are given to one place more, and a reader subtracts the gap printed. The gap is the measure itself: printed as
    # the shares' own difference (2.9) it would disagree with its value rounded (2.8) on every other page.
    assert values["ot_force_verdict"].startswith("Kent Police: 18.98% of counted searches of Black people and 16.15% "
                                                 "of White people")
    # Not significant before the correction either: no "higher", and no "once controlled together" (review 8, S4).
    assert ("a difference of 2.83 percentage points, Black minus White (95% interval of the difference \u22120.20 to "
            "6.17); not significantly different, before or after the 29 forces' tests are controlled together") in \
        values["ot_force_verdict"]
    assert "higher" not in values["ot_force_verdict"]
    assert "similar" not in values["ot_force_verdict"]


def test_a_survey_estimate_is_placed_by_ons_test_never_ranked():
    from analysis.chapters import c07_what_else_matters as c07

    values = figures(c07.asb_by_force(highlight="kent"))
    # Issue 21 quoted the old sentence: "22nd highest of 42 areas (37.1%)".
    assert "asb_force_rank" not in values
    assert values["asb_force_verdict"] == ("Kent Police: 37.1%, not significantly different from England and Wales "
                                           "(37.8%) by ONS's test; "
                                           "against 2017/18, no significant change by ONS's test")


def test_the_asb_change_on_the_year_before_is_ons_flag_from_table_p6():
    from analysis.chapters import c07_what_else_matters as c07

    values = figures(c07.asb_by_force())
    # Issue 21: the book said the change "cannot be said" to be significant; Table P6 flags it.
    assert values["asb_national_change"] == "a significant rise"
    assert (values["asb_areas_rose"], values["asb_areas_fell"]) == (13, 0)  # 12 forces and London's combined row
    flags = c07.asb_change_flags(2019)
    assert flags.index.is_unique and flags[c07.LONDON] == "a significant rise"


def test_recorded_crime_by_force_is_placed_on_a_funnel_never_ranked_and_claims_no_freedom_from_chance():
    from analysis.chapters import c07_what_else_matters as c07
    from analysis.measures import force_measures

    section = c07.recorded_crime_funnel(highlight="kent")
    values = figures(section)
    assert not any("rank" in key for key in values) and "crime24_force_funnel" not in figures(c07.recorded_crime_map())
    assert values["crime25_force_funnel"].startswith(
        "Kent Police: 83.0 for recorded crime per 1,000 residents (mid-2024), year ending June 2025, within the 95% "
        "limits around the median force (forces differ about")
    assert values["crime25_funnel_within"] + values["crime25_funnel_above_95"] + values["crime25_funnel_below_95"] == 42
    # The chapter draws the funnel whose places the measures table (so the dashboard and briefing) gives.
    table = force_measures.all_forces()
    crime = table[table["measure_id"] == "recorded_crime_per_1000"].set_index("force_code")
    drawn = section.table.set_index("pfa_code")["funnel"].map(force_measures.FUNNEL_PLACES)
    assert forces.CITY_OF_LONDON not in drawn.index  # no rate: too few residents
    assert crime["funnel_place"].reindex(drawn.index).tolist() == drawn.tolist()
    assert section.chart is not None and min(section.table["low_0.998"]) > 0
    chart = c07.force_section("kent").chart.to_dict()
    assert "no confidence interval" not in json.dumps(chart) and "highest" not in chart["description"]
    city = c07.force_section("city-of-london").table.frame
    assert city.iloc[0, -1].endswith("(London's combined figure)")


def test_the_appendix_glues_the_funnel_settings_its_method_text_quotes():
    from analysis.chapters import appendix

    values = figures(appendix.methods())
    assert (values["funnel_inner"], values["funnel_outer"], values["winsor_low"], values["winsor_high"]) == \
        (95, 99.8, 10, 90)


def test_deaths_to_2024_25_are_a_separate_series_with_the_revisions_counted():
    from analysis.chapters import c06_police_wrongdoing as c06

    section = c06.deaths_to_2025()
    values = {f.key: f.value for f in section.figures}
    assert values["deaths25_total"] == 153 and values["deaths25_year"] == "2024/25"
    assert values["deaths25_peak"] == 288 and values["deaths25_peak_year"] == "2017/18"
    series = max(section.chart.to_dict()["datasets"].values(), key=len)
    assert {r["series"] for r in series} == {"IOPC 2019/20 edition", "to 2024/25 (third-party extract)"}
    # 2019/20 differs between the editions (206 against 202), so the years both cover are not joined into one.
    official = {r["year"]: r["value"] for r in series if r["series"] == "IOPC 2019/20 edition"}
    assert official[2020] == 206 and values["deaths25_revised_range"].endswith("to 7")


def test_complaint_reviews_sit_on_a_proportion_funnel_and_an_edition_is_placed_not_ranked():
    from analysis.chapters import c06_police_wrongdoing as c06

    values = {f.key: f.value for f in c06.review_outcomes("kent").figures}
    assert values["reviews_total"] == 5_998 and values["reviews_overturned"] == 1_480
    assert values["reviews_force_funnel"].startswith(
        "Kent Police: 18.6% of IOPC reviews of complaint outcomes upheld")  # its unit as a unit, never "(%)"
    assert values["reviews_force_funnel"].endswith("within the 95% limits around the median force")
    assert "(third-party extract)" in values["reviews_force_funnel"]
    assert "within the 95% limits" in values["reviews_force_funnel"] and "th highest" not in values[
        "reviews_force_funnel"]
    # "above_95" and "below_95" include the forces beyond the 99.8% limits.
    # The City of London's 3 reviews (1 upheld) are too few to place (the minimum-count rule): 42 forces placed.
    assert sum(values[f"reviews_funnel_{k}"] for k in ("within", "above_95", "below_95")) == 42
    assert values["reviews_too_few"] == "City of London Police (3 reviews, 1 upheld)"
    city = {f.key: f.value for f in c06.review_outcomes("city-of-london").figures}["reviews_force_funnel"]
    assert city.endswith(funnel.TOO_FEW_TO_PLACE) and "around" not in city


def test_the_newest_search_year_is_given_nationally_with_its_grade_and_btp_apart():
    from analysis.chapters import c05_contact_with_suspects as c05
    from analysis.sources import manifest

    figures = {f.key: f for f in c05.newest_year().figures}
    assert figures["sr25_total"].value == 513_474 and figures["sr25_btp"].value == 15_108
    assert round(figures["bw25_ew"].value, 1) == 3.6 and figures["bw25_ew_ci"].value == "3.6 to 3.7"
    assert manifest.lowest_grade(figures["bw25_ew"].datasets) == "third-party extract"


def test_use_of_force_by_force_is_a_funnel_on_interpolated_residents_with_the_range_where_they_disagree():
    from analysis.chapters import c05_contact_with_suspects as c05

    section = c05.use_of_force(highlight="kent")
    values = figures(section)
    assert "uof_force_rank" not in values
    assert values["uof_force_funnel"].startswith("Kent Police: 2.7 for the Black/White ratio of use of force")
    assert "6.0 on the 2011 Census and 2.7 on interpolated residents" in values["uof_force_funnel"]
    assert values["uof_ratio"] < values["uof_ratio_official"]
    # Every force with a ratio is placed, or not placed for its denominators; the City of London is not compared (as on
    # every funnel of rates per resident), nor counted among the forces, and the measures table holds that reason.
    assert values["uof_funnel_within"] + values["uof_funnel_above_95"] + values["uof_funnel_below_95"] + \
        values["uof_funnel_uncertain"] == values["uof_forces"]
    assert "per resident, the City of London's figures say little" in figures(
        c05.use_of_force(highlight="city-of-london"))["uof_force_funnel"]
    spec = section.chart.to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    # Drawn as its verdicts are (review 6, R1; review 7): the unplaced hollow, the City left out, both said on screen.
    subtitle = " ".join(spec["title"]["subtitle"])
    for note in (drawn.CITY_LEFT_OUT, drawn.HOLLOW):
        assert note in subtitle
    assert forces.CITY_OF_LONDON not in json.dumps(spec["datasets"])
    assert [layer["mark"].get("filled") for layer in spec["layer"] if layer["mark"]["type"] == "point"] == [True, False]


def test_national_search_totals_say_british_transport_police_is_left_out():
    from analysis.chapters import c05_contact_with_suspects as c05

    chart = c05.search_volumes().chart.to_dict()
    assert "British Transport Police not included" in " ".join(chart["title"]["subtitle"])
    assert "not British Transport Police" in chart["description"]


def test_the_appendix_writes_the_interpolation_the_rule_for_counts_and_the_hot_spot_chance():
    import nbformat

    from analysis import config
    from analysis.chapters import appendix

    values = figures(appendix.methods())
    assert (values["census_2011_day"], values["census_2021_day"]) == ("27 March 2011", "21 March 2021")
    assert values["hotspot_simulations"] == config.HOTSPOT_SIMULATIONS
    text = "".join(c.source for c in nbformat.read(config.REPO_ROOT / "book" / "appendix-data-and-methods.ipynb", 4)
                   .cells if c.cell_type == "markdown")
    assert "Residents between the censuses" in text and "30 September" in text
    assert "Counts of events and counts of stock: one rule" in text and "no sampling error" not in text
    assert "{glue:}`hotspot_simulations`" in text


def test_the_city_of_london_is_neither_tested_nor_placed_on_the_search_ratio_funnel():
    from analysis.chapters import c03_procedural_justice as c03

    values = figures(c03.disproportionality_by_force(highlight="city-of-london"))
    assert values["ss_force_funnel"].endswith(funnel.CITY_NOT_COMPARED)
    assert values["ss_forces_quotable"] == 39  # 40 forces with enough searches, less the City


def test_the_2024_25_search_funnel_is_drawn_in_chapter_5_and_is_the_one_the_measures_table_places_forces_on():
    from analysis.chapters import c05_contact_with_suspects as c05
    from analysis.measures import force_measures

    section = c05.newest_rate_funnel(highlight="kent")
    values = figures(section)
    assert values["sr25_force_funnel"].startswith("Kent Police: 8.0 for searches per 1,000 residents (mid-2024) in "
                                                  "2024/25, within the 95% limits around the median force")
    assert section.chart.to_dict()["usermeta"]["pcp"]["name"] == "search-rate-funnel-2025"
    table = force_measures.all_forces()
    rows = table[(table["measure_id"] == "searches_per_1000") & (table["period"] == "2024/25")].set_index("force_code")
    drawn = section.table.set_index("pfa_code")["funnel"].drop(forces.CITY_OF_LONDON).map(force_measures.FUNNEL_PLACES)
    assert rows["funnel_place"].reindex(drawn.index).tolist() == drawn.tolist()
    assert values["sr25_funnel_within"] + values["sr25_funnel_above_95"] + values["sr25_funnel_below_95"] == 42
    assert section.table["low_0.998"].min() > 0  # no limit below zero
    # Centred on the median force's 5.2 per 1,000, not the pooled 8.3 the Met pulls up: around the pooled rate 14
    # forces were below the 95% limit and 2 above; around the median force none is below it.
    compared = section.table[section.table["pfa_code"] != forces.CITY_OF_LONDON]
    assert values["sr25_median_force"] == rows["funnel_centre_value"].dropna().iloc[0]
    assert values["sr25_median_force"] == pytest.approx(compared["value"].median(), abs=1e-3)  # the table's 3 places
    assert values["sr25_met_share"] > values["sr25_met_residents"]  # why the pooled rate is above the median
    assert (values["sr25_funnel_above_95"], values["sr25_funnel_below_95"]) == (5, 0)
    assert set(rows["funnel_centre"].dropna()) == {force_measures.CENTRE_MEDIAN}
    assert (rows["median_force"] == values["sr25_median_force"]).all()


def test_black_white_funnels_are_centred_on_england_and_wales_without_the_met_and_the_table_gives_that_comparator():
    from analysis.chapters import c03_procedural_justice as c03
    from analysis.measures import force_measures

    older = figures(c03.disproportionality_by_force(highlight="lancashire"))
    assert older["ss_force_funnel"].startswith("Lancashire Constabulary: 2.8 for the Black/White search rate ratio")
    assert "around England and Wales excluding the Met" in older["ss_force_funnel"]
    newer = c03.search_ratio_map(highlight="lancashire")
    assert "around England and Wales excluding the Met" in figures(newer)["ss23_force_funnel"]
    # Without the Met the 2018/19 ratio is about half England and Wales's (8.0): the Met's searches make the total.
    assert round(older["ss_bw_excl_met"], 1) == 4.2
    table = force_measures.all_forces()
    ratios = table[table["measure_id"] == "bw_search_ratio"]
    assert ratios["england_and_wales_excluding_met"].notna().all()
    by_period = ratios.groupby("period")["england_and_wales_excluding_met"].first().round(1).to_dict()
    assert by_period["2018/19"] == 4.2 and by_period["2022/23"] == round(figures(newer)["ss23_bw_excl_met"], 1)


def test_a_survey_verdict_that_rests_on_holms_correction_says_so():
    from analysis.chapters import c01_trust_and_confidence as c01

    values = figures(c01.confidence_by_group())
    assert values["conf_2018_black_vs_all"] == ("not significantly different from all adults after Holm's correction "
                                                "across 14 groups (p = 0.022 before it)")
    assert values["fair_2018_black_vs_all"] == "significantly lower than all adults"


def test_the_2022_23_black_white_verdicts_have_their_funnel_drawn_from_the_same_fit():
    # Issue 35: every verdict printed has a drawn funnel; the map's section gives the 2022/23 places, this draws them.
    from analysis.chapters import c03_procedural_justice as c03

    drawn = c03.search_ratio_funnel_2023(highlight="kent")
    placed = figures(c03.search_ratio_map(highlight="kent"))
    assert drawn.chart is not None
    verdicts = drawn.table["funnel"]
    assert (verdicts == funnel.WITHIN).sum() == placed["ss23_funnel_within"]
    assert "around England and Wales excluding the Met" in placed["ss23_force_funnel"]


@pytest.mark.parametrize("force", ["city-of-london", "metropolitan-police"])
def test_the_city_s_and_the_met_s_deaths_say_their_counts_may_hold_the_same_deaths(force):
    from analysis.measures import force_measures as fm

    sentence = next(x.value for x in c06.force_counts(force).figures if x.key == "deaths_force_funnel")
    # The City's row says why it is not placed, shared deaths among the reasons; the Met's is placed, with the note.
    assert sentence.endswith(fm.DEATHS_CITY if force == "city-of-london" else fm.SHARED_DEATHS)
    kent = next(x.value for x in c06.force_counts("kent").figures if x.key == "deaths_force_funnel")
    assert fm.SHARED_DEATHS not in kent
    # The same rule on the force's first page and briefing (one rule wherever the figure is shown).
    from analysis.chapters import at_a_glance as glance

    table = glance.at_a_glance(forces.resolve(force)).table
    row = table[table["measure_id"] == "deaths_per_million"].iloc[0]
    assert (fm.DEATHS_CITY if force == "city-of-london" else fm.SHARED_DEATHS) in row["comparison"]


def test_an_arrest_gap_loses_significance_to_the_correction_only_where_it_had_it():
    from analysis.chapters import c05_contact_with_suspects as c05
    from analysis.measures import force_measures as fm

    row = pd.Series({"reason": None, "force": "A Police", "period": "2018/19", "black_value": 20.0,
                     "white_value": 16.0, "ci_low": 0.4, "ci_high": 7.6, "vs_parity": fm.AT_PARITY})
    said = c05._outcome_sentence(row, 29)
    # Its interval leaves out 0, so it was significant before the forces' tests were controlled together.
    assert said.endswith("not significantly different once the 29 forces' tests are controlled together "
                         "(Benjamini-Hochberg)") and "higher" not in said
    significant = row.copy()
    significant["vs_parity"] = fm.ABOVE_PARITY
    assert "4.0 percentage points higher for Black people" in c05._outcome_sentence(significant, 29)

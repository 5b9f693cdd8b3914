"""The at-a-glance dashboard: rows for a large, a small, a Welsh force and the City of London; highlights."""

from __future__ import annotations

from decimal import Decimal

import json

import pytest

from analysis.chapters import at_a_glance as glance
from analysis.chapters import c02_neighbourhood_policing as c02
from analysis.chapters import c07_what_else_matters as c07
from analysis.chapters import common
from analysis.measures import force_measures as fm
from analysis.measures import force_series
from analysis.present import maps
from analysis.present.numbers import fmt_compared, fmt_number
from analysis.sources import forces

# Newest first where a newer figure exists; a period from a third-party extract or a transcription says so.
PERIODS = {"2018/19", "2022/23 (transcribed)", "31 March 2023", "year ending June 2025", "2004/05 to 2019/20",
           "2024/25 (third-party extract)", "31 March 2026 (third-party extract)"}


@pytest.mark.parametrize("force", ["metropolitan-police", "warwickshire", "dyfed-powys", "city-of-london"])
def test_every_row_is_dated_and_readable(force):
    section = glance.at_a_glance(forces.resolve(force))
    rows = section.table
    assert len(rows) >= 8 and set(rows["period"]) >= PERIODS
    shown = glance.table(section).frame
    text = shown.to_string()
    assert "…" not in text and "NaN" not in text and "nan" not in text
    assert list(shown.columns) == list(glance.HEADERS.values())
    # Counts print as integers: "72 deaths", never "72.0".
    deaths = rows[rows["measure"].str.startswith("Deaths") & rows["measure"].str.contains("per million")].iloc[0][
        "comparison"]
    assert deaths.split(" deaths")[0].isdigit()


def test_the_city_of_london_gets_its_caveat_and_no_peers():
    section = glance.at_a_glance(forces.resolve("city-of-london"))
    values = {f.key: f.value for f in section.figures}
    assert "outlier" in values["g_outlier_note"] and glance.peer_table(section) is None
    assert "no comparable force" in values["g_peer_phrase"] and "no comparable force" in values["g_peer_intro"]
    assert "marked and named" not in values["g_slope_note"]  # the City is left out of the ranked charts
    crime = section.table[section.table["measure"].str.startswith("Recorded crime")]
    assert (crime["force"] == "no published figure").all()
    assert "too few residents" in crime.loc[crime["period"] == "year ending June 2025", "comparison"].iloc[0]
    # Per resident, the City's figures are not tested against England and Wales: no "higher than".
    per_resident = section.table[section.table["measure"].str.contains("per 1,000 residents|per 100,000|per million")]
    assert len(per_resident) >= 4 and not per_resident["comparison"].str.contains("higher|lower").any()


def test_the_comparable_forces_table_dates_each_measure_and_gives_the_forces_figure_as_the_peers_are_given():
    peers = glance.peer_table(glance.at_a_glance(forces.resolve("northamptonshire"))).frame
    assert list(peers.columns[:2]) == ["Measure", "This force"] and len(peers.columns) == 2 + 6
    # Each measure is dated, an old one flagged (config.STALE_YEARS).
    assert peers["Measure"].str.endswith(tuple(PERIODS) + tuple(f"{p} ({glance.OLD})" for p in PERIODS)).all()
    assert not peers["This force"].str.contains("CI").any()
    # Long county names may break before "shire" (a soft hyphen), so six fit side by side.
    assert "Gloucester\u00adshire" in peers.columns


def test_london_forces_share_the_combined_asb_row():
    for force in ("metropolitan-police", "city-of-london"):
        asb = glance.at_a_glance(forces.resolve(force)).table
        row = asb[asb["measure"].str.contains("anti-social")].iloc[0]
        assert row["force"] == "42.0" and c07.LONDON_NAME in row["comparison"]


def test_significance_wording_or_no_sampling_error():
    rows = glance.at_a_glance(forces.resolve("dyfed-powys")).table.set_index("measure")["comparison"]
    assert "no sampling error" in rows["Police officers per 100,000 residents"]
    # A gap in a rate is in the rate's unit, not a headcount: "17 PCSOs per 100,000 residents above …".
    assert " per 100,000 residents " in rows["PCSOs per 100,000 residents"].split(" the median")[0]
    # Rates of events: where the force falls on the funnel, never against the rest of England and Wales.
    for measure in ("Stop and searches per 1,000 residents", "Stop and searches per 1,000 residents (mid-2024 "
                    "population)", "Deaths during or following police contact, per million residents a year"):
        assert "within the 95% limits around the median force" in rows[measure]
        assert "rest of England and Wales" not in rows[measure]
    met = glance.at_a_glance(forces.resolve("metropolitan-police")).table.set_index(["measure", "period"])["comparison"]
    # Around the median force, not a pooled rate its own searches pull up, the Met's 20.6 per 1,000 is above the
    # 99.8% limit (issue 35).
    assert met[("Stop and searches per 1,000 residents", "2018/19")].startswith(
        "above the 99.8% limit around the median force")


def test_the_gap_to_the_median_is_unrounded_and_agrees_with_the_figures_shown():
    # Issue 35: 7.4 and 12.6 show as 7 and 13, a reader subtracts 6 but the unrounded gap is 5.2, so the row shows
    # both figures and the gap to one more place: 7.4 and 12.6, 5.2 below.
    assert glance._count_wording(7.4, 12.6, "PCSOs per 100,000 residents") == (
        "7.4", "12.6", ["5.2 PCSOs per 100,000 residents below the median force", glance.NO_SAMPLING])
    assert glance._count_wording(85.94, 77.16, "offences per 1,000", 1)[:2] == ("85.94", "77.16")
    assert glance._count_wording(85.94, 77.16, "offences per 1,000", 1)[2][0] == (
        "8.78 offences per 1,000 above the median force")
    # Kent's 215.6 officers against 200.2 (review 3): never "216 ... 200 ... 15.4 above".
    assert glance._count_wording(215.6, 200.2, "officers per 100,000 residents")[:2] == ("215.6", "200.2")
    assert glance._count_wording(216.4, 200.1, "officers per 100,000 residents") == (
        "216", "200", ["16 officers per 100,000 residents above the median force", glance.NO_SAMPLING])
    assert glance._count_wording(12.6, 13.4, "officers per 100,000 residents")[2][0] == (
        "0.8 officers per 100,000 residents below the median force")
    assert glance._count_wording(13.4, 13.4, "officers per 100,000 residents")[2][0] == "the same as the median force"
    # A gap that prints as 0 (Lancashire's PCSOs, 15.04 against 15.0) is no gap a reader sees: never "0.0 above".
    assert glance._count_wording(15.04, 15.0, "PCSOs per 100,000 residents")[2][0] == (
        "about the same as the median force")
    assert glance._count_wording(14.4, 13.4, "officers per 100,000 residents")[2][0] == (
        "1 officer per 100,000 residents above the median force")


def test_the_dashboard_shows_the_figures_the_gap_to_the_median_is_subtracted_from():
    for slug in ("kent", "lancashire", "north-yorkshire"):
        rows = glance.measures(forces.resolve(slug))[0]
        staff = rows[rows["measure_id"].isin(["officers_per_100k", "pcsos_per_100k"]) & (rows["force"] != "")]
        for _, row in staff.iterrows():
            words = row["comparison"].split(";")[0]
            assert "0.0" not in words and not words.startswith("0 "), words
            if "median force" in words and "same" not in words:
                gap = words.split()[0]
                assert abs(_read(row["force"]) - _read(row["median_force"])) == _read(gap), (slug, dict(row))


def _read(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_the_force_is_highlighted_and_named_on_a_ranked_chart_and_a_map():
    chart = json.dumps(c02.workforce_by_force(highlight="kent").chart.to_dict())
    assert '"marker": "Kent"' in chart
    slope = json.dumps(glance.ski_slopes(forces.resolve("kent"))[0].to_dict())
    # Named with its value, never its place in a league; the dashed line is the median force, not a Met-led total.
    assert "Kent" in slope and "rank" not in slope and "of 42" not in slope and "the median force" in slope
    peers = json.dumps(maps.force_and_peers_map("E23000032", ["E23000012"]).to_dict())
    assert "E23000032" in peers and "url" not in json.loads(peers).get("data", {})
    crime_map = json.dumps(c07.recorded_crime_map(highlight="kent").chart.to_dict())
    assert "Kent" in crime_map


def test_the_newest_figures_come_first_marked_with_their_grade_and_each_stock_says_how_it_changed():
    section = glance.at_a_glance(forces.resolve("kent"))
    rows = section.table.set_index(["measure", "period"])
    officers = rows.loc[("Police officers per 100,000 residents (mid-2024 population)",
                         "31 March 2026 (third-party extract)")]
    # 215.5 against the median force's 200.1 (both to one place more): the 15.4 above is what a reader subtracts.
    assert officers["force"] == "215.5" and officers["england_and_wales"] == "236; excluding the Met: 217"
    assert "4,163 officers (FTE), down from 4,203 officers (FTE) at 31 March 2023" in officers["comparison"]
    pcsos = rows.loc[("PCSOs per 100,000 residents", "31 March 2023")]
    assert "136 PCSOs (FTE), down from 287 PCSOs (FTE) at 31 March 2022" in pcsos["comparison"]
    ratios = section.table[section.table["measure"].str.startswith("Black/White")]["period"].tolist()
    assert ratios == ["2024/25 (third-party extract)", "2022/23 (transcribed)", "2018/19"]
    deaths = rows.loc[("Deaths during or following police contact, England and Wales (a year)",
                       "2024/25 (third-party extract)")]
    assert deaths["england_and_wales"] == "153" and deaths["force"] == "not in this data by force"
    values = {f.key: f for f in section.figures}
    assert values["g_officers26_ew"].value == pytest.approx(236.04, abs=0.01)
    assert values["g_bw25_label"].value == "2.6 (95% CI 2.4 to 2.8)" and values["g_deaths25_ew"].value == 153
    assert "third-party extract" in {glance.manifest.lowest_grade(values[k].datasets)
                                     for k in ("g_officers26", "g_bw25_ew", "g_deaths25_ew", "g_search_rate25")}


@pytest.mark.parametrize("force, says", [
    ("kent", "This edition has no survey of Kent Police's own"),
    ("metropolitan-police", "MOPAC Public Attitude Survey"),
    ("dyfed-powys", "National Survey for Wales")])
def test_the_page_opens_with_what_is_known_of_confidence_in_the_force(force, says):
    """Issue 35: the national figure with its period, why no force figure, and the force's own survey where it has
    one, flagged when old (the Met's PAS to December 2023)."""
    values = {f.key: f.value for f in glance.at_a_glance(forces.resolve(force)).figures}
    note = values["g_confidence_note"] + " " + values["g_own_survey_note"]
    assert "ONS publishes Crime Survey for England and Wales estimates of confidence for each police force area" in note
    assert "does not publish it by force" not in note and says in note
    assert values["g_conf_national"].startswith("In England and Wales, ")
    assert "had confidence in their local police in 20" in values["g_conf_national"]
    old = "2 or more years older than the newest national one"
    assert (old in values["g_own_survey_note"]) == (force == "metropolitan-police")


def test_no_page_a_commissioner_reads_shows_a_build_command():
    from analysis.chapters import c01_trust_and_confidence as c01
    from analysis.chapters import c04_contact_with_victims as c04
    from analysis.chapters import common

    notes = [c01.not_supplied("kent"), c04.force_section("kent").note,
             common.policeuk_not_supplied("kent", "hot spots")]
    for note in notes:
        assert "make " not in note and "README" not in note and "POLICEUK=" not in note
        assert "appendix" in note


def test_the_officers_sentence_sets_the_force_beside_the_median_force_of_its_measures_row():
    sentence = next(f.value for f in c02.officers_map("kent").figures if f.key == "off_map_force_median")
    row = common.measure_row("kent", "officers_per_100k", "31 March 2023")  # chapter 2's map: the official table
    mine, median, _ = fmt_compared(row["value"], row["median_force"])
    assert f"Kent Police: {mine} police officers" in sentence and f"against {median} in the median force" in sentence
    assert "highest" not in sentence
    slope = glance.ski_slopes(forces.resolve("kent"))[0].to_dict()["description"]
    rows = glance.at_a_glance(forces.resolve("kent")).table
    newest = rows[rows["measure_id"] == "officers_per_100k"].iloc[0]
    assert newest["period"] == "31 March 2026 (third-party extract)" and newest["period"] in slope
    # The gap to the median subtracts from the printed figures, so Kent's 215.5 may take a place more than the chart.
    assert "highest of" not in slope and "against 199.5 in the median force (16.0 above)" in slope
    city = next(f.value for f in c02.officers_map("city-of-london").figures if f.key == "off_map_force_median")
    assert "left out" in city and "no published figure" not in city
    assert glance.ski_slopes(forces.resolve("city-of-london"))[0].to_dict()["description"].startswith("Column chart")


def test_the_city_s_caveat_names_rates_that_are_many_times_other_forces():
    from analysis.measures import force_measures

    assert "such as its officers and searches, are many times other forces'" in glance.outlier_note(
        forces.CITY_OF_LONDON)
    table = force_measures.all_forces()
    for measure in ("officers_per_100k", "searches_per_1000"):
        for _, rows in table[table["measure_id"] == measure].groupby("period", sort=False):
            values = rows.set_index("force_code")["value"]
            others = values.drop(forces.CITY_OF_LONDON)
            assert values[forces.CITY_OF_LONDON] > 3 * others.max()


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "city-of-london", "south-wales", "lancashire",
                                   "north-yorkshire"])
def test_no_cell_of_the_key_measures_or_the_comparable_forces_prints_a_placeholder(force):
    """Issue 35: a missing figure says why in words ("not given by the source", "no figure by force"), never "–"."""
    f = forces.resolve(force)
    section = glance.at_a_glance(f)
    shown = [glance.table(section).html] + ([] if (peers := glance.peer_table(section)) is None else [peers.html])
    for page in shown:
        assert "–<" not in page and ">–" not in page and ">nan<" not in page


def test_small_trends_run_to_the_newest_period_with_breaks_drawn_apart():
    f = forces.resolve("north-yorkshire")
    trend = glance.trends(f)
    newest = trend.groupby("measure")["year"].max()
    # The ratio and the searches run to 2024/25, officers to 31 March 2026: the newest periods the dashboard gives.
    assert sorted(newest.to_list()) == [2023, 2025, 2025, 2026]
    bw = trend[trend["measure"].str.startswith("Black/White")]
    # Interpolated residents, then 2022/23 and 2024/25 on Census 2021: three runs an area, never joined.
    assert (bw.groupby("pfa_code")["segment"].nunique() == 3).all()
    # A figure after a break or a missing year is a run of one year: drawn as a point, never joined to the series
    # before it.
    runs = trend.groupby(["measure", "segment"])["year"].apply(list)
    newer = [years for years in runs if max(years) in (2025, 2026)] + [
        years for (measure, _), years in runs.items() if measure.startswith("Black/White") and 2023 in years]
    assert len(newer) == 2 * 4 and all(len(years) == 1 for years in newer)
    # Every other run is years in a row.
    assert all(years == list(range(years[0], years[0] + len(years))) for years in runs)
    spec = json.dumps(glance.trend_chart(f, trend).to_dict())
    assert '"detail": {"field": "line"' in spec


def test_small_trends_are_the_force_series_rows_hollow_years_left_out():
    f = forces.resolve("kent")
    trend = glance.trends(f)
    for measure_id, label in zip(glance.TRENDS, dict.fromkeys(trend["measure"]), strict=True):
        rows = force_series.for_areas(measure_id, [f.code, forces.ENGLAND_AND_WALES])
        rows = rows[rows["value"].notna() & ~rows["hollow"]]
        drawn = trend[trend["measure"] == label].sort_values(["pfa_code", "year"], kind="stable")
        assert drawn["pfa_code"].tolist() == rows["force_code"].tolist(), measure_id
        assert drawn["year"].tolist() == rows["year_ending"].tolist(), measure_id
        assert drawn["value"].tolist() == pytest.approx(rows["value"].tolist()), measure_id
    # The chart cites every dataset its series come from, the newest periods' too.
    source = json.dumps(glance.trend_chart(f, trend).to_dict())
    assert "SS_20" in source and "Justice Pipeline" in source


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "city-of-london", "south-wales", "lancashire",
                                   "north-yorkshire"])
def test_the_wide_funnel_caveat_is_said_once_under_the_table_and_marked_in_its_rows(force):
    """Issue 35: a row on a wide funnel carries a mark, the note under the table says what such limits mean once,
    naming each marked row's measure and overdispersion factor (values of the measures table); no cell repeats it."""
    f = forces.resolve(force)
    section = glance.at_a_glance(f)
    rows = section.table
    marked = rows[rows["funnel_caveat"].notna()]
    html = glance.table(section).html
    for caveat in set(marked["funnel_caveat"]):
        assert caveat not in html
    assert (rows["comparison"].str.contains(glance.WIDE, regex=False) == rows["funnel_caveat"].notna()).all()
    note = next(x.value for x in section.figures if x.key == "g_wide_note")
    if marked.empty:
        assert note == ""
        return
    assert note.startswith(glance.WIDE_MARK) and note.count(glance.WIDE_MARK) == 1
    for _, row in marked.iterrows():
        assert f"{row['period']}: about {fmt_number(row['funnel_phi'], 0)} times" in note
    assert "not unusual" in note
    # A period's grade is bracketed already: the note puts no bracket round it (review 8, S9).
    depth = 0
    for ch in note:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert depth <= 1, note


@pytest.mark.parametrize("force", ["kent", "lancashire"])
def test_the_dashboard_never_calls_a_non_significant_comparison_similar(force):
    section = glance.at_a_glance(forces.resolve(force))
    assert not section.table["comparison"].str.contains("similar").any()


def test_small_trends_stack_one_panel_a_row_so_a_phone_shows_them_unscaled():
    f = forces.resolve("kent")
    spec = glance.trend_chart(f, glance.trends(f)).to_dict()
    assert spec["columns"] == 1


def test_the_mets_survey_row_is_flagged_old_and_its_change_says_how_it_was_tested():
    """Review 3: the PAS ends December 2023, over config.STALE_YEARS behind the page's newest; 49% to 47% is not a
    significant fall once tested at the rounding's bounds."""
    table = glance.at_a_glance(forces.resolve("metropolitan-police")).table
    pas = table[table["measure_id"] == "own_survey"].iloc[0]
    assert bool(pas["old"]) and pas["change_verdict"] == "no significant change"
    assert "smallest difference the published whole per cents allow" in pas["change_test"]
    assert pas["comparison"].endswith(f"(49%){glance.TESTED_MARK}")


def test_every_tested_change_is_marked_and_the_note_says_once_how_and_a_corrected_verdict_gives_p_before_it():
    section = glance.at_a_glance(forces.resolve("north-yorkshire"))
    table = section.table
    ratio = table[table["measure_id"] == "bw_search_ratio"].iloc[0]
    # It moved (2.8 to 6.5); the test finds the move not significant once the forces' spread is allowed for, and that
    # verdict rests on the correction: p to two figures before it, and the adjusted value after.
    assert (f"up from 2.8 in 2022/23, {fm.WITHIN_SPREAD} after the Benjamini-Hochberg correction across 40 forces "
            f"(p = 0.0013 before it, 0.051 after){glance.TESTED_MARK}") in ratio["comparison"]
    note = next(x.value for x in section.figures if x.key == "g_change_note")
    marked = table[table["comparison"].str.contains(glance.TESTED_MARK)]
    assert note.startswith(glance.TESTED_MARK) and len(marked) >= 2
    for test in marked["change_test"]:
        assert test in note and note.count(test) == 1


def test_a_force_whose_rate_per_resident_is_not_compared_draws_its_own_counts_without_england_and_wales():
    """Review N8: where the measures table gives a force's rate per resident no comparison for a reason read by its
    count (key_points.BY_COUNT), its panel is the force's count of events each period, with no England and Wales line;
    a measure with no count (the ratio) has no panel."""
    f = forces.resolve("city-of-london")
    counted = glance.by_count(f)
    mine = fm.for_force(f)
    assert set(counted) == set(mine.loc[mine["reason"].isin(list(glance.key_points.BY_COUNT)), "measure_id"]) & set(
        glance.TRENDS)
    assert {"searches_per_1000", "officers_per_100k", "pcsos_per_100k"} <= set(counted)
    trend = glance.trends(f)
    assert set(trend["pfa_code"]) == {f.code}
    labels = list(dict.fromkeys(trend["measure"]))
    for measure_id in counted:
        rows = force_series.for_areas(measure_id, [f.code])
        rows = rows[rows["events"].notna()]
        if rows.empty:
            continue  # no count: no panel (the ratio, below)
        panel = trend[trend["measure"].str.startswith(glance._count_label(measure_id))]
        assert panel["year"].tolist() == rows["year_ending"].tolist(), measure_id
        assert panel["value"].tolist() == pytest.approx(rows["events"].tolist()), measure_id
    # The ratio has no count of its own: no panel, rather than a rate the book does not compare.
    assert not any(m.startswith("Black/White") for m in labels)
    # The newest officers' count (a third party's extract) is drawn apart from the official counts.
    officers = trend[trend["measure"].str.startswith("Police officers")]
    assert officers["year"].max() == int(force_series.for_areas("officers_per_100k", [f.code])["year_ending"].max())
    assert officers.groupby("segment")["year"].size().min() == 1 and officers["segment"].nunique() == 2
    spec = glance.trend_chart(f, trend).to_dict()
    text = json.dumps(spec["title"])
    assert "England and Wales in vermilion" not in text and "against England and Wales" not in text
    assert "hundreds of thousands work in or visit it" in text
    # Counts set only beside their own past start at 0: a cut axis would overstate a change (review 8, S7).
    assert spec["spec"]["layer"][0]["encoding"]["y"]["scale"]["zero"] is True


@pytest.mark.parametrize("force", ["kent", "metropolitan-police", "north-yorkshire"])
def test_an_ordinary_forces_panels_are_its_rates_against_england_and_wales(force):
    f = forces.resolve(force)
    assert glance.by_count(f) == {}
    trend = glance.trends(f)
    assert (trend.groupby("measure")["pfa_code"].nunique() == 2).all()
    spec = glance.trend_chart(f, trend).to_dict()
    assert " ".join(spec["title"]["text"]) == f"{f.short_name} against England and Wales over time"
    assert "England and Wales in vermilion" in " ".join(spec["title"]["subtitle"])
    assert not trend["measure"].str.contains(" alone, ").any()
    assert spec["spec"]["layer"][0]["encoding"]["y"]["scale"]["zero"] is False  # rates: the trend, not the level

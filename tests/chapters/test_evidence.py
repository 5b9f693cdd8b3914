"""Each chapter's evidence: one row per finding under the guide's messages, subgroups shown, primary citations linked
to citation_url only, the register's known errors carried through, force-level rows, and the figures the text quotes."""

from __future__ import annotations

import re

import pytest

from analysis.chapters import evidence
from analysis.present import evidence_map, evidence_tables
from analysis.sources import forces
from analysis.sources.evidence import REGISTER_FILE, load_register

PREFIXES = list(evidence.CHAPTER_PAGES)


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def tables():
    return {p: evidence.table(p) for p in PREFIXES}


def shown_ids(tab) -> list[str]:
    return [i for ids in tab["ids"] for i in ids.split(", ")]


def by_ids(tab):
    return tab.set_index("ids")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_each_row_of_a_chapter_appears_once(register, tables, prefix):
    listed = {i for _, findings in evidence.MESSAGES[prefix] for f in findings for i in ([f] if isinstance(f, str)
                                                                                         else f)}
    wanted = register[register["chapter"].str.startswith(prefix) | register["id"].isin(listed)]["id"]
    assert sorted(shown_ids(tables[prefix])) == sorted(set(wanted) - set(evidence.NOT_USED))


def test_design_only_rows_fold_into_their_study(tables):
    peyton = by_ids(tables["1"]).loc["E063, E064, E065, E066, E067, E068, E069"]
    assert "households in intervention arm (same in control): 926 households" in peyton["sample_size"]
    assert not any(t.startswith("Households randomised") for t in tables["1"]["finding"])
    # A review's size is its sample, not a finding of its own.
    assert by_ids(tables["2"]).loc["E078, E079", "sample_size"] == ("studies pooled: 123 studies<br>participants "
                                                                   "pooled: 200,966 persons")


def test_ranges_merge_and_subgroups_are_named(tables):
    tab = by_ids(tables["3"])
    assert tab.loc["E101, E102", "figures"] == ("ratio of negative to positive contact effect: 4 to 14 times; "
                                                "significance not stated")
    crime = tab.loc["E087, E088, E089, E090", "figures"]
    for subgroup, value in [("domestic burglary", "62%"), ("violence", "58%"), ("bicycle theft", "41%"),
                            ("theft from the person", "26%")]:
        assert f"victim satisfaction, {subgroup}, YE Mar 2025: {value} of incidents" in crime
    assert "aged 16-24, YE Mar 2025: 32%" in tab.loc["E091, E092, E093, E094", "figures"]
    assert by_ids(tables["5"]).loc["E132, E133", "figures"].endswith("55% to 60%")


def test_units_the_register_moved_to_the_sample_are_read_from_the_measure(tables):
    qcet = by_ids(tables["4"]).loc["E212, E213, E176, E175, E177", "figures"]
    assert qcet.endswith("script vs control drivers: 1.24 times; statistically significant")
    # The trial's satisfaction effect is shown, its metric named beside it.
    assert "encounter, script vs control drivers: 0.18 (Cohen&#x27;s d, a standardised difference)" in qcet
    assert "(207 of 266): 78%" in by_ids(tables["5"]).loc["E185", "figures"]
    assert "3 days: 6.94 (t statistic) (the effect divided by its standard error, not a size)" in by_ids(tables["1"]).loc["E063, E064, E065, E066, E067, E068, E069",
                                                                    "figures"]


def test_nothing_reads_not_retrieved_or_not_captured(register, tables):
    html = "".join(evidence_tables.styled(t)._repr_html_() for t in tables.values())
    html += "".join(evidence.force_rows(code).table._repr_html_() for code in ("essex", "gloucestershire"))
    assert not re.search(r"not (retrieved|captured)|estimate captured|not read\b", html, re.I)
    # A finding the source gives only as a direction says so, with its significance.
    mazerolle = by_ids(tables["2"]).loc["E077, E210", "figures"]
    assert mazerolle.endswith("legitimacy outcome: direction only, no figure stated; no significant effect")
    assert by_ids(tables["3"]).loc["E165", "figures"] == ("direction of effect on victim satisfaction: direction "
                                                          "only, no figure stated; significance not stated")


def test_as_reported_figures_say_so_in_small_type_beside_the_primary(tables):
    html = evidence_tables.styled(tables["3"])._repr_html_()
    assert ("perceptionandexperienceofpoliceandcriminaljusticesystemenglandandwales/latest\">Office for National "
            "Statistics (2025). Perception and experience of police and criminal justice system, England and Wales: "
            "year ending March 2025.</a> <small>(figure as reported by The Independent / PA, 19 Aug 2025)</small>"
            ) in html
    # A primary read in full has no such note.
    assert "Skogan, W.G. (2006). Asymmetry in the impact of encounters with police." in html
    assert evidence_tables.split_citation("A (2020). Title (figure as reported by B (2021), 'C (d)', blog).") == (
        "A (2020). Title.", ["(figure as reported by B (2021), 'C (d)', blog)"])


def test_links_go_to_citations_only_and_none_without_one(register, tables):
    for prefix, tab in tables.items():
        html = evidence_tables.styled(tab)._repr_html_().replace("&amp;", "&")
        rows = register[register["id"].isin(shown_ids(tab))]
        assert set(re.findall(r'href="([^"]+)"', html)) == set(rows["citation_url"].dropna()), prefix
        for url in set(rows["source_url"].dropna()) - set(rows["citation_url"].dropna()):
            assert url not in html, (prefix, url)
    html = evidence_tables.styled(evidence_tables.table(register, {}, ids=["E170"]))._repr_html_()
    assert "Slothower" in html and "<a " not in html


def test_the_gmp_trial_is_never_paired_with_the_officers_randomised(tables):
    for prefix in ("2", "3"):
        row = by_ids(tables[prefix]).loc["E103, E104, E105, E211"]
        assert "95% CI" not in row["figures"] and "no test or interval is computed" in row["figures"]
        assert row["sample_size"] == "target sample of officers (as stated on the College project page): 597 officers"
    assert not {"E103", "E104", "E105"} & {row for q in evidence.QUOTED.values() for row, _, _ in q.values()}


def test_register_errors_are_carried_through(tables):
    base = [by_ids(tables["2"]).loc[ids, "figures"] for ids in ("E080, E081, E082", "E083, E084, E085")]
    assert all("Base: the population estimates current in 2022" in f and "Census 2021" in f for f in base)
    peak = by_ids(tables["3"]).loc["E099, E100, E020", "figures"]
    assert "(peak, as reported 2025): 75%" in peak and "2013/14: 74% of incidents" in peak
    assert not {"E144", "E145"} & {i for t in tables.values() for i in shown_ids(t)}
    assert set(evidence.NOT_USED) == {"E144", "E145"}


@pytest.mark.parametrize("force, rows", [("essex", "E141, E142, E143"), ("gloucestershire", "E139, E140"),
                                         ("metropolitan-police", "E201, E202"), ("north-wales", "E203, E204<br>E205"),
                                         ("dyfed-powys", "E206")])
def test_an_edition_shows_the_force_level_rows_naming_its_force(force, rows):
    section = evidence.force_rows(force)
    html = section.table._repr_html_()
    shown = ", ".join(re.findall(r"Register: ([E\d, ]+)</small>", html))
    assert shown == rows.replace("<br>", ", ")
    assert forces.resolve(force).name in html and section.note


def test_a_force_named_by_no_row_gets_a_note_and_no_table():
    section = evidence.force_rows("kent")
    assert section.table is None and "holds no published force-level survey estimate for Kent Police" in section.note


def test_the_trends_chapter_shows_every_force_level_row(tables):
    shown = set(shown_ids(tables["0"]))
    assert {"E139", "E140", "E141", "E142", "E143", *[f"E{i}" for i in range(201, 207)]} <= shown


def test_tables_are_captioned_capped_and_say_design_sample_and_rows(tables):
    shown = evidence_tables.styled(tables["1"])
    html = shown._repr_html_()
    assert html.count("<caption>") == 3 and html.count("pcp-table-tall") == 3
    assert "NaN" not in html and "nan<" not in html
    assert ("Design: RCT (block-randomised households)<br>Sample: 2,013 individuals randomised (1,007 treatment + "
            "1,006 control)<br>households in intervention arm (same in control): 926 households") in html
    assert "Pooled: 30 studies" in evidence_tables.styled(tables["2"])._repr_html_()
    assert "<small>Register: E063, E064, E065, E066, E067, E068, E069</small>" in html
    assert [list(p.frame.columns) for p in shown.parts][0][:4] == [
        "Finding", "What was measured (group, period): figure, metric, significance", "Outcome; where and when",
        "Strength as evidence of an effect on confidence"]


def test_quoted_figures_are_the_register_values(register):
    by_id = register.set_index("id")
    for prefix, wanted in evidence.QUOTED.items():
        for f in evidence.quoted(prefix).figures:
            row_id, column, _ = wanted[f.key]
            assert f.value == pytest.approx(by_id.at[row_id, column])
            assert f.datasets == [REGISTER_FILE] and f.label
    units = {f.key: f.unit for f in evidence.quoted("1").figures}
    assert units["ev_pop_reduction"] == "%" and units["ev_pop_uk"] == units["ev_pop_first_review"] == "studies"
    assert {f.key: f.unit for f in evidence.quoted("0").figures}["ev_glos_low"] == "%"


def test_quoting_a_missing_estimate_is_refused(monkeypatch):
    monkeypatch.setitem(evidence.QUOTED, "9", {"x": ("E165", "estimate", "no estimate")})
    with pytest.raises(ValueError, match="row E165 has no estimate"):
        evidence.quoted("9")


def test_figures_in_different_metrics_name_their_metric_and_a_change_in_odds_is_converted(tables):
    gill = by_ids(tables["1"]).loc["E061, E062, E209, E059, E060", "figures"]
    assert ("5% to 10% (change in the odds; about d = 0.03 to 0.05, converted by this book by the logistic method); "
            "no significant effect") in gill
    hot_spots = by_ids(tables["1"]).loc["E070, E071, E072, E073", "figures"]
    assert "8.1% (converted by the authors from Cohen&#x27;s d)" in hot_spots
    assert "16% (from the log of the relative incident rate ratio, a count-based measure)" in hot_spots
    assert "33.8% (relative change, as the source states it)" in by_ids(tables["1"]).loc[
        "E146, E207, E208, E148, E149, E147", "figures"]


def test_no_gap_is_stated_where_a_study_of_the_action_is_left_off_the_map_unsaid():
    """Gill et al. (2014) reports satisfaction and legitimacy with several outcomes pooled (outcome "other"): the gap
    line for community policing must say it is there, not that no study looked."""
    register = load_register().set_index("id")
    note = evidence.map_section().note
    for action, _, findings in evidence.MAP_ROWS:
        line = next((x for x in note.splitlines() if x.startswith(f"- **{action}**")), "")
        for finding in findings:
            rows = register.loc[list(evidence._as_tuple(finding))]
            if (rows["outcome_domain"] == "other").any():
                assert evidence_tables.short_citation(rows["study"].iloc[0]) in line, (action, line)
    assert "Gill et al. (2014) is not drawn" in note


# How a figure was read, in the compilers' words: never on a reader's page.
READING_PROCESS = ("knowt", "study-notes", "secondary summary)", "secondary summary;", "source read",
                   "as restated in abstract", "abstract read", "practice leads", "SAGE journal article")


def test_notes_on_how_a_figure_was_read_stay_off_the_tables_and_secondary_figures_say_so(register, tables):
    from analysis.sources.evidence import load_display
    display = load_display()
    raw = " ".join(register[c].fillna("").str.cat(sep=" ") for c in ("claim", "study", "design", "measure"))
    assert all(p in raw for p in display["reading_notes"]) and all(c in raw for c in display["citations"])
    shown = " ".join(t.drop(columns="ids").to_csv() for t in tables.values()) + " ".join(evidence.CAVEATS.values())
    assert not [p for p in READING_PROCESS if p in shown]
    rows = {i: f for t in tables.values() for _, f in t.iterrows() for i in f["ids"].split(", ")}
    for row in display["secondary"]:
        assert evidence_tables.SECONDARY in rows[row]["figures"], row
    # Hinkle et al. 2020's non-crime outcomes were read in study notes: its grade says so.
    assert "some figures from a secondary summary" in rows["E207"]["strength"]
    assert "Secondary Reassurance Contact trial in hate crime investigations, Metropolitan Police (DOI" in \
        rows["E167"]["study"]


def test_a_study_whose_country_is_not_given_is_not_drawn_as_elsewhere(register):
    frame = evidence.map_frame()
    country = register.set_index("id")["country"]
    unknown = frame[frame["row"].map(country) == "not stated"]
    assert len(unknown) and (unknown["place"] == "Country not stated").all()  # Weisburd et al. 2011, for one
    assert set(frame["place"]) <= set(evidence_map.PLACES)

"""Chan, Bradford & Stott (2023) re-pooled in chapter 3, and the appendix's table of which cited reviews can be
recomputed."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chapters import appendix
from analysis.chapters import c03_procedural_justice as chapter
from analysis.methods import evidence_strength
from analysis.present import glue
from analysis.sources import pj_legitimacy_samples as pj
from analysis.sources.evidence import load_register


@pytest.mark.parametrize("section", [chapter.chan_repooled, chapter.chan_checks, chapter.chan_findings])
def test_every_figure_names_the_study_level_data_and_carries_its_grade(section):
    figures = section().figures
    assert figures and all(f.datasets == [pj.SAMPLES_FILE] for f in figures)
    assert {glue.grade(f.datasets) for f in figures} == {"official"}  # the authors publish their own sheet
    assert len({f.key for f in figures}) == len(figures) and all(f.key.startswith("chan_") for f in figures)


def test_the_pooled_correlation_lies_inside_its_interval_and_the_prediction_interval_is_wider():
    figures = {f.key: f.value for f in chapter.chan_repooled().figures}
    assert figures["chan_pj_low"] < figures["chan_pj_r"] < figures["chan_pj_high"]
    assert figures["chan_pj_pi_low"] < figures["chan_pj_low"] and figures["chan_pj_pi_high"] > figures["chan_pj_high"]
    assert figures["chan_pj_loo_low"] <= figures["chan_pj_r"] <= figures["chan_pj_loo_high"]
    assert figures["chan_pj_k"] == 152 and figures["chan_people"] == pj.TOTAL_N


def test_each_finding_of_the_abstract_gets_one_verdict_and_mediation_is_not_claimed():
    table = chapter.chan_findings_table()
    assert len(table) == len(chapter.FINDING_KEYS)
    assert set(table["verdict"]) <= set(chapter.VERDICTS)
    verdicts = dict(zip(chapter.FINDING_KEYS, table["verdict"]))
    assert verdicts["chan_verdict_pj"] == "reproduced"
    assert verdicts["chan_verdict_mediation"] == "cannot be checked here"
    # A verdict the data do not bear out says what the data show instead.
    for shows, verdict in zip(table["what the authors' data show"], table["verdict"]):
        assert shows and (verdict != "not reproduced" or "not significant" in shows)


def test_the_moderator_tests_are_corrected_as_a_family():
    mods = chapter.chan_results()["moderators"]
    assert (mods["p_holm"] >= mods["p"]).all()


REGISTER = pd.DataFrame({
    "id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"],
    "chapter": ["1 x"] * 7,
    "study": ["Smith, A. (2020). A review of patrols. J Crim.", "Smith, A. (2022). A review of patrols. J Crim.",
              "Jones, B. (2019). Another review. J Crim.", "Jones, B. (2019). Another review. J Crim.",
              "Chan, A., Bradford, B. and Stott, C. (2023). A systematic review. J Exp Criminol.",
              "Lee, C. (2018). A single trial. J Crim.", "Park, D. (2021). Six coordinated trials. Science."],
    "design": ["meta-analysis"] * 4 + ["meta-analysis", "randomised trial",
                                       "six coordinated randomised trials with a preregistered meta-analysis"],
    "studies_pooled": ["10 studies", "10 studies", "5 studies", "5 studies", "123 studies", None, None],
    "citation_url": ["https://doi.org/10.1/a", "https://doi.org/10.1/a", None, "https://doi.org/10.1/b",
                     pj.REVIEW_URL, "https://doi.org/10.1/c", "https://doi.org/10.1/d"],
    # designs.csv's class: a review the grading classes as one is listed though the register states nothing pooled.
    "design_class": ["review of randomised trials"] * 4 + ["correlational", "randomised trial",
                                                            "review of randomised trials"],
})


def test_one_row_per_review_computed_from_the_register(monkeypatch):
    monkeypatch.setattr(appendix, "load_register", lambda: REGISTER.copy())
    table = appendix.reviews()
    # Rows citing one DOI are one review whatever year their text gives; a row without a citation joins the review
    # with its authors and year; a single trial is not a review; a review by its design class is, pooled stated or not.
    assert table["rows"].tolist() == ["E1, E2", "E3, E4", "E5", "E7"]
    assert table["status"].tolist() == ["restated", "restated", "repooled", "restated"]
    assert table["dataset"].tolist()[2] == pj.SAMPLES_FILE
    assert table["pooled"].tolist()[3] == REGISTER.at[6, "design"]
    figures = {f.key: f.value for f in appendix.recomputable_section().figures}
    assert figures == {"reviews_cited": 4, "reviews_repooled": 1, "reviews_restated": 3, "reviews_narrative": 0}


def test_every_review_the_grading_classes_as_one_is_in_the_appendix_table():
    register = load_register()
    listed = {i for rows in appendix.reviews()["rows"] for i in rows.split(", ")}
    assert set(register.loc[register["design_class"].isin(evidence_strength.REVIEW_CLASSES), "id"]) <= listed
    assert {"E219", "E220"} <= listed  # Blair et al. 2021's six coordinated trials


def test_each_corrected_p_names_its_family_and_sits_beside_the_raw_p():
    res = chapter.chan_results()
    families = res["moderators"].set_index("moderator")["family"]
    assert families["mean_age"] == families["hdi"] == chapter.ABSTRACT_FAMILY.format(len(res["abstract_holm"]))
    assert families["cross_sectional"] == families["published"] == chapter.CHECKS_FAMILY.format(res["checks"])
    keys = {f.key for f in chapter.chan_checks().figures}
    for test in ("chan_design", "chan_published", "chan_egger", "chan_age", "chan_hdi"):
        assert {f"{test}_p", f"{test}_p_holm"} <= keys
    # Six findings, one of which (the mediation model) cannot be tested: the rest are the family corrected.
    table = chapter.chan_findings_table()
    assert len(res["abstract_holm"]) == (table["verdict"] != "cannot be checked here").sum()


def test_the_evidence_table_points_chans_row_to_its_re_pooled_figures():
    html = chapter.evidence_section().table._repr_html_()
    row = next(r for r in html.split("<tr>") if "Register: E078" in r)
    main = chapter.chan_results()["pooled"]["pj_le"]
    assert "Re-pooled below from the authors" in row and f"r = {main['estimate_r']:.2f}" in row

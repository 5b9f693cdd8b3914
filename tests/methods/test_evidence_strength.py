"""Grades come from the register's columns (designs.csv's class, outcome_domain, significant), never from free text:
a correlational review is never the top grade, a finding on another outcome says what it measured, and a
non-significant result is never labelled as support."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.chapters import evidence
from analysis.methods import evidence_strength
from analysis.sources.evidence import load_register

TOP = evidence_strength.GRADES[0][0]


@pytest.mark.parametrize("cls, grade", [
    ("review of randomised trials", "Strong"),
    ("review of randomised trials and quasi-experiments", "Strong to moderate"),
    ("randomised trial", "Moderate"), ("quasi-experiment", "Limited"), ("correlational", "Association only"),
    ("descriptive", "Descriptive"), ("statement or secondary report", "Unrated"),
])
def test_grades_follow_the_design_class(cls, grade):
    assert evidence_strength.grade(cls) == grade


def test_an_unknown_class_is_an_error_not_a_guess():
    with pytest.raises(KeyError, match="no grade"):
        evidence_strength.grade("meta-analysis")


def test_every_register_row_has_a_class_and_the_correlational_reviews_are_associations():
    register = load_register()
    assert register["design_class"].map(evidence_strength.grade).notna().all()
    correlational = register[register["studies_pooled"].fillna("").str.startswith("correlational")]
    assert set(correlational["id"]) == {"E078", "E079"}
    assert set(correlational["design_class"].map(evidence_strength.grade)) == {"Association only"}
    top = sorted(register.loc[register["design_class"].map(evidence_strength.grade) == TOP, "id"])
    assert top == ["E169", "E219", "E220"]  # Strang et al. 2013; Blair et al. 2021's six coordinated trials


@pytest.mark.parametrize("domain, significant, shown", [
    ("confidence/trust/legitimacy", "yes", "Moderate"),
    ("satisfaction", "not stated", "Moderate"),
    ("crime/disorder", "yes", "Moderate (evidence about crime)"),
    ("officer behaviour", "yes", "Moderate (evidence about officers' behaviour)"),
    ("confidence/trust/legitimacy", "no", "Moderate (no significant effect)"),
    ("crime/disorder", "no", "Moderate (evidence about crime; no significant effect)"),
])
def test_labels_name_the_outcome_and_a_null(domain, significant, shown):
    assert evidence_strength.label("randomised trial", domain, significant) == shown


def _findings():
    """Every finding every chapter shows, with the register rows behind it."""
    register = load_register().set_index("id", drop=False)
    for chapter in evidence.CHAPTER_PAGES:
        for _, finding in evidence.table(chapter).iterrows():
            yield finding, register.loc[finding["ids"].split(", ")]


def test_no_row_with_significant_no_is_labelled_as_support():
    nulls = 0
    for finding, rows in _findings():
        for _, row in rows[rows["significant"] == "no"].iterrows():
            nulls += 1
            line = next((x for x in str(finding["figures"]).split("<br>") if x.startswith(
                row["measure"].split(" (")[0].replace("'", "&#x27;")[:40])), None)
            assert line is not None and evidence_strength.NO_EFFECT in line, (row["id"], finding["figures"])
            assert not line.endswith("; statistically significant"), row["id"]
        headline = rows[rows["outcome_domain"] == rows["outcome_domain"].iloc[0]]
        if (headline["significant"] == "no").all():
            assert evidence_strength.NO_EFFECT in finding["strength"], finding["ids"]
    assert nulls >= 13
    # A map mark whose headline row is not significant is grey, never green; every null headline is on the map so.
    frame = evidence.map_frame()
    significant = load_register().set_index("id")["significant"]
    assert (frame.loc[frame["row"].map(significant) == "no", "direction"] == evidence_strength.NO_EFFECT).all()
    assert (frame["direction"] == evidence_strength.NO_EFFECT).sum() >= 8


def _rows(*rows):
    return pd.DataFrame([{"design_class": "randomised trial", "outcome_domain": d, "significant": s} for d, s in rows])


@pytest.mark.parametrize("rows, shown", [
    # Weisburd et al. 2022: the headline (legitimacy) not significant, another measure on confidence significant.
    ((("confidence/trust/legitimacy", "no"), ("confidence/trust/legitimacy", "yes"), ("crime/disorder", "yes")),
     "Moderate (no significant effect; mixed: another measure significant)"),
    # Kochel & Weisburd 2017: the headline gives a direction only; every tested row on confidence found nothing.
    ((("confidence/trust/legitimacy", "not stated"), ("confidence/trust/legitimacy", "no")),
     "Moderate (no significant effect)"),
    ((("confidence/trust/legitimacy", "yes"), ("confidence/trust/legitimacy", "no")),
     "Moderate (mixed: another measure not significant)"),
    ((("satisfaction", "not stated"), ("crime/disorder", "no")), "Moderate"),
])
def test_a_finding_is_labelled_by_its_headline_and_says_when_its_measures_disagree(rows, shown):
    assert evidence_strength.finding_label(_rows(*rows)) == shown


@pytest.mark.parametrize("significant, against, way", [
    ("yes", False, "positive"), ("yes", True, "negative"), ("no", True, evidence_strength.NO_EFFECT),
    ("not stated", True, evidence_strength.UNTESTED), ("not stated", False, evidence_strength.UNTESTED),
])
def test_only_a_tested_effect_is_drawn_positive_or_negative(significant, against, way):
    assert evidence_strength.direction(significant, against) == way


def test_the_untested_negatives_are_not_drawn_as_tested_ones():
    ways = evidence.map_frame().set_index("row")["direction"]
    assert {ways[i] for i in ("E226", "E217", "E218", "E233") if i in ways} == {evidence_strength.UNTESTED}
    labels = {f["ids"].split(", ")[0]: f["strength"] for f, _ in _findings()}
    assert evidence_strength.NO_EFFECT in labels["E221"] and "mixed" in labels["E221"]
    assert evidence_strength.NO_EFFECT in labels["E226"]


def test_one_review_is_one_line_of_evidence():
    hinkle = [f for f, _ in _findings() if "E146" in f["ids"].split(", ")]
    assert len(hinkle) == 1 and {"E207", "E208", "E148", "E149"} <= set(hinkle[0]["ids"].split(", "))


def test_conversions_follow_the_standard_formulas():
    assert evidence_strength.odds_ratio_to_d(math.e) == pytest.approx(math.sqrt(3) / math.pi)
    assert evidence_strength.r_to_d(0.6) == pytest.approx(1.5)


def test_every_grade_is_defined_for_the_appendix():
    defined = list(evidence_strength.strength_definitions()["label"])
    assert defined == [g for g, _ in evidence_strength.GRADES] and len(set(defined)) == len(defined)
    assert set(evidence_strength.GRADE_OF_CLASS.values()) <= set(defined)


def test_the_strongest_finding_on_confidence_may_be_a_null_and_another_outcome_ranks_after():
    def finding(design_class, outcome, significant="yes"):
        return pd.DataFrame({"design_class": [design_class], "outcome_domain": [outcome],
                             "significant": [significant]})

    null_review = finding("review of randomised trials", "confidence/trust/legitimacy", "no")
    one_trial = finding("randomised trial", "satisfaction")
    crime_review = finding("review of randomised trials", "crime/disorder")
    assert evidence_strength.rank(null_review) < evidence_strength.rank(one_trial)
    assert evidence_strength.rank(one_trial) < evidence_strength.rank(crime_review)

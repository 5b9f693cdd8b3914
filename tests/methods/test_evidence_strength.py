"""Strength is graded by design and by what a review pooled, never by the words "meta-analysis": a correlational
meta-analysis is never the top grade, and a review whose outcome is crime says so."""

from __future__ import annotations

import pytest

from analysis.methods import evidence_strength
from analysis.sources.evidence import load_register

TOP = evidence_strength.GRADES[0][0]


@pytest.mark.parametrize("design, pooled, grade", [
    ("systematic review of randomised trials (10 studies, 5 jurisdictions; 1,879 offenders)",
     "10 randomised trials", "Strong"),
    ("systematic review and meta-analysis (random effects, per outcome)",
     "30 studies; eligible designs randomised experiments or quasi-experiments", "Strong to moderate"),
    ("meta-analysis with moderator analysis", "re-analysis (experimental and quasi-experimental)",
     "Strong to moderate"),
    # Gill et al. 2014: controlled quasi-experiments; a review's silence on its split is not a trial.
    ("systematic review and meta-analysis", "controlled quasi-experiments, most in US neighbourhoods; RCT share not "
                                            "stated", "Moderate"),
    ("meta-analysis (53 studies, 60 tests)", "60 tests, treatment vs control places; RCT/quasi split not read",
     "Moderate"),
    ("systematic review and meta-analysis", None, "Moderate"),
    ("evidence summary of a systematic review", "narrative summary of the 34-study review", "Narrative review"),
    ("narrative systematic review (pre-registered; no pooling)", None, "Narrative review"),
    ("RCT (officers randomised)", None, "Moderate"),
    ("randomised field trial (cluster: RBT operations)", None, "Moderate"),
    ("quasi-randomised experiment", None, "Limited"),
    ("quasi-experiment (6 trial sites vs 6 matched controls, panel survey)", None, "Limited"),
    ("natural experiment (panel survey interrupted by an event)", None, "Limited"),
    ("cross-sectional survey regression", None, "Association only"),
    ("secondary analysis of repeated cross-sections (BCS)", None, "Association only"),
    ("public survey within trial evaluation", None, "Descriptive"),
    ("administrative statistics (experimental)", None, "Descriptive"),
    ("online poll (5,455 adults incl. 1,548 Black) plus 8 focus groups", None, "Descriptive"),
    ("expert written evidence", None, "Unrated"),
    ("ministerial statement citing evaluation", None, "Unrated"),
])
def test_grades_follow_design_and_what_was_pooled(design, pooled, grade):
    assert evidence_strength.strength(design, pooled) == grade


@pytest.mark.parametrize("design", ["meta-analysis", "meta-analysis (random effects, two-stage SEM)",
                                    "systematic review and meta-analysis", "systematic review of randomised trials"])
@pytest.mark.parametrize("pooled", [
    "correlational: 123 studies (N = 200,966) of associations between perceived procedural justice and legitimacy",
    "correlational: 40 randomised trials' baseline surveys", None])
def test_a_correlational_meta_analysis_never_gets_the_top_label(design, pooled):
    grade = evidence_strength.strength(f"correlational {design}" if pooled is None else design, pooled)
    assert grade == "Association only" != TOP


def test_the_registers_correlational_reviews_are_associations_only():
    register = load_register()
    correlational = register[register["studies_pooled"].fillna("").str.startswith("correlational")]
    assert set(correlational["id"]) == {"E078", "E079"}
    for row in correlational.itertuples():
        assert evidence_strength.strength(row.design, row.studies_pooled) == "Association only"
    top = [r.id for r in register.itertuples() if evidence_strength.strength(r.design, r.studies_pooled) == TOP]
    assert top == ["E169"]


def test_a_review_whose_outcome_is_crime_says_so():
    assert evidence_strength.label("meta-analysis (53 studies, 60 tests)", None,
                                   "Hot spots policing reduces crime mean Cohen's d, crime outcomes") == (
        "Moderate (evidence about crime)")
    # Gill et al. measured satisfaction and legitimacy as well as crime.
    assert evidence_strength.label("systematic review and meta-analysis", "controlled quasi-experiments",
                                   "COP improves satisfaction and legitimacy but has limited effects on crime "
                                   "reduction") == "Moderate"


def test_every_grade_is_defined_for_the_appendix():
    defined = list(evidence_strength.strength_definitions()["label"])
    assert defined == [g for g, _ in evidence_strength.GRADES] and len(set(defined)) == len(defined)
    register = load_register()
    assert {evidence_strength.strength(r.design, r.studies_pooled) for r in register.itertuples()} <= set(defined)
    # Words are matched whole: "rct" inside another word does not make a trial.
    assert evidence_strength.strength("direct count") == "Descriptive"

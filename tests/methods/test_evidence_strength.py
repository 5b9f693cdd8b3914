"""Strength labels follow the design the register records, and every label is defined for the appendix."""

from __future__ import annotations

import pytest

from analysis.methods import evidence_strength
from analysis.sources.evidence import load_register


@pytest.mark.parametrize("design, label", [
    ("systematic review and meta-analysis (random effects)", "Strong"),
    ("systematic review of randomised trials (10 studies, 5 jurisdictions; 1,879 offenders)", "Strong"),
    ("meta-analysis with moderator analysis", "Strong"),
    ("evidence summary of a systematic review", "Review"),
    ("narrative review", "Review"),
    ("quasi-randomised experiment", "Moderate"),
    ("quasi-experiment (6 trial sites vs 6 matched controls, panel survey)", "Moderate"),
    ("randomised controlled trial (offenders randomised; victim survey, 70% response)", "Good"),
    ("RCT (officers randomised)", "Good"),
    ("MA thesis: randomised controlled trial", "Good"),
    ("independent review (administrative data)", "Descriptive"),
    ("parliamentary inquiry citing survey data", "Descriptive"),
    ("online poll (5,455 adults incl. 1,548 Black) plus 8 focus groups", "Descriptive"),
    ("expert written evidence", "Unrated"),
    ("MSc thesis", "Unrated"),
    ("ministerial statement citing evaluation", "Unrated"),
])
def test_strength_labels_fit_the_design(design, label):
    assert evidence_strength.strength(design) == label


def test_every_label_is_defined_for_the_appendix():
    defined = set(evidence_strength.strength_definitions()["label"])
    register = load_register()
    assert set(register["design"].map(evidence_strength.strength)) <= defined
    # Words are matched whole: "rct" inside another word does not make a trial.
    assert evidence_strength.strength("direct count") == "Descriptive"

"""The strength of a study's evidence, from the design the register records: one label per design, first rule wins."""

from __future__ import annotations

import re

import pandas as pd

# Strength-of-evidence labels, defined once (the appendix prints this table). The first rule
# with a phrase found in the study design (as whole words) wins, so the order matters: a summary
# of a review is labelled as a summary; a "systematic review of randomised trials" is a review; a
# "quasi-randomised experiment" is not a randomised trial; a thesis, an inquiry or a policy
# document is labelled by the design it reports.
STRENGTH_RULES = (
    (("narrative review", "evidence summary", "rapid evidence assessment", "literature review"), "Review",
     "A narrative review or summary of other studies: as strong as the studies it draws on, which it does not pool"),
    (("systematic review", "meta-analysis"), "Strong",
     "A systematic review or meta-analysis that pools several studies"),
    (("quasi-experiment", "quasi-experimental", "quasi-randomised", "matched"), "Moderate",
     "A quasi-experiment: treated areas or groups compared with similar ones not chosen at random"),
    (("rct", "randomised", "randomized"), "Good",
     "A randomised trial (in a journal or, where the study says so, a thesis)"),
    (("survey", "statistics", "administrative", "count", "poll", "regression"), "Descriptive",
     "Survey or administrative figures: they show levels and associations, not effects"),
)
UNRATED = ("Unrated", "A statement, inquiry evidence or secondary report whose design gives no basis for a label")


def _phrase_in(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


def strength(design: str) -> str:
    """The strength label for a study design (the first rule that fits)."""
    text = design.lower()
    for words, label, _ in STRENGTH_RULES:
        if any(_phrase_in(w, text) for w in words):
            return label
    return UNRATED[0]


def strength_definitions() -> pd.DataFrame:
    """Each label with what it means and the design words that give it, for the appendix."""
    rows = [(label, meaning, ", ".join(words)) for words, label, meaning in STRENGTH_RULES]
    rows.append((*UNRATED, "anything else"))
    return pd.DataFrame(rows, columns=["label", "meaning", "design words"])

"""The strength of a study's evidence on the effect of a police action on confidence or legitimacy, graded from the
design it used and, for a review, what it pooled; and whether its outcome is crime rather than confidence."""

from __future__ import annotations

import re

import pandas as pd

# The grades, strongest first, as the appendix prints them: (label, what puts a study there). A reader can tell an
# effect estimate from an association: only designs that compare treated with untreated people or places can show
# an effect, and a review is graded by the designs it pooled, never by the words "meta-analysis".
GRADES = (
    ("Strong", "A systematic review or meta-analysis pooling randomised trials"),
    ("Strong to moderate", "A review pooling randomised trials and quasi-experiments"),
    ("Moderate", "One randomised trial; or a review of quasi-experiments, or of designs it does not state"),
    ("Limited", "One quasi-experiment or natural experiment: treated areas or groups compared with similar ones "
                "not chosen at random"),
    ("Association only", "A correlational meta-analysis or a survey analysis: it shows what goes together, not what "
                         "a police action changes"),
    ("Narrative review", "A review or summary that does not pool its studies: as strong as the studies it draws on"),
    ("Descriptive", "Official statistics, survey levels and polls: they describe, and test no effect"),
    ("Unrated", "A statement, inquiry evidence or secondary report whose design gives no basis for a grade"),
)
CRIME_NOTE = "evidence about crime"


def _words(*phrases: str) -> re.Pattern:
    """Any of the phrases as whole words; a trial word preceded by "quasi-" is not a trial."""
    return re.compile(r"(?<![a-z])(?<!quasi-)(?:" + "|".join(phrases) + r")(?![a-z])")


NARRATIVE = _words("narrative", "evidence summary", "rapid evidence assessment", "literature review", "no pooling")
POOLED = _words("systematic review", "meta-analysis", "meta-analysed")
CORRELATIONAL = _words("correlational", "cross-sectional", "cross-sections", "regression")
TRIAL = _words("rcts?", "randomi[sz]ed", "randomly")
POOLED_TRIAL = _words("rcts?", "randomi[sz]ed", "randomly", "experimental", "experiments")
QUASI = _words("quasi-experiments?", "quasi-experimental", "quasi-randomi[sz]ed", "matched", "natural experiment")
DESCRIPTIVE = _words("survey", "statistics", "administrative", "count", "poll", "trend", "design note")
# "RCT share not stated", "RCT/quasi split not read": a review's silence on its designs is not a design.
UNSTATED_SPLIT = re.compile(r"rct(?:/quasi)? (?:share|split)[^;)]*")
# A crime outcome, and the words that mean the study measured confidence or legitimacy as well.
CRIME = re.compile(r"reduc\w* (?:in )?crime|crime reduction|crime outcomes?|crime(?:/| and )disorder|drop in crime")
CONFIDENCE = re.compile(r"confidence|legitima|satisf|trust|attitude")


def _review_grade(pooled: str) -> str:
    if CORRELATIONAL.search(pooled):
        return "Association only"
    pooled = UNSTATED_SPLIT.sub("", pooled)
    trials, quasi = bool(POOLED_TRIAL.search(pooled)), bool(QUASI.search(pooled))
    if trials and not quasi:
        return "Strong"
    return "Strong to moderate" if trials else "Moderate"


def strength(design: str, studies_pooled: str | None = None) -> str:
    """The grade of a study's design (for a review, of what it pooled, where the register says)."""
    text = design.lower()
    pooled = text if studies_pooled is None or pd.isna(studies_pooled) else studies_pooled.lower()
    if NARRATIVE.search(text) or NARRATIVE.search(pooled):
        return "Narrative review"
    if POOLED.search(text):
        return _review_grade(pooled)
    for pattern, grade in ((TRIAL, "Moderate"), (QUASI, "Limited"), (CORRELATIONAL, "Association only"),
                           (DESCRIPTIVE, "Descriptive")):
        if pattern.search(text):
            return grade
    return "Unrated"


def about_crime(text: str) -> bool:
    """Whether a finding's words (claim, measure) give crime as its outcome, with nothing on confidence."""
    text = text.lower()
    return bool(CRIME.search(text)) and not CONFIDENCE.search(text)


def label(design: str, studies_pooled: str | None, finding_text: str) -> str:
    """The grade as readers see it, with "evidence about crime" beside it where that is the outcome."""
    grade = strength(design, studies_pooled)
    return f"{grade} ({CRIME_NOTE})" if about_crime(finding_text) else grade


def strength_definitions() -> pd.DataFrame:
    """Each grade with what puts a study there, strongest first, for the appendix."""
    return pd.DataFrame(GRADES, columns=["label", "meaning"])

"""The strength of a finding as evidence of a police action's effect on confidence, graded from the register's columns:
the design's class (designs.csv), the outcome it measured (outcome_domain) and whether it was significant."""

from __future__ import annotations

import math

import pandas as pd

# The grades, strongest first, as the appendix prints them: (label, what puts a study there). They grade the effect
# strand of EMMIE (how sure we can be that an action changed an outcome) from the design alone; only designs that
# compare treated with untreated people or places can show an effect, and a review is graded by what it pooled.
GRADES = (
    ("Strong", "A systematic review or meta-analysis pooling randomised trials"),
    ("Strong to moderate", "A review pooling randomised trials and quasi-experiments"),
    ("Moderate", "One randomised trial; or a review of quasi-experiments, or of designs it does not state"),
    ("Limited", "One quasi-experiment or natural experiment: treated areas or groups compared with similar ones "
                "not chosen at random"),
    ("Association only", "A correlational meta-analysis, a survey analysis or a panel survey: it shows what goes "
                         "together, not what a police action changes"),
    ("Narrative review", "A review or summary that does not pool its studies: as strong as the studies it draws on"),
    ("Descriptive", "Official statistics, survey levels and polls: they describe, and test no effect"),
    ("Unrated", "A statement, inquiry evidence or secondary report whose design gives no basis for a grade"),
)
# designs.csv's classes and the grade each gives.
GRADE_OF_CLASS = {
    "review of randomised trials": "Strong",
    "review of randomised trials and quasi-experiments": "Strong to moderate",
    "review of quasi-experiments or of designs not stated": "Moderate",
    "randomised trial": "Moderate",
    "quasi-experiment": "Limited",
    "correlational": "Association only",
    "narrative review": "Narrative review",
    "descriptive": "Descriptive",
    "statement or secondary report": "Unrated",
}
# The classes of a review or meta-analysis (what the appendix asks of each: can it be recomputed?).
REVIEW_CLASSES = ("review of randomised trials", "review of randomised trials and quasi-experiments",
                  "review of quasi-experiments or of designs not stated", "narrative review")
# Grades of designs that test an effect (the map shows these and the associations the chapters rely on).
EFFECT_GRADES = ("Strong", "Strong to moderate", "Moderate", "Limited")
# Outcomes that are the public's confidence in the police; any other outcome is named beside the grade.
CONFIDENCE_OUTCOMES = ("confidence/trust/legitimacy", "satisfaction")
ABOUT = {
    "crime/disorder": "evidence about crime", "fear/perceived safety": "evidence about fear of crime",
    "officer behaviour": "evidence about officers' behaviour",
    "cooperation/compliance": "evidence about cooperation or compliance", "other": "evidence about another outcome",
}
CRIME_NOTE = ABOUT["crime/disorder"]
NO_EFFECT = "no significant effect"
# What a row's `significant` says beside its figure.
SIGNIFICANCE = {"yes": "statistically significant", "no": NO_EFFECT, "not stated": "significance not stated"}
# Which way a study's effect ran, as the map colours it; a direction the source gives without its significance is
# kept apart from one it tested.
UNTESTED = "direction only, untested"
DIRECTIONS = ("positive", NO_EFFECT, "negative", UNTESTED)


def grade(design_class: str) -> str:
    """The grade a design class gives (designs.csv's classes; an unknown class is an error, never a guess)."""
    if design_class not in GRADE_OF_CLASS:
        raise KeyError(f"design class {design_class!r} has no grade; known: {sorted(GRADE_OF_CLASS)}")
    return GRADE_OF_CLASS[design_class]


def label(design_class: str, outcome_domain: str, significant: str, mixed: str = "") -> str:
    """One row's grade as readers see it: what it measured where that is not confidence, "no significant effect"
    where the source found none, and `mixed` (what the finding's other measures found) where they disagree."""
    notes = [] if outcome_domain in CONFIDENCE_OUTCOMES else [ABOUT[outcome_domain]]
    notes += [NO_EFFECT] if significant == "no" else []
    notes += [mixed] if mixed else []
    return f"{grade(design_class)} ({'; '.join(notes)})" if notes else grade(design_class)


def finding_label(rows: pd.DataFrame) -> str:
    """The grade of a finding (one study's rows, its headline first), labelled by the headline's outcome and its
    significance: a headline with no test takes the verdict its tested rows on that outcome agree on. Where those
    rows disagree with the verdict the label says so, so a null never reads as support nor a mixed result as clean."""
    head = rows.iloc[0]
    same = rows[rows["outcome_domain"] == head["outcome_domain"]]
    tested = same.loc[same["significant"].isin(("yes", "no")), "significant"]
    verdict = head["significant"]
    if verdict == "not stated" and len(tested) and (tested == tested.iloc[0]).all():
        verdict = tested.iloc[0]
    mixed = ""
    if verdict in ("yes", "no") and (tested != verdict).any():
        mixed = "mixed: another measure " + ("significant" if verdict == "no" else "not significant")
    return label(head["design_class"], head["outcome_domain"], verdict, mixed)


def direction(significant: str, against: bool) -> str:
    """Which way a row's effect ran: a non-significant result is "no significant effect", never positive, and a
    direction without a stated significance is only that, whichever way it ran: only a tested effect is drawn as
    positive or negative."""
    if significant == "no":
        return NO_EFFECT
    if significant != "yes":
        return UNTESTED
    return "negative" if against else "positive"


def odds_ratio_to_d(odds_ratio: float) -> float:
    """Cohen's d from an odds ratio by the logistic method (d = ln OR × √3 / π; Chinn 2000)."""
    return math.log(odds_ratio) * math.sqrt(3) / math.pi


def r_to_d(r: float) -> float:
    """Cohen's d from a correlation r (d = 2r / √(1 − r²))."""
    return 2 * r / math.sqrt(1 - r * r)


def strength_definitions() -> pd.DataFrame:
    """Each grade with what puts a study there, strongest first, for the appendix."""
    return pd.DataFrame(GRADES, columns=["label", "meaning"])


def rank(rows: pd.DataFrame) -> int:
    """Where a finding (its register rows, headline first) stands, strongest first, from the columns its label is
    made from: a finding on confidence by its grade, a null as much as a positive; one whose headline outcome is
    another after every finding on confidence, by its own grade."""
    order = [g for g, _ in GRADES]
    other = rows["outcome_domain"].iloc[0] not in CONFIDENCE_OUTCOMES
    return order.index(grade(rows["design_class"].iloc[0])) + (len(order) if other else 0)

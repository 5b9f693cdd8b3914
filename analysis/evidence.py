"""The evidence register: the studies and figures the guide rests on, as cited tables with a strength label."""

from __future__ import annotations

import pandas as pd

from analysis.schemas import Column, Schema, validate
from analysis.sources import locate

# The register is a project file listed in the manifest; figures quoted from it name this id.
REGISTER_FILE = "evidence_register/register"

SCHEMA = Schema(
    "evidence register",
    (
        Column("id", "str"), Column("chapter", "str"), Column("claim", "str"), Column("study", "str"),
        Column("design", "str"), Column("measure", "str", nullable=True), Column("estimate", "float", nullable=True),
        Column("ci_low", "float", nullable=True), Column("ci_high", "float", nullable=True),
        Column("n", "float", nullable=True, min=0), Column("unit", "str", nullable=True),
        Column("source_url", "str", nullable=True), Column("citation_url", "str", nullable=True),
    ),
    unique=("id",),
)

# Strength-of-evidence labels, defined once (the appendix prints this table). The first
# rule whose words appear in the study design wins.
STRENGTH_RULES = (
    (("systematic review", "meta-analysis"), "Strong", "Systematic review or meta-analysis of several studies"),
    (("rct", "randomised", "randomized"), "Good", "A randomised trial"),
    (("quasi-experiment", "matched"), "Moderate", "A quasi-experiment with comparison areas or groups"),
    (("survey", "statistics", "count", "review", "poll"), "Descriptive",
     "Survey or administrative figures: they show levels and associations, not effects"),
)
UNRATED = ("Unrated", "A statement or secondary report that has not been checked against its source")


def strength(design: str) -> str:
    text = design.lower()
    for words, label, _ in STRENGTH_RULES:
        if any(w in text for w in words):
            return label
    return UNRATED[0]


def strength_definitions() -> pd.DataFrame:
    rows = [(label, meaning) for _, label, meaning in STRENGTH_RULES] + [UNRATED]
    return pd.DataFrame(rows, columns=["label", "meaning"])


def load_register() -> pd.DataFrame:
    path = locate(REGISTER_FILE)
    df = pd.read_csv(path)
    return validate(df, SCHEMA, str(path))


def _effect(row) -> str:
    if pd.isna(row["estimate"]):
        return "not retrieved"
    unit = "" if pd.isna(row["unit"]) else f" {row['unit']}"
    return f"{row['estimate']:g}{unit}"


def _ci(row) -> str:
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return "not reported"
    return f"{row['ci_low']:g} to {row['ci_high']:g}"


def table(register: pd.DataFrame, *, chapter_prefix: str | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """A cited-evidence table for a chapter (by register chapter number) and/or named rows."""
    keep = pd.Series(False, index=register.index)
    if chapter_prefix is not None:
        keep |= register["chapter"].str.startswith(chapter_prefix)
    if ids:
        keep |= register["id"].isin(ids)
    rows = register[keep]
    if rows.empty:
        raise ValueError(f"no evidence rows for chapter {chapter_prefix!r} / ids {ids}")
    return pd.DataFrame({
        "id": rows["id"],
        "claim": rows["claim"],
        "study": rows["study"],
        "design": rows["design"],
        "strength": rows["design"].map(strength),
        "effect": rows.apply(_effect, axis=1),
        "95% CI": rows.apply(_ci, axis=1),
        "n": rows["n"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
        "link": rows["source_url"].fillna(""),
    }).reset_index(drop=True)


def styled(tab: pd.DataFrame):
    """The table as HTML with the source link clickable (for display in a chapter)."""
    # A fixed uuid keeps the HTML identical between runs (nbval compares it).
    return tab.style.set_uuid("evidence").format({"link": lambda u: f'<a href="{u}">source</a>' if u else ""}).hide(axis="index")

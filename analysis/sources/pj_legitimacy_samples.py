"""Chan, Bradford & Stott (2023): the review's own study-level sheet of survey samples, each with its n, its
correlations between procedural justice, social identity and legitimacy, and its moderators, checked as its
PROVENANCE.md documents."""

from __future__ import annotations

import pandas as pd

from analysis.sources import cache
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, SchemaError, validate

SAMPLES_FILE = "chan2023_pj_legitimacy/samples"
# The review these samples were pooled for, as the evidence register cites it.
REVIEW_URL = "https://doi.org/10.1007/s11292-023-09595-5"
SOURCE = ("Chan, Bradford & Stott (2023), J Exp Criminol, doi 10.1007/s11292-023-09595-5: the authors' "
          "study-level data, MIT licence")
# The correlations the review pools, each with the words a reader sees.
PAIRS = {
    "pj_le": "procedural justice and legitimacy",
    "si_le": "social identity and legitimacy",
    "pj_si": "procedural justice and social identity",
    "pjxsi_le": "the procedural justice × social identity interaction and legitimacy",
}
# What PROVENANCE.md documents of the file: the abstract's N, and the samples with each correlation.
TOTAL_N = 200_966
SAMPLES_PER_PAIR = {"pj_le": 152, "si_le": 22, "pj_si": 26, "pjxsi_le": 11}
# Study designs as the authors code them; their script counts longitudinal with cross-sectional (L to C) and
# repeated measures with experimental (R to E).
DESIGNS = {"C": "cross-sectional", "L": "longitudinal", "E": "experimental", "R": "repeated measures"}
# The smallest n with a Fisher z variance, 1 / (n - 3).
MIN_N = 4

_correlation = dict(dtype="float", nullable=True, min=-1, max=1)
_share = dict(dtype="float", nullable=True, min=0, max=1)
SCHEMA = Schema(
    "Chan, Bradford & Stott (2023) samples",
    (
        Column("sample_no", "int", min=1), Column("author", "str"), Column("year", "int", min=1900, max=2100),
        Column("n", "int", min=MIN_N),
        *(Column(pair, **_correlation) for pair in PAIRS),
        Column("published", "int", allowed=frozenset({0, 1}), allowed_label="0 (unpublished) or 1 (published)"),
        Column("place", "str"), Column("hdi", **_share), Column("design", "str", allowed=frozenset(DESIGNS)),
        Column("mean_age", "float", nullable=True, min=10, max=100),
        Column("male_percent", **_share), Column("minority_percent", **_share),
    ),
    unique=("sample_no",),
)


@cache.in_memory
def load() -> pd.DataFrame:
    """Every sample, checked against the schema and against the totals PROVENANCE.md documents (the n's sum to the
    abstract's 200,966; 152, 22, 26 and 11 samples give each correlation); the moderators' missing values stay
    missing."""
    path = locate(SAMPLES_FILE)
    df = validate(pd.read_csv(path), SCHEMA, str(path))
    if int(df["n"].sum()) != TOTAL_N:
        raise SchemaError(f"{path}: column 'n' sums to {int(df['n'].sum()):,}; expected {TOTAL_N:,}, the N of the "
                          "review's abstract: the file has changed")
    counts = {pair: int(df[pair].notna().sum()) for pair in PAIRS}
    if counts != SAMPLES_PER_PAIR:
        raise SchemaError(f"{path}: samples with each correlation {counts}; expected {SAMPLES_PER_PAIR}: "
                          "the file has changed")
    return df.assign(design_label=df["design"].map(DESIGNS))

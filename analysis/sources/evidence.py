"""The evidence register: the studies and figures the guide rests on, one row per figure, read and checked."""

from __future__ import annotations

import pandas as pd

from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, validate

# The register is a project file listed in the manifest; figures quoted from it name this id.
REGISTER_FILE = "evidence_register/register"

SCHEMA = Schema(
    "evidence register",
    (
        Column("id", "str"), Column("chapter", "str"), Column("claim", "str"), Column("study", "str"),
        Column("design", "str"), Column("measure", "str", nullable=True), Column("estimate", "float", nullable=True),
        Column("ci_low", "float", nullable=True), Column("ci_high", "float", nullable=True),
        Column("n", "float", nullable=True, min=0), Column("unit", "str", nullable=True),
        # source_url is where the text was read (sometimes a copy on a sharing site): never shown to readers.
        Column("source_url", "str", nullable=True), Column("citation_url", "str", nullable=True),
    ),
    unique=("id",),
)

def load_register() -> pd.DataFrame:
    """Every row of the register, checked against its schema."""
    path = locate(REGISTER_FILE)
    df = pd.read_csv(path)
    return validate(df, SCHEMA, str(path))

"""Evidence tables: published figures keep the precision they were published with."""

from __future__ import annotations

import pandas as pd

from analysis.present import evidence_tables
from analysis.sources.evidence import load_register


def test_published_figures_keep_their_precision():
    assert evidence_tables.published(33.8) == "33.8" and evidence_tables.published(200966.0) == "200,966"
    assert evidence_tables.published(0.12) == "0.12" and evidence_tables.published(74.0) == "74"
    assert isinstance(evidence_tables.table(load_register(), {}, ids=["E139"]), pd.DataFrame)

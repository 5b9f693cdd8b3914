"""Evidence tables: published figures keep the precision they were published with."""

from __future__ import annotations

import re

import pandas as pd

from analysis.present import evidence_tables
from analysis.sources.evidence import load_register


def test_published_figures_keep_their_precision():
    assert evidence_tables.published(33.8) == "33.8" and evidence_tables.published(200966.0) == "200,966"
    assert evidence_tables.published(0.12) == "0.12" and evidence_tables.published(74.0) == "74"
    assert isinstance(evidence_tables.table(load_register(), {}, ids=["E139"]), pd.DataFrame)


def test_a_compact_table_cites_each_primary_by_author_and_year():
    short = evidence_tables.short_citation
    assert short("Gill, C., Weisburd, D., Telep, C.W., Vitter, Z. and Bennett, T. (2014). Community-oriented "
                 "policing. Journal of Experimental Criminology, 10(4), 399-428.") == "Gill et al. (2014)"
    assert short("Braga, A.A. and Weisburd, D.L. (2020). Does hot spots policing have meaningful impacts?") == \
        "Braga and Weisburd (2020)"
    assert short("Quinton, P. (lead) (2025). Improving public confidence in the police.") == "Quinton (2025)"
    assert short("Home Office (27 Oct 2022). Police powers and procedures.") == "Home Office (2022)"
    # An "as reported by" note is not the primary; a citation without a year in brackets is given whole.
    assert short("Skogan, W.G. (2006). Asymmetry. (figure as reported by Bradford 2009)") == "Skogan (2006)"
    assert short("Hansard, House of Commons, 17 June 2008, Community Policing.") == \
        "Hansard, House of Commons, 17 June 2008, Community Policing."
    # Every citation in the register gets a short form with a year or is its primary given whole, never cut.
    for study in load_register()["study"].drop_duplicates():
        cited, (primary, _) = short(study), evidence_tables.split_citation(evidence_tables.plain(study))
        assert re.search(r"\((?:19|20)\d\d\)$", cited) or cited == primary, (study, cited)

"""The guide's five action areas beside a force: message, strongest evidence by effect on confidence, the force's
figures, and a plain sentence where the data cannot speak for the force."""

from __future__ import annotations

import re

import pytest

from analysis.chapters import at_a_glance as glance
from analysis.chapters import guide_and_force as guide
from analysis.methods import evidence_strength
from analysis.sources import forces


@pytest.mark.parametrize("force", ["kent", "city-of-london"])
def test_five_areas_each_with_its_message_evidence_and_the_force_s_figures(force):
    section = glance.guide_and_force(glance.at_a_glance(forces.resolve(force)), forces.resolve(force))
    frame = section.table.frame
    assert list(frame.iloc[:, 0]) == [a[0] for a in guide.AREAS]
    victims = frame.iloc[2, 3]
    assert "Victims' satisfaction with" in victims and "not in any data this book could obtain" in victims
    # The outcome test and the IOPC reviews are the measures table's rows, chosen by their ids as every measure is.
    assert "IOPC reviews of complaint outcomes upheld" in frame.iloc[4, 3]
    assert "Arrests after a search: Black minus White" in frame.iloc[3, 3]
    text = " ".join(frame.astype(str).to_numpy().ravel())
    assert not re.search(r"\b(because|caused by|due to|explains|as a result)\b", text)
    assert "th highest" not in text and "th lowest" not in text


def test_the_strongest_evidence_prefers_an_effect_on_confidence_to_one_about_crime():
    for _, prefix, *_ in guide.AREAS:
        best = guide.strongest(prefix)
        if evidence_strength.CRIME_NOTE in best["strength"]:
            rows = guide.evidence.table(prefix)
            assert rows["strength"].str.contains(evidence_strength.CRIME_NOTE, regex=False).all()
    # Neighbourhood policing: the hot-spot reviews grade higher, but on crime; the confidence evidence is shown.
    assert evidence_strength.CRIME_NOTE not in guide.strongest("1")["strength"]


def test_on_paper_each_area_is_a_block_with_the_advice_the_evidence_and_only_the_newest_figures():
    from bs4 import BeautifulSoup

    section = glance.guide_and_force(glance.at_a_glance(forces.resolve("kent")), forces.resolve("kent"))
    page = BeautifulSoup(section.table._repr_html_(), "html.parser")
    screen, paper = page.select_one(".pcp-screen-only"), page.select_one(".pcp-print-only")
    assert screen.select_one("table.pcp-table-areas") is not None and paper.select_one("table") is None
    blocks = paper.select(".pcp-area")
    assert [b.select_one("h3").get_text() for b in blocks] == [a[0] for a in guide.AREAS]
    text = [b.get_text() for b in blocks]
    # The strongest evidence by label and author-year citation; each measure at its newest period only.
    assert "Strongest evidence (Strong (no significant effect))" in text[0] and "Blair et al. (2021)" in text[0]
    assert "31 March 2026" in text[0] and "Police officers per 100,000 residents, 31 March 2023" not in text[0]
    assert "Police officers per 100,000 residents, 31 March 2023" in screen.get_text(" ")
    assert "2024/25" in text[1] and "2018/19" not in text[1].split("led to an arrest")[0]
    assert "not in any data this book could obtain" in text[2]
    # Each grade beside the finding's figures, or that the source states none; a case study is not advice.
    assert all("Its figures: " in t for t in text) and "Its figures: change in trust in the Chicago Police, Black residents" in text[4]
    assert not any(c in text[4] for c in guide.CASE_STUDIES)
    assert not re.search(r"\b(because|caused by|due to|explains|as a result)\b", " ".join(text))

"""The guide's five action areas beside a force: message, strongest evidence by effect on confidence, the force's
figures, and a plain sentence where the data cannot speak for the force."""

from __future__ import annotations

import re

import pytest

from analysis.chapters import at_a_glance as glance
from analysis.chapters import guide_and_force as guide
from analysis.methods import evidence_strength


@pytest.mark.parametrize("force", ["kent", "city-of-london"])
def test_five_areas_each_with_its_message_evidence_and_the_force_s_figures(force):
    section = glance.guide_and_force(glance.at_a_glance(force), force)
    frame = section.table.frame
    assert list(frame.iloc[:, 0]) == [a[0] for a in guide.AREAS]
    victims = frame.iloc[2, 3]
    assert "Victims' satisfaction with" in victims and "not in any data this book could obtain" in victims
    assert "complaint reviews upheld" in frame.iloc[4, 3] and "led to an arrest" in frame.iloc[3, 3]
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

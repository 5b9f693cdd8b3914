"""England and Wales excluding the Met: the other forces' events over their residents."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.methods import per_resident
from analysis.sources import forces


def test_a_rate_without_the_met_takes_its_events_and_residents_out_of_england_and_wales():
    events = pd.Series({forces.ENGLAND_AND_WALES: 1_000.0, forces.METROPOLITAN: 400.0, "E23000032": 50.0})
    residents = pd.Series({forces.ENGLAND_AND_WALES: 60_000.0, forces.METROPOLITAN: 9_000.0, "E23000032": 1_900.0})
    assert per_resident.rate_without_met(events, residents, 1000) == pytest.approx(1000 * 600 / 51_000)
    assert per_resident.rate_without_met(events, residents) == pytest.approx(600 / 51_000)

"""Family-wise and false-discovery-rate control against hand-worked values."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.methods import multiplicity


def test_holm_by_hand():
    # Three p-values of about 0.02 among 14 groups (chapter 3's case): Holm multiplies the smallest by 14, the
    # next by 13, ..., so none stays below 0.05.
    p = np.r_[0.018, 0.021, 0.024, np.full(11, 0.5)]
    adjusted = multiplicity.adjusted(p, multiplicity.HOLM)
    assert adjusted[0] == pytest.approx(14 * 0.018) and adjusted[1] == pytest.approx(13 * 0.021)
    assert not multiplicity.significant(p, multiplicity.HOLM).any()


def test_benjamini_hochberg_by_hand_and_missing_tests_left_out():
    # BH: the i-th smallest of m p-values times m/i, made monotone. m = 4 (the NaN is not a test).
    p = [0.01, 0.04, 0.03, np.nan, 0.5]
    adjusted = multiplicity.adjusted(p, multiplicity.FDR)
    assert adjusted[0] == pytest.approx(0.04) and adjusted[2] == pytest.approx(0.04 * 4 / 3)
    assert np.isnan(adjusted[3]) and list(multiplicity.significant(p, multiplicity.FDR)) == [True, False, False,
                                                                                              False, False]

def test_a_verdict_resting_on_the_correction_names_it_and_gives_p_before_it():
    p = [0.00127, 0.0001, 0.04, 0.3] + [0.5] * 36
    rests = multiplicity.rests_on_correction(p, multiplicity.FDR)
    # Significant before the correction and not after: only these say so.
    assert list(rests[:4]) == [False, False, True, False]
    # Two significant figures, so a reader can check 0.0013 against a threshold such as 0.05/40; the adjusted value.
    assert multiplicity.before_correction(0.00127, multiplicity.FDR, 40, "forces", after=0.0508) == (
        "after the Benjamini-Hochberg correction across 40 forces (p = 0.0013 before it, 0.051 after)")
    assert "(p = 0.022 before it)" in multiplicity.before_correction(0.022, multiplicity.HOLM, 14, "groups")
    # 0.0497 would read 0.050 at three places, as if it were not significant before the correction.
    assert "(p = 0.0497 before it)" in multiplicity.before_correction(0.0497, multiplicity.HOLM, 14, "groups")

"""Use of force tables: a changed layout is refused, naming the column."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import use_of_force


def test_use_of_force_with_a_missing_column_is_refused(altered):
    path = altered(use_of_force.FILES[2020])
    pd.read_csv(path).drop(columns="Mixed").to_csv(path, index=False)
    use_of_force.load.cache_clear()
    try:
        with pytest.raises(Exception, match=r"missing column\(s\) \['Mixed'\]"):
            use_of_force.load(2020)
    finally:
        use_of_force.load.cache_clear()

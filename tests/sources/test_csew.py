"""CSEW and MOPAC sources: the national series, the cross-check, breaks in the trend, the PAS boroughs."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.sources import csew, met_pas
from analysis.sources.periods import financial_year


@pytest.fixture(scope="module")
def series():
    return csew.load_national_series()


def test_csew_year_label():
    assert financial_year(2024) == "2023/24" and financial_year(2000) == "1999/00"


def test_series_covers_2003_04_to_2025_26_without_the_pandemic_years(series):
    conf = series[series["measure"] == "police_good_excellent_job"]["year_ending"]
    assert conf.min() == 2004 and conf.max() == 2026
    assert not set(config.COVID_GAP_YE) & set(series["year_ending"][series["measure"].isin(csew.SERIES_LABELS)])


def test_crosscheck_agrees_within_rounding_except_the_listed_value(series):
    check = csew.crosscheck(series, csew.load_headlines())
    assert len(check) >= 20
    disagree = check[~check["agrees"]]
    # RDU's 78% for 2015/16 against the extract's 78.7 (documented in PROVENANCE.md).
    assert list(zip(disagree["series"], disagree["survey_year"])) == [("Confidence in the local police", "2015/16")]
    assert (check.loc[check["agrees"], "difference"].abs() <= 0.6).all()


def test_trend_segments_never_bridge_a_break(series):
    trend = csew.trend_frame(series, list(csew.SERIES_LABELS))
    for segment, rows in trend.groupby("segment"):
        years = rows["year_ending"]
        assert not (years.min() <= config.COVID_GAP_YE[0] and years.max() >= config.COVID_GAP_YE[1]), segment
        if rows["measure"].iloc[0] in csew.BREAK_SERIES:
            assert years.max() < config.QUESTIONNAIRE_BREAK_YE or years.min() >= config.QUESTIONNAIRE_BREAK_YE, segment
    breaks = trend.attrs["breaks"]
    assert list(breaks["start"]) == [2011.5, 2020.5] and list(breaks["end"]) == [2011.5, 2022.5]


def test_pas_boroughs_normalised_and_spread_ordered():
    boroughs = met_pas.load_boroughs()
    assert boroughs["borough"].nunique() == 32
    spread = met_pas.spread(boroughs, met_pas.GOOD_JOB)
    assert len(spread) == 37
    assert ((spread["low"] <= spread["q1"]) & (spread["q1"] <= spread["q3"]) & (spread["q3"] <= spread["high"])).all()
    with pytest.raises(ValueError, match="Trust MPS"):
        met_pas.spread(boroughs, "No such measure")

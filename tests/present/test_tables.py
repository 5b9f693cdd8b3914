"""The number formatter and the table helper: rounding half away from zero, headers, intervals, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.present import glue, tables
from analysis.present.numbers import MINUS, fmt_difference, fmt_interval, fmt_number, format_spec


@pytest.mark.parametrize("value, decimals, expected", [
    (12.5, 0, "13"), (13.5, 0, "14"), (0.125, 2, "0.13"), (2.675, 2, "2.68"), (-12.5, 0, f"{MINUS}13"),
    (-0.4, 0, "0"), (-0.04, 1, "0.0"), (-1234.5, 0, f"{MINUS}1,235"), (1234567.891, 1, "1,234,567.9"), (np.int64(72), 0, "72"),
    (np.float64(72.0), 0, "72"), (0.5, 0, "1"), (1e-7, 2, "0.00"),
])
def test_fmt_number_rounds_half_away_from_zero(value, decimals, expected):
    assert fmt_number(value, decimals) == expected
    assert "{:.0f}".format(12.5) == "12"  # what Python's own format would have glued


def test_fmt_number_separators_and_bad_input():
    assert fmt_number(2008, 0, thousands=False) == "2008"
    assert fmt_number(12345.5, 0) == "12,346"
    assert fmt_interval(10.55, 12.45, 1) == "10.6 to 12.5"
    with pytest.raises(ValueError, match="missing number"):
        fmt_number(float("nan"), 1)
    with pytest.raises(TypeError, match="expects a number"):
        fmt_number("12", 0)
    with pytest.raises(ValueError, match="decimals"):
        fmt_number(1.0, -1)


def test_negative_figures_carry_a_true_minus_sign():
    assert fmt_interval(-0.24, 6.2, 1) == "\u22120.2 to 6.2"
    assert "-" not in fmt_number(-3.5, 1)


@pytest.mark.parametrize("value, reference, decimals, expected", [
    (215.6, 200.2, 0, "15.4"),  # shown as 216 and 200: "15" alone would disagree with the 16 a reader subtracts
    (215.4, 200.2, 0, "15"),  # 215 and 200: 15 agrees
    (19.04, 16.16, 1, "2.88"),  # 19.0 and 16.2: "2.9" would be rounded from the unrounded 2.88, yet disagree
    (19.0, 16.1, 1, "2.9"),
    (10.06, 0.04, 1, "10.02"),  # 10.1 and 0.0: at most one place more than the figures, never "10.020"
    (-0.24, 0.31, 1, "0.55"), (4203, 4163, 0, "40"),
    (12.3, 12.0, 0, "0.3"),  # both shown as 12: a difference there is, never "0 above"
])
def test_fmt_difference_agrees_with_what_a_reader_subtracts(value, reference, decimals, expected):
    shown = fmt_difference(value, reference, decimals)
    assert shown == expected
    assert len(shown.partition(".")[2]) <= decimals + 1
    printed = abs(float(fmt_number(value, decimals, False).replace(MINUS, "-"))
                  - float(fmt_number(reference, decimals, False).replace(MINUS, "-")))
    # Either it reads as the reader's own subtraction, or it carries the one extra place that says why it does not.
    assert shown == fmt_number(printed, decimals) or len(shown.partition(".")[2]) == decimals + 1
    assert float(shown.replace(",", "")) > 0


def test_format_spec_reads_chapter_formats_and_refuses_others():
    assert format_spec("{:.0f}") == (0, False)
    assert format_spec("{:,.1f}") == (1, True)
    with pytest.raises(ValueError, match=r"'\{:g\}' not understood"):
        format_spec("{:g}")


def test_glue_rounds_half_away_from_zero(monkeypatch):
    monkeypatch.setattr(glue, "glue", lambda *a, **k: None)
    figs = glue.Figures("test")
    assert figs.glue("a", 12.5, unit="%", datasets=[]) == "13"
    assert figs.glue("b", 0.125, unit="ratio", datasets=[], fmt="{:.2f}") == "0.13"
    assert figs.glue("c", 124999.5, unit="officers", datasets=[], fmt="{:,.0f}") == "125,000"
    assert [r["text"] for r in figs.records] == ["13", "0.13", "125,000"]


FRAME = pd.DataFrame({
    "force_name": ["Kent", "Essex & Southend"],
    "confidence_pct": [12.5, np.nan],
    "ci_low": [10.55, np.nan],
    "ci_high": [12.45, 14.0],
    "respondents": [72.0, 1234.0],
    "year": [2008, 2019],
    "url": ["https://example.org/a?b=1&c=2", None],
    "note": ["a long note that must be shown whole, never cut short with an ellipsis " * 3, None],
})


def _table(**kw):
    return tables.format_table(FRAME, decimals={"confidence_pct": 0, "ci_low": 1},
                               intervals={"95% CI": ("ci_low", "ci_high")}, links={"force_name": "url"},
                               headers={"confidence_pct": "Confidence (%)"}, **kw)


def test_headers_default_and_given():
    assert list(_table().frame.columns) == ["Force name", "Confidence (%)", "95% CI", "Respondents", "Year", "Note"]
    assert tables.header("pfa_code") == "Pfa code" and tables.header("95% CI") == "95% CI"


def test_cells_rounding_intervals_counts_missing_and_years():
    shown = _table().frame
    assert shown.iloc[0].tolist()[:5] == ["Kent", "13", "10.6 to 12.5", "72", "2008"]
    # A missing value is a dash, never NaN; an interval with one end missing is missing.
    assert shown.iloc[1].tolist()[:5] == ["Essex & Southend", "–", "–", "1,234", "2019"]
    assert shown.iloc[1]["Note"] == "–"
    assert _table(missing="not reported").frame.iloc[1]["95% CI"] == "not reported"


def test_html_has_no_index_links_escapes_and_is_stable():
    out = _table(caption="Example").html
    assert out == _table(caption="Example").html
    assert 'class="pcp-table"' in out and 'class="pcp-table-wrap"' in out
    assert "<th" in out and out.count("<th ") == 6  # six headers, no index column header
    assert "<tbody>\n<tr><td" in out  # rows start with data cells, no index cell
    assert '<a href="https://example.org/a?b=1&amp;c=2">Kent</a>' in out
    assert "Essex &amp; Southend</td>" in out  # no link where there is no URL
    assert "NaN" not in out and "nan" not in out and "…" not in out and "72.0" not in out
    assert FRAME.at[0, "note"].strip() in out
    assert 'data-label="95% CI" class="pcp-num">10.6 to 12.5<' in out
    assert 'aria-label="Example" tabindex="0"' in out


def test_tall_tables_and_bad_arguments():
    assert "pcp-table-tall" in _table(caption="Long", tall=True).html
    with pytest.raises(ValueError, match="needs a caption"):
        _table(tall=True)
    with pytest.raises(KeyError, match=r"no column\(s\) \['rate'\]"):
        tables.format_table(FRAME, decimals={"rate": 1})
    with pytest.raises(ValueError, match="'confidence_pct' holds fractional numbers"):
        tables.format_table(FRAME[["confidence_pct"]].fillna(1.5))

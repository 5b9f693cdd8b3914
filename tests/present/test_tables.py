"""The number formatter and the table helper: rounding half away from zero, headers, intervals, missing values."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from analysis.present import glue, tables
from analysis.present.numbers import MINUS, fmt_compared, fmt_interval, fmt_number, format_spec, is_zero, places


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
    (215.6, 200.2, 0, ("215.6", "200.2", "15.4")),  # never 216 and 200 with "15.4", nor "16" (review 3, Kent)
    (215.4, 200.2, 0, ("215", "200", "15")),  # 215 and 200: 15 agrees, all at the usual places
    (19.04, 16.16, 1, ("19.04", "16.16", "2.88")),  # 19.0 and 16.2 subtract to 2.8, the gap is 2.9: one place more
    (19.0, 16.1, 1, ("19.0", "16.1", "2.9")),
    (13.06, 3.04, 1, ("13.06", "3.04", "10.02")),  # Lancashire's searches: never "3.0 ... 13.1 ... up 10.02"
    (201.55, 182.06, 0, ("201.6", "182.1", "19.5")),  # North Yorkshire's PCSOs: never "202 to 182, 19.5 fewer"
    (-0.24, 0.31, 1, (f"{MINUS}0.24", "0.31", "0.55")), (4203, 4163, 0, ("4,203", "4,163", "40")),
    (12.3, 12.0, 0, ("12", "12", "0")),  # prints as 0: the caller says "about the same", never "0 above"
    # Neither the usual places nor one more agree: one more, and the printed figures' own difference (review 5, N1:
    # never Dyfed-Powys's "247.634 ... 200.377 ... 47.257").
    (247.634, 200.377, 0, ("247.6", "200.4", "47.2")), (1.559, 2.117, 0, ("1.6", "2.1", "0.5")),
])
def test_fmt_compared_prints_figures_a_reader_can_subtract(value, reference, decimals, expected):
    assert fmt_compared(value, reference, decimals) == expected


def test_fmt_compared_takes_no_extra_place_a_figure_cannot_bear():
    # A ratio rebuilt from rounded rates, or a survey estimate, keeps its measure's places (review 7, N4): never
    # "2.93 ... 3.16 ... up 0.23", and the difference is the printed figures' own.
    assert fmt_compared(3.16, 2.93, 1) == ("3.16", "2.93", "0.23")
    assert fmt_compared(3.16, 2.93, 1, finer=False) == ("3.2", "2.9", "0.3")
    assert fmt_compared(26.45, 21.64, 1, finer=False) == ("26.5", "21.6", "4.9")


def _read(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace(MINUS, "-"))


def test_every_compared_triple_subtracts_as_printed_at_one_place_more_at_most():
    # Sampled pairs at the scales the book prints (shares, rates, counts), decimals 0 to 2: the printed difference is
    # always the printed figures' own, all three at the same places, the usual places wherever they agree and never
    # more than one more; the difference is the unrounded one rounded, or within one in its last place of it.
    rng = np.random.default_rng(35)
    for _ in range(20_000):
        scale = 10.0 ** rng.integers(-1, 5)
        value, reference = (float(x) for x in rng.uniform(-scale, scale, 2).round(rng.integers(1, 6)))
        decimals = int(rng.integers(0, 3))
        shown = fmt_compared(value, reference, decimals)
        assert abs(_read(shown[0]) - _read(shown[1])) == _read(shown[2]), (value, reference, decimals, shown)
        assert len({places(t) for t in shown}) == 1 and places(shown[0]) in (decimals, decimals + 1)
        usual = [fmt_number(x, decimals) for x in (value, reference, abs(value - reference))]
        if abs(_read(usual[0]) - _read(usual[1])) == _read(usual[2]):
            assert list(shown) == usual, (value, reference, decimals, shown)
        unit = Decimal(1).scaleb(-places(shown[2]))
        assert abs(_read(shown[2]) - abs(Decimal(repr(value)) - Decimal(repr(reference)))) <= unit
        assert is_zero(shown[2]) == (_read(shown[0]) == _read(shown[1]))


def test_format_spec_reads_chapter_formats_and_refuses_others():
    assert format_spec("{:.0f}") == (0, False)
    assert format_spec("{:,.1f}") == (1, True)
    with pytest.raises(ValueError, match=r"'\{:g\}' not understood"):
        format_spec("{:g}")


def test_glue_rounds_half_away_from_zero(monkeypatch):
    monkeypatch.setattr(glue, "glue", lambda *a, **k: None)
    figs = glue.Figures("test")
    assert figs.glue("a", 12.5, unit="%", datasets=[], label="a") == "13"
    assert figs.glue("b", 0.125, unit="ratio", datasets=[], fmt="{:.2f}", label="b") == "0.13"
    assert figs.glue("c", 124999.5, unit="officers", datasets=[], fmt="{:,.0f}", label="c") == "125,000"
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
    # A missing value says so in words, never NaN nor a dash a reader must decode (issue 35); an interval with one end
    # missing is missing.
    assert shown.iloc[1].tolist()[:5] == ["Essex & Southend", "no figure", "no figure", "1,234", "2019"]
    assert shown.iloc[1]["Note"] == "no figure"
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

"""Chart layout: one legend per chart, labels wrapped not cut, widths that fit the column, the force marked."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import vl_convert

from analysis.present import lines, ranked, theme
from analysis.sources import forces

KENT, CUMBRIA = "E23000032", "E23000002"
CODES = [KENT, CUMBRIA, "E23000001", forces.ENGLAND_AND_WALES]
KW = {"name": "t", "description": "a test chart", "source": "none", "title": "A title"}


def _datasets_with(spec: dict, column: str, value) -> list[list[dict]]:
    return [rows for rows in spec["datasets"].values() if any(r.get(column) == value for r in rows)]


def _text_layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if (layer.get("mark", {}) or {}).get("type") == "text"]


def _legends(spec: dict) -> int:
    vega = vl_convert.vegalite_to_vega(json.loads(json.dumps(spec).replace('"container"', "500")))

    def count(node) -> int:
        if isinstance(node, dict):
            return len(node.get("legends", [])) + sum(count(v) for v in node.values())
        return sum(count(v) for v in node) if isinstance(node, list) else 0

    return count(vega)


def intervals() -> pd.DataFrame:
    return pd.DataFrame({"pfa_code": CODES, "value": [2.0, 3.0, 4.0, 2.5], "ci_low": [1.5, 2, 3, 2.4],
                         "ci_high": [2.5, 4, 5, 2.6]})


@pytest.mark.parametrize("highlight", [KENT, "Kent Police", "kent"])
def test_ranked_intervals_draws_the_highlighted_force_in_its_own_colour_and_shape_and_names_it(highlight):
    spec = ranked.ranked_intervals(intervals(), x_title="x", highlight=highlight, **KW).to_dict()
    dots = spec["layer"][1]["encoding"]
    colours = dict(zip(dots["color"]["scale"]["domain"], dots["color"]["scale"]["range"]))
    shapes = dict(zip(dots["shape"]["scale"]["domain"], dots["shape"]["scale"]["range"]))
    assert colours == {theme.OTHER_FORCES: theme.PALETTE[0], theme.NATIONAL: theme.PALETTE[5], "Kent": "#000000"}
    assert shapes == {theme.OTHER_FORCES: "circle", theme.NATIONAL: "diamond", "Kent": "square"}
    label = _text_layers(spec)[0]
    assert label["encoding"]["text"]["field"] == "area"
    assert [r["area"] for r in spec["datasets"][label["data"]["name"]]] == ["Kent"]


def test_without_a_highlight_only_england_and_wales_is_marked_and_no_force_is_named():
    spec = ranked.ranked_intervals(intervals(), x_title="x", **KW).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == [theme.OTHER_FORCES, theme.NATIONAL]
    assert spec["datasets"][_text_layers(spec)[0]["data"]["name"]] == []


def test_force_rows_are_named_with_short_names_and_an_unknown_code_is_refused():
    spec = ranked.ranked_intervals(intervals(), x_title="x", **KW).to_dict()
    names = {r["area"] for rows in spec["datasets"].values() for r in rows if "area" in r}
    assert names == {"Kent", "Cumbria", "Metropolitan Police", "England and Wales"}
    with pytest.raises(KeyError, match="E23000999"):
        ranked.ranked_intervals(intervals().assign(pfa_code=["E23000999", *CODES[1:]]), x_title="x", **KW)
    with pytest.raises(KeyError, match="pfa_code"):
        ranked.ranked_intervals(intervals().drop(columns="pfa_code"), x_title="x", **KW)


def test_labelled_bars_of_forces_mark_and_name_the_highlighted_force():
    df = pd.DataFrame({"pfa_code": CODES[:3], "value": [30.0, 20.0, 10.0],
                       "comparison": ["higher", "similar", "lower"]})
    spec = ranked.labelled_bars(df, x_title="%", colour_by="comparison", highlight=CUMBRIA, **KW).to_dict()
    text = _text_layers(spec)[0]
    assert "← " in text["transform"][0]["calculate"] and "datum.marker" in text["transform"][0]["calculate"]
    assert _datasets_with(spec, "marker", "Cumbria")
    point = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert point["encoding"]["shape"]["scale"]["range"][-1] == "square"


def test_ranked_changes_mark_the_highlighted_force_and_england_and_wales():
    rows = [{"pfa_code": c, "moment": m, "value": v, "order": 1.0 + i}
            for i, c in enumerate(CODES) for m, v in (("2010", 200.0), ("2022", 180.0 + i))]
    spec = ranked.ranked_changes(pd.DataFrame(rows), x_title="x", highlight=KENT, **KW).to_dict()
    assert spec["resolve"]["scale"] == {"color": "independent", "shape": "independent"}
    label = _text_layers(spec)[0]
    assert [r["area"] for r in spec["datasets"][label["data"]["name"]]] == ["Kent"]
    assert _legends(spec) == 1  # the moments' legend only


def test_yearly_lines_of_forces_take_the_house_force_colours():
    df = pd.DataFrame({"year": [2020, 2021] * 2, "value": [1.0, 2, 3, 4], "flagged": False,
                       "pfa_code": [KENT, KENT, forces.ENGLAND_AND_WALES, forces.ENGLAND_AND_WALES],
                       "series": ["Kent", "Kent", "England and Wales", "England and Wales"]})
    spec = lines.yearly_lines(df, y_title="y", highlight=KENT, **KW).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"])) == {"Kent": "#000000", "England and Wales": theme.PALETTE[5]}


def test_colour_and_shape_of_the_same_series_make_one_legend():
    df = pd.DataFrame({"year_ending": [2020, 2021] * 2, "value_pct": [50.0, 52, 60, 61], "segment": 1,
                       "csew_year": ["2019/20", "2020/21"] * 2,
                       "series": ["Local police do a good job"] * 2 + ["Confidence in the local police"] * 2})
    spec = lines.trend_with_breaks(df, **KW).to_dict()
    assert _legends(spec) == 1
    assert spec["config"]["legend"]["labelLimit"] == 0 and spec["config"]["axis"]["labelLimit"] == 0


def test_long_labels_are_wrapped_never_cut():
    expr = theme.wrapped_labels(pd.Series(["White", "Black/African/Caribbean/Black British"]))
    lines = json.loads(expr.split("[datum.label]")[0])
    assert lines == {"Black/African/Caribbean/Black British": ["Black/African/", "Caribbean/Black British"]}
    assert theme.wrapped_labels(pd.Series(["White"])) == "datum.label"


def test_titles_are_broken_into_lines_that_fit_the_column():
    long = "Searches per 1,000 Black residents over searches per 1,000 White residents (2011 Census); whiskers"
    spec = ranked.ranked_intervals(intervals(), x_title="x", subtitle=long, **KW).to_dict()
    assert all(len(line) <= theme.SUBTITLE_CHARS for line in spec["title"]["subtitle"])
    assert " ".join(spec["title"]["subtitle"]) == long


def test_single_view_charts_take_the_column_width_and_facets_stack_in_one_column():
    spec = ranked.ranked_intervals(intervals(), x_title="x", **KW).to_dict()
    assert spec["width"] == "container"
    groups = pd.DataFrame({"measure": ["m"] * 2, "breakdown": ["Sex"] * 2, "group": ["Male", "Female"],
                           "pct": [50.0, 52], "ci_low_pct": [48.0, 50], "ci_high_pct": [52.0, 54],
                           "comparison": ["similar"] * 2, "ref_pct": [51.0] * 2})
    facet = ranked.estimates_with_ci(groups, reference_label="all adults", **KW).to_dict()
    assert facet["columns"] == 1 and facet["spec"]["width"] == theme.FACET_WIDTH


PHONE_COLUMN = 342  # pixels: the text column at 390 px (tests/gates/browser.PHONE), measured in Chromium


def test_stacked_panels_each_carry_their_own_axis_and_fit_a_phone_unscaled():
    groups = ["Asian/Asian British", "Black/African/Caribbean/Black British", "White", "Female", "Male"]
    df = pd.DataFrame([{"measure": m, "breakdown": "Ethnic group" if g[0] in "ABW" else "Sex", "group": g,
                        "pct": 70.0, "ci_low_pct": 65.0, "ci_high_pct": 75.0, "comparison": "similar", "ref_pct": 70.0}
                       for m in ["Would treat you with respect", "Confidence in the local police"] for g in groups])
    spec = ranked.estimates_with_ci(df, reference_label="all adults", **KW).to_dict()
    vega = vl_convert.vegalite_to_vega(spec)
    cell = next(mark for mark in vega["marks"] if mark.get("name") == "cell")
    # An x axis with its labels in every panel, not only grid lines there and one labelled axis under the last.
    assert any(axis["orient"] == "bottom" and axis.get("labels", True) for axis in cell["axes"])
    assert float(re.search(r'<svg[^>]* width="([\d.]+)"', vl_convert.vegalite_to_svg(spec)).group(1)) <= PHONE_COLUMN
    titles = json.loads(spec["facet"]["header"]["labelExpr"].removesuffix("[datum.label]"))
    assert titles["Confidence in the local police, by ethnic group"] == ["Confidence in the local police,",
                                                                         "by ethnic group"]
    assert all(len(line) <= theme.FACET_HEADER_CHARS for lines in titles.values() for line in lines[1:])


def test_the_whole_area_among_its_parts_is_marked_by_its_own_name_never_as_england_and_wales():
    df = pd.DataFrame({"label": ["Kent Police", "Medway", "Swale"], "value": [60.0, 65, 55], "ci_low": [58.0, 60, 50],
                       "ci_high": [62.0, 70, 60], "highlight": [True, False, False]})
    spec = ranked.ranked_intervals(df, x_title="x", log=False, **KW).to_dict()
    rows = max(spec["datasets"].values(), key=len)
    assert {r["label"]: r["marker"] for r in rows} == {"Kent Police": "Kent Police", "Medway": theme.OTHER_FORCES,
                                                       "Swale": theme.OTHER_FORCES}
    assert [r["area"] for r in spec["datasets"][_text_layers(spec)[0]["data"]["name"]]] == ["Kent Police"]


def test_a_series_that_is_no_single_area_takes_a_colour_and_shape_no_force_marker_uses():
    df = pd.DataFrame({"year": [2020, 2021] * 3, "value": [1.0, 2, 3, 4, 5, 6], "flagged": False,
                       "pfa_code": [KENT] * 2 + [forces.ENGLAND_AND_WALES] * 2 + [None] * 2,
                       "series": ["Kent"] * 2 + ["England and Wales"] * 2 + ["Comparable forces (average)"] * 2})
    spec = lines.yearly_lines(df, y_title="y", highlight=KENT, **KW).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    shape = spec["layer"][1]["encoding"]["shape"]["scale"]["range"]
    assert colour[2] not in theme.FORCE_COLOURS and shape[2] not in theme.FORCE_SHAPES
    assert len(set(zip(colour, shape))) == 3


def test_groups_of_one_area_are_not_styled_as_areas():
    df = pd.DataFrame({"year_ending": [2020, 2021] * 2, "value": [1.0, 2, 3, 4], "ci_low": 0.5, "ci_high": 5.0,
                       "pfa_code": forces.ENGLAND_AND_WALES, "series": ["Black/White"] * 2 + ["Asian/White"] * 2})
    spec = lines.lines_with_bands(df, y_title="y", **KW).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == theme.PALETTE[:2]


def _layers_of(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if (layer.get("mark", {}) or {}).get("type") == mark]


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _ratios_with_a_lone_year() -> pd.DataFrame:
    """Kent and England and Wales over three years, 2025 after a break: a segment of one year each."""
    return pd.DataFrame({"pfa_code": [KENT] * 3 + [forces.ENGLAND_AND_WALES] * 3, "year_ending": [2018, 2019, 2025] * 2,
                         "series": ["Kent"] * 3 + ["England and Wales"] * 3, "value": [2.0, 2.5, 3.0, 4.0, 4.2, 3.6],
                         "ci_low": [1.5, 2.0, 2.2, 3.9, 4.1, 3.5], "ci_high": [2.6, 3.1, 4.1, 4.1, 4.3, 3.7],
                         "segment": ["k:0", "k:0", "k:1", "e:0", "e:0", "e:1"]})


def test_a_year_joined_to_no_other_draws_its_interval_as_a_bar_and_joined_years_as_a_band():
    df = _ratios_with_a_lone_year()
    spec = lines.lines_with_bands(df, y_title="y", highlight=KENT, **KW).to_dict()
    [bars] = _layers_of(spec, "errorbar")
    assert bars["mark"]["ticks"] and bars["encoding"]["y2"]["field"] == "ci_high"
    assert [(r["series"], r["ci_low"], r["ci_high"]) for r in _rows(spec, bars)] == [("Kent", 2.2, 4.1),
                                                                                      ("England and Wales", 3.5, 3.7)]
    assert lines.intervals_key(df) == "Shaded (a bar where a year is joined to no other): 95% intervals"
    assert lines.intervals_key(df[df["year_ending"] < 2025]) == "Shaded: 95% intervals"


def test_a_log_axis_spans_what_is_drawn_not_the_powers_of_ten_around_it():
    df = _ratios_with_a_lone_year()
    spec = lines.lines_with_bands(df, y_title="y", reference=1.0, **KW).to_dict()
    [band] = _layers_of(spec, "area")
    low, high = band["encoding"]["y"]["scale"]["domain"]
    # Every interval and the reference rule inside, within a factor of 1.25 of the lowest and highest drawn.
    assert 1.0 / 1.25 <= low < 1.0 and 4.3 < high <= 4.3 * 1.25
    assert band["encoding"]["y"]["scale"]["nice"] is False
    assert band["encoding"]["y"]["axis"]["values"] == [1.0, 2.0, 3.0]  # 1, parity, labelled


def _searches_with_a_lone_year() -> pd.DataFrame:
    """Searches per 1,000 to 2019, then 2025 alone after a gap, the force and England and Wales close in 2025."""
    years = [2015, 2016, 2017, 2018, 2019, 2025]
    return pd.DataFrame({"year": years * 2, "value": [5.3, 4.5, 4.2, 3.3, 3.4, 8.0, 9.3, 6.6, 5.2, 4.8, 6.4, 8.3],
                         "pfa_code": [KENT] * 6 + [forces.ENGLAND_AND_WALES] * 6,
                         "series": ["Kent"] * 6 + ["England and Wales"] * 6,
                         "segment": ["k:0"] * 5 + ["k:1"] + ["e:0"] * 5 + ["e:1"]})


def test_a_lone_point_after_a_gap_is_labelled_with_its_value_clear_of_the_other_series_and_of_the_edge():
    spec = lines.yearly_lines(_searches_with_a_lone_year(), y_title="y", highlight=KENT, fmt=".1f", **KW).to_dict()
    [text] = _text_layers(spec)
    labels = {r["label"]: r for r in _rows(spec, text)}
    assert set(labels) == {"Kent", "England and Wales", "8.0", "8.3"}
    assert labels["8.0"]["year"] == labels["8.3"]["year"] == 2025
    assert text["mark"]["color"] == "#000"
    # The two values 0.3 apart are written at least the label gap apart, in the order of their points.
    gap = lines.LABEL_GAP * 9.3
    assert labels["8.3"]["label_y"] - labels["8.0"]["label_y"] >= gap - 1e-9
    # The last year is not on the plot's edge: the x domain runs past it.
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"]["domain"][0] == 2015 and x["scale"]["domain"][1] > 2025
    assert x["axis"]["values"][-1] == 2025
    # The force's points are drawn over England and Wales's.
    [points] = _layers_of(spec, "point")
    assert points["encoding"]["order"]["field"] == "front"
    assert points["transform"] == [{"calculate": 'indexof(["Kent"], datum.series)', "as": "front"}]


def test_line_end_labels_that_would_touch_are_moved_apart_and_others_stay_put():
    placed = lines.spread(pd.Series([255.0, 243.0, 405.0]), gap=25.0)
    assert placed.tolist() == pytest.approx([261.5, 236.5, 405.0])
    assert lines.spread(pd.Series([1.0, 2.0, 2.1, 2.2]), gap=0.5).tolist() == pytest.approx([1.0, 1.6, 2.1, 2.6])

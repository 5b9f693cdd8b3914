"""The compare page's data and markup, without a browser: the newest period per measure, missing kept missing, the
embedded JSON unable to end its script element, a map area per force."""

from __future__ import annotations

import dataclasses
import html
import json
import re

import pandas as pd

from analysis.publish import compare
from tests.fixtures import force_measures_table as fixture


def test_each_measure_carries_its_newest_period_and_missing_stays_missing():
    data = compare.page_data(fixture.table(), fixture.MEASURES)
    assert [m["id"] for m in data["measures"]] == list(fixture.MEASURES)
    officers = data["measures"][0]
    kent, city = officers["rows"][fixture.CODES["kent"]], officers["rows"][fixture.CODES["city-of-london"]]
    # Kent's older row (31 March 2024) is not the one compared.
    assert officers["period"] == kent["period"] == "31 March 2025" and kent["value"] == 221.457
    assert city["value"] is None and city["reason"].startswith("City of London")
    assert len(data["forces"]) == 43 and data["forces"][0]["name"] == "Avon and Somerset Police"


def test_the_embedded_json_escapes_markup_and_reads_back_the_same():
    data = compare.page_data(fixture.table(), fixture.MEASURES)
    text = compare.embedded_json(data)
    assert not re.search(r"[<>&]", text) and "\\u003c!--\\u003cscript\\u003e" in text
    assert json.loads(text) == json.loads(json.dumps(data))


def test_the_page_has_no_hostile_text_outside_its_escaped_data_and_a_map_area_per_force():
    page = compare.page(fixture.table(), fixture.MEASURES, [("index.html", "National book <b>")], "_static/")
    assert fixture.HOSTILE not in page and "<!--" not in page
    assert page.count("<script") == 2 and "National book &lt;b&gt;" in page
    assert len(re.findall(r'<path data-code="[EW]\d{8}"', page)) == 43
    assert 'id="summary" class="summary" role="status" aria-live="polite"' in page


def test_a_national_figure_and_a_measure_no_force_has_are_no_section():
    # A national count the dashboard shows (by_force: false), and a measure whose newest period no force has.
    table = fixture.table()
    national = table[table["measure_id"] == "officers_per_100k"].assign(measure_id="deaths_national", value=None)
    empty = table[table["measure_id"] == "confidence_pct"].assign(measure_id="nobody", value=None)
    measures = {**fixture.MEASURES, "deaths_national": {**fixture.MEASURES["officers_per_100k"], "by_force": False},
                "nobody": fixture.MEASURES["confidence_pct"]}
    data = compare.page_data(pd.concat([table, national, empty], ignore_index=True), measures)
    assert [m["id"] for m in data["measures"]] == list(fixture.MEASURES)
    assert all(any(r["value"] is not None for r in m["rows"].values()) for m in data["measures"])


def test_the_map_is_a_list_of_its_areas_named_in_alphabetical_order_with_names_escaped(monkeypatch):
    real = compare.forces.get
    hostile = {fixture.CODES["kent"]: fixture.HOSTILE}
    monkeypatch.setattr(compare.forces, "get", lambda code: dataclasses.replace(
        real(code), name=hostile.get(code, real(code).name)))
    svg = compare.force_map()
    assert svg.startswith('<svg id="force-map"') and 'role="listbox" aria-multiselectable="true"' in svg
    areas = re.findall(r'<path data-code="([EW]\d{8})" role="option" aria-selected="false" d="[^"]+"><title>([^<]*)'
                       r"</title></path>", svg)
    assert len(areas) == 43 and fixture.HOSTILE not in svg
    names = [html.unescape(name) for _, name in areas]
    assert names == sorted(names) and fixture.HOSTILE in names

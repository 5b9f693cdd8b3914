"""The chapter's list of numbers for readers, and the figure register the build writes."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis.present import glue, register, theme
from analysis.present.glue import Figure, Section
from analysis.sources import manifest
from analysis.sources.evidence import REGISTER_FILE

SERIES = "ons_perceptions_series_thirdparty_extract/perceptions_long"


@pytest.fixture
def figs(monkeypatch):
    monkeypatch.setattr(glue, "glue", lambda *a, **k: None)
    return glue.Figures("01-trust-and-confidence")


def test_records_keep_the_register_fields_and_a_label_in_words(figs):
    figs.glue("conf_first", 63.4, unit="%", datasets=[SERIES], label="Confidence in the local police, 2005/06")
    first, = figs.records
    assert set(first) == {"key", "value", "text", "unit", "label", "chapter", "datasets", "kind", "grade"}
    assert first["grade"] == manifest.raw_file(SERIES).grade and first["kind"] == register.DATUM
    assert first["label"] == "Confidence in the local police, 2005/06" and first["text"] == "63"
    # A figure without a label would reach the chapter's list of numbers named by its key: refused.
    with pytest.raises(ValueError, match="'conf_first_year' in chapter 01-trust-and-confidence has no label"):
        figs.add(Section(None, None, [Figure("conf_first_year", "2005/06", "CSEW year", [SERIES])]))


def test_glue_refuses_a_dataset_not_in_the_manifest(figs):
    with pytest.raises(ValueError, match=r"names dataset\(s\) \['csew/nope'\] that are not in manifest.yml"):
        figs.glue("x", 1, unit="%", datasets=["csew/nope"], label="x")


def test_numbers_table_for_readers(figs):
    for i in range(25):
        figs.glue(f"n_{i}", 1000.5 + i, unit="%" if i % 2 else "officers", datasets=[SERIES, REGISTER_FILE],
                  fmt="{:,.0f}", label=f"Figure number {i}")
    table = register.numbers_table(figs.records)
    shown = table.frame
    # No column of keys: a reader sees no code. Each row carries its key where a check finds it.
    assert list(shown.columns) == ["What it is", "Figure", "Computed from"]
    assert len(shown) == 25  # the whole list, never "25 rows x 4 columns"
    # The register's rows are transcribed, so every figure says so beside it.
    assert shown.iloc[0]["Figure"] == "1,001 officers (transcribed)"
    assert shown.iloc[1]["Figure"] == "1,002% (transcribed)"
    series = manifest.raw_file(SERIES)
    assert f"{series.title} ({series.period})" in shown.iloc[0]["Computed from"]
    assert SERIES not in table.html  # datasets by title and period, not by id
    assert '<tr data-pcp-keys="n_0">' in table.html and "<code>" not in table.html
    assert not any("n_0" in str(cell) for cell in shown.to_numpy().ravel())
    assert "pcp-table-tall" in table.html and "…" not in table.html and ">Key<" not in table.html


def test_every_number_links_each_chapter(figs):
    figs.glue("z", 1.96, unit="standard errors", datasets=[], fmt="{:.2f}", label="z")
    table = register.every_number(figs.records)
    assert '<a href="01-trust-and-confidence.html">1. Trust and confidence</a>' in table.html
    assert table.frame.iloc[0]["Computed from"] == "the book's own method settings, not data"
    assert register.chapter_title("appendix-data-and-methods") == "Appendix data and methods"


def test_register_is_collected_from_outputs_and_written_deterministically(figs, tmp_path):
    figs.glue("a", 12.5, unit="%", datasets=[SERIES], label="A figure")
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/plain": "x"}, metadata={register.METADATA_KEY: figs.records})]))
    path = tmp_path / "01-trust-and-confidence.ipynb"
    nbformat.write(nb, path)
    records = register.collect([path])
    target = tmp_path / "figures" / "national.json"
    register.write_register(records, target)
    first = target.read_bytes()
    register.write_register(register.collect([path]), target)
    assert target.read_bytes() == first
    saved = json.loads(first)
    assert saved == [{"chapter": "01-trust-and-confidence", "datasets": [SERIES], "key": "a", "label": "A figure",
                      "grade": "third-party extract", "kind": "datum", "text": "13", "unit": "%", "value": 12.5}]


def test_a_national_section_is_made_and_drawn_once_and_each_caller_gets_its_own_table():
    import altair as alt
    import pandas as pd

    made = []

    @glue.national
    def section(path=None) -> Section:
        made.append(path)
        chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
        return Section(pd.DataFrame({"a": [1]}), theme.finish(chart, name="toy", source="s", description="Two dots"),
                       [Figure("toy_n", 2, "dots", [SERIES])])

    first, second = section(), section()
    assert made == [None]  # made once
    first.table.loc[0, "a"] = 99
    first.figures.clear()
    assert second.table.at[0, "a"] == 1 and len(second.figures) == 1  # no caller changes what the next one gets
    bundle = first.chart._repr_mimebundle_()
    assert 'aria-label="Two dots"' in bundle["text/html"] and second.chart._repr_mimebundle_() is bundle  # drawn once
    assert second.chart.to_dict()["description"] == "Two dots"  # still the chart for everything else
    section("own-file.csv")
    assert made == [None, "own-file.csv"]  # a force's own file: made afresh


def test_a_figure_takes_the_lowest_grade_of_its_sources_and_readers_see_the_marked_ones(figs):
    figs.glue("official", 1.0, unit="%", datasets=["mid_year_population_lad23_2011_2023/mye_2011_2023"], label="o")
    figs.glue("mixed", 2.0, unit="%", datasets=["mid_year_population_lad23_2011_2023/mye_2011_2023",
                                                "force_indicators_thirdparty_2026/indicators"], label="m")
    figs.glue("own", 3.0, unit="%", datasets=["local survey.csv"], label="f")
    grades = {r["key"]: r["grade"] for r in figs.records}
    assert grades == {"official": "official", "mixed": "third-party extract", "own": "the force's own file"}
    shown = register.numbers_table(figs.records).frame["Figure"].tolist()
    assert shown == ["1%", "2% (third-party extract)", "3%"]

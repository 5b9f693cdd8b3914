"""The appendix's figures as the numbers table grades them: the book's own settings cite no data and take no grade, the
book's counts of its citations cite its evidence register and take no grade, and every label reads on its own."""

from __future__ import annotations

import pytest

from analysis.chapters import appendix
from analysis.present import glue, register
from analysis.sources.evidence import REGISTER_FILE


@pytest.fixture
def records(monkeypatch):
    monkeypatch.setattr(glue, "glue", lambda *a, **k: None)
    figs = glue.Figures("appendix-data-and-methods")
    for section in (appendix.settings(), appendix.key_point_rules(), appendix.methods(),
                    appendix.comparable_forces(), appendix.recomputable_section()):
        figs.add(section)
    return {r["key"]: r for r in figs.records}


@pytest.mark.parametrize("key", ["unknown_limit", "cf_n_features", "cf_n_comparable", "census_fit_first",
                                 "census_fit_last", "kp_change"])
def test_a_method_setting_shows_no_data_source_and_no_grade(records, key):
    r = records[key]
    assert (r["kind"], r["datasets"], r["grade"]) == (register.SETTING, [], "")


def test_a_count_of_the_books_citations_cites_its_register_with_no_grade(records):
    counts = [r for r in records.values() if r["key"].startswith("reviews_")]
    assert len(counts) == 4
    for r in counts:
        assert (r["kind"], r["datasets"], r["grade"]) == (register.OWN_COUNT, [REGISTER_FILE], ""), r["key"]
        assert "this book cites" in r["label"]
    assert records["census_2021_day"]["kind"] == register.NAME and not records["census_2021_day"]["grade"]
    # A figure the data give keeps its grade.
    assert records["cf_forces"]["kind"] == register.DATUM and records["cf_forces"]["grade"]


def test_every_label_reads_on_its_own(records):
    for r in records.values():
        assert r["label"][:1].isupper() or r["label"][:1].isdigit(), r["key"]

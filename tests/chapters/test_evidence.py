"""Each chapter's evidence: one row per finding under the guide's messages, subgroups shown, links only to
citations, and the register figures the text quotes."""

from __future__ import annotations

import pytest

from analysis.chapters import evidence
from analysis.present import evidence_tables
from analysis.sources.evidence import REGISTER_FILE, load_register


def table(register, **rows):
    """A chapter's evidence table, with the chapters' messages."""
    return evidence_tables.table(register, evidence.MESSAGES, **rows)


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.mark.parametrize("prefix, extra", [("1", None), ("2", ["E103", "E104", "E105"]), ("3", None), ("4", None),
                                           ("5", None), ("6", None)])
def test_each_register_row_appears_once(register, prefix, extra):
    tab = table(register, chapter_prefix=prefix, ids=extra)
    shown = [i for ids in tab["ids"] for i in ids.split(", ")]
    wanted = register[register["chapter"].str.startswith(prefix) | register["id"].isin(extra or [])]["id"]
    assert sorted(shown) == sorted(wanted)


def test_design_only_rows_fold_into_their_study(register):
    tab = table(register, chapter_prefix="1").set_index("ids")
    peyton = tab.loc["E063, E064, E065, E066, E067, E068, E069"]
    assert "households in intervention arm (same in control): 926 households" in peyton["sample_size"]
    assert not any(t.startswith("Households randomised") for t in tab["finding"])
    # A review's size is its sample, not a finding of its own.
    two = table(register, chapter_prefix="2").set_index("ids")
    assert two.loc["E078, E079", "sample_size"] == "studies pooled: 123 studies<br>participants pooled: 200,966 persons"


def test_ranges_merge_and_subgroups_are_named(register):
    tab = table(register, chapter_prefix="3").set_index("ids")
    assert tab.loc["E101, E102", "figures"] == "ratio of negative to positive contact effect: 4 to 14 times"
    crime = tab.loc["E087, E088, E089, E090", "figures"]
    for subgroup, value in [("domestic burglary", "62%"), ("violence", "58%"), ("bicycle theft", "41%"),
                            ("theft from the person", "26%")]:
        assert f"victim satisfaction, {subgroup}, YE Mar 2025: {value} of incidents" in crime
    assert "aged 16-24, YE Mar 2025: 32%" in tab.loc["E091, E092, E093, E094", "figures"]
    # A range published as two rows is found even where the chapter has no curated messages.
    assert table(register, chapter_prefix="5").set_index("ids").loc["E132, E133", "figures"].endswith(
        "55 to 60%")


def test_missing_estimates_are_said_plainly(register):
    tab = table(register, chapter_prefix="2", ids=["E103"]).set_index("ids")
    assert tab.loc["E077", "figures"].endswith(": not retrieved")
    assert "E103" in tab.index  # a named row from another chapter joins the table


def test_new_messages_are_grouped(register):
    two = table(register, chapter_prefix="2", ids=["E103", "E104", "E105"])
    under = two[two["message"] == "Under-protection and the confidence gap"]["ids"].str.split(", ").explode()
    assert set(under) == {f"E{i}" for i in range(151, 163)} - {"E160"}
    one = table(register, chapter_prefix="1")
    solving = one[one["message"] == "Solving problems with partners"]["ids"].str.split(", ").explode()
    assert set(solving) == {f"E{i}" for i in range(146, 151)}


def test_links_go_to_citations_never_to_source_copies(register):
    for prefix in "123456":
        html = evidence_tables.styled(table(register, chapter_prefix=prefix))._repr_html_()
        rows = register[register["chapter"].str.startswith(prefix)]
        for url in rows["source_url"].dropna():
            if url not in set(rows["citation_url"].dropna()):
                assert url not in html, (prefix, url)
        for url in rows["citation_url"].dropna():
            assert f'href="{url}"' in html.replace("&amp;", "&")
    # A study with no citation URL is shown without a link.
    html = evidence_tables.styled(table(register, ids=["E170"]))._repr_html_()
    assert "Slothower" in html and "<a " not in html


def test_tables_are_captioned_capped_and_say_design_sample_and_rows(register):
    shown = evidence_tables.styled(table(register, chapter_prefix="1"))
    html = shown._repr_html_()
    assert html.count("<caption>") == 3 and html.count("pcp-table-tall") == 3
    assert "NaN" not in html and "nan<" not in html
    assert ("Design: RCT (block-randomised households)<br>Sample: 2,013<br>households in intervention arm (same in "
            "control): 926 households") in html
    assert "<small>Register: E063, E064, E065, E066, E067, E068, E069</small>" in html
    assert [list(p.frame.columns) for p in shown.parts][0][:3] == ["Finding", "What was measured (group, period): "
                                                                   "figure", "Strength"]


def test_quoted_figures_are_the_register_values(register, monkeypatch):
    by_id = register.set_index("id")
    for prefix, wanted in evidence.QUOTED.items():
        section = evidence.quoted(prefix)
        for f in section.figures:
            row_id, column, _ = wanted[f.key]
            assert f.value == pytest.approx(by_id.at[row_id, column])
            assert f.datasets == [REGISTER_FILE] and f.label
    units = {f.key: f.unit for f in evidence.quoted("1").figures}
    assert units == {"ev_pop_reduction": "%", "ev_pop_uk": "studies", "ev_pop_first_review": "studies"}


def test_quoting_a_missing_estimate_is_refused(monkeypatch):
    monkeypatch.setitem(evidence.QUOTED, "9", {"x": ("E165", "estimate", "no estimate")})
    with pytest.raises(ValueError, match="row E165 has no estimate"):
        evidence.quoted("9")

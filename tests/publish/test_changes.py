"""What changed since an earlier edition: figure by figure, with the reason, and the page an edition shows."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt

from analysis import config
from analysis.measures import force_measures as fm
from analysis.publish import changes, landing

BEFORE = [
    {"chapter": "at-a-glance", "key": "g_officers", "text": "224", "label": "Officers, 31 March 2023",
     "datasets": ["police_workforce_open_data_2023/open_data_2023"]},
    {"chapter": "at-a-glance", "key": "g_crime", "text": "85.9", "label": "Crime", "datasets": ["a/one"]},
    {"chapter": "05-contact", "key": "sr", "text": "6.4", "label": "Searches", "datasets": ["s/x"]},
    {"chapter": "05-contact", "key": "same", "text": "1", "label": "Same", "datasets": ["s/x"]},
    {"chapter": "06-wrongdoing", "key": "gone", "text": "9", "label": "Gone", "datasets": []}]
AFTER = [
    {"chapter": "at-a-glance", "key": "g_officers", "text": "216", "label": "Officers, 31 March 2026",
     "datasets": ["force_indicators_thirdparty_2026/indicators"]},
    {"chapter": "at-a-glance", "key": "g_crime", "text": "79.8", "label": "Crime", "datasets": ["a/two"]},
    {"chapter": "05-contact", "key": "sr", "text": "6.5", "label": "Searches", "datasets": ["s/x"]},
    {"chapter": "05-contact", "key": "same", "text": "1", "label": "Same", "datasets": ["s/x"]},
    {"chapter": "06-wrongdoing", "key": "new", "text": "153", "label": "New", "datasets": []}]


def test_every_changed_added_and_removed_figure_is_listed_with_its_reason():
    changed = changes.compare(BEFORE, AFTER).set_index("key")
    assert sorted(changed.index) == ["g_crime", "g_officers", "gone", "new", "sr"]
    assert changed.at["g_officers", "why"] == changes.NEW_PERIOD
    assert changed.at["g_crime", "why"] == changes.NEW_SOURCE
    assert changed.at["sr", "why"] == changes.REVISED
    assert (changed.at["new", "why"], changed.at["gone", "why"]) == (changes.ADDED, changes.REMOVED)
    assert (changed.at["g_officers", "before"], changed.at["g_officers", "after"]) == ("224", "216")


def test_the_page_says_first_edition_counts_the_changes_and_escapes_what_it_quotes():
    assert "This is the first edition for Kent Police" in changes.page(None, "Kent Police")
    assert "No figure changed" in changes.page(changes.compare(AFTER, AFTER), "Kent Police", "kent.json")
    hostile = [dict(AFTER[0], text="<script>alert(1)</script>")]
    page = changes.page(changes.compare(BEFORE[:1], hostile), "Kent Police", "kent<img onerror=x>.json")
    rendered = MarkdownIt("commonmark", {"html": True}).render(page)  # raw HTML passes, as in MyST
    assert "<script>" not in rendered and "<img" not in rendered and "&lt;script&gt;" in rendered
    assert "1 figure changed since" in page


def test_a_register_that_is_not_one_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "kent.json"
    bad.write_text("{not json")
    with pytest.raises(changes.ChangesError, match=r"kent\.json: not a figure register that can be read"):
        changes.read_register(bad)
    bad.write_text(json.dumps({"key": "x"}))
    with pytest.raises(changes.ChangesError, match=r"expected a list of figures, each with key, chapter and text"):
        changes.read_register(bad)


def test_the_landing_page_says_how_many_figures_changed():
    metas = [{"force": "Kent Police", "code": "E23000032", "slug": "kent", "built": "now", "data_version": "x",
              "changed": 12},
             {"force": "Cumbria Constabulary", "code": "E23000002", "slug": "cumbria", "built": "now",
              "data_version": "x"}]
    page = landing.landing_page(metas, lambda slug: f"{slug}/", "", None)
    assert "12 figures changed since the last edition" in page and "first edition" in page


def test_a_register_of_tens_of_thousands_of_figures_gives_a_page_of_a_capped_length():
    before = [{"chapter": "c", "key": f"k{i:05d}", "text": str(i), "label": f"Figure {i}"} for i in range(50_000)]
    after = [{**r, "text": r["text"] + "0"} for r in before]
    page = changes.page(changes.compare(before, after), "Kent Police", "kent.json")
    assert "50000 figures changed" in page and f"The first {config.CHANGES_LISTED}" in page
    assert page.count("<tr") == config.CHANGES_LISTED + 1 and len(page) < 200_000


def test_a_register_that_is_a_pipe_a_device_too_big_or_holds_a_list_is_refused_unread(tmp_path, monkeypatch):
    import os

    os.mkfifo(tmp_path / "pipe.json")  # read, it would hang the build
    (tmp_path / "zero.json").symlink_to("/dev/zero")  # read, it would fill memory
    (tmp_path / "list.json").write_text(json.dumps([{"key": "k", "chapter": ["a"], "text": "1"}]))
    (tmp_path / "big.json").write_text("[]" + " " * 100)
    monkeypatch.setattr(config, "REGISTER_MAX_BYTES", 100)
    for name, message in [("pipe", "a named pipe, not a regular file"), ("zero", "a file under /dev"),
                          ("list", "key, chapter and text as text"), ("big", "over the 0 MB limit")]:
        with pytest.raises(changes.ChangesError, match=message):
            changes.read_register(tmp_path / f"{name}.json")
        if name != "list":  # the build's copy is made of any register that is a small regular file, then read
            with pytest.raises(changes.ChangesError, match=message):
                changes.snapshot(tmp_path / f"{name}.json", tmp_path / "copy")


def test_a_first_edition_lists_what_the_data_show_changed_between_comparable_periods():
    """Issue 35: with no earlier register, the page lists each measure's change between its two newest comparable
    periods, with its verdict and test, and names the measures not compared."""
    moved, alone = changes.data_changes("North Yorkshire Police")
    ratio = moved.set_index("measure").loc["Black/White stop and search rate ratio"]
    # Each figure with its period and, where readers must be told, its grade (the newest is a third party's extract).
    assert (ratio["before"], ratio["after"], ratio["change"]) == ("2.8 in 2022/23 (transcribed)",
                                                                  "6.5 in 2024/25 (third-party extract)", "up 3.7")
    # 2.8 to 6.5 is within how much the forces' ratios changed beyond chance (issue 35: overdispersion allowed for).
    assert ratio["verdict"].startswith(fm.WITHIN_SPREAD) and "false discovery rate" in ratio["verdict"]
    searches = changes.data_changes("lancashire")[0].set_index("measure").loc["Stop and searches per 1,000 residents"]
    assert searches["verdict"].startswith("significant rise (tested against no change, allowing for how much the 42 "
                                          "forces' rates changed beyond chance: an overdispersed Poisson test")
    met = changes.data_changes("metropolitan-police")[0].set_index("measure")
    assert met.at["Police officers (full-time equivalent)", "change"] == "down 3,404"
    assert "Recorded crime per 1,000 residents (excluding fraud)" in alone
    page = changes.page(None, "North Yorkshire Police")
    assert "This is the first edition for North Yorkshire Police" in page and "6.5 in 2024/25 (third-party extract)" in page
    assert "Not compared" in page and "–" not in page


def test_an_untested_change_says_why_not_how_another_verdict_was_tested():
    """The City's searches per resident are not tested: the first edition's list gives the reason, not the funnel's
    method (issue 35's cold review)."""
    moved, _ = changes.data_changes("city-of-london")
    searches = moved.set_index("measure").loc["Searches (a count of every one)"]
    assert searches["verdict"].startswith("not tested (per resident, the City of London") and (
        "Spiegelhalter" not in searches["verdict"])
    # Read as the key point reads it, by count (review 6, R3): per resident its searches fell as the number rose.
    assert (searches["before"], searches["after"], searches["change"]) == (
        "1,538 in 2018/19", "2,348 in 2024/25 (third-party extract)", "up 810")
    assert "Stop and searches per 1,000 residents" not in set(moved["measure"])


def test_the_mets_first_edition_lists_its_own_survey_first_with_how_it_was_tested():
    """Review 3: the appendix's key-point rule puts the force's own survey first; the page left the PAS out."""
    moved, _ = changes.data_changes("metropolitan-police")
    first = moved.iloc[0]
    assert first["measure"].startswith('"Good Job" local (MOPAC Public Attitude Survey')
    assert (first["before"], first["after"]) == ("49% in quarter ending December 2022",
                                                 "47% in quarter ending December 2023")
    assert first["verdict"].startswith("no significant change (tested at the smallest difference")


def test_a_change_verdict_resting_on_the_correction_gives_p_before_it():
    """Review 3: North Yorkshire's 2.8 to 6.5 is significant before the Benjamini-Hochberg correction, not after."""
    ratio = changes.data_changes("North Yorkshire Police")[0].set_index("measure").loc[
        "Black/White stop and search rate ratio"]
    assert ratio["verdict"].startswith(f"{fm.WITHIN_SPREAD} after the Benjamini-Hochberg correction across 40 "
                                       "forces (p = 0.0013 before it, 0.051 after); tested against no change")


@pytest.mark.parametrize("force", ["North Yorkshire Police", "south-wales", "city-of-london", "lancashire"])
def test_no_verdict_stacks_brackets(force):
    """Review 6: "(p = 0.0013 before it, 0.051 after) (tested …)" and a bracket inside a bracket read badly."""
    for verdict in changes.data_changes(force)[0]["verdict"]:
        assert ") (" not in verdict, verdict
        depth = 0
        for ch in verdict:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            assert depth <= 1, verdict

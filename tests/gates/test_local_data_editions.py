"""Chapter notebooks run with papermill on a force's own files (a generated survey and police.uk folder), and the Met default."""

from __future__ import annotations


import papermill as pm
import pytest

from analysis import config
from analysis.publish import editions
from tests.fixtures.make_local_survey import write_survey
from tests.fixtures.make_policeuk import write_folder


def run(chapter: str, tmp_path, **parameters):
    source = config.REPO_ROOT / "book" / f"{chapter}.ipynb"
    out = pm.execute_notebook(str(source), str(tmp_path / f"{chapter}.ipynb"), parameters=parameters,
                              cwd=str(source.parent), kernel_name="python3", progress_bar=False)
    cells = [c for c in out.cells if "force-section" in c.metadata.get("tags", []) and c.cell_type == "code"]
    assert all("remove-input" in c.metadata["tags"] for c in cells), "force-section code must never be shown"
    return "".join(str(o.get("data", {})) for c in cells for o in c.outputs)


@pytest.mark.gate  # a chapter run with papermill
def test_chapter_1_shows_kent_survey_with_confidence_intervals(tmp_path):
    survey = write_survey(tmp_path / "kent-survey.csv")
    html = run("01-trust-and-confidence", tmp_path, force="kent", local_survey=str(survey))
    assert 'id="pcp-local-survey-trend-kent"' in html and 'id="pcp-local-survey-groups-kent"' in html
    assert "95% CI" in html and "Kent Police" in html


@pytest.mark.gate  # a chapter run with papermill
def test_chapter_1_met_edition_shows_the_pas_and_says_why_there_is_no_interval(tmp_path):
    html = run("01-trust-and-confidence", tmp_path, force="met")
    assert 'id="pcp-local-survey-trend-metropolitan-police"' in html
    assert "no interval can be given" in html and "MOPAC" in html


@pytest.mark.gate  # a chapter run with papermill
def test_chapter_1_without_a_survey_says_so_plainly(tmp_path):
    html = run("01-trust-and-confidence", tmp_path, force="cumbria")
    assert "No survey of Cumbria Constabulary's own was supplied" in html


@pytest.mark.gate  # three chapter runs: kept out of the quick unit run
@pytest.mark.parametrize("chapter, chart", [("02-neighbourhood-policing", "hot-spot-monthly-kent"),
                                            ("04-contact-with-victims", "no-suspect-monthly-kent"),
                                            ("05-contact-with-suspects", "search-nfa-monthly-kent")])
def test_chapters_show_the_force_own_policeuk_folder(chapter, chart, tmp_path):
    folder = write_folder(tmp_path / "kent-policeuk", months=3, street_rows=300, lsoas=40)
    html = run(chapter, tmp_path, force="kent", policeuk=str(folder))
    assert f'id="pcp-{chart}"' in html and "Kent Police, April 2024 to June 2024" in html


def test_inputs_hash_follows_the_content_of_local_files(tmp_path):
    survey = write_survey(tmp_path / "s.csv")
    before = editions.inputs_hash("E23000032", local={"local_survey": str(survey)})
    assert before != editions.inputs_hash("E23000032")
    survey.write_text(survey.read_text().replace(",no\n", ",yes\n", 1))
    assert editions.inputs_hash("E23000032", local={"local_survey": str(survey)}) != before


def test_cli_refuses_a_bad_local_file_before_building(tmp_path, capsys):
    from analysis.publish.cli import main

    bad = tmp_path / "survey.csv"
    bad.write_text("period,area\nQ1,Kent\n")
    assert main(["edition", "kent", "--local-survey", str(bad)]) == 2
    assert "survey.csv: missing columns ['period_end', 'measure', 'weighted']" in capsys.readouterr().err
    assert main(["edition", "kent", "--policeuk", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


@pytest.mark.gate
def test_an_edition_built_with_local_data_records_each_file_and_shows_no_code(tmp_path):
    import json

    from analysis.sources import localfiles

    survey = write_survey(tmp_path / "kent-survey.csv")
    folder = write_folder(tmp_path / "kent-policeuk", months=2, street_rows=300, lsoas=40)
    out = tmp_path / "editions"
    result = editions.build_edition("kent", out, out / "figures", use_cache=False,
                                    local={"local_survey": str(survey), "policeuk": str(folder)})
    assert result.status == "built", result.detail
    register = {r["key"]: r["value"] for r in json.loads((out / "figures" / "kent.json").read_text())}
    survey_sha, folder_sha = (localfiles.fingerprint(p)["sha256"] for p in (survey, folder))
    assert register["ls_file_sha256"] == survey_sha and register["g_local_survey_sha256"] == survey_sha
    assert register["own_hs_sha256"] == folder_sha and register["g_policeuk_sha256"] == folder_sha
    meta = json.loads((out / "kent" / "edition.json").read_text())
    assert meta["local_data"]["local_survey"]["sha256"] == survey_sha
    html = out / "kent" / "html" / "book"
    assert survey_sha in (html / "at-a-glance.html").read_text()
    chapter1 = (html / "01-trust-and-confidence.html").read_text()
    assert "Kent Police&#8217;s own survey" in chapter1 or "Kent Police's own survey" in chapter1
    assert "display_section(" not in chapter1 and "own_survey.for_edition" not in chapter1

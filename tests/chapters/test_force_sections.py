"""Chapter notebooks run with papermill for a large, a small and a Welsh force, and show that force's section."""

from __future__ import annotations

import papermill as pm
import pytest

from analysis import config

# Chapter -> the chart id its force section draws, before the force's slug.
CHAPTERS_WITH_FORCE_SECTIONS = {
    "02-neighbourhood-policing": "workforce-force",
    "03-procedural-justice": "stop-search-force",
    "05-contact-with-suspects": "search-rate-force",
    "06-police-wrongdoing": "deaths-force",
    "07-what-else-matters": "crime-rate-force",
}


@pytest.mark.slow  # papermill
@pytest.mark.parametrize("chapter", CHAPTERS_WITH_FORCE_SECTIONS)
@pytest.mark.parametrize("force, slug", [("Metropolitan Police", "metropolitan-police"), ("cumbria", "cumbria"),
                                         ("W15000003", "south-wales")])
def test_chapter_runs_for_a_force_and_shows_its_section(chapter, force, slug, tmp_path):
    source = config.REPO_ROOT / "book" / f"{chapter}.ipynb"
    out = pm.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"force": force},
                              cwd=str(source.parent), kernel_name="python3", progress_bar=False)
    section = [c for c in out.cells if "force-section" in c.metadata.get("tags", []) and c.cell_type == "code"]
    assert section, "the notebook lost its force-section cell"
    html = "".join(o.get("data", {}).get("text/html", "") for c in section for o in c.outputs)
    assert f'id="pcp-{CHAPTERS_WITH_FORCE_SECTIONS[chapter]}-{slug}"' in html


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_FORCE_SECTIONS)
def test_national_run_has_no_force_section_output(chapter):
    import nbformat

    nb = nbformat.read(config.REPO_ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    section = [c for c in nb.cells if "force-section" in c.metadata.get("tags", []) and c.cell_type == "code"]
    assert section and all(not c.outputs for c in section)
    assert all("remove-cell" in c.metadata["tags"] for c in section)


@pytest.mark.slow  # papermill
def test_victims_chapter_says_plainly_that_force_data_are_missing(tmp_path):
    source = config.REPO_ROOT / "book" / "04-contact-with-victims.ipynb"
    out = pm.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"force": "gwent"},
                              cwd=str(source.parent), kernel_name="python3", progress_bar=False)
    section = [c for c in out.cells if "force-section" in c.metadata.get("tags", []) and c.cell_type == "code"]
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in section for o in c.outputs)
    assert "Victim satisfaction for Gwent Police is not in any data this project could obtain" in text

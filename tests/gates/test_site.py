"""The published site: one shared copy of the theme and Vega files, working links, search and charts, the Pages
workflow; and the rewriting of an edition's _static references on a tiny site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from analysis import config
from analysis.publish import briefing, compare, landing, measures_package, site
from analysis.sources import forces
from tests.gates import linkcheck
from tests.gates.browser import DESKTOP, PHONE, check_page, serve, visit
from tests.conftest import EDITION_FORCE
from tests.fixtures import force_measures_table

WORKFLOW = config.REPO_ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def assembled(built, edition, tmp_path_factory) -> Path:
    """The site from the national book and the Cumbria edition built for the gate checks."""
    return site.assemble(built / "html", edition, tmp_path_factory.mktemp("site") / "site")


@pytest.mark.gate
def test_the_site_holds_one_shared_copy_of_the_theme_and_vega_files(assembled):
    for asset in ("vega-bundle.js", "pydata-sphinx-theme.css", "searchtools.js", "documentation_options.js"):
        copies = [p.relative_to(assembled).as_posix() for p in assembled.rglob(asset)]
        assert len(copies) == 1 and copies[0].startswith("_static/"), (asset, copies)
    glance = (assembled / "editions" / EDITION_FORCE / "book" / "at-a-glance.html").read_text()
    assert 'src="../../../_static/vega-bundle.js' in glance and 'src="../_static/' not in glance
    # Per-edition files stay the edition's own: its search index and its briefing.
    edition = assembled / "editions" / EDITION_FORCE
    assert (edition / "searchindex.js").read_bytes() != (assembled / "searchindex.js").read_bytes()
    assert (edition / briefing.pdf_name(EDITION_FORCE)).stat().st_size > 0
    info = json.loads((assembled / "site.json").read_text())
    assert info == {"editions": 1, "bytes": site.weight(assembled) - (assembled / "site.json").stat().st_size}


@pytest.mark.gate
def test_every_link_of_the_site_resolves(assembled):
    assert linkcheck.internal_problems(assembled) == []


def _link_targets(root: Path, page: str) -> set[Path]:
    """The files a page's links point at, each resolved from the page's own folder."""
    text = (root / page).read_text(encoding="utf-8")
    return {((root / page).parent / href.split("#")[0]).resolve()
            for href in re.findall(r'<a [^>]*href="([^"#:]+)', text)}


@pytest.mark.gate
def test_the_national_book_and_the_edition_link_to_each_other(assembled):
    root, landing_page = assembled.resolve(), (assembled / "editions" / "index.html").resolve()
    assert landing_page.is_file() and (root / "index.html").is_file()
    for page in ("book/intro.html", "book/01-trust-and-confidence.html"):
        assert landing_page in _link_targets(root, page), page
    glance = f"editions/{EDITION_FORCE}/book/at-a-glance.html"
    assert {root / "index.html", landing_page} <= _link_targets(root, glance)


@pytest.mark.gate
def test_served_edition_pages_landing_map_and_search_work_from_the_shared_static(assembled, chrome):
    charts = check_page(chrome, assembled, f"editions/{EDITION_FORCE}/book/06-police-wrongdoing.html",
                        "site-edition-06.png")
    assert f"pcp-deaths-force-{EDITION_FORCE}" in charts
    assert check_page(chrome, assembled, "editions/index.html", "site-landing.png") == ["pcp-force-map"]
    with serve(assembled) as base:
        page = chrome.new_page()
        try:
            page.goto(f"{base}/editions/{EDITION_FORCE}/search.html?q=confidence", wait_until="networkidle")
            page.wait_for_selector("#search-results li a", timeout=20_000)
            hits = page.eval_on_selector_all("#search-results li a", "els => els.map(a => a.href)")
            assert hits and all(f"/editions/{EDITION_FORCE}/" in h for h in hits)
            page.goto(f"{base}/editions/index.html")
            page.fill("#force-filter", "cumb")
            assert page.inner_text("#force-count") == "1 of 1 forces"
            page.fill("#force-filter", "no such force")
            assert page.inner_text("#force-count") == "0 of 1 forces"
        finally:
            page.close()


@pytest.mark.gate
def test_the_site_publishes_every_forces_measures_and_the_compare_page(assembled, chrome):
    from frictionless import validate

    package = assembled / measures_package.FOLDER
    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    import pandas as pd

    assert set(pd.read_csv(package / "force-measures.csv", dtype=str)["force_code"]) == set(forces.force_codes())
    appendix = (assembled / "book" / "appendix-data-and-methods.html").read_text()
    assert 'href="../force-measures/datapackage.json"' in appendix and 'href="../compare.html"' in appendix
    for viewport, shot in ((DESKTOP, "site-compare-1280.png"), (PHONE, "site-compare-390.png")):
        check_page(chrome, assembled, compare.PAGE, shot, viewport)
    with serve(assembled) as base:
        chosen = visit(chrome, f"{base}/{compare.PAGE}#forces=kent,cumbria,city-of-london",
                       config.BUILD_DIR / "screenshots" / "site-compare-chosen-390.png", PHONE, audit=True)
    assert not chosen.unexpected_errors() and not chosen.remote_requests() and not chosen.axe


@pytest.mark.gate
def test_an_edition_page_draws_its_charts_from_file_urls(assembled, chrome):
    from analysis.publish.briefing import ALL_SETTLED

    page = chrome.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        page.goto((assembled / "editions" / EDITION_FORCE / "book" / "at-a-glance.html").as_uri())
        page.wait_for_function(ALL_SETTLED, timeout=20_000)
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "theme CSS not loaded"
        assert page.evaluate("typeof vegaEmbed") == "function"
        assert failed == []
    finally:
        page.close()


def test_share_static_drops_identical_files_and_keeps_those_that_differ(tmp_path):
    shared_static = tmp_path / "_static"
    (shared_static / "styles").mkdir(parents=True)
    (shared_static / "styles" / "theme.css").write_text("body{}")
    (shared_static / "documentation_options.js").write_text("var v = 'national';")
    edition = tmp_path / "editions" / "kent"
    (edition / "_static" / "styles").mkdir(parents=True)
    (edition / "_static" / "styles" / "theme.css").write_text("body{}")
    (edition / "_static" / "documentation_options.js").write_text("var v = 'kent';")
    (edition / "book").mkdir()
    (edition / "book" / "a.html").write_text('<link href="../_static/styles/theme.css?v=1"><script '
                                             'src="../_static/documentation_options.js"></script>')
    (edition / "index.html").write_text('<link href="_static/styles/theme.css">')
    saved = site.share_static(edition, site._static_digests(shared_static), depth=2)
    assert saved == len("body{}")
    assert not (edition / "_static" / "styles").exists()
    assert (edition / "_static" / "documentation_options.js").read_text() == "var v = 'kent';"
    assert (edition / "book" / "a.html").read_text() == (
        '<link href="../../../_static/styles/theme.css?v=1"><script src="../_static/documentation_options.js">'
        '</script>')
    assert (edition / "index.html").read_text() == '<link href="../../_static/styles/theme.css">'
    assert linkcheck.internal_problems(tmp_path) == []


def test_a_site_over_the_weight_limit_or_without_the_national_book_is_refused(tmp_path, monkeypatch):
    force_measures_table.stand_in(monkeypatch)
    with pytest.raises(site.SiteError, match="build the national book first"):
        site.assemble(tmp_path / "nothing", tmp_path / "editions", tmp_path / "site")
    national = tmp_path / "html"
    (national / "_static").mkdir(parents=True)
    (national / "index.html").write_text("<p>national</p>" * 100)
    with pytest.raises(site.SiteError, match=r"over the 0 MB limit"):
        site.assemble(national, tmp_path / "editions", tmp_path / "site", max_bytes=10)
    assert not (tmp_path / "site").exists()


def test_the_landing_page_map_links_every_built_force_and_only_those():
    spec = landing.force_map({"E23000032": "kent/book/at-a-glance.html"}).to_dict()
    features = spec["data"]["values"]
    assert len(features) == 43
    linked = [f["properties"] for f in features if f["properties"]["href"]]
    assert linked == [{"pfa_code": "E23000032", "force": "Kent Police", "href": "kent/book/at-a-glance.html",
                       "edition": "open the edition"}]
    assert spec["encoding"]["href"]["field"] == "properties.href"


def test_the_landing_page_map_tooltip_names_each_line_in_words():
    import vl_convert

    vega = vl_convert.vegalite_to_vega(landing.force_map({"E23000032": "kent/book/at-a-glance.html"}).to_dict())
    tooltip = vega["marks"][0]["encode"]["update"]["tooltip"]["signal"]
    assert re.findall(r'"([^"]+)": ', tooltip) == ["Force", "Edition"]


def test_the_pages_workflow_publishes_the_site_with_the_official_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))
    assert "workflow_dispatch" in triggers and triggers["workflow_run"]["workflows"] == ["Editions"]
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/site"
    runs = " ".join(s.get("run", "") for s in steps)
    assert "make site" in runs and "make check-site" in runs
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "site"


def _page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body><main>{body}</main></body></html>")


def _tiny_site(tmp_path: Path) -> tuple[Path, Path]:
    """A national book and a Kent edition of two pages each, as a build leaves them."""
    article = '<article class="bd-article"><h1>Page</h1></article>'
    national, editions_dir = tmp_path / "html", tmp_path / "editions"
    (national / "_static").mkdir(parents=True)
    (national / "_static" / "favicon.svg").write_text("<svg/>")  # the book's, which the compare page uses
    (national / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/intro.html" />')
    for page in ("book/intro.html", "genindex.html", "_static/template.html"):
        _page(national / page, article)
    _page(national / "search.html", "<p>search</p>")
    kent = editions_dir / "kent"
    (kent / "html" / "_static").mkdir(parents=True)
    (kent / "edition.json").write_text(json.dumps({"force": "Kent Police", "code": "E23000032", "slug": "kent",
                                                   "data_version": "x", "built": "now", "changed": None}))
    (kent / "html" / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/at-a-glance.html" />')
    for page in ("book/at-a-glance.html", "genindex.html"):
        _page(kent / "html" / page, article)
    return national, editions_dir


def test_the_assembled_site_links_the_national_book_and_the_editions_both_ways(tmp_path, monkeypatch):
    force_measures_table.stand_in(monkeypatch)
    national, editions_dir = _tiny_site(tmp_path)
    out = site.assemble(national, editions_dir, tmp_path / "site")

    def links(page: str) -> list[tuple[str, str]]:
        return re.findall(r'<a href="([^"]+)">([^<]+)</a>', (out / page).read_text().split("</nav>")[0])

    assert links("book/intro.html") == [("../editions/index.html", "Editions for each police force"),
                                        ("../compare.html", "Compare forces")]
    assert links("genindex.html") == [("editions/index.html", "Editions for each police force"),
                                      ("compare.html", "Compare forces")]
    assert links("editions/kent/book/at-a-glance.html") == [("../../../index.html", "National book"),
                                                            ("../../index.html", "All force editions"),
                                                            ("../../../compare.html", "Compare forces")]
    assert links("editions/kent/genindex.html") == [("../../index.html", "National book"),
                                                    ("../index.html", "All force editions"),
                                                    ("../../compare.html", "Compare forces")]
    # Only pages with the theme's article get the bar, each once; the books built alone are left as they were.
    assert all(site.NAV_CLASS not in (out / p).read_text()
               for p in ("index.html", "search.html", "_static/template.html", "editions/kent/index.html"))
    assert all((out / p).read_text().count(f'class="{site.NAV_CLASS}"') == 1
               for p in ("book/intro.html", "editions/kent/book/at-a-glance.html"))
    assert not any(site.NAV_CLASS in p.read_text() for p in tmp_path.glob("[he]*/**/*.html"))
    # The landing page's own scripts and icon are not in this tiny _static; every other link resolves.
    assert [p for p in linkcheck.internal_problems(out) if not p.startswith("editions/index.html:")] == []
    assert site.site_nav('a"b', [('x"y', "<i>")]) == ('<nav class="pcp-site-nav" aria-label="a&quot;b"><ul><li>'
                                                       '<a href="x&quot;y">&lt;i&gt;</a></li></ul></nav>')


def test_make_site_copies_an_edition_whole_while_a_build_swaps_it(tmp_path, monkeypatch):
    """A build holds the edition's lock until its swap; `make site` waits for it, so every page of the edition comes
    from one build (issue 36: 15 pages of the new build and 1 of the old were once published together)."""
    import threading
    import time

    from analysis.publish import editions

    force_measures_table.stand_in(monkeypatch)
    national, editions_dir = _tiny_site(tmp_path)
    lock = editions.edition_lock(editions_dir, "kent", timeout=0)
    lock.acquire()
    assembling = threading.Thread(target=site.assemble, args=(national, editions_dir, tmp_path / "site"))
    assembling.start()
    time.sleep(1)
    assert assembling.is_alive(), "make site copied an edition a build was holding"
    for page in ("book/at-a-glance.html", "genindex.html"):  # the build swaps in its new copy, then lets go
        _page(editions_dir / "kent" / "html" / page, "<article class=\"bd-article\"><h1>New</h1></article>")
    lock.release()
    assembling.join(30)
    pages = [tmp_path / "site" / "editions" / "kent" / p for p in ("book/at-a-glance.html", "genindex.html")]
    assert all("<h1>New</h1>" in p.read_text() for p in pages)

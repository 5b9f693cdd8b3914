"""`make site` on a tiny national book and the made-up measures table: it publishes the package and the compare page,
links them from the landing page, the pages' bar and the appendix's phrase, and every link of the site resolves."""

from __future__ import annotations

import json

from analysis import config
from analysis.publish import compare, measures_package, site
from tests.fixtures import force_measures_table as fixture
from tests.gates import linkcheck

APPENDIX = ('<p>Published as <span class="pcp-site-link" data-site-path="force-measures/datapackage.json">a data '
            'package</span> and on <span class="pcp-site-link" data-site-path="compare.html">the compare page</span>.'
            '</p>')


def _page(body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><article class="bd-article">{body}'
            "</article></body></html>")


def test_the_site_publishes_and_links_the_measures_package_and_the_compare_page(tmp_path, monkeypatch):
    from frictionless import validate

    fixture.stand_in(monkeypatch)
    national = tmp_path / "html"
    (national / "book").mkdir(parents=True)
    (national / "_static").mkdir()
    (national / "_static" / "favicon.svg").write_bytes((config.REPO_ROOT / "book" / "favicon.svg").read_bytes())
    (national / "_static" / "vega-bundle.js").write_text("")  # the landing page's map loads it
    (national / "index.html").write_text(_page('<a href="book/appendix.html">Appendix</a>'))
    (national / "book" / "appendix.html").write_text(_page(APPENDIX))
    built = site.assemble(national, tmp_path / "no-editions", tmp_path / "site")
    report = validate(str(built / measures_package.FOLDER / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    appendix = (built / "book" / "appendix.html").read_text()
    assert '<a href="../force-measures/datapackage.json">a data package</a>' in appendix
    assert '<a href="../compare.html">the compare page</a>' in appendix and "pcp-site-link" not in appendix
    assert '<a href="../compare.html">Compare forces</a>' in appendix  # the bar atop every page
    landing = (built / "editions" / "index.html").read_text()
    assert 'href="../compare.html"' in landing and 'href="../force-measures/datapackage.json"' in landing
    page = (built / compare.PAGE).read_text()
    assert 'href="editions/index.html"' in page and 'href="force-measures/datapackage.json"' in page
    assert json.loads((built / "site.json").read_text())["editions"] == 0
    assert linkcheck.internal_problems(built) == []

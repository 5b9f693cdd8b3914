"""Every page of every edition already built, in headless Chromium (`make check-editions`, `make check-site`).

Run after `make editions` (pages under _build/editions/<slug>/html), or with PCP_CHECK_SITE=_build/site after
`make site` (pages under editions/<slug>/ of the assembled site, served from its root so the shared _static is
used, plus the editions landing page). The release workflow runs it on the merged shards. Without built editions
there is nothing to check and the test is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analysis.publish import editions
from tests.gates.browser import check_page
from tests.conftest import EDITION_PAGES

SITE = Path(os.environ["PCP_CHECK_SITE"]) if os.environ.get("PCP_CHECK_SITE") else None
# An edition in the site has its pages at editions/<slug>/; in _build/editions, an edition.json beside html/.
BUILT = sorted(p.parent.parent.name for p in (SITE / "editions").glob("*/book/at-a-glance.html")) if SITE \
    else sorted(p.parent.name for p in editions.EDITIONS_DIR.glob("*/edition.json"))
pytestmark = pytest.mark.editions


def _root_and_page(slug: str, page: str) -> tuple[Path, str]:
    if SITE:
        return SITE, f"editions/{slug}/{page}"
    return editions.EDITIONS_DIR / slug / "html", page


@pytest.mark.skipif(not BUILT, reason="no editions built yet (make editions, or make site)")
@pytest.mark.parametrize("slug", BUILT or ["none"])
@pytest.mark.parametrize("page", EDITION_PAGES)
def test_every_built_edition_page_draws_offline(chrome, slug, page):
    root, path = _root_and_page(slug, page)
    check_page(chrome, root, path, f"editions/{slug}-{page.split('/')[-1][:-5]}.png")


@pytest.mark.skipif(not SITE, reason="only over the assembled site (make check-site)")
def test_the_editions_landing_page_draws_its_map_and_lists_every_edition(chrome):
    assert check_page(chrome, SITE, "editions/index.html", "site-editions-index.png") == ["pcp-force-map"]
    page = (SITE / "editions" / "index.html").read_text()
    assert all(f'href="{slug}/book/at-a-glance.html"' in page for slug in BUILT)
    assert json.loads((SITE / "site.json").read_text())["editions"] == len(BUILT)


@pytest.mark.skipif(not BUILT or SITE is not None, reason="over _build/editions only (make editions)")
@pytest.mark.parametrize("slug", BUILT or ["none"])
def test_every_built_edition_has_a_data_pack_that_validates_and_a_briefing_that_passes_its_check(slug):
    from frictionless import validate

    from analysis.publish import briefing, datapack

    edition = editions.EDITIONS_DIR / slug
    report = validate(str(edition / datapack.folder_name(slug) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert briefing.check(edition / briefing.pdf_name(slug), edition) == []


@pytest.mark.skipif(not BUILT or SITE is not None, reason="over _build/editions only (make editions)")
@pytest.mark.parametrize("slug", BUILT or ["none"])
def test_every_built_edition_leads_with_differences_names_its_comparable_forces_and_addresses_its_overseer(slug):
    """Issue 35's Done when, over each built edition: no placeholder or cut-off in any key point or key-measures cell;
    every key point a difference or an outlier; the briefing names the comparable forces and addresses whoever oversees
    the force (MOPAC for the Met, the Police Authority Board for the City of London)."""
    import re

    from bs4 import BeautifulSoup

    from analysis.chapters import key_points
    from analysis.methods import comparable, funnel
    from analysis.publish import briefing
    from analysis.sources import forces

    edition = editions.EDITIONS_DIR / slug
    meta = json.loads((edition / "edition.json").read_text())
    code = forces.resolve(meta["force"]).code
    page = BeautifulSoup((edition / "html" / "book" / "at-a-glance.html").read_text(), "html.parser")
    points = [li.get_text(" ", strip=True) for li in page.select("ul.pcp-key-points > li")]
    cells = [td.get_text(" ", strip=True) for td in page.select("table.pcp-table-glance td")]
    assert points and cells
    for text in points + cells:
        assert text not in ("–", "-", "nan", "") and "…" not in text and not re.search(r"\bnan\b", text), text
    register = json.loads((edition / "figures.json").read_text())
    for record in (r for r in register if r["key"].startswith("g_point_")):
        if record["text"].startswith(key_points.NONE):  # the one line where no rule gives a point
            continue
        assert re.search(r"significant|limit|than England and Wales|fewer than|more than", record["text"]), record
        # The median force only as a funnel's centre (as the unit test of the key points allows), never a figure set
        # beside it as if that were a finding.
        assert "median force" not in record["text"].replace(f"around {funnel.MEDIAN_FORCE} (", ""), record
    text = briefing._comparable_text(briefing.pdf_text(edition / briefing.pdf_name(slug)))
    for peer in comparable.comparable_to(code):
        assert briefing._comparable_text(forces.get(peer).name) in text, peer
    assert ("HMICFRS" in text) if comparable.comparable_to(code) else ("nocomparableforce" in text)
    body = briefing._comparable_text(forces.oversight(code)[0])
    assert body in text
    if code in (forces.METROPOLITAN, forces.CITY_OF_LONDON):
        assert "PoliceandCrimeCommissioner" not in text

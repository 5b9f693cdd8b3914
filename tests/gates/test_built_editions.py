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

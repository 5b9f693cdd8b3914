"""Every page of every edition already built in _build/editions, in headless Chromium (`make check-editions`).

Run after `make editions`; the release workflow runs it on the merged shards. Without built
editions there is nothing to check and the test is skipped.
"""

from __future__ import annotations

import pytest

from analysis import editions
from tests.browser import check_page
from tests.conftest import EDITION_PAGES

BUILT = sorted(p.parent.name for p in editions.EDITIONS_DIR.glob("*/edition.json"))
pytestmark = pytest.mark.editions


@pytest.mark.skipif(not BUILT, reason="no editions built yet (make editions)")
@pytest.mark.parametrize("slug", BUILT or ["none"])
@pytest.mark.parametrize("page", EDITION_PAGES)
def test_every_built_edition_page_draws_offline(chrome, slug, page):
    root = editions.EDITIONS_DIR / slug / "html"
    check_page(chrome, root, page, f"editions/{slug}-{page.split('/')[-1][:-5]}.png")

"""Accessibility of the built charts: colour-blind-safe colours, and colour never the only cue (descriptions:
test_book); axe-core on the bibliography's markup."""

from __future__ import annotations

import json

import pytest

from analysis.present import theme
from tests.conftest import EDITION_FORCE
from tests.fixtures import tiny_sphinx
from tests.gates.accessibility import COLOUR, NEUTRALS, chart_specs, colour_only
from tests.gates.browser import serve, visit


def _check_specs(html_root):
    specs = chart_specs(html_root)
    assert specs, f"no charts found under {html_root}"
    for where, spec in specs.items():
        assert colour_only(spec) == [], where
        used = {c.lower() for c in COLOUR.findall(json.dumps(spec))}
        allowed = {c.lower() for c in theme.PALETTE} | NEUTRALS
        assert used <= allowed, f"{where}: colours outside the palette {sorted(used - allowed)}"


@pytest.mark.gate
def test_no_chart_of_the_national_book_relies_on_colour_alone(built):
    _check_specs(built / "html")


@pytest.mark.gate
def test_no_chart_of_an_edition_relies_on_colour_alone(edition):
    _check_specs(edition / EDITION_FORCE / "html")


@pytest.mark.gate
def test_axe_core_finds_nothing_on_a_page_with_a_bibliography(chrome, tmp_path):
    page = tiny_sphinx.build(tmp_path)
    with serve(page.parent) as base:
        report = visit(chrome, f"{base}/{page.name}", tmp_path / "bibliography.png", audit=True)
    assert report.axe == []

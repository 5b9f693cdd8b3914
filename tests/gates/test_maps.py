"""Maps in Chromium: both maps of the book draw from file:// and when served, with no error and nothing fetched, their
force areas from the one script the book serves beside the Vega bundle."""

from __future__ import annotations

import pytest

from analysis.present import render


@pytest.mark.gate
def test_maps_draw_in_chromium_from_file_and_served(tmp_path, chrome):
    """A page with both maps, opened as file:// and from 127.0.0.1: both draw, no error, nothing fetched."""
    import vl_convert

    from analysis.chapters import c03_procedural_justice as c03
    from analysis.chapters import c07_what_else_matters as c07
    from tests.gates.browser import check_page, visit

    (tmp_path / "vega-bundle.js").write_text("(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n")
    (tmp_path / render.SHAPES_SCRIPT).write_text(render.shapes_script())
    body = "\n".join(render.render(s.chart.to_dict())["text/html"]
                     for s in (c07.recorded_crime_map(highlight="kent"), c03.search_ratio_map()))
    (tmp_path / "maps.html").write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                        f'<title>maps</title><link rel="icon" href="data:,"><script src="vega-bundle.js"></script>'
                                        f'<script src="{render.SHAPES_SCRIPT}"></script></head>'
                                        f"<body>{body}</body></html>")
    assert len(check_page(chrome, tmp_path, "maps.html", "maps.png")) == 2
    report = visit(chrome, (tmp_path / "maps.html").as_uri(), tmp_path / "file.png")
    assert not report.unexpected_errors() and all(c["marks"] > 0 for c in report.charts)
    assert all(u.startswith("file:") or u.startswith("data:") for u in report.requests), report.requests

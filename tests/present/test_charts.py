"""The house renderer: offline, deterministic, described, with its data attached."""

from __future__ import annotations

import base64
import json
import re

import altair as alt
import pandas as pd
import pytest

from analysis.present import render, theme


def toy_chart(**kw):
    df = pd.DataFrame({"x": [1, 2, 3], "y": [4, 5, 6]})
    chart = alt.Chart(df).mark_line().encode(x="x:Q", y="y:Q")
    return theme.finish(chart, name="toy", source="Toy source", **kw)


def test_renderer_is_deterministic_and_uses_no_random_ids():
    first = toy_chart(description="A rising line").to_dict()
    html1 = render.render(first)["text/html"]
    html2 = render.render(toy_chart(description="A rising line").to_dict())["text/html"]
    assert html1 == html2
    assert "altair-viz" not in html1 and 'id="pcp-toy"' in html1
    assert not re.search(r"https?://", html1.split("<script>")[1].split("vegaEmbed")[0])


def test_renderer_carries_alt_text_source_and_csv():
    html = render.render(toy_chart(description='Line "rising" & more').to_dict())["text/html"]
    assert 'role="img" aria-label="Line &quot;rising&quot; &amp; more"' in html
    assert "Source: Toy source." in html
    payload = re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(payload).decode().splitlines() == ["x,y", "1,4", "2,5", "3,6"]


def test_chart_without_description_is_refused():
    with pytest.raises(render.ChartDescriptionError, match="description"):
        render.render(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict())


def test_theme_palette_is_okabe_ito_and_enabled():
    assert alt.theme.active == "pcp" and alt.renderers.active == "pcp"
    assert theme.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]


def test_spec_contains_no_cdn_or_remote_url():
    html = render.render(toy_chart(description="x").to_dict())["text/html"]
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html


def test_chart_data_cannot_change_the_state_of_the_script_that_holds_it():
    """`<!--<script>` in a label once swallowed the rest of the page into the chart's <script> (issue 36)."""
    hostile = "<!--<script>&</script>"
    df = pd.DataFrame({"label": [hostile, "plain"], "y": [1, 2]})
    chart = theme.finish(alt.Chart(df).mark_bar().encode(x="label:N", y="y:Q"), name="hostile", source="Toy",
                         description="Two bars")
    markup = render.render(chart.to_dict())["text/html"]
    script = markup.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert not re.search("[<>&]", script), "a <, > or & inside the chart's script"
    spec = json.loads(re.search(r"vegaEmbed\(el,(.*?),\{actions:false", script).group(1))
    assert hostile in json.dumps(spec, ensure_ascii=False), "the label did not survive as the same text"

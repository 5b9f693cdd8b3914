"""The offline renderer: each chart as a figure with alt text, source line, CSV link and a vegaEmbed call that draws
from the book's own Vega bundle, with a stable element id so re-executed notebooks reproduce byte for byte."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import altair as alt
import pandas as pd

from analysis import config
from analysis.present import chart_costs, inert, precision
from analysis.sources import cache

# The bundle is served from the book's _static folder (see analysis/publish/sphinx_ext.py).
BUNDLE_NAME = "vega-bundle.js"


class ChartDescriptionError(ValueError):
    """A chart was rendered without the description a screen-reader user would hear."""


def _chart_id(spec: dict) -> str:
    meta = spec.get("usermeta", {}).get("pcp", {})
    if meta.get("name"):
        return "pcp-" + meta["name"]
    return "pcp-" + hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]


# Fields that name a force or area: a dataset holding one is the chart's data, not its furniture (limit lines).
AREA_FIELDS = ("pfa_code", "area", "force")


# A chart's CSV link as _csv_link writes it; the book's Sphinx extension moves each table into a file of its own.
CSV_DATA_LINK = re.compile(r'<a download="(pcp-[\w-]+)\.csv" href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')


def _csv_link(spec: dict, chart_id: str) -> str:
    """A download link for the chart's main data, embedded as a data: URI: its largest dataset that names forces or
    areas (a funnel's forces, not the points of its limit lines), else its largest."""
    datasets = [d for d in spec.get("datasets", {}).values() if d]
    if not datasets:
        return ""
    named = [d for d in datasets if any(field in d[0] for field in AREA_FIELDS)]
    frame = inert.spreadsheet(precision.for_file(pd.DataFrame(max(named or datasets, key=len))))
    payload = base64.b64encode(frame.to_csv(index=False).encode()).decode()
    return f'<a download="{chart_id}.csv" href="data:text/csv;base64,{payload}">Download the chart data (CSV)</a>'


# Inside a <script> element "<!--" and "<script" change the HTML parser's state, not only "</": escape every <, > and &
# as JSON's own \\u escapes, which JavaScript reads back as the same characters.
SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(value) -> str:
    """`value` as compact, key-sorted JSON that no text inside it can end or disturb the <script> holding it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).translate(SCRIPT_UNSAFE)


# A map's force areas reach its page from one script the book serves after the Vega bundle, not inside each map: 43
# editions of four maps each would otherwise carry the same shapes some 170 times. The script wraps vegaEmbed, so a
# spec whose data is the named shapes (present/maps.py) gets them as it is drawn.
SHAPES_SCRIPT = "pcp-force-areas.js"
SHAPES_GLOBAL = "PCP_FORCE_AREAS"
_SHAPES_EMBED = """(function () { var embed = window.vegaEmbed; if (!embed) return;
  window.vegaEmbed = function (el, spec, opts) {
    if (spec && spec.data && spec.data.name === NAME) {
      spec = Object.assign({}, spec);
      spec.datasets = Object.assign({}, spec.datasets);
      spec.datasets[NAME] = window.GLOBAL;
    }
    return embed(el, spec, opts);
  }; })();
"""


@cache.in_memory  # once per process: a worker writes it into edition after edition
def shapes_script() -> str:
    """The script that gives maps the force areas' simplified shapes (present/maps.py names them as a dataset)."""
    from analysis.sources import boundaries  # shapely, only for maps

    return (f"window.{SHAPES_GLOBAL}={script_safe_json(boundaries.boundaries())};\n"
            + _SHAPES_EMBED.replace("NAME", json.dumps(config.SHAPES_DATASET)).replace("GLOBAL", SHAPES_GLOBAL))


def render(spec: dict, **_) -> dict:
    """Altair renderer: a figure with an aria-label, source line, CSV link and a vegaEmbed call.

    The element id comes from the chart's name (or a hash of its spec), never a random
    uuid, and every float is rounded (present/precision), so re-executing a notebook on any CPU reproduces its
    outputs byte for byte (nbval).
    """
    spec = precision.for_chart(spec)
    description = spec.get("description", "").strip()
    if not description:
        raise ChartDescriptionError(
            "chart has no description: pass description='…' (what a screen-reader user should hear)"
        )
    chart_id = _chart_id(spec)
    meta = spec.get("usermeta", {}).get("pcp", {})
    source = meta.get("source", "")
    payload = script_safe_json(spec)
    caption = " ".join(filter(None, [f"Source: {html.escape(source)}." if source else "", _csv_link(spec, chart_id)]))
    markup = (
        f'<figure class="pcp-chart">\n'
        f'<div id="{chart_id}" class="pcp-vega" role="img" aria-label="{html.escape(description, quote=True)}"></div>\n'
        f"<figcaption>{caption}</figcaption>\n"
        f"<script>(function(){{var el=document.getElementById({json.dumps(chart_id)});"
        f"if(typeof vegaEmbed==='undefined'){{el.textContent='Chart needs {BUNDLE_NAME}, which is loaded by the built book.';return;}}"
        f"vegaEmbed(el,{payload},{{actions:false,renderer:'svg'}})"
        f".catch(function(e){{el.textContent='Chart failed to draw: '+e;console.error(e);}});}})();</script>\n"
        f"</figure>"
    )
    return {"text/html": markup, "text/plain": f"<chart {chart_id}: {description}>"}


class Drawn:
    """A finished chart whose page markup is computed on first display and kept, so a national chart that every
    edition shows unchanged is drawn once per kernel. Everything else (to_dict, properties …) is the chart's own."""

    def __init__(self, chart):
        self.chart = chart
        self._bundle = None

    def _repr_mimebundle_(self, *args, **kwargs):
        if self._bundle is None:
            self._bundle = self.chart._repr_mimebundle_(*args, **kwargs) or None  # Altair gives {} on failure
        return self._bundle or {}

    def __getattr__(self, name):
        if name == "chart":  # not yet set (a copy being made): no chart to ask
            raise AttributeError(name)
        return getattr(self.chart, name)


alt.renderers.register("pcp", render)
alt.renderers.enable("pcp")
# Altair checks every spec against the Vega-Lite schema when it is rendered; in its debug mode it also checks each
# piece as it is built, which doubles the cost of a chart (an edition draws about 40) and finds nothing more.
alt.utils.schemapi.disable_debug_mode()
chart_costs.install()

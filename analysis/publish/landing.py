"""The editions landing page: a clickable map of the force areas and a searchable list of forces, each with its
edition's build time, data version and briefing PDF."""

from __future__ import annotations

import html

from analysis.present import maps, render, source_lines, theme
from analysis.publish import briefing, datapack
from analysis.sources import boundaries, forces

GLANCE_PAGE = "book/at-a-glance.html"  # where a reader of an edition starts
NOT_BUILT = "#d0d0d0"  # a force area with no edition yet: pale, behind the built ones


def force_map(links: dict[str, str], width: int = 380, height: int = 460):
    """A map of the 43 force areas, each linking to its edition (`links`: ONS code -> URL), drawn from the
    simplified boundaries and in the projection of the book's own maps (sources/boundaries.py, present/maps.py)."""
    import altair as alt

    features = [{**feature, "properties": {**feature["properties"], "force": forces.get(feature["properties"]["pfa_code"]).name,
                                           "href": links.get(feature["properties"]["pfa_code"], ""),
                                           "edition": "open the edition" if feature["properties"]["pfa_code"] in links
                                           else "no edition built"}}
                for feature in boundaries.boundaries()]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="white", strokeWidth=0.6, cursor="pointer").encode(
        color=alt.condition("datum.properties.href", alt.value(theme.PALETTE[0]), alt.value(NOT_BUILT)),
        href=alt.Href("properties.href:N"),
        tooltip=[alt.Tooltip("properties.force:N", title="Force"),
                 alt.Tooltip("properties.edition:N", title="Edition")],
    ).project(**maps.PROJECTION).properties(width=width, height=height)
    return theme.finish(chart, name="force-map", source=source_lines.line([boundaries.BOUNDARIES_FILE]),
                         description="Map of the 43 police force areas of England and Wales; select an area to open "
                                     "its edition. The list beside the map holds the same links.")


LANDING_CSS = """
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; line-height: 1.5; }
header { background: #0b3d5c; color: #fff; padding: 1.2rem 2rem; }
header a { color: #fff; }
header h1 { margin: 0.2rem 0; font-size: 1.6rem; }
main { display: flex; flex-wrap: wrap; gap: 2rem; padding: 1.5rem 2rem; max-width: 1200px; }
.map { flex: 0 1 400px; min-width: 0; }
.list { flex: 1 1 420px; min-width: 0; }
/* On a phone the map shrinks to the screen instead of pushing the page wider. */
.map svg { max-width: 100%; height: auto; }
@media (max-width: 600px) { header, main { padding-left: 1rem; padding-right: 1rem; } }
figcaption { font-size: 0.8rem; color: #555; }
label { font-weight: bold; display: block; margin-bottom: 0.3rem; }
input[type=search] { font-size: 1rem; padding: 0.4rem 0.6rem; width: 100%; max-width: 28rem; box-sizing: border-box; }
ul.forces { list-style: none; padding: 0; }
ul.forces li { border-bottom: 1px solid #ddd; padding: 0.45rem 0; }
ul.forces .name { font-weight: bold; }
ul.forces .meta { font-size: 0.85rem; color: #555; }
a { color: #0b5394; }
a:focus, input:focus { outline: 3px solid #000; }
"""
FILTER_JS = """document.getElementById('force-filter').addEventListener('input', function () {
  var q = this.value.trim().toLowerCase(), shown = 0;
  document.querySelectorAll('#force-list li').forEach(function (li) {
    var hit = li.dataset.names.indexOf(q) >= 0; li.hidden = !hit; shown += hit;
  });
  document.getElementById('force-count').textContent = shown + ' of ' + %d + ' forces';
});"""


def _changed(meta: dict) -> str:
    """How many figures changed since the edition's last one, as its "What changed" page counts them."""
    n = meta.get("changed")
    return "first edition" if n is None else f"{n} figure{'' if n == 1 else 's'} changed since the last edition"


def landing_page(metas: list[dict], edition_href, static: str, national: str | None,
                 header_links: list[tuple[str, str]] = ()) -> str:
    """The editions index: a clickable map, a searchable list of forces with each edition's build time, data
    version and briefing PDF. `edition_href(slug)` is the folder holding an edition's pages; `header_links`, (href,
    text) pairs, go in the header after the national book's."""
    links = {m["code"]: f"{edition_href(m['slug'])}{GLANCE_PAGE}" for m in metas}
    spec = force_map(links).to_dict()
    figure = render.render(spec)["text/html"]
    items = []
    for m in sorted(metas, key=lambda m: m["force"]):
        f = forces.get(m["code"])
        names = " ".join({m["force"], f.short_name, m["slug"], m["code"]}).lower()
        folder = edition_href(m["slug"])
        items.append(
            f'<li data-names="{html.escape(names)}"><a class="name" href="{folder}{GLANCE_PAGE}">'
            f'{html.escape(m["force"])}</a> · <a href="{folder}{briefing.pdf_name(m["slug"])}">briefing (PDF)</a>'
            f' · <a href="{folder}{datapack.folder_name(m["slug"])}/{datapack.workbook_name(m["slug"])}">data (Excel)</a>'
            f'<div class="meta">{m["code"]} · built {html.escape(m["built"])} · {_changed(m)} · data version '
            f'{html.escape(m["data_version"])}</div></li>')
    header = [(national, "The national book")] if national else []
    back = " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
                      for href, text in [*header, *header_links])
    back = f"<p>{back}</p>" if back else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Force editions: public confidence in policing</title>"
        # The book's favicon, so no browser asks the server for a missing /favicon.ico.
        f'<link rel="icon" href="{static}favicon.svg"><style>{LANDING_CSS}</style>'
        f'<script src="{static}{render.BUNDLE_NAME}"></script></head><body>'
        '<header><p>Public confidence in policing: an executable evidence review</p><h1>Force editions</h1>'
        f"{back}</header><main>"
        '<section class="map" aria-label="Map of force areas">'
        f"<p>Every edition is the whole book recomputed for one of the {len(forces.force_codes())} territorial "
        "forces of England and Wales, opening with the force at a glance, with a printable briefing.</p>"
        f"{figure}</section>"
        '<section class="list"><label for="force-filter">Find a force</label>'
        '<input type="search" id="force-filter" placeholder="Name, ONS code or slug" autocomplete="off">'
        f'<p id="force-count" aria-live="polite">{len(items)} of {len(items)} forces</p>'
        f'<ul class="forces" id="force-list">{"".join(items)}</ul></section></main>'
        f"<script>{FILTER_JS % len(items)}</script></body></html>\n")

"""Assemble the published site: the national book at the root, each edition under editions/<slug>/, one shared _static."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from analysis import briefing, charts, config, editions, forces, geography, maps

SITE_DIR = config.BUILD_DIR / "site"
NATIONAL_DIR = config.BUILD_DIR / "html"
MAX_BYTES = 150 * 10**6  # the whole site, national book and 43 editions
GLANCE_PAGE = "book/at-a-glance.html"  # where a reader of an edition starts
NOT_BUILT = "#d0d0d0"  # a force area with no edition yet: pale, behind the built ones
# A reference from a page to a file in the book's _static folder: (attribute=")(../../)_static/(path)
STATIC_REF = re.compile(r'((?:href|src)=")((?:\.\./)*)_static/([^"?#]+)')


class SiteError(RuntimeError):
    """The site cannot be assembled (nothing built yet, or too heavy); says what to run."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _static_digests(static: Path) -> dict[str, str]:
    return {p.relative_to(static).as_posix(): _digest(p) for p in static.rglob("*") if p.is_file()}


def share_static(edition_root: Path, shared: dict[str, str], depth: int) -> int:
    """Drop from an edition's _static every file identical to the site's shared copy, and point its pages at that
    copy (`depth` folders above the edition's root); files that differ stay the edition's own. Returns bytes saved."""
    static = edition_root / "_static"
    dropped, saved = set(), 0
    for path in sorted(static.rglob("*")):
        rel = path.relative_to(static).as_posix()
        if path.is_file() and shared.get(rel) == _digest(path):
            dropped.add(rel)
            saved += path.stat().st_size
            path.unlink()
    for folder in sorted((p for p in static.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if static.exists() and not any(static.iterdir()):
        static.rmdir()
    up = "../" * depth

    def rewrite(match: re.Match) -> str:
        attr, prefix, rel = match.groups()
        return f"{attr}{prefix}{up}_static/{rel}" if rel in dropped else match.group(0)

    for page in edition_root.rglob("*.html"):
        if "_static" in page.relative_to(edition_root).parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = STATIC_REF.sub(rewrite, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return saved


def force_map(links: dict[str, str], width: int = 380, height: int = 460):
    """A map of the 43 force areas, each linking to its edition (`links`: ONS code -> URL), drawn from the
    simplified boundaries and in the projection of the book's own maps (analysis/geography.py, analysis/maps.py)."""
    import altair as alt

    features = [{**feature, "properties": {**feature["properties"], "force": forces.get(feature["properties"]["pfa_code"]).name,
                                           "href": links.get(feature["properties"]["pfa_code"], ""),
                                           "edition": "open the edition" if feature["properties"]["pfa_code"] in links
                                           else "no edition built"}}
                for feature in geography.boundaries()]
    chart = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="white", strokeWidth=0.6, cursor="pointer").encode(
        color=alt.condition("datum.properties.href", alt.value(charts.PALETTE[0]), alt.value(NOT_BUILT)),
        href=alt.Href("properties.href:N"),
        tooltip=[alt.Tooltip("properties.force:N", title="Force"), alt.Tooltip("properties.edition:N", title="")],
    ).project(**maps.PROJECTION).properties(width=width, height=height)
    return charts.finish(chart, name="force-map", source=geography.BOUNDARIES_SOURCE,
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
a:focus, input:focus { outline: 3px solid #E69F00; }
"""
FILTER_JS = """document.getElementById('force-filter').addEventListener('input', function () {
  var q = this.value.trim().toLowerCase(), shown = 0;
  document.querySelectorAll('#force-list li').forEach(function (li) {
    var hit = li.dataset.names.indexOf(q) >= 0; li.hidden = !hit; shown += hit;
  });
  document.getElementById('force-count').textContent = shown + ' of ' + %d + ' forces';
});"""


def landing_page(metas: list[dict], edition_href, static: str, national: str | None) -> str:
    """The editions index: a clickable map, a searchable list of forces with each edition's build time, data
    version and briefing PDF. `edition_href(slug)` is the folder holding an edition's pages."""
    links = {m["code"]: f"{edition_href(m['slug'])}{GLANCE_PAGE}" for m in metas}
    spec = force_map(links).to_dict()
    figure = charts.render(spec)["text/html"]
    items = []
    for m in sorted(metas, key=lambda m: m["force"]):
        f = forces.get(m["code"])
        names = " ".join({m["force"], f.short_name, m["slug"], m["code"]}).lower()
        folder = edition_href(m["slug"])
        items.append(
            f'<li data-names="{html.escape(names)}"><a class="name" href="{folder}{GLANCE_PAGE}">'
            f'{html.escape(m["force"])}</a> · <a href="{folder}{briefing.pdf_name(m["slug"])}">briefing (PDF)</a>'
            f'<div class="meta">{m["code"]} · built {html.escape(m["built"])} · data version '
            f'{html.escape(m["data_version"])}</div></li>')
    back = f'<p><a href="{national}">The national book</a></p>' if national else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Force editions: public confidence in policing</title>"
        # The book's favicon, so no browser asks the server for a missing /favicon.ico.
        f'<link rel="icon" href="{static}favicon.svg"><style>{LANDING_CSS}</style>'
        f'<script src="{static}{charts.BUNDLE_NAME}"></script></head><body>'
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


def weight(root: Path) -> int:
    """Bytes on disk in `root`, each hard-linked file counted once (as a copied artifact would count it)."""
    seen, total = set(), 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def assemble(national: Path = NATIONAL_DIR, editions_dir: Path = editions.EDITIONS_DIR,
             target: Path = SITE_DIR, max_bytes: int = MAX_BYTES) -> Path:
    """Build the site in a temporary folder and swap it in: national book at the root, every built edition at
    editions/<slug>/ with the theme, search and Vega files shared from the root's _static, a landing page at
    editions/index.html. Refuses a site heavier than `max_bytes`."""
    if not (national / "index.html").exists():
        raise SiteError(f"{national} has no index.html: build the national book first (make book)")
    metas = editions.built(editions_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        site = work / "site"
        shutil.copytree(national, site, ignore=shutil.ignore_patterns(".buildinfo"))
        shared = _static_digests(site / "_static")
        for meta in metas:
            folder = site / "editions" / meta["slug"]
            # copy2 of a hard link gives an independent file: the PDF is counted once per place it is served.
            shutil.copytree(editions_dir / meta["slug"] / "html", folder, ignore=shutil.ignore_patterns(".buildinfo"))
            share_static(folder, shared, depth=2)
        (site / "editions").mkdir(exist_ok=True)
        (site / "editions" / "index.html").write_text(
            landing_page(metas, lambda slug: f"{slug}/", "../_static/", "../index.html"), encoding="utf-8")
        size = weight(site)
        if size > max_bytes:
            raise SiteError(f"the site weighs {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        (site / "site.json").write_text(json.dumps({"editions": len(metas), "bytes": size}, indent=1) + "\n")
        editions.swap_in(site, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def main() -> int:
    """`make site`: assemble _build/site and say what it holds and weighs."""
    try:
        site = assemble()
    except SiteError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    info = json.loads((site / "site.json").read_text())
    print(f"{site}: the national book and {info['editions']} editions, {info['bytes'] / 1e6:.1f} MB "
          f"(limit {MAX_BYTES / 1e6:.0f} MB); open {site / 'editions' / 'index.html'}")
    return 0

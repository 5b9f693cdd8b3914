"""Assemble the published site: the national book at the root, each edition under editions/<slug>/, one shared _static."""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import filelock

from analysis import config
from analysis.publish import compare, editions, landing, measures_package

SITE_DIR = config.BUILD_DIR / "site"
NATIONAL_DIR = config.BUILD_DIR / "html"
MAX_BYTES = 150 * 10**6  # the whole site, national book and 43 editions
LOCK_WAIT = 300  # seconds to wait for a build of an edition to finish before copying it (one takes about 20 s)
# A reference from a page to a file in the book's _static folder: (attribute=")(../../)_static/(path)
STATIC_REF = re.compile(r'((?:href|src)=")((?:\.\./)*)_static/([^"?#]+)')
# The opening tag of the theme's text column; the bar linking the national book and the editions goes just inside it,
# where it shows on a phone too (the theme hides its sidebars there).
ARTICLE = re.compile(r'<article class="bd-article"[^>]*>')
NAV_CLASS = "pcp-site-nav"
# A phrase in the book naming a file of the assembled site (the force measures package, the compare page): a link only
# once the site holds that file, so a book or an edition built alone shows the phrase without a dead link.
SITE_LINK = re.compile(r'<span class="pcp-site-link" data-site-path="([\w./-]+)">(.*?)</span>', re.DOTALL)
MEASURES_HREF = f"{measures_package.FOLDER}/datapackage.json"


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


def _pages(root: Path):
    """The HTML pages under `root`, each with its path from `root`; _static holds theme templates, not pages."""
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root)
        if "_static" not in rel.parts:
            yield page, rel


def site_nav(label: str, links: list[tuple[str, str]]) -> str:
    """The bar between the national book and the editions: a labelled nav of (href, text) links, escaped."""
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in links)
    return f'<nav class="{NAV_CLASS}" aria-label="{html.escape(label)}"><ul>{items}</ul></nav>'


def add_nav(page: Path, nav: str) -> bool:
    """Put `nav` at the top of a page's article; False for a page without one (a redirect, the search page)."""
    text = page.read_text(encoding="utf-8")
    match = ARTICLE.search(text)
    if match is None:
        return False
    page.write_text(text[:match.end()] + nav + text[match.end():], encoding="utf-8")
    return True


def link_to_editions(national_root: Path) -> int:
    """Link every page of the national book (at the site's root) to the editions landing page and the compare page;
    returns how many."""
    # Only the assembled site has editions/index.html, so a book built alone (make book) links to nothing missing.
    count = 0
    for page, rel in _pages(national_root):
        up = "../" * (len(rel.parts) - 1)
        count += add_nav(page, site_nav("Force editions", [(f"{up}editions/index.html", "Editions for each police force"),
                                                           (f"{up}{compare.PAGE}", "Compare forces")]))
    return count


def link_site_files(root: Path, depth: int) -> int:
    """Make each phrase naming a file of the site (SITE_LINK) a link to it, in every page under `root`, `depth`
    folders below the site's root; returns how many."""
    count = 0
    for page, rel in _pages(root):
        up = "../" * (len(rel.parts) - 1 + depth)
        text = page.read_text(encoding="utf-8")
        new, n = SITE_LINK.subn(lambda m: f'<a href="{up}{m.group(1)}">{m.group(2)}</a>', text)
        if n:
            page.write_text(new, encoding="utf-8")
            count += n
    return count


def link_back(edition_root: Path, depth: int) -> int:
    """Link every page of an edition `depth` folders below the site's root to the national book and the landing page."""
    count = 0
    for page, rel in _pages(edition_root):
        up = "../" * (len(rel.parts) - 1)
        # The landing page is in the folder above the edition's (editions/index.html).
        count += add_nav(page, site_nav("National book and force editions",
                                        [(f"{up}{'../' * depth}index.html", "National book"),
                                         (f"{up}../index.html", "All force editions"),
                                         (f"{up}{'../' * depth}{compare.PAGE}", "Compare forces")]))
    return count


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


@contextlib.contextmanager
def _copying(editions_dir: Path, meta: dict):
    """Hold an edition's lock (waiting up to LOCK_WAIT seconds for a build of it to finish) and refresh what it says of
    itself, which a build that finished meanwhile has changed."""
    try:
        with editions.edition_lock(editions_dir, meta["slug"], timeout=LOCK_WAIT):
            meta.update(json.loads((editions_dir / meta["slug"] / "edition.json").read_text()))
            yield
    except filelock.Timeout:
        raise SiteError(f"a build of {meta['force']} in {editions_dir} held its lock for over {LOCK_WAIT} s; wait for "
                        "it to finish, then run make site again") from None


def assemble(national: Path = NATIONAL_DIR, editions_dir: Path = editions.EDITIONS_DIR,
             target: Path = SITE_DIR, max_bytes: int = MAX_BYTES) -> Path:
    """Build the site in a temporary folder and swap it in: national book at the root, every built edition at
    editions/<slug>/ with the theme, search and Vega files shared from the root's _static, a landing page at
    editions/index.html, every force's measures as one data package and the compare-forces page beside the national
    book, and a bar atop each page linking the national book, the editions and the compare page. Refuses a site
    heavier than `max_bytes`."""
    if not (national / "index.html").exists():
        raise SiteError(f"{national} has no index.html: build the national book first (make book)")
    metas = editions.built(editions_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        site = work / "site"
        shutil.copytree(national, site, ignore=shutil.ignore_patterns(".buildinfo"))
        shared = _static_digests(site / "_static")
        link_to_editions(site)  # before the editions are copied in below it
        link_site_files(site, depth=0)
        measures_package.publish(site / measures_package.FOLDER)
        compare.publish(site / compare.PAGE, [("index.html", "The national book"),
                                              ("editions/index.html", "Editions for each police force"),
                                              (MEASURES_HREF, "Every force's measures as data")], "_static/")
        for meta in metas:
            folder = site / "editions" / meta["slug"]
            # Holding the edition's lock, so a build swapping in a new copy never leaves pages of both in the site.
            with _copying(editions_dir, meta):
                # copy2 of a hard link gives an independent file: the PDF is counted once per place it is served.
                shutil.copytree(editions_dir / meta["slug"] / "html", folder,
                                ignore=shutil.ignore_patterns(".buildinfo"))
            share_static(folder, shared, depth=2)
            link_back(folder, depth=2)
            link_site_files(folder, depth=2)
        (site / "editions").mkdir(exist_ok=True)
        (site / "editions" / "index.html").write_text(
            landing.landing_page(metas, lambda slug: f"{slug}/", "../_static/", "../index.html",
                                 [(f"../{compare.PAGE}", "Compare any forces side by side"),
                                  (f"../{MEASURES_HREF}", "Every force's measures as data (CSV and JSON)")]),
            encoding="utf-8")
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

"""Check a built HTML site's links: internal files and anchors offline; external links only when asked (weekly).

    python -m tests.gates.linkcheck _build/html              # internal links and anchors, offline
    python -m tests.gates.linkcheck _build/html --external   # also every external link (needs the network)
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that point at another resource.
LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"),
              ("source", "src")}
NOT_FILES = {"mailto", "tel", "javascript", "data", "blob"}
# Left-over glue syntax means a figure was not substituted into the prose.
UNRESOLVED_GLUE = ("{glue", ":glue:", "glue:text")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for wanted_tag, attr in LINK_ATTRS:
            if tag == wanted_tag and attrs.get(attr):
                self.links.append(attrs[attr])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _pages(root: Path) -> list[Path]:
    """The site's pages; _static holds theme templates, not pages."""
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)


@lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def internal_problems(root: Path) -> list[str]:
    """Every internal link, image or script that points at a missing file or a missing anchor,
    and every page where glue syntax was left unsubstituted."""
    root = root.resolve()
    problems = []
    for page_path in _pages(root):
        page = _parse(page_path)
        where = page_path.relative_to(root)
        text = " ".join(page.text)
        problems += [f"{where}: unresolved glue ({marker!r}) in the text" for marker in UNRESOLVED_GLUE
                     if marker in text]
        for url in page.links:
            parts = urlsplit(url)
            if parts.scheme in NOT_FILES or parts.scheme in ("http", "https") or parts.netloc:
                continue
            target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where}: link {url!r} points at a missing file")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                problems.append(f"{where}: link {url!r} points at a missing anchor")
    return problems


def external_links(root: Path) -> dict[str, list[str]]:
    """External http(s) links, each with the pages that use it."""
    found: dict[str, list[str]] = {}
    for page_path in _pages(root):
        for url in _parse(page_path.resolve()).links:
            if urlsplit(url).scheme in ("http", "https"):
                found.setdefault(url.split("#")[0], []).append(str(page_path.relative_to(root)))
    return found


def external_problems(root: Path, timeout: float = 20) -> list[str]:
    """External links that do not answer with a success (checked with HEAD, then GET)."""
    problems = []
    for url, pages in sorted(external_links(root).items()):
        error = None
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "pcp-linkcheck"})
            try:
                with urllib.request.urlopen(request, timeout=timeout):
                    error = None
                    break
            except (urllib.error.URLError, OSError, ValueError) as exc:
                error = exc
        if error is not None:
            problems.append(f"{url} ({error}), linked from {', '.join(sorted(set(pages))[:3])}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the built HTML folder, e.g. _build/html")
    parser.add_argument("--external", action="store_true", help="also check external links (needs the network)")
    args = parser.parse_args(argv)
    problems = internal_problems(args.root) + (external_problems(args.root) if args.external else [])
    print("\n".join(problems) or f"{args.root}: all links resolve")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

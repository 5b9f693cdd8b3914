"""A printable briefing per force: two to four A4 pages assembled from the built edition, printed to PDF by Debian's
chromium and read back to check it."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import config
from analysis.present.glue import LOCAL_DATA
from analysis.present.render import BUNDLE_NAME
from analysis.sources import manifest

MIN_PAGES, MAX_PAGES = 2, 4
# Marks the at-a-glance page's link to the PDF, which the briefing itself leaves out.
LINK_CLASS = "pcp-briefing-link"
# Headless, no sandbox (containers), and nothing fetched from the network: the page is a local file.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# True once every chart has drawn its SVG marks or written its fallback text.
ALL_SETTLED = """() => [...document.querySelectorAll('.pcp-vega')]
  .every(el => el.querySelector('svg [class^="mark-"]') || el.textContent.trim().length > 0)"""
NOT_DRAWN = """() => [...document.querySelectorAll('.pcp-vega')]
  .filter(el => !el.querySelector('svg [class^="mark-"]')).map(el => el.id + ': ' + el.textContent.trim())"""
DRAW_TIMEOUT_MS = 30_000
# The at-a-glance section listing a force's own files (its heading's anchor).
LOCAL_DATA_SECTION = "local-data-in-this-edition"
# Text a reader would take for a cut-off value (Vega's label limit, pandas' column width).
TRUNCATION_MARKS = ("…", "...")

PRINT_CSS = """
@page { size: A4; margin: 12mm 13mm 16mm; }
html { font-family: Helvetica, Arial, sans-serif; font-size: 9pt; color: #111; line-height: 1.3; }
body { margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p, li { margin: 1mm 0; }
a { color: #0b5394; }
.lede { color: #444; margin-bottom: 3mm; }
figure, tr, ul { break-inside: avoid; }
figure { margin: 0; }
figcaption { font-size: 8pt; color: #444; }
figcaption a[download] { display: none; }
/* vega-embed makes its element inline-block, where a chart sized to its container would be 0 wide (as pcp.css). */
.pcp-vega, .pcp-vega.vega-embed { display: block; width: 100%; }
.pcp-vega svg { max-width: 100%; height: auto; }
.pcp-dashboard-part .pcp-chart { width: 100%; max-width: 125mm; margin: 0 auto; }
table { border-collapse: collapse; font-size: 8pt; width: 100%; margin: 2mm 0; }
th, td { border-bottom: 0.4pt solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 0.8pt solid #333; }
table.sources { break-inside: auto; font-size: 7.5pt; }
.sources td:first-child { width: 70%; }
.sources a { word-break: break-all; }
.headerlink, .cell_input, .pcp-briefing-link { display: none; }
"""
FOOTER = ('<div style="font-size:8pt;width:100%;padding:0 13mm;color:#555;font-family:Helvetica,Arial,sans-serif">'
          '{title} <span style="float:right">page <span class="pageNumber"></span> of '
          '<span class="totalPages"></span></span></div>')


class BriefingError(RuntimeError):
    """The briefing could not be assembled or printed, or the PDF fails its checks; says why."""


def footer_title(force: str) -> str:
    """What each page's footer says beside its number."""
    return f"{force}: public confidence in policing"


def pdf_name(slug: str) -> str:
    return f"{slug}-briefing.pdf"


def online_link(slug: str) -> str:
    """A link to the published edition; without a site address (local builds), its path in the site as text."""
    path = f"editions/{slug}/book/at-a-glance.html"
    if not config.site_url():
        return f"{path} in the published site"
    url = html.escape(config.site_url() + path)
    return f'<a href="{url}">{url}</a>'


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _article(page):
    """The page's content without the theme's chrome, code, heading anchors or thebe configuration."""
    article = page.select_one("article.bd-article") or page.body
    for junk in article.select(f".headerlink, .cell_input, .{LINK_CLASS}, script[type='text/x-thebe-config']"):
        junk.decompose()
    for script in article.find_all("script"):
        if "kernelName" in script.get_text():
            script.decompose()
    return article


# What stays online: the map, the small trend panels (their text too small to read when printed), the guide's five
# areas beside the force (too long for four pages as they stand), the comparable forces' table and the register's
# estimates. On paper: the key points, the key measures and the two comparison charts.
ONLINE_ONLY = ('figure:has([id^="pcp-glance-map-"])', "section#over-time", "section#the-guide-and-this-force",
               "section#published-survey-estimates-for-this-force", ".pcp-table-wrap:has(.pcp-table-glance-peers)",
               ".pcp-peer-intro")


def dashboard(html_root: Path, slug: str, local_data: bool = True) -> str:
    """The at-a-glance page's content, as built, without what stays online (ONLINE_ONLY), and without the list of
    the force's own files when the edition used none. A link to another page of the edition becomes its address in
    the published site (absolute when the site's address is set); on paper a relative link would lead nowhere."""
    article = _article(_soup(html_root / "book" / "at-a-glance.html"))
    for part in article.select(", ".join(ONLINE_ONLY + (() if local_data else (f"section#{LOCAL_DATA_SECTION}",)))):
        part.decompose()
    for link in article.select("a[href]"):
        href = link["href"]
        if not re.match(r"^[a-z]+:|^#", href):
            target = f"editions/{slug}/book/{href}"
            if config.site_url():
                link["href"] = config.site_url() + target
            else:
                link.unwrap()
    return "".join(str(c) for c in article.contents)


def sources(register: list[dict]) -> list[dict]:
    """One row per dataset the edition's figures cite: publisher, title, period, licence and address."""
    files = manifest.load_manifest()
    # A force's own files (named "local …") are not in the manifest; the edition lists them with their checksums.
    cited = sorted({d for record in register for d in record["datasets"] if not d.startswith(LOCAL_DATA)})
    unknown = [d for d in cited if d not in files]
    if unknown:
        raise BriefingError(f"figure register cites files not in {config.MANIFEST_PATH.name}: {unknown}")
    rows = {}
    for file_id in cited:
        f = files[file_id]
        rows.setdefault(f.dataset, {"dataset": f.dataset, "publisher": f.publisher, "title": f.title,
                                    "period": f.period, "licence": f.licence, "url": f.original_url})
    return list(rows.values())


def assemble(edition: Path) -> Path:
    """Write <edition>/briefing.html from the built edition in <edition>/html; returns its path."""
    meta = json.loads((edition / "edition.json").read_text())
    register = json.loads((edition / "figures.json").read_text())
    root = edition / "html"
    # The dashboard carries the force's key trends (its "over time" panels) beside its key measures.
    glance = dashboard(root, meta["slug"], local_data=bool(meta.get("local_data")))
    rows = "".join(
        f"<tr><td>{html.escape(r['title'])}. {html.escape(r['publisher'])}. "
        f"<a href=\"{html.escape(r['url'])}\">{html.escape(r['url'])}</a></td>"
        f"<td>{html.escape(r['period'])}</td><td>{html.escape(r['licence'])}</td></tr>"
        # The briefing carries the dashboard, so it cites the dashboard's sources.
        for r in sources([rec for rec in register if rec["chapter"] == "at-a-glance"]))
    body = (
        f'<p class="lede">Public confidence in policing: a briefing for {html.escape(meta["force"])}, '
        f'built {html.escape(meta["built"])} from data version {html.escape(meta["data_version"])}. '
        f'Online edition, with every chapter and the method: {online_link(meta["slug"])}</p>'
        f'<div class="pcp-dashboard-part">{glance}</div>'
        + '<h2>Sources and data periods</h2><table class="sources"><thead><tr><th>Dataset, publisher and address</th>'
          f'<th>Period</th><th>Licence</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(meta["force"])}: public confidence in policing briefing</title>'
            f'<style>{PRINT_CSS}</style><script src="html/_static/{BUNDLE_NAME}"></script></head>'
            f'<body>{body}</body></html>\n')
    target = edition / "briefing.html"
    target.write_text(page, encoding="utf-8")
    return target


# What a line break leaves in a PDF's text layer: whitespace, and where a word breaks at a soft hyphen, the soft
# hyphen and the hyphen chromium draws for it (U+2010), each on a line of its own.
LINE_BREAK = re.compile(r"[\s\u00ad\u2010]+")


def _comparable_text(text: str) -> str:
    """Text with line breaks and what they leave removed, and typographic quotes made plain (Sphinx curls
    apostrophes in prose), so a figure's text is found however a table cell or paragraph wraps it in the PDF."""
    return LINE_BREAK.sub("", text).translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"',
                                                            "\u201d": '"'}))


def pdf_text(pdf: Path) -> str:
    """The PDF's text layer in content order, from poppler's pdftotext (Debian's poppler-utils): about 0.1 s a
    briefing, where pypdf's extraction takes more than a second over the vector charts."""
    if shutil.which("pdftotext") is None:
        raise BriefingError("Debian's poppler-utils is not installed (apt-get install -y poppler-utils); its pdftotext "
                            "reads the briefing PDF back to check it")
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True)
    if done.returncode != 0:
        raise BriefingError(f"{pdf}: pdftotext could not read it: {done.stderr.strip()}")
    return done.stdout


def _without_footers(text: str, title: str) -> str:
    """The text without each page's footer (its title and "page n of m", on one line or two, in either order as
    text extractors give them), which would otherwise sit inside a paragraph that runs on to the next page."""
    title, number = re.escape(title), r"page \d+ of \d+"
    footer = re.compile(rf"\s*(?:{title}\s*(?:{number})?|{number}\s*(?:{title})?)\s*")
    return "\n".join(line for line in text.replace("\f", "\n").splitlines() if not footer.fullmatch(line))


def check(pdf: Path, edition: Path) -> list[str]:
    """What is wrong with a briefing PDF: page count, the force's name, the at-a-glance figures, cut-off text."""
    from pypdf import PdfReader

    meta = json.loads((edition / "edition.json").read_text())
    register = json.loads((edition / "figures.json").read_text())
    reader = PdfReader(pdf)
    text = _without_footers(pdf_text(pdf), footer_title(meta["force"]))
    flat = _comparable_text(text)
    problems = []
    if not MIN_PAGES <= len(reader.pages) <= MAX_PAGES:
        problems.append(f"{pdf.name}: {len(reader.pages)} pages; expected {MIN_PAGES} to {MAX_PAGES}")
    if _comparable_text(meta["force"]) not in flat:
        problems.append(f"{pdf.name}: the force's name {meta['force']!r} is not in the text")
    # Every at-a-glance figure the briefing carries (all but those of the parts left online) must be in the PDF.
    page = edition / "briefing.html"
    printed = _comparable_text(_soup(page).get_text(" ")) if page.exists() else None
    for record in register:
        shown = _comparable_text(record["text"])
        if record["chapter"] == "at-a-glance" and (printed is None or shown in printed) and shown not in flat:
            problems.append(f"{pdf.name}: key figure {record['key']} ({record['text']!r}) is not in the text")
    problems += [f"{pdf.name}: truncated text ({mark!r}) near {text[max(0, i - 40):i + 5]!r}"
                 for mark in TRUNCATION_MARKS if (i := text.find(mark)) >= 0]
    return problems


class Printer:
    """One headless chromium (Debian's, through Playwright) that prints briefing after briefing; started on first use.

    Every Playwright call runs on one thread of its own: Playwright's sync API refuses to start in a thread that
    already runs an asyncio loop (a test's browser, a kernel client), and a browser belongs to the thread that
    started it."""

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcp-printer")
        self._closed = False

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure_started(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self._close()
        from playwright.sync_api import sync_playwright

        executable = shutil.which("chromium")
        if executable is None:
            raise BriefingError("Debian's chromium is not installed (apt-get install -y chromium); "
                                "it prints the briefing PDF")
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        return self._browser

    def warm_up(self) -> None:
        """Start chromium now, on the printer's thread, while the caller gets on with other work (an edition's
        notebooks); a launch that fails is reported by the first print."""
        self._thread.submit(self._ensure_started)

    def print(self, page_html: Path, pdf: Path, title: str) -> Path:
        """Open `page_html`, wait until every chart has drawn, print it to `pdf` (A4, vector charts)."""
        return self._thread.submit(self._print, page_html, pdf, title).result()

    def _print(self, page_html: Path, pdf: Path, title: str) -> Path:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        page = self._ensure_started().new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(page_html.resolve().as_uri(), wait_until="load")
            try:
                page.wait_for_function(ALL_SETTLED, timeout=DRAW_TIMEOUT_MS)
            except PlaywrightTimeout:
                pass  # reported below, chart by chart
            missing = page.evaluate(NOT_DRAWN)
            if missing or errors:
                raise BriefingError(f"{page_html}: charts not drawn {missing}; page errors {errors}")
            page.emulate_media(media="print")
            page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template=FOOTER.format(title=html.escape(title)))
        finally:
            page.close()
        return pdf

    def close(self) -> None:
        if self._closed:
            return
        self._thread.submit(self._close).result()
        self._thread.shutdown(wait=True)
        self._closed = True

    def _close(self) -> None:
        if self._browser is not None:
            try:
                self._browser.close()
            except Exception:  # already gone with its process; nothing left to release
                pass
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None


def make(edition: Path, printer: Printer) -> Path:
    """Assemble, print and check the briefing of the edition in `edition`; raise BriefingError on any problem."""
    meta = json.loads((edition / "edition.json").read_text())
    pdf = edition / pdf_name(meta["slug"])
    printer.print(assemble(edition), pdf, footer_title(meta["force"]))
    problems = check(pdf, edition)
    if problems:
        raise BriefingError("; ".join(problems))
    return pdf

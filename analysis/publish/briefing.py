"""A printable briefing per force: two to four A4 pages assembled from the built edition, printed to PDF by Debian's
chromium and read back to check it."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from bs4 import BeautifulSoup, Tag

from analysis import config
from analysis.chapters.common import join
from analysis.present.glue import EVIDENCE_LINK, LOCAL_DATA, NOT_CHARTED
from analysis.present.render import BUNDLE_NAME
from analysis.present.tables import FIGURE_KEY, ROW_KEYS
from analysis.publish import datapack
from analysis.sources import forces, manifest

MIN_PAGES, MAX_PAGES = 2, 4


class Layout(NamedTuple):
    """How the briefing is laid out on paper: CSS added to PRINT_CSS, and the most height of a chart's plot in pixels
    (0: as drawn online)."""

    css: str = ""
    plot: int = 0


DENSE = "html { font-size: 8pt; } p, li { margin: 0.6mm 0; } h2 { margin-top: 3mm; }"
# Tried in turn until one takes at most MAX_PAGES: denser is body text of 8 pt (never under MIN_TEXT_PT) and lower
# plots; no text is made smaller than online.
# The densest also sets the list of sources in two columns and lines closer (the Met's carries the most rows).
DENSEST = DENSE + " html { line-height: 1.2; } ol.sources { columns: 2; column-gap: 6mm; }"
LAYOUTS = (Layout(), Layout(DENSE, 170), Layout(DENSEST, 140))
# Caps the height of every chart's plot before it is drawn (vegaEmbed is wrapped once the bundle has loaded).
LOWER_PLOTS = """<script>(function () { var embed = window.vegaEmbed; if (!embed) return;
  window.vegaEmbed = function (el, spec, opts) {
    if (typeof spec.height === "number" && spec.height > %d) spec = Object.assign({}, spec, {height: %d});
    return embed(el, spec, opts); }; })();</script>"""
MIN_TEXT_PT = 8.0  # the smallest text, chart labels included, a printed briefing may carry
# The licence of most sources, said once above the list rather than after each.
COMMON_LICENCE = "Open Government Licence v3.0"
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
# A4's 210 mm less the 13 mm side margins of PRINT_CSS, in CSS pixels (96 to the inch).
PRINT_VIEWPORT = {"width": round((210 - 2 * 13) / 25.4 * 96), "height": 1000}
# The edition's first page, inside its html folder and inside editions/<slug>/ of the published site.
GLANCE_PATH = "book/at-a-glance.html"
# The figure register's key points ("g_point_1" …), which the briefing must carry whole.
KEY_POINT = "g_point_"
# The at-a-glance page's parts, by the explicit targets its notebook sets before each heading (never the headings'
# words, which may be reworded): each names the section that follows it.
PART = {"confidence": "pcp-part-confidence", "key points": "pcp-part-key-points", "questions": "pcp-part-questions",
        "guide": "pcp-part-guide", "key measures": "pcp-part-key-measures",
        "among forces": "pcp-part-among-forces", "how to read": "pcp-part-how-to-read",
        "published estimates": "pcp-part-published-estimates", "over time": "pcp-part-over-time",
        "local data": "pcp-part-local-data"}
# Text a reader would take for a cut-off value (Vega's label limit, pandas' column width).
TRUNCATION_MARKS = ("…", "...")

PRINT_CSS = """
@page { size: A4; margin: 11mm 13mm 15mm; }
html { font-family: Helvetica, Arial, sans-serif; font-size: 9pt; color: #111; line-height: 1.3; }
body { margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p, li { margin: 1mm 0; }
a { color: #0b5394; }
.lede { color: #444; margin-bottom: 3mm; }
figure, tr, li { break-inside: avoid; }
figure { margin: 0; }
figcaption { font-size: 8pt; color: #444; }
/* vega-embed makes its element inline-block, where a chart sized to its container would be 0 wide (as pcp.css). */
.pcp-vega, .pcp-vega.vega-embed { display: block; width: 100%; }
.pcp-vega svg { max-width: 100%; height: auto; }
/* Charts drawn at the width they print at, never scaled: their 12 px text prints at 9 pt. The comparison charts sit
   side by side, each as wide as half the column. */
.pcp-dashboard-part .pcp-chart { width: 100%; margin: 2mm 0; }
section:has(> #pcp-part-among-forces) .cell_output { display: grid; grid-template-columns: 1fr 1fr;
  column-gap: 5mm; break-inside: avoid; }
/* No table breaks across pages, and no text is smaller than 8 pt (check() measures both). A string too long for its
   column (a file name, an address) wraps inside it: wider than the page, it would make chromium shrink every page. */
p, li, td, th, .pcp-area-columns > div { overflow-wrap: anywhere; }
.pcp-area-columns > div { min-width: 0; }
table { border-collapse: collapse; font-size: 8pt; width: 100%; margin: 2mm 0; break-inside: avoid;
  table-layout: fixed; }
/* The key measures are one table that may break between measures' rows (never inside one), its header repeated on
   each page: whole, it would leave much of a page empty before it. */
table.pcp-table-glance { break-inside: auto; }
table.pcp-table-glance thead { display: table-header-group; }
table.pcp-table-glance tbody { break-inside: avoid; }
caption { font-size: 8pt; text-align: left; color: #444; }
th, td { border-bottom: 0.4pt solid #bbb; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 0.8pt solid #333; }
.pcp-table-glance tr > :nth-child(1) { width: 17%; }
.pcp-table-glance tr > :nth-child(2) { width: 12%; }
.pcp-table-glance tr > :nth-child(3) { width: 13%; }
.pcp-table-glance tr > :nth-child(4), .pcp-table-glance tr > :nth-child(5) { width: 10%; }
.pcp-table-glance tr > :nth-child(6) { width: 38%; }
.pcp-table-questions tr > :nth-child(1) { width: 16%; }
.pcp-table-questions tr > :nth-child(2) { width: 28%; }
/* The five areas on paper (chapters/guide_and_force.py): a block each, never split, advice beside figures. */
.pcp-area { break-inside: avoid; border-top: 0.4pt solid #bbb; padding: 0.5mm 0 1.5mm; font-size: 8pt; }
.pcp-area h3 { margin: 1mm 0 0.5mm; font-size: 9.5pt; }
.pcp-area-columns { display: grid; grid-template-columns: 53fr 47fr; column-gap: 4mm; }
/* The sources are a reference list, not a table: one entry each, never split, breaking between entries. */
ol.sources { font-size: 8pt; padding-left: 5mm; margin: 1mm 0; }
ol.sources li { break-inside: avoid; margin: 0 0 1mm; }
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


def online_link(slug: str, path: str = GLANCE_PATH) -> str:
    """A link to a file of the published edition (its first page unless `path` names another); without a site
    address (local builds), the file's path in the site as text."""
    path = f"editions/{slug}/{path}"
    if not config.site_url():
        return f"{path} in the published site"
    url = html.escape(config.site_url() + path)
    return f'<a href="{url}">{url}</a>'


def _soup(path: Path) -> BeautifulSoup:
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


# What stays online: the map, the small trend panels (their text too small to read when printed), the comparable
# forces' table and the register's estimates, the full table of the guide's five areas (tables.ScreenAndPrint:
# paper has its compact form); and the comparison charts where they leave the force out (NOT_CHARTED).
# A chart's data download stays online too: its link is to a file beside the page, which paper cannot follow.
ONLINE_ONLY = ('figure:has([id^="pcp-glance-map-"])', ".pcp-table-wrap:has(.pcp-table-glance-peers)",
               ".pcp-peer-intro", ".pcp-screen-only", ".pcp-online-only", "figcaption a[download]")
# The guide's five areas stay online too: on paper the questions carry the guide's advice beside the force's figures.
ONLINE_ONLY_PARTS = ("over time", "published estimates", "guide")
# Sections in the order the briefing gives them, after the title: confidence and what matters first, the key
# measures (in parts, see _parts) with the comparable forces, the questions to put to the force (the guide's advice
# beside the force's figures), the comparison charts, then how to read them, which as text can run on into what a
# page has left.
PAPER_ORDER = ("confidence", "key points", "key measures", "questions", "among forces", "how to read")


def _part(article, name: str):
    """The section of the page that PART[name]'s target opens, or None where the page has no such part."""
    target = article.find(id=PART[name])
    return None if target is None else target.find_parent("section")


def _group_rows(table) -> None:
    """The key measures' rows in one tbody per measure (each row's data-group, its measure's id), which print keeps
    on one page: the table may break between measures, never inside one."""
    body = table.select_one("tbody")
    if body is None:
        return
    groups: list = []
    for row in body.select(":scope > tr"):
        if not groups or row.get("data-group") != groups[-1][0].get("data-group"):
            groups.append([])
        groups[-1].append(row.extract())
    for rows in groups:
        group = Tag(name="tbody")
        group.extend(rows)
        body.insert_before(group)
    body.decompose()


def dashboard(html_root: Path, slug: str, local_data: bool = True) -> str:
    """The at-a-glance page's content, as built, without what stays online (ONLINE_ONLY), and without the list of
    the force's own files when the edition used none; its sections in PAPER_ORDER first. A link to another page of
    the edition becomes its address in the published site (absolute when the site's address is set); on paper a
    relative link would lead nowhere."""
    article = _article(_soup(html_root / GLANCE_PATH))
    online = [_part(article, name) for name in ONLINE_ONLY_PARTS + (() if local_data else ("local data",))]
    for part in article.select(", ".join(ONLINE_ONLY)) + [p for p in online if p is not None]:
        part.decompose()
    for marker in article.select(f".{NOT_CHARTED}"):
        marker.find_parent("section").decompose()
    for table in article.select("table.pcp-table-glance"):
        _group_rows(table)
    title = article.select_one("h1")
    for name in reversed(PAPER_ORDER):
        part = _part(article, name)
        if part is not None and title is not None:
            title.insert_after(part.extract())
    for link in article.select("a[href]"):
        href = link["href"]
        if not re.match(r"^[a-z]+:|^#", href):
            target = f"editions/{slug}/book/{href}"
            if config.site_url():
                link["href"] = config.site_url() + target
            elif EVIDENCE_LINK in link.get("class", []):
                link.decompose()  # "Where this comes from", with nowhere to lead
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
                                    "period": f.period, "licence": f.licence, "url": f.original_url,
                                    "grade": f.grade})
    return list(rows.values())


def carried_keys(page_html: str) -> set[str]:
    """The figure register keys the page marks (each glued figure's span, each key point, each dashboard row's
    figures): which figures it carries, read from the page's structure, never from its text."""
    page = BeautifulSoup(page_html, "html.parser")
    return ({el[FIGURE_KEY] for el in page.select(f"[{FIGURE_KEY}]")}
            | {k for el in page.select(f"[{ROW_KEYS}]") for k in el[ROW_KEYS].split()})


def assemble(edition: Path, layout: int = 0) -> Path:
    """Write <edition>/briefing.html from the built edition in <edition>/html, in LAYOUTS[layout]; returns its path."""
    meta = json.loads((edition / "edition.json").read_text())
    register = json.loads((edition / "figures.json").read_text())
    root = edition / "html"
    chosen = LAYOUTS[layout]
    glance = dashboard(root, meta["slug"], local_data=bool(meta.get("local_data")))
    # The briefing cites the sources of the at-a-glance figures it carries, by their keys on the page (the charts'
    # sources are among them: each charts a measure whose row it carries).
    carried = carried_keys(glance)
    cited = [r for r in register if r["chapter"] == "at-a-glance" and r["key"] in carried]
    # Each title links to its publisher's page; the online appendix prints every address.
    entries = "".join(
        f"<li><a href=\"{html.escape(r['url'])}\">{html.escape(r['title'])}</a>. {html.escape(r['publisher'])}. "
        f"{html.escape(r['period'])}." + ("" if r["licence"] == COMMON_LICENCE else f" {html.escape(r['licence'])}.")
        + (f" Source grade: {html.escape(r['grade'])}." if r["grade"] != manifest.GRADES[0] else "")
        + "</li>" for r in sources(cited))
    slug = meta["slug"]
    pack = datapack.folder_name(slug)
    body = (
        f'<p class="lede">Public confidence in policing: a briefing on {html.escape(meta["force"])} for '
        f'{html.escape(_oversight(meta))}, '
        f'built {html.escape(meta["built"])} from data version {html.escape(meta["data_version"])}. '
        f'Online edition, with every chapter and the method: {online_link(slug)}. The figures behind it, as one '
        f'workbook: {online_link(slug, f"{pack}/{datapack.workbook_name(slug)}")}, or as a data package of CSV files: '
        f'{online_link(slug, f"{pack}/{datapack.zip_name(slug)}")}.</p>'
        f'<div class="pcp-dashboard-part">{glance}</div>'
        f'<h2>Sources and data periods</h2><p>Each dataset the figures above come from, with the period it covers, '
        f'each under the {COMMON_LICENCE} unless another licence is named. Each title links to the publisher\'s '
        f'page, and a source not read from the publisher\'s own file gives its grade; the online edition\'s appendix '
        f'lists every file with its checksum and why its grade was accepted.</p><ol class="sources">{entries}</ol>'
    )
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(meta["force"])}: public confidence in policing briefing</title>'
            f'<style>{PRINT_CSS}{chosen.css}</style><script src="html/_static/{BUNDLE_NAME}"></script>'
            f'{LOWER_PLOTS % (chosen.plot, chosen.plot) if chosen.plot else ""}</head>'
            f'<body>{body}</body></html>\n')
    target = edition / "briefing.html"
    target.write_text(page, encoding="utf-8")
    return target


def _oversight(meta: dict) -> str:
    """Whom the briefing addresses: the force's police and crime commissioner, or MOPAC, or the City of London Police
    Authority Board (the force registry)."""
    code = meta.get("code") or forces.resolve(meta["force"]).code
    return forces.oversight(code)[0]


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


def text_sizes(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, size in points, text) for every run of text in the PDF, its size as drawn: the font size scaled by the
    text and transformation matrices, so a chart's 12 px label shrunk with its SVG shows its printed size. Through
    pypdf's text extraction (about 0.7 s a briefing; it skips text inside form XObjects): check() calls it only to
    name the text drawn_sizes finds too small."""
    from pypdf import PdfReader

    runs = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        def visit(text, cm, tm, _font, size, number=number):
            if text.strip():
                runs.append((number, size * _vertical_scale(tm, cm), text.strip()))
        page.extract_text(visitor_text=visit)
    return runs


def _vertical_scale(tm, ctm) -> float:
    """How much the text matrix `tm` then the transformation `ctm` stretch a glyph's height (row vectors, as PDF
    composes them: the length of (0, 1) x tm x ctm)."""
    return math.hypot(tm[2] * ctm[0] + tm[3] * ctm[2], tm[2] * ctm[1] + tm[3] * ctm[3])


def _times(m, n) -> tuple:
    """The matrix product m x n of two PDF matrices (a b c d e f)."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# The tokens of a content stream that matter to a text's size: numbers, strings (literal, one level of nested
# brackets, or hex), names and operators; dictionaries and arrays only delimit. Inline images are cut out first.
TOKEN = re.compile(rb"""(?P<string>\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>)
                      |(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
                      |(?P<name>/[^\s/\[\]()<>{}%]*)
                      |(?P<operator>[A-Za-z'"*]+)""", re.VERBOSE)
INLINE_IMAGE = re.compile(rb"\bBI\b.*?\bID\s.*?\sEI\b", re.DOTALL)
SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}


def _drawn(stream, resources, ctm, page: int, sizes: list, depth: int = 0) -> None:
    """Append (page, size as drawn) for each text-showing operator of a content stream, following the stream's
    transformations into the form XObjects it draws (where chromium may put a chart's text)."""
    numbers, name, shown, saved, tm, size = [], None, False, [], IDENTITY, 0.0
    for token in TOKEN.finditer(INLINE_IMAGE.sub(b" ", stream.get_data())):
        kind, value = token.lastgroup, token.group()
        if kind == "number":
            numbers.append(float(value))
        elif kind == "string":
            shown = shown or len(value.strip(b"()<> \t\r\n")) > 0
        elif kind == "name":
            name = value
        else:
            if value == b"q":
                saved.append(ctm)
            elif value == b"Q" and saved:
                ctm = saved.pop()
            elif value == b"cm" and len(numbers) >= 6:
                ctm = _times(tuple(numbers[-6:]), ctm)
            elif value == b"BT":
                tm = IDENTITY
            elif value == b"Tm" and len(numbers) >= 6:
                tm = tuple(numbers[-6:])
            elif value == b"Tf" and numbers:
                size = numbers[-1]
            elif value in SHOW_TEXT and shown:
                sizes.append((page, size * _vertical_scale(tm, ctm)))
            elif value == b"Do" and name is not None and depth < 8:
                xobject = ((resources or {}).get("/XObject") or {}).get(name.decode("latin-1"))
                form = xobject.get_object() if xobject is not None else None
                if form is not None and form.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
                    _drawn(form, form.get("/Resources", resources), _times(matrix, ctm), page, sizes, depth + 1)
            numbers, name, shown = [], None, False


def drawn_sizes(pdf: Path) -> list[tuple[int, float]]:
    """(page, size in points) of every text-showing operator in the PDF, its size as drawn (as text_sizes measures
    it), read from the content streams' operators and the form XObjects they draw: about 0.05 s a briefing."""
    from pypdf import PdfReader

    sizes: list[tuple[int, float]] = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        contents = page.get_contents()
        if contents is not None:
            _drawn(contents, page.get("/Resources"), IDENTITY, number, sizes)
    return sizes


def _split_tables(page: Path, pages: list[str]) -> list[str]:
    """Tables of the briefing split across pages of the PDF: for the key measures, which may break between measures,
    a measure whose rows are not on one page; for every other table, one whose caption (or first header) and last
    row are not on one page."""
    split = []
    for table in _soup(page).select("table"):
        head = table.select_one("caption") or table.select_one("tr")
        rows = table.select("tr")
        if head is None or not rows:
            continue
        if "pcp-table-glance" in table.get("class", []):
            for group in table.select("tbody"):
                if not any(_comparable_text(group.get_text(" ")) in text for text in pages):
                    split.append(group.select_one("td").get_text(" ", strip=True)[:60])
            continue
        first, last = _comparable_text(head.get_text(" ")), _comparable_text(rows[-1].get_text(" "))
        if not any(first in text and last in text for text in pages):
            split.append(head.get_text(" ", strip=True)[:60])
    return split


def _online_problems(pdf: Path, edition: Path, slug: str) -> list[str]:
    """The briefing's links into the published site that no file of the built edition answers, and a missing online
    address: on paper the address is the way to the rest of the edition."""
    from pypdf import PdfReader

    uris = {a.get_object()["/A"].get("/URI") for p in PdfReader(pdf).pages for a in p.get("/Annots") or []
            if "/A" in a.get_object()}
    home = f"editions/{slug}/"
    problems = []
    if config.site_url():
        if config.site_url() + home + GLANCE_PATH not in uris:
            problems.append(f"{pdf.name}: no link to the online edition {config.site_url() + home + GLANCE_PATH}")
        for uri in sorted(u for u in uris if u and u.startswith(config.site_url())):
            rest = uri[len(config.site_url()):].split("#")[0]
            if not rest.startswith(home) or not (edition / "html" / rest[len(home):]).is_file():
                problems.append(f"{pdf.name}: link {uri} is not a page of the built edition")
    elif not (edition / "html" / GLANCE_PATH).is_file():
        problems.append(f"{pdf.name}: the online address {home + GLANCE_PATH} is not a page of the built edition")
    return problems


def check(pdf: Path, edition: Path) -> list[str]:
    """What is wrong with a briefing PDF: page count, the force's name, the key points and the at-a-glance figures,
    text under MIN_TEXT_PT, a table split across pages, cut-off text, an online address that leads nowhere."""
    from pypdf import PdfReader

    meta = json.loads((edition / "edition.json").read_text())
    register = json.loads((edition / "figures.json").read_text())
    reader = PdfReader(pdf)
    raw = pdf_text(pdf)
    text = _without_footers(raw, footer_title(meta["force"]))
    flat = _comparable_text(text)
    problems = []
    if not MIN_PAGES <= len(reader.pages) <= MAX_PAGES:
        problems.append(f"{pdf.name}: {len(reader.pages)} pages; expected {MIN_PAGES} to {MAX_PAGES}")
    if _comparable_text(meta["force"]) not in flat:
        problems.append(f"{pdf.name}: the force's name {meta['force']!r} is not in the text")
    # Every at-a-glance figure the briefing carries (all but those of the parts left online) must be in the PDF, and
    # every key point, which no part left online may hold.
    page = edition / "briefing.html"
    carried = carried_keys(page.read_text(encoding="utf-8")) if page.exists() else None
    for record in register:
        shown = _comparable_text(record["text"])
        point = record["key"].startswith(KEY_POINT)
        if record["chapter"] == "at-a-glance" and (carried is None or point or record["key"] in carried) and (
                shown not in flat):
            what = "key point" if point else "key figure"
            problems.append(f"{pdf.name}: {what} {record['key']} ({record['text']!r}) is not in the text")
    small = [(n, size) for n, size in drawn_sizes(pdf) if size < MIN_TEXT_PT - 0.05]
    if small:
        n, size = min(small, key=lambda run: run[1])
        # pypdf names the text (it cannot read text inside a form XObject, which drawn_sizes measures).
        named = [t for m, s, t in text_sizes(pdf) if m == n and abs(s - size) < 0.05]
        pages = sorted({m for m, _ in small})
        where = f"page{'s' if len(pages) > 1 else ''} {join(map(str, pages))}"
        problems.append(f"{pdf.name}: text under {MIN_TEXT_PT:g} pt on {where}, the smallest {size:.1f} pt on page "
                        f"{n} ({named[0][:40] if named else 'text pypdf cannot read'!r})")
    if page.exists():
        pages = [_comparable_text(_without_footers(p, footer_title(meta["force"]))) for p in raw.split("\f")]
        problems += [f"{pdf.name}: the table {name!r} is split across pages" for name in _split_tables(page, pages)]
    problems += [f"{pdf.name}: truncated text ({mark!r}) near {text[max(0, i - 40):i + 5]!r}"
                 for mark in TRUNCATION_MARKS if (i := text.find(mark)) >= 0]
    return problems + _online_problems(pdf, edition, meta["slug"])


class Printer:
    """One headless chromium (Debian's, through Playwright) that prints briefing after briefing; started on first use.

    Every Playwright call runs on one thread of its own: Playwright's sync API refuses to start in a thread that
    already runs an asyncio loop (a test's browser, a kernel client), and a browser belongs to the thread that
    started it."""

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._page = None
        self._errors: list[str] = []
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

        page, errors = self._page_for_print()
        try:
            page.emulate_media(media="screen")  # charts draw as on screen; the page is printed as print media
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
        except BaseException:
            self._close_page()  # the next briefing starts on a fresh page
            raise
        return pdf

    def _page_for_print(self):
        """The tab briefings are printed in, and the list its page errors are collected in (emptied for this print).
        One tab serves briefing after briefing: a new tab is a new renderer that compiles the Vega bundle again,
        about 0.4 s a briefing."""
        browser = self._ensure_started()  # a chromium that died is started again, its tab closed with it
        if self._page is None or self._page.is_closed():
            # The viewport is the printed column (A4 less its margins), so a chart as wide as its container draws at
            # the width it prints at, not at a screen's width scaled down to the page (and its text with it).
            self._page = browser.new_page(viewport=PRINT_VIEWPORT)
            self._page.on("pageerror", lambda exc: self._errors.append(str(exc)))
        self._errors.clear()
        return self._page, self._errors

    def _close_page(self) -> None:
        if self._page is not None:
            try:
                self._page.close()
            except Exception:  # its browser already gone: nothing left to release
                pass
            self._page = None

    def close(self) -> None:
        if self._closed:
            return
        self._thread.submit(self._close).result()
        self._thread.shutdown(wait=True)
        self._closed = True

    def _close(self) -> None:
        self._close_page()
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
    """Assemble, print and check the briefing of the edition in `edition`, in the first of LAYOUTS that takes at most
    MAX_PAGES (or the last); raise BriefingError on any problem."""
    from pypdf import PdfReader

    meta = json.loads((edition / "edition.json").read_text())
    pdf = edition / pdf_name(meta["slug"])
    for layout in range(len(LAYOUTS)):
        printer.print(assemble(edition, layout), pdf, footer_title(meta["force"]))
        if len(PdfReader(pdf).pages) <= MAX_PAGES:
            break
    problems = check(pdf, edition)
    if problems:
        raise BriefingError("; ".join(problems))
    return pdf

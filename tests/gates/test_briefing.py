"""The printable briefing: a real edition's PDF (pages, force name, key figures, nothing cut off) and the checker."""

from __future__ import annotations

import json
import re

import pytest

from analysis import config
from analysis.chapters import guide_and_force as guide
from analysis.present.tables import FIGURE_KEY
from analysis.publish import briefing
from tests.conftest import EDITION_FORCE


@pytest.mark.gate
def test_the_edition_briefing_pdf_has_2_to_4_pages_the_force_and_its_key_figures(edition):
    from pypdf import PdfReader

    live = edition / EDITION_FORCE
    pdf = live / briefing.pdf_name(EDITION_FORCE)
    reader = PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert briefing.MIN_PAGES <= len(reader.pages) <= briefing.MAX_PAGES
    assert "Cumbria Constabulary" in text
    # Every at-a-glance figure but those of the parts left online (briefing.ONLINE_ONLY): the key points and measures.
    # The comparable forces' parts, and the note on how changes were tested (on paper, a line pointing to it).
    online = {"g_peer_intro", "g_peer_phrase", "g_change_note"}
    key = [r for r in json.loads((live / "figures.json").read_text()) if r["chapter"] == "at-a-glance"
           and r["key"] not in online]
    assert {"g_point_1", "g_point_3", "g_officers26", "g_bw25_label", "g_deaths25_ew"} <= {r["key"] for r in key}
    # Sphinx curls the apostrophes of glued sentences; compare as the checker does.
    plain = briefing._comparable_text(briefing._without_footers(text, briefing.footer_title("Cumbria Constabulary")))
    assert len(key) >= 5 and all(briefing._comparable_text(r["text"]) in plain for r in key), [
        r["key"] for r in key if briefing._comparable_text(r["text"]) not in plain]
    assert "…" not in text and "..." not in text
    assert "Sourcesanddataperiods" in flat and "OpenGovernmentLicence" in flat
    # The guide's five areas, each on paper in the questions to the force (the guide's table stays online); no text
    # smaller than 8 pt, chart labels included.
    assert "Questionstoputtotheforce" in flat and "Theguideandthisforce" not in flat
    assert all(briefing._comparable_text(a[0]) in plain for a in guide.AREAS)
    # The way to the rest: the online edition and its data pack, as a workbook and as a package.
    assert f"editions/{EDITION_FORCE}/book/at-a-glance.html" in flat
    assert f"{EDITION_FORCE}-data.xlsx" in flat and f"{EDITION_FORCE}-data.zip" in flat
    drawn = briefing.drawn_sizes(pdf)
    assert min(size for _, size in drawn) >= briefing.MIN_TEXT_PT - 0.05
    # Every run pypdf's text extraction measures is measured alike from the content streams.
    assert {(n, round(size, 2)) for n, size, _ in briefing.text_sizes(pdf)} <= {(n, round(s, 2)) for n, s in drawn}
    assert briefing.check(pdf, live) == []


@pytest.mark.gate
def test_the_briefing_charts_are_vectors_and_the_page_links_to_the_pdf(edition):
    from pypdf import PdfReader

    live = edition / EDITION_FORCE
    # Vega's SVG text survives as PDF text: the force charts' axis titles are searchable, not pixels.
    text = "\n".join(p.extract_text() for p in PdfReader(live / briefing.pdf_name(EDITION_FORCE)).pages)
    flat = re.sub(r"\s+", "", text)
    assert "Offencesper1,000residents" in flat and "Policeofficersper100,000residents" in flat
    # The small trend panels and the map stay online: printed, their text would be too small to read.
    assert "CumbriaagainstEnglandandWalesovertime" not in flat
    glance = (live / "html" / "book" / "at-a-glance.html").read_text()
    assert f'href="../{briefing.pdf_name(EDITION_FORCE)}"' in glance
    assert (live / "html" / briefing.pdf_name(EDITION_FORCE)).read_bytes() == \
        (live / briefing.pdf_name(EDITION_FORCE)).read_bytes()


def test_the_checker_names_page_count_missing_figures_and_cut_off_text(tmp_path, monkeypatch):
    from pypdf import PdfWriter

    monkeypatch.delenv(config.SITE_URL_ENV, raising=False)
    (tmp_path / "edition.json").write_text(json.dumps({"force": "Kent Police", "slug": "kent"}))
    (tmp_path / "figures.json").write_text(json.dumps([
        {"chapter": "at-a-glance", "key": "g_rate", "text": "7.3"},
        {"chapter": "01-trust", "key": "national_only", "text": "99.9"},
        {"chapter": "at-a-glance", "key": "online_only", "text": "4.2"}]))
    # The briefing carries 7.3 (its mark on the page says so, by key); 4.2 is in a part left online, so its absence
    # from the PDF is no fault, though its text is in the briefing's too.
    (tmp_path / "briefing.html").write_text(f'<html><body><p>Rate <span {FIGURE_KEY}="g_rate">7.3</span>; 4.2</p>'
                                            "</body></html>")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    pdf = tmp_path / "kent-briefing.pdf"
    with open(pdf, "wb") as fh:
        writer.write(fh)
    assert briefing.check(pdf, tmp_path) == [
        "kent-briefing.pdf: 1 pages; expected 2 to 4",
        "kent-briefing.pdf: the force's name 'Kent Police' is not in the text",
        "kent-briefing.pdf: key figure g_rate ('7.3') is not in the text",
        "kent-briefing.pdf: the online address editions/kent/book/at-a-glance.html is not a page of the built edition"]


def test_sources_come_from_the_manifest_and_an_unknown_file_is_named():
    rows = briefing.sources([{"datasets": ["iopc_deaths_following_contact/time_series"]}])
    assert [r["dataset"] for r in rows] == ["iopc_deaths_following_contact"]
    assert rows[0]["period"] == "2004/05 to 2019/20"
    with pytest.raises(briefing.BriefingError, match="no_such/file"):
        briefing.sources([{"datasets": ["no_such/file"]}])


@pytest.mark.gate
def test_the_checker_finds_a_figure_whose_wording_wraps_across_lines_of_a_table_cell(tmp_path, monkeypatch):
    monkeypatch.delenv(config.SITE_URL_ENV, raising=False)
    (tmp_path / "html" / "book").mkdir(parents=True)
    (tmp_path / "html" / briefing.GLANCE_PATH).write_text("<html></html>")  # the online address resolves
    wording = "lower than the rest of England and Wales in Northampton\u00adshire's own survey (rate ratio 0.53)"
    (tmp_path / "edition.json").write_text(json.dumps({"force": "Northamptonshire Police", "slug": "x"}))
    (tmp_path / "figures.json").write_text(json.dumps([{"chapter": "at-a-glance", "key": "g_w", "text": wording}]))
    # A cell a few words wide: the wording takes several lines, one of them broken at the soft hyphen.
    page = tmp_path / "page.html"
    page.write_text(f'<html><body><p style="break-after: page">Northamptonshire Police</p><table><tr>'
                    f'<td style="width: 4.5em">{wording}</td></tr></table></body></html>', encoding="utf-8")
    with briefing.Printer() as printer:
        pdf = printer.print(page, tmp_path / "x-briefing.pdf", "x")
    lines = briefing.pdf_text(pdf).splitlines()
    assert len([line for line in lines if line.strip() and line.strip() in wording]) > 3
    assert briefing.check(pdf, tmp_path) == []


def _edition(tmp_path, page: str, register=(), glance: bool = True):
    """A folder holding what check() reads: edition.json, figures.json, briefing.html and, with `glance`, the
    edition's first page."""
    (tmp_path / "edition.json").write_text(json.dumps({"force": "Kent Police", "slug": "kent"}))
    (tmp_path / "figures.json").write_text(json.dumps(list(register)))
    (tmp_path / "briefing.html").write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    if glance:
        (tmp_path / "html" / "book").mkdir(parents=True)
        (tmp_path / "html" / briefing.GLANCE_PATH).write_text("<html></html>")
    return tmp_path


@pytest.mark.gate
def test_the_checker_measures_printed_text_size_and_finds_a_table_split_across_pages(tmp_path, monkeypatch):
    monkeypatch.delenv(config.SITE_URL_ENV, raising=False)
    rows = "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(120))
    # The key measures may break between measures, never inside one: a measure longer than a page is split.
    measures = ('<table class="pcp-table-glance"><caption>Key measures</caption><tbody><tr><td>Short measure</td>'
                f'<td>1</td></tr></tbody><tbody>{rows.replace("Row", "Long measure")}</tbody></table>')
    edition = _edition(tmp_path, '<p>Kent Police</p><p style="font-size: 7pt">Small print</p>'
                                 f"<table><caption>Long table</caption><tbody>{rows}</tbody></table>{measures}",
                       register=[{"chapter": "at-a-glance", "key": "g_point_1", "text": "A key point left out"}])
    with briefing.Printer() as printer:
        pdf = printer.print(edition / "briefing.html", edition / "kent-briefing.pdf", "Kent")
    sizes = {round(size, 1) for _, size in briefing.drawn_sizes(pdf)}
    assert 7.0 in sizes and min(sizes) == 7.0
    problems = briefing.check(pdf, edition)
    # A key point must be in the briefing even where the page assembled without it (it may be left out nowhere).
    assert "kent-briefing.pdf: key point g_point_1 ('A key point left out') is not in the text" in problems
    assert "kent-briefing.pdf: text under 8 pt on page 1, the smallest 7.0 pt on page 1 ('Small print')" in problems
    assert "kent-briefing.pdf: the table 'Long table' is split across pages" in problems
    assert "kent-briefing.pdf: the table 'Long measure 0' is split across pages" in problems
    assert not any("Short measure" in p or "Key measures" in p for p in problems)


@pytest.mark.gate
def test_with_the_site_address_every_link_of_the_briefing_must_be_a_page_of_the_built_edition(tmp_path, monkeypatch):
    monkeypatch.setenv(config.SITE_URL_ENV, "https://example.org/pcp")
    home = "https://example.org/pcp/editions/kent/"
    edition = _edition(tmp_path, f'<p>Kent Police</p><p><a href="{home}{briefing.GLANCE_PATH}">online</a> '
                                 f'<a href="{home}book/gone.html#x">gone</a> <a href="https://example.org/pcp/index.html">'
                                 'national</a> <a href="https://www.gov.uk/x">publisher</a></p>')
    with briefing.Printer() as printer:
        pdf = printer.print(edition / "briefing.html", edition / "kent-briefing.pdf", "Kent")
        assert [p for p in briefing.check(pdf, edition) if "link" in p] == [
            f"kent-briefing.pdf: link {home}book/gone.html#x is not a page of the built edition",
            "kent-briefing.pdf: link https://example.org/pcp/index.html is not a page of the built edition"]
        (edition / "briefing.html").write_text("<p>Kent Police</p>")
        pdf = printer.print(edition / "briefing.html", edition / "kent-briefing.pdf", "Kent")
    missing = f"kent-briefing.pdf: no link to the online edition {home}{briefing.GLANCE_PATH}"
    assert missing in briefing.check(pdf, edition)


def _glance_page(reword: str = "") -> str:
    """An at-a-glance page as Sphinx builds it: each part opened by its explicit target; `reword` prefixes every
    heading and every measure's label, as a rewording of the page would change them (and the ids Sphinx makes of
    the headings)."""
    def part(name: str, heading: str, body: str) -> str:
        slug = (reword + heading).lower().replace(" ", "-")
        return (f'<section id="{slug}"><span id="{briefing.PART[name]}"></span><h2>{reword}{heading}</h2>{body}'
                "</section>")

    rows = "".join(f'<tr data-group="{m}"><td>{reword}{m} (note)</td><td>{i}</td></tr>'
                   for i, m in enumerate("AABCCCD"))
    return (f"""<article class="bd-article"><section id="kent-at-a-glance"><h1>Kent Police at a glance</h1>"""
            + part("key points", "Key points", f"""<ul><li>A point. <a class="{briefing.EVIDENCE_LINK}"
                   href="05-contact-with-suspects.html">Where this comes from</a></li></ul>""")
            + part("how to read", "How to read it", """<div class="pcp-online-only"><p>Beside its comparable
                   forces</p></div><p>Reading notes</p>""")
            + part("key measures", "Key measures", f"""<div class="pcp-table-wrap"><table class="pcp-table
                   pcp-table-glance"><caption>Key measures</caption><thead><tr><th>Measure</th><th>Value</th></tr>
                   </thead><tbody>{rows}</tbody></table></div>""")
            + part("guide", "The guide and this force", """<div class="pcp-screen-only">Full table</div>
                   <div class="pcp-print-only">Compact areas</div>""")
            + part("questions", "Questions", """<p>Asked of <a href="02-neighbourhood-policing.html">Neighbourhood
                   policing</a></p>""")
            + part("confidence", "Public confidence", """<p>In England and Wales</p><figure><div></div>
                   <figcaption>Source: ONS. <a download="pcp-x.csv" href="../_static/chart-data/0a.csv">Download
                   the chart data (CSV)</a></figcaption></figure>""")
            + part("over time", "Over time", "<p>Small charts</p>")
            + part("among forces", "Charts", f"""<div class="{briefing.NOT_CHARTED}"></div>
                   <figure>Other forces</figure>""")
            + "</section></article>")


@pytest.mark.parametrize("reword", ["", "REWORDED "])
def test_the_briefing_orders_the_page_for_paper_and_leaves_out_what_stays_online(tmp_path, monkeypatch, reword):
    # Reworded headings and measure labels change nothing: parts are found by their targets, rows by their measure.
    (tmp_path / "book").mkdir()
    (tmp_path / briefing.GLANCE_PATH).write_text(_glance_page(reword))
    monkeypatch.delenv(config.SITE_URL_ENV, raising=False)
    from bs4 import BeautifulSoup

    paper = BeautifulSoup(briefing.dashboard(tmp_path, "kent"), "html.parser")
    assert [s.span["id"] for s in paper.select("section section")] == [
        briefing.PART[name] for name in ("confidence", "key points", "key measures", "questions", "how to read")]
    text = paper.get_text(" ")
    # The guide's areas stay online: on paper the questions carry the guide's advice beside the force's figures.
    for gone in ("Where this comes from", "Beside its comparable forces", "Full table", "Compact areas",
                 "Other forces", "Small charts", "Download"):
        assert gone not in text
    assert "In England and Wales" in text and "Neighbourhood" in text and not paper.select("a")
    # The key measures are one table, never printed in parts: a tbody per measure, which print keeps on one page, so
    # the table breaks between measures only, its header repeated.
    tables = paper.select(f"section:has(> #{briefing.PART['key measures']}) table")
    assert len(tables) == 1 and "part" not in tables[0].caption.get_text()
    assert [[r["data-group"] for r in body.select("tr")] for body in tables[0].select("tbody")] == [
        list("AA"), list("B"), list("CCC"), list("D")]
    assert "table.pcp-table-glance tbody { break-inside: avoid; }" in briefing.PRINT_CSS
    monkeypatch.setenv(config.SITE_URL_ENV, "https://example.org/pcp/")
    links = [a["href"] for a in BeautifulSoup(briefing.dashboard(tmp_path, "kent"), "html.parser").select("a")]
    assert links == ["https://example.org/pcp/editions/kent/book/05-contact-with-suspects.html",
                     "https://example.org/pcp/editions/kent/book/02-neighbourhood-policing.html"]


@pytest.mark.gate
def test_the_denser_layout_for_a_long_briefing_passes_every_check_in_no_more_pages(edition, tmp_path):
    import shutil

    from pypdf import PdfReader

    live = shutil.copytree(edition / EDITION_FORCE, tmp_path / EDITION_FORCE)
    pdf = live / briefing.pdf_name(EDITION_FORCE)
    standard = len(PdfReader(pdf).pages)
    with briefing.Printer() as printer:
        printer.print(briefing.assemble(live, layout=1), pdf, briefing.footer_title("Cumbria Constabulary"))
    assert "font-size: 8pt" in (live / "briefing.html").read_text()
    assert len(PdfReader(pdf).pages) <= standard and briefing.check(pdf, live) == []


@pytest.mark.gate
def test_one_tab_prints_briefing_after_briefing_and_a_failed_print_leaves_nothing_behind(tmp_path):
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_text("<html><body><p>Kent Police</p></body></html>")
    bad.write_text("<html><body><p>Kent Police</p><script>throw new Error('no chart drawn')</script></body></html>")
    with briefing.Printer() as printer:
        printer.print(good, tmp_path / "a.pdf", "Kent")
        tab = printer._page
        printer.print(good, tmp_path / "b.pdf", "Kent")
        assert printer._page is tab  # no new renderer, no second compile of the page's scripts
        with pytest.raises(briefing.BriefingError, match="no chart drawn"):
            printer.print(bad, tmp_path / "c.pdf", "Kent")
        printer.print(good, tmp_path / "d.pdf", "Kent")  # the failed page's error is not carried over
        assert printer._page is not tab
    assert briefing.pdf_text(tmp_path / "d.pdf").count("Kent Police") == 1

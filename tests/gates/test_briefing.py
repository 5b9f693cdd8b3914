"""The printable briefing: a real edition's PDF (pages, force name, key figures, nothing cut off) and the checker."""

from __future__ import annotations

import json
import re

import pytest

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
    online = {"g_peer_intro", "g_peer_phrase"}  # the comparable forces' parts
    key = [r for r in json.loads((live / "figures.json").read_text()) if r["chapter"] == "at-a-glance"
           and r["key"] not in online]
    assert {"g_point_1", "g_point_3", "g_officers26", "g_bw25_label", "g_deaths25_ew"} <= {r["key"] for r in key}
    # Sphinx curls the apostrophes of glued sentences; compare as the checker does.
    plain = briefing._comparable_text(briefing._without_footers(text, briefing.footer_title("Cumbria Constabulary")))
    assert len(key) >= 5 and all(briefing._comparable_text(r["text"]) in plain for r in key), [
        r["key"] for r in key if briefing._comparable_text(r["text"]) not in plain]
    assert "…" not in text and "..." not in text
    assert "Sourcesanddataperiods" in flat and "OpenGovernmentLicence" in flat
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


def test_the_checker_names_page_count_missing_figures_and_cut_off_text(tmp_path):
    from pypdf import PdfWriter

    (tmp_path / "edition.json").write_text(json.dumps({"force": "Kent Police", "slug": "kent"}))
    (tmp_path / "figures.json").write_text(json.dumps([
        {"chapter": "at-a-glance", "key": "g_rate", "text": "7.3"},
        {"chapter": "01-trust", "key": "national_only", "text": "99.9"},
        {"chapter": "at-a-glance", "key": "online_only", "text": "4.2"}]))
    # The briefing carries 7.3; 4.2 is in a part left online, so its absence from the PDF is no fault.
    (tmp_path / "briefing.html").write_text("<html><body><p>Rate 7.3</p></body></html>")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    pdf = tmp_path / "kent-briefing.pdf"
    with open(pdf, "wb") as fh:
        writer.write(fh)
    assert briefing.check(pdf, tmp_path) == [
        "kent-briefing.pdf: 1 pages; expected 2 to 4",
        "kent-briefing.pdf: the force's name 'Kent Police' is not in the text",
        "kent-briefing.pdf: key figure g_rate ('7.3') is not in the text"]


def test_sources_come_from_the_manifest_and_an_unknown_file_is_named():
    rows = briefing.sources([{"datasets": ["iopc_deaths_following_contact/time_series"]}])
    assert [r["dataset"] for r in rows] == ["iopc_deaths_following_contact"]
    assert rows[0]["period"] == "2004/05 to 2019/20"
    with pytest.raises(briefing.BriefingError, match="no_such/file"):
        briefing.sources([{"datasets": ["no_such/file"]}])


@pytest.mark.gate
def test_the_checker_finds_a_figure_whose_wording_wraps_across_lines_of_a_table_cell(tmp_path):
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

"""No evidence table or bibliography entry links a newspaper, blog or document-mirror host: every link shown is a
row's citation_url, and none is on a mirror host."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config
from analysis.chapters import evidence
from analysis.present import evidence_tables
from analysis.sources import evidence as register_source
from analysis.sources import forces
from analysis.sources.evidence import is_mirror, load_register

BIB = config.REPO_ROOT / "references.bib"


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def shown_html():
    """Every evidence table a reader can see: each chapter's, and each force edition's force-level rows."""
    pages = [evidence_tables.styled(evidence.table(p))._repr_html_() for p in evidence.CHAPTER_PAGES]
    pages += [s.table._repr_html_() for s in map(evidence.force_rows, forces.registry()["pfa_code"]) if s.table]
    return "".join(pages).replace("&amp;", "&")


def bib_links() -> list[str]:
    text = BIB.read_text(encoding="utf-8")
    return ([m for m in re.findall(r"\burl = \{([^}]+)\}", text)]
            + [f"https://doi.org/{d}" for d in re.findall(r"\bdoi = \{([^}]+)\}", text)])


@pytest.mark.parametrize("url, mirror", [
    ("https://slideplayer.com./amp/17240493", True), ("https://m.moam.info/does-the-fear", True),
    ("https://www.the-independent.com/news/uk/x", True), ("https://production.copweb.aws.college.police.uk/x", True),
    ("https://www.college.police.uk/guidance/x", False), ("https://doi.org/10.1093/police/pan079", False),
    ("https://www.ons.gov.uk/x", False), ("https://www.gov.uk/government/statistics/x", False)])
def test_mirror_hosts_are_recognised_with_their_subdomains(url, mirror):
    assert is_mirror(url) is mirror


def test_every_link_in_an_evidence_table_is_a_citation_and_none_a_mirror(register, shown_html):
    links = set(re.findall(r'href="([^"]+)"', shown_html))
    assert links and links <= set(register["citation_url"].dropna())
    assert not [u for u in links if is_mirror(u)]
    for url in register["source_url"].dropna():
        if is_mirror(url):
            assert url not in shown_html


def test_no_bibliography_entry_links_a_newspaper_blog_or_mirror(register):
    cited = set(register["citation_url"].dropna())
    links = bib_links()
    assert len(links) > 20 and not [u for u in links if is_mirror(u)]
    # Each is a register row's citation, a DOI, or the guide's own pages (of which the register cites several).
    for url in links:
        assert url in cited or url.startswith("https://doi.org/") or any(c.startswith(url) for c in cited), url


def test_a_citation_on_a_mirror_host_is_refused(tmp_path, monkeypatch, register):
    real = register_source.locate
    bad = pd.read_csv(real(register_source.REGISTER_FILE))
    bad.loc[bad["id"] == "E001", "citation_url"] = "https://dokumen.tips/documents/a-copy.html"
    path = tmp_path / "register.csv"
    bad.to_csv(path, index=False)
    monkeypatch.setattr(register_source, "locate",
                        lambda file_id: path if file_id == register_source.REGISTER_FILE else real(file_id))
    register_source.load_register.cache_clear()  # a process keeps the register it read; read this one
    try:
        with pytest.raises(ValueError, match="citation_url of E001 is a newspaper, blog or copy"):
            register_source.load_register()
    finally:
        register_source.load_register.cache_clear()

"""The evidence register: the studies and figures the guide rests on, one row per figure, read and checked."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import yaml

from analysis.sources import cache
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, validate

# The register is a project file listed in the manifest; figures quoted from it name this id.
REGISTER_FILE = "evidence_register/register"
# The class of each design the register uses (and, for a review, of what it pooled): the strength grade is read from
# it, never from the design's words.
DESIGNS_FILE = "evidence_register/designs"
# The project's curation of how register text reaches readers: reading notes removed, secondary rows, citations.
DISPLAY_FILE = "evidence_register/display"
# What a row's figure measures, in the register's words and as readers see them (README.md, v4).
OUTCOME_DOMAINS = {
    "confidence/trust/legitimacy": "confidence, trust or legitimacy", "satisfaction": "satisfaction with a contact",
    "crime/disorder": "crime or disorder", "fear/perceived safety": "fear of crime or feeling safe",
    "officer behaviour": "officers' behaviour", "cooperation/compliance": "cooperation or compliance",
    "other": "another outcome",
}
# The statistic as the source reports it (README.md's fixed vocabulary).
METRICS = (
    "percent", "percentage point difference", "percent change", "percent change in odds",
    "percent reduction (from log RIRR)", "percent reduction (converted from Cohen's d)", "percent more likely",
    "ratio", "odds ratio", "Cohen's d", "Hedges' g", "correlation r", "t statistic", "rate per 1,000 population",
    "rate per million population", "count", "mean", "direction only", "n only",
)

SCHEMA = Schema(
    "evidence register",
    (
        Column("id", "str"), Column("chapter", "str"), Column("claim", "str"), Column("study", "str"),
        Column("design", "str"), Column("measure", "str", nullable=True), Column("estimate", "float", nullable=True),
        Column("ci_low", "float", nullable=True), Column("ci_high", "float", nullable=True),
        Column("n", "float", nullable=True, min=0), Column("unit", "str", nullable=True),
        # source_url is where the text was read (sometimes a copy on a sharing site): never shown to readers.
        Column("source_url", "str", nullable=True), Column("citation_url", "str", nullable=True),
        # What a review pooled (designs, studies, participants): the strength rule grades reviews by it.
        Column("studies_pooled", "str", nullable=True),
        # Register v4: what the figure measures, its statistic, its significance and place (README.md defines them).
        Column("outcome_domain", "str", allowed=frozenset(OUTCOME_DOMAINS)),
        Column("metric", "str", allowed=frozenset(METRICS)),
        Column("significant", "str", allowed=frozenset(("yes", "no", "not stated"))),
        Column("country", "str", allowed=frozenset(("UK", "USA", "Australia", "Israel", "multi", "not stated"))),
        # The editors' notes: never shown to readers, and dropped on loading so no page or file can show them.
        Column("review_note", "str", nullable=True),
    ),
    unique=("id",),
)

# Newspapers, blogs, campaign commentary, catalogues and document-sharing copies: where the register's compilers
# read some figures (source_url), never a citation a reader is sent to. Subdomains count.
MIRROR_HOSTS = frozenset({
    "9dok.net", "apwheele.github.io", "b2find.dkrz.de", "beccaria-portal.org", "cnpereading.com", "daily8.com",
    "deeside.com", "discovery-pp.ucl.ac.uk", "distantreader.org", "docslib.org", "documents.pub", "dokumen.tips",
    "expressandstar.com", "fdocuments.us", "hellorayo.co.uk", "ideas.repec.org", "independent.co.uk",
    "informahealthcare.com", "lawsdocbox.com", "matthew-dooley.com", "moam.info", "ouci.dntb.gov.ua",
    "pdfslide.net", "pdfslide.us", "pih.org.uk", "policeauthority.org", "policeprofessional.com",
    "policycommons.net", "powwowtrading.com", "production.copweb.aws.college.police.uk", "publicnet.co.uk",
    "read-me.org", "researchgate.net", "safetylit.org", "slideplayer.com", "stop-watch.org", "stroudtimes.com",
    "the-independent.com", "thecourieronline.co.uk", "thejusticegap.com", "vlex.com", "welshicons.org",
    "cy.beta.ons.gov.uk",
})


def is_mirror(url: str) -> bool:
    """Whether a link points at a newspaper, blog or copy rather than the publisher (MIRROR_HOSTS)."""
    host = (urlparse(url.strip()).hostname or "").rstrip(".")
    return any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS)


@cache.in_memory
def load_register() -> pd.DataFrame:
    """Every row of the register, checked against its schema; a citation on a mirror host is refused."""
    path = locate(REGISTER_FILE)
    df = validate(pd.read_csv(path), SCHEMA, str(path))
    mirrored = df[df["citation_url"].fillna("").map(is_mirror)]
    if len(mirrored):
        raise ValueError(f"{path}: citation_url of {', '.join(mirrored['id'])} is a newspaper, blog or copy "
                         f"({mirrored['citation_url'].iloc[0]}); cite the publisher, or leave it empty")
    return _with_design_class(df.drop(columns="review_note"), path)


def _with_design_class(df: pd.DataFrame, path) -> pd.DataFrame:
    """The register with each row's design class (designs.csv, keyed by design and what a review pooled)."""
    designs_path = locate(DESIGNS_FILE)
    designs = pd.read_csv(designs_path, keep_default_na=False)
    key = ["design", "studies_pooled"]
    out = df.assign(_pooled=df["studies_pooled"].fillna("")).merge(
        designs.rename(columns={"studies_pooled": "_pooled"}), on=["design", "_pooled"], how="left",
        validate="many_to_one")
    missing = out[out["design_class"].isna()]
    if len(missing):
        raise ValueError(f"{path}: rows {', '.join(missing['id'])} have a design ({missing['design'].iloc[0]!r}) that "
                         f"{designs_path} does not class; add the design and what it pooled ({key}) there")
    return out.drop(columns="_pooled")


@cache.in_memory
def load_display() -> dict:
    """display.yml: reading_notes (phrase -> what readers see instead), secondary (row ids whose figure was read in a
    secondary summary) and citations (register study text -> the citation readers see)."""
    path = locate(DISPLAY_FILE)
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    missing = {"reading_notes", "secondary", "citations"} - set(doc)
    if missing:
        raise ValueError(f"{path}: missing section(s) {sorted(missing)}")
    return doc

"""The evidence register: the studies and figures the guide rests on, one row per figure, read and checked."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from analysis.sources import cache
from analysis.sources.files import locate
from analysis.sources.schemas import Column, Schema, validate

# The register is a project file listed in the manifest; figures quoted from it name this id.
REGISTER_FILE = "evidence_register/register"

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
    return df

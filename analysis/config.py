"""Every setting the analysis shares: paths, the data mirror, survey conventions, chart sizes."""

from __future__ import annotations

import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
MANIFEST_PATH = DATA_DIR / "manifest.yml"
FORCES_PATH = DATA_DIR / "forces.csv"
# What each force measure is (label, unit, definition, direction, the method behind its verdict): measures/.
MEASURES_PATH = DATA_DIR / "measures.yml"
# The rules that turn the guide's advice into questions for a force's chief officer (chapters/questions.py).
QUESTIONS_PATH = DATA_DIR / "guide_questions.yml"
BUILD_DIR = REPO_ROOT / "_build"

# The raw files are committed under data/raw/<dataset>/; PCP_DATA_MIRROR points the loader at another copy.
MIRROR_ENV = "PCP_DATA_MIRROR"
DEFAULT_MIRROR = DATA_DIR / "raw"
# Files missing from the mirror are fetched from their download URL (with pooch) into this cache.
DOWNLOAD_CACHE = BUILD_DIR / "downloads"
DOWNLOAD_TIMEOUT_S = 60

# The published site's address (GitHub Pages), printed in each briefing PDF; the release workflow sets it.
SITE_URL_ENV = "PCP_SITE_URL"


class SettingError(ValueError):
    """An environment setting has a value the book cannot use; says which setting and what it expects."""


def site_url() -> str:
    """The published site's address ending in '/', or '' when none is set (local builds). Only an https:// address
    with a host is accepted: the briefing PDF turns it into links."""
    url = os.environ.get(SITE_URL_ENV, "").strip()
    if url and (not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[^\s\"'<>\\]*)?", url)):
        raise SettingError(f"{SITE_URL_ENV}={url[:60]!r}: expected an https:// address, like "
                           "https://example.github.io/book/")
    return url if not url or url.endswith("/") else url + "/"


# The largest local survey file an edition reads (a force's file of several years, areas and groups is well under
# both); a larger one is refused before it is parsed. Raise them with these environment variables.
LOCAL_SURVEY_LIMITS = {"PCP_LOCAL_SURVEY_MAX_MB": 50, "PCP_LOCAL_SURVEY_MAX_ROWS": 500_000}


def local_survey_limits() -> tuple[int, int]:
    """(bytes, rows): the local survey limits, from the environment or the defaults above; a setting that is not a
    whole number of 1 or more is refused, naming it."""
    limits = []
    for name, default in LOCAL_SURVEY_LIMITS.items():
        text = os.environ.get(name, "").strip() or str(default)
        if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < 1:
            raise SettingError(f"{name}={text[:30]!r}: expected a whole number, 1 or more (default {default})")
        limits.append(int(text))
    return limits[0] * 10**6, limits[1]


# The earlier figure register an edition's "What changed" page compares with (SINCE, SINCE_DIR): a register is about
# 0.2 MB, so a file over this limit is not one. The page lists at most CHANGES_LISTED figures and counts the rest.
REGISTER_MAX_BYTES = 10 * 10**6
CHANGES_LISTED = 300


def mirror_dir() -> Path:
    """The folder holding the raw files, from PCP_DATA_MIRROR or the default."""
    return Path(os.environ.get(MIRROR_ENV) or DEFAULT_MIRROR).expanduser()


# Survey conventions.
CONFIDENCE_LEVEL = 0.95
# A published survey figure with no design effect of its own (MOPAC's PAS) is tested as a sample this many times
# smaller than its interviews: weighting and clustering make a survey's variance larger than simple random sampling's,
# and 1.5 is an assumption, not a published figure, stated wherever such a test is worded (methods/survey.how_tested).
ASSUMED_DESIGN_EFFECT = 1.5
# ONS: CSEW perceptions data from the year ending March 2012 are not directly comparable
# with earlier years (questionnaire change). Years are "year ending March".
QUESTIONNAIRE_BREAK_YE = 2012
# No comparable face-to-face CSEW perception data in these years (telephone survey, COVID-19).
COVID_GAP_YE = (2021, 2022)

# A census population fits a rate's year only near census day: the 2011 Census (27 March 2011) is used without a
# flag for years ending March 2010 to 2014 (2009/10 to 2013/14), about two years either side.
CENSUS_2011_FITS = (2010, 2014)
# Census days: residents between them are interpolated linearly to each financial year's midpoint (30 September).
CENSUS_2011_DAY = "2011-03-27"
CENSUS_2021_DAY = "2021-03-21"
# Below this many events (searches, tactic uses) in either group a rate ratio is too unstable to quote.
MIN_EVENTS_FOR_RATIO = 20
# Below this many cases (IOPC reviews) a force's share moves five points or more with one case: it is not placed on a
# funnel, nor counted in its centre or spread.
MIN_CASES_FOR_SHARE = 20
# Where a quarter or more of a group's searches have no usable arrest count, its arrest rate could be far
# from the truth whichever way the blanks fall, so no rate or comparison is quoted.
MAX_UNKNOWN_ARREST_SHARE = 0.25

# Above this overdispersion factor a funnel's limits are more than about three times as wide as chance alone would
# draw them (sqrt(10)), so "within the limits" says only that a force is not unusual among forces that differ widely:
# the verdict says so beside it.
WIDE_FUNNEL_PHI = 10

# A force's newest figure for a measure is flagged as old once it is this many years older than the newest figure any
# measure has (the dashboard, its survey note and the briefing all judge staleness by it).
STALE_YEARS = 2

# Hot-spot concentration against chance: simulations of the same incidents spread at one rate over the same places,
# seeded so a rebuild gives the same figure.
HOTSPOT_SIMULATIONS = 200
HOTSPOT_SEED = 21

# Significant digits of every float where it leaves the analysis (present/precision.py): NumPy's vectorised maths
# differs between CPUs in the last of about 16 digits, so outputs rounded well above it are the same on any machine.
# A chart's data: a drawing resolves about 1 part in 1,000, and 6 digits keep the site light.
CHART_DIGITS = 6
# Glued figures and the figure register: enough to reproduce every printed figure, and to compare registers.
FIGURE_DIGITS = 10
# ... and no more decimals than this: a value near zero (a pooled correlation of -0.002, a difference of two close
# estimates) would otherwise keep digits far below 1 part in 10^10 of the terms it came from, where CPUs disagree.
FIGURE_DECIMALS = 10
# CSV downloads, the data pack and its workbook: more than any published source gives.
FILE_DIGITS = 6

# Charts.
CHART_WIDTH = 540
CHART_HEIGHT = 300
# The dataset name under which a rendered map carries the force shapes (named by present/maps.py, added by
# present/render.py).
SHAPES_DATASET = "pcp-force-areas"

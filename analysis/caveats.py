"""The caveats log: every known limit of the data, where it bites, and what the book does about it."""

from __future__ import annotations

import pandas as pd

from analysis import comparable, config, population
from analysis import stop_search as ss

CAVEATS = [
    ("Series break", "CSEW confidence and good/excellent rating (chapters 1, 2)",
     f"The questionnaire changed in {config.QUESTIONNAIRE_BREAK_YE - 1}/{str(config.QUESTIONNAIRE_BREAK_YE)[2:]}; "
     "lines are never joined across it."),
    ("Survey gap", "All CSEW perception series",
     f"No comparable face-to-face survey in {config.COVID_GAP_YE[0] - 1}/{str(config.COVID_GAP_YE[0])[2:]} and "
     f"{config.COVID_GAP_YE[1] - 1}/{str(config.COVID_GAP_YE[1])[2:]} (COVID-19); the gap is shaded."),
    ("Old denominators", "Stop and search and use of force rates by ethnic group (chapters 3, 5)",
     "Residents by ethnic group for 2006/07 to 2018/19 come from the 2011 Census, the only force-level breakdown for "
     f"those years; years outside {config.CENSUS_2011_FITS[0] - 1}/{str(config.CENSUS_2011_FITS[0])[2:]} to "
     f"{config.CENSUS_2011_FITS[1] - 1}/{str(config.CENSUS_2011_FITS[1])[2:]} are drawn hollow and the text says so. "
     "2022/23 uses Census 2021 and is never joined to the older series. People travelling into an area are not "
     "in any denominator."),
    ("Missing arrest counts", "Arrest rates and the outcome test (chapter 5)",
     "A blank arrests cell is not a zero: rates use only searches with a count, the missing share is shown, and "
     f"from {100 * ss.MAX_UNKNOWN_ARREST_SHARE:.0f}% missing the book says 'too incomplete to compare'. Rows with "
     "more arrests than searches are not used."),
    ("Rounded published rates", "Stop and search ratios, 2022/23 (chapter 3)",
     "Published rates are rounded to 0.1 per 1,000 and have no counts: the ratio's rounding range is given, and its "
     "interval, from counts rebuilt as rate times population, is labelled approximate."),
    ("Population vintages", "Officers and PCSOs per 100,000 (chapter 2)",
     f"Counts to 31 March {population.FIRST_MYE_YEAR} are divided by ONS's earlier mid-year series (rounded to 100), "
     "later ones by the series revised after the 2021 Census. Where both exist "
     f"(mid-{population.FIRST_MYE_YEAR}) they differ by at most "
     f"{population.vintage_difference().abs().max():.2f}% for any force."),
    ("Transcribed figures", "Victim satisfaction, visibility gradient, cross-checks (chapters 1, 2, 4)",
     "Copied word for word from published text, not extracted from data tables; they carry no confidence intervals "
     "and are labelled as transcribed."),
    ("Third-party extract", "National CSEW series (chapters 1, 2)",
     "A third party's extract of the ONS workbook; it is cross-checked against transcribed ONS figures, every "
     "disagreement is listed in chapter 1 and given as a range, and values no ONS figure confirms are marked "
     "provisional."),
    ("Small counts", "Rate ratios and outcome tests (chapters 3, 5)",
     f"Below {ss.MIN_SEARCHES_FOR_RATIO} events in either group the book says 'too few to say'; deaths by force carry "
     "exact Poisson intervals."),
    ("Rates per resident, not per contact", "Deaths following police contact (chapter 6)",
     "Forces are compared per million residents a year; forces differ in how many people they arrest, detain and "
     "pursue, and IOPC changed what 'other deaths' counts in 2010/11 and 2015/16."),
    ("Tactic uses", "Use of force (chapter 5)",
     "One person can be the subject of several tactics; ethnicity is as perceived by the officer; recording was "
     "still developing."),
    ("One force's month by default", "police.uk hot spots, outcomes and search detail (chapters 2, 4, 5)",
     "The book shows Bedfordshire, March 2023, unless an edition is built with the force's own police.uk download "
     "(any number of months), and every heading names whose data it is."),
    ("Comparable forces", "Force sections",
     f"Computed from {len(comparable.FEATURES)} public context features, not HMICFRS's most similar groups, which "
     "could not be obtained; each comparable force's own value is shown, and the City of London has none."),
    ("Force-area survey estimates", "Anti-social behaviour by force (chapter 7)",
     "Small samples; ONS's own significance test is used. ONS reports London's two forces as one area, which the book "
     "keeps as one area and gives to both London editions."),
]


def caveats_log() -> pd.DataFrame:
    return pd.DataFrame(CAVEATS, columns=["caveat", "where it applies", "what the book does"])

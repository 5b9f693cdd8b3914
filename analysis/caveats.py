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
    ("Old denominators", "Stop and search and use of force rates (chapters 3, 5)",
     "Residents by ethnic group come from the 2011 Census, the only force-level breakdown obtained; later "
     "population change and people travelling into an area are not reflected."),
    ("Population vintages", "Officers and PCSOs per 100,000 (chapter 2)",
     f"Counts to 31 March {population.FIRST_MYE_YEAR} are divided by ONS's earlier mid-year series (rounded to 100), "
     "later ones by the series revised after the 2021 Census. Where both exist "
     f"(mid-{population.FIRST_MYE_YEAR}) they differ by at most "
     f"{population.vintage_difference().abs().max():.2f}% for any force."),
    ("Transcribed figures", "Victim satisfaction, visibility gradient, cross-checks (chapters 1, 2, 4)",
     "Copied word for word from published text, not extracted from data tables; they carry no confidence intervals "
     "and are labelled as transcribed."),
    ("Third-party extract", "National CSEW series (chapters 1, 2)",
     "A third party's extract of the ONS workbook; it is cross-checked against transcribed ONS figures and every "
     "disagreement is listed in chapter 1."),
    ("Small counts", "Rate ratios and outcome tests (chapters 3, 5)",
     f"Below {ss.MIN_SEARCHES_FOR_RATIO} events in either group the book says 'too few to say'; deaths by force carry "
     "exact Poisson intervals."),
    ("Counts, not rates", "Deaths following police contact (chapter 6)",
     "Larger forces have more contact with the public; per-force counts are not a measure of risk."),
    ("Tactic uses", "Use of force (chapter 5)",
     "One person can be the subject of several tactics; ethnicity is as perceived by the officer; recording was "
     "still developing."),
    ("Single month", "police.uk hot spots, outcomes and search detail (chapters 2, 4, 5)",
     "One force and one month, for demonstration; the loaders take any force's file."),
    ("Comparable forces", "Force sections",
     f"Computed from {len(comparable.FEATURES)} public features, not HMICFRS's most similar groups, which could not "
     "be obtained."),
    ("Force-area survey estimates", "Anti-social behaviour by force (chapter 7)",
     "Small samples; ONS's own significance test is used, and London's two forces are reported together."),
]


def caveats_log() -> pd.DataFrame:
    return pd.DataFrame(CAVEATS, columns=["caveat", "where it applies", "what the book does"])

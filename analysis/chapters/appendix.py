"""The data-and-methods appendix: the sources, the method settings and figures its text quotes, comparable forces,
the evidence the book could not read or does not use, which cited reviews could be re-pooled, the caveats log and
every number in the book."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.chapters import evidence, key_points
from analysis.methods import comparable, evidence_strength, funnel, stats
from analysis.present import register, tables
from analysis.present.glue import Figure, Section, national
from analysis.sources import census, forces, manifest, population
from analysis.sources import pj_legitimacy_samples as pj
from analysis.sources.evidence import REGISTER_FILE, load_register
from analysis.sources import search_rates as sr
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year

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
     f"from {100 * config.MAX_UNKNOWN_ARREST_SHARE:.0f}% missing the book says 'too incomplete to compare'. Rows with "
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
     "'third-party extract only'."),
    ("Small counts", "Rate ratios and outcome tests (chapters 3, 5)",
     f"Below {config.MIN_EVENTS_FOR_RATIO} events in either group the book says 'too few to say'; deaths by force "
     "carry exact Poisson intervals."),
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
    ("Correlations, not effects", "Procedural justice and legitimacy re-pooled (chapter 3)",
     "Chan, Bradford and Stott's samples are survey correlations, most of them cross-sectional, graded as "
     "associations; the samples disagree far more than chance allows, so the prediction interval is given beside the "
     "pooled r. The paper's own pooled r could not be read, so the re-pooled figures are not yet compared with it."),
    ("Force-area survey estimates", "Anti-social behaviour by force (chapter 7)",
     "Small samples; ONS's own significance test is used. ONS reports London's two forces as one area, which the book "
     "keeps as one area and gives to both London editions."),
]


def _years(searches) -> str:
    """The span of years ending March a table of searches covers ("2006/07 to 2018/19")."""
    first, last = int(searches["year_ending"].min()), int(searches["year_ending"].max())
    return f"{financial_year(first)} to {financial_year(last)}"


def unsupported_messages() -> tables.Table:
    """The parts of the guide's messages for which no study could be read, and the chapter that says so."""
    pages = [evidence.CHAPTER_PAGES[c] for c in evidence.NO_EVIDENCE]
    rows = pd.DataFrame({"chapter": [register.chapter_title(p) for p in pages], "page": [f"{p}.html" for p in pages],
                         "part": list(evidence.NO_EVIDENCE.values())})
    return tables.format_table(rows, headers={"chapter": "Chapter", "part": "Part of the guide's message"},
                               links={"chapter": "page"},
                               caption="Messages for which this book found no readable study")


def unused_rows() -> tables.Table:
    """The register rows no chapter shows, with the reason."""
    rows_by_id = load_register().set_index("id")
    rows = pd.DataFrame([(i, rows_by_id.at[i, "measure"], reason) for i, reason in evidence.NOT_USED.items()],
                        columns=["row", "measure", "reason"])
    return tables.format_table(rows, headers={"row": "Register row", "measure": "What it measures",
                                              "reason": "Why it is not shown"},
                               caption="Register rows not used in the book")


def caveats_log() -> pd.DataFrame:
    return pd.DataFrame(CAVEATS, columns=["caveat", "where it applies", "what the book does"])


def caveats_table() -> tables.Table:
    """The caveats log as the appendix shows it."""
    return tables.format_table(caveats_log(), kind="caveats", caption="Known limits of the data", tall=True)


def sources_for_readers() -> tables.Table:
    """The sources table as the appendix shows it: one row per dataset, its title linked to the publisher's
    page, its files with the first 12 hex digits of their checksums (enough to tell versions apart)."""
    files = manifest.sources_table()
    datasets = files.groupby("dataset", sort=False).agg(
        title=("title", "first"), source=("source", "first"), publisher=("publisher", "first"),
        period=("period", "first"), licence=("licence", "first"), grade=("grade", "first"),
        grade_note=("grade_note", "first"),
        files=("file", lambda names: [html.escape(n) for n in names]), sha256=("sha256", list))
    datasets["files"] = [
        "<br>".join(f"<code>{name}</code> <small>{digest[:12]}</small>" for name, digest in zip(names, digests))
        for names, digests in zip(datasets["files"], datasets["sha256"])]
    # The grade, and why the dataset was accepted at it (manifest.GRADES explains the four).
    datasets["grade"] = [f"<strong>{html.escape(g)}</strong>: {html.escape(why)}"
                         for g, why in zip(datasets["grade"], datasets["grade_note"])]
    return tables.format_table(
        datasets[["title", "source", "publisher", "period", "grade", "licence", "files"]].reset_index(drop=True),
        kind="sources", links={"title": "source"}, html_columns=("files", "grade"),
        headers={"title": "Dataset", "grade": "Source grade, and why it was accepted",
                 "files": "Files (sha256, first 12 hex digits)"},
        caption="Every raw file the book reads, from data/manifest.yml", tall=True)


def settings() -> Section:
    """The method settings the text quotes (confidence level, fewest events, comparable forces), with the sources
    table."""
    figures = [
        Figure("level", 100 * config.CONFIDENCE_LEVEL, "%", [],
               label="Confidence level of every interval and test in the book"),
        Figure("z", stats.z_value(config.CONFIDENCE_LEVEL), "standard errors", [], "{:.2f}",
               label="Standard errors either side of an estimate for that confidence level"),
        Figure("alpha", 100 * (1 - config.CONFIDENCE_LEVEL), "%", [],
               label="Significance level of the two-sided tests"),
        Figure("min_events", config.MIN_EVENTS_FOR_RATIO, "events", [],
               label="Fewest events in either group for a rate ratio to be quoted"),
    ]
    return Section(sources_for_readers(), None, figures)


def _day(iso: str) -> str:
    """'27 March 2011' from '2011-03-27'."""
    day = pd.Timestamp(iso)
    return f"{day.day} {day:%B %Y}"


def key_point_rules() -> Section:
    """The settings of the rules that choose each edition's key points (chapters/key_points.py)."""
    return Section(None, None, [
        Figure("kp_max", key_points.MAX_POINTS, "points", [], label="Most key points an edition opens with"),
        Figure("kp_change", 100 * key_points.LARGE_CHANGE, "%", [],
               label="A stock's change since the date before that makes a key point"),
        Figure("kp_move", 100 * key_points.LARGE_MOVE, "%", [],
               label="A move in a rate or ratio of counted events that makes a key point though the test does not "
                     "find it significant"),
        Figure("kp_stale", config.STALE_YEARS, "years", [],
               label="Years behind the page's newest at which a figure is flagged old and its change is no key point"),
    ])


def methods() -> Section:
    """The figures the methods text quotes: the census days and window, the 2022/23 year, the missing-arrests rule,
    the funnel limits and their winsorising, the hot-spot simulations, the precision of what leaves the book as
    data."""
    return Section(None, None, [
        Figure("census_fit_first", financial_year(config.CENSUS_2011_FITS[0]), "year", [],
               label="First year a rate on the 2011 Census alone is used without a flag"),
        Figure("census_fit_last", financial_year(config.CENSUS_2011_FITS[1]), "year", [],
               label="Last year a rate on the 2011 Census alone is used without a flag"),
        Figure("census_2011_day", _day(config.CENSUS_2011_DAY), "date", [census.CENSUS_2011_FILE],
               label="Census day, 2011 Census"),
        Figure("census_2021_day", _day(config.CENSUS_2021_DAY), "date", [census.CENSUS_FILE],
               label="Census day, Census 2021"),
        Figure("ss23_year", sr.YEAR, "year", sr.DATASETS,
               label="Year of the published stop and search rates on Census 2021 residents"),
        Figure("unknown_limit", 100 * config.MAX_UNKNOWN_ARREST_SHARE, "%", [],
               label="Share of a group's searches with no arrest count above which the outcome test is not made"),
        Figure("over_rows", len(ss.arrests_over_searches()), "rows", [ss.SEARCH_FILE], "{:,.0f}",
               label=f"Rows of the stop and search open data, {_years(ss.load_searches())}, with more arrests than "
                     "searches, not used"),
        Figure("funnel_inner", 100 * funnel.LEVELS[0], "%", [], label="The inner limits of every funnel plot"),
        Figure("funnel_outer", 100 * funnel.LEVELS[1], "%", [], "{:.1f}", label="The outer limits of every funnel plot"),
        Figure("winsor_low", 100 * funnel.WINSOR[0], "%", [],
               label="Percentile below which a funnel's z-scores are winsorised (set to it) to measure how much the "
                     "forces vary"),
        Figure("winsor_high", 100 * funnel.WINSOR[1], "%", [],
               label="Percentile above which a funnel's z-scores are winsorised (set to it)"),
        Figure("wide_funnel_phi", config.WIDE_FUNNEL_PHI, "overdispersion factor", [],
               label="Above this overdispersion factor a funnel's limits are called wide beside its verdicts"),
        Figure("hotspot_simulations", config.HOTSPOT_SIMULATIONS, "simulations", [],
               label="Simulations behind each hot-spot share chance alone would give"),
        Figure("chart_digits", config.CHART_DIGITS, "significant digits", [],
               label="Significant digits of every chart's data and its CSV download"),
        Figure("figure_digits", config.FIGURE_DIGITS, "significant digits", [],
               label="Significant digits of each figure in the figure register"),
        Figure("file_digits", config.FILE_DIGITS, "significant digits", [],
               label="Significant digits of the numbers in each edition's data pack"),
    ])


def comparable_features() -> tables.Table:
    """The features and where each comes from, for the methods appendix."""
    return tables.format_table(pd.DataFrame({"feature": [label for label, _ in comparable.FEATURES.values()],
                         "source": ["ONS mid-year estimates MYE23 (tables MYE4, MYE5) summed to force areas",
                                    "Census 2021 ethnic group by local authority, summed to force areas",
                                    "ONS mid-year estimates MYE23 (table MYE2, single year of age)",
                                    "ONS mid-year estimates MYE23 (table MYE4)"]}),
                               headers={"feature": "Feature", "source": "Source"}, caption="Comparable-force features")


@national
def comparable_forces() -> Section:
    """The appendix's comparable-forces section: every force's features and comparable forces, and the figures
    the method text quotes (how stable the choice is when a feature is dropped)."""
    steady = comparable.stability()
    kept_all = int((steady["fewest_kept"] >= comparable.N_COMPARABLE - 2).sum())
    weakest = steady["weakest_drop"].value_counts().idxmax()
    figures = [Figure("cf_n_features", len(comparable.FEATURES), "features", [],
                      label="Features comparable forces are chosen on"),
               Figure("cf_n_comparable", comparable.N_COMPARABLE, "forces", [],
                      label="Comparable forces chosen for each force"),
               Figure("cf_median_kept", steady["mean_kept"].median(), "forces", comparable.DATASETS, "{:.1f}",
                      label="Comparable forces kept when one feature is dropped, on average (median over forces)"),
               Figure("cf_fewest_kept_median", steady["fewest_kept"].median(), "forces", comparable.DATASETS,
                      label="Comparable forces kept when one feature is dropped, worst case (median over forces)"),
               Figure("cf_forces_keep_most", kept_all, "forces", comparable.DATASETS,
                      label="Forces that keep at least four comparable forces whichever feature is dropped"),
               Figure("cf_forces", len(steady), "forces", comparable.DATASETS,
                      label="Forces given comparable forces"),
               Figure("cf_most_sensitive", comparable.FEATURES[weakest][0].split(",")[0].lower(), "feature",
                      comparable.DATASETS, label="The feature whose dropping changes the comparable forces most")]
    table = tables.format_table(
        comparable_table(), headers={"force": "Force", "density": "Residents per km², mid-2023",
                                   "minority_pct": "Not White, Census 2021 (%)", "young_pct": "Aged 15 to 29, mid-2023 (%)",
                                   "population": "Residents, mid-2023", "comparable": "Comparable forces, nearest first",
                                   "kept": f"Kept when one feature is dropped (fewest of {comparable.N_COMPARABLE})"},
        decimals={"density": 0, "minority_pct": 1, "young_pct": 1, "population": 0, "kept": 0},
        missing={"kept": "none to keep"}, tall=True, caption="Every force's features and comparable forces")
    return Section(table, None, figures)


def comparable_table() -> pd.DataFrame:
    """Every force with its features, its comparable forces (nearest first) and how stable they are."""
    table = comparable.features()
    peers = comparable.comparable_forces().groupby("pfa_code")["comparable_code"].agg(list)
    steady = comparable.stability(table)
    names = forces.registry().set_index("pfa_code")
    rows = []
    for code in table.index:
        row = table.loc[code]
        rows.append({
            "force": names.at[code, "name"],
            "density": 10 ** row["density"], "minority_pct": 100 * row["minority_share"],
            "young_pct": 100 * row["young_adults"], "population": 10 ** row["log_population"],
            "comparable": ", ".join(names.at[c, "short_name"] for c in peers.get(code, [])) or comparable.NO_PEERS_NOTE,
            "kept": steady["fewest_kept"].get(code, np.nan),
        })
    return pd.DataFrame(rows)


def every_number(folder: Path, force: str | None = None) -> Section:
    """Every figure the chapter notebooks in `folder` glue, each linked to its chapter page; in a force's edition,
    where its chapters list theirs instead: the whole list again would add a third of a megabyte to each of 43
    editions and say nothing the chapters' own lists do not."""
    if force:
        return Section(None, note=(
            "In this edition each chapter lists the numbers it quotes, with what each is computed from, under "
            "'Numbers in this chapter' at its end; the national book's appendix lists every number of the national "
            "book in one table."))
    return Section(register.every_number(register.collect(sorted(Path(folder).glob("0*.ipynb")))))


# Reviews this book re-pooled from their authors' study-level data: the review's citation and the dataset's id.
REPOOLED = {pj.REVIEW_URL: pj.SAMPLES_FILE}
RECOMPUTE_STATUS = {
    "repooled": "re-pooled from the authors' study-level data",
    "restated": "restated: its study-level data are not public in a form this book could obtain",
    "narrative": "not pooled: a narrative review, with no pooled effect to recompute",
    "summary": "restated: a summary of another review, not a review itself",
}
RECOMPUTE_NEEDS = {
    "repooled": "done: the authors' sheet is in this book's data, and chapter 3 re-pools it",
    "restated": ("each study's effect size with its variance or interval: the review's own forest-plot tables, "
                 "transcribed, or a data deposit by its authors"),
    "narrative": "nothing to pool; each included study would have to be read on its own",
    "summary": "the study-level data of the review it summarises",
}
# A reference as readers see it: its authors, year and title, without the journal.
_AUTHORS_YEAR_TITLE = re.compile(r"^(.+?\(\d{4}[a-z]?\)\.\s.+?[.?!])(?:\s|$)")
_AUTHORS_YEAR = re.compile(r"^(.+?\(\d{4}[a-z]?\))")


def _review_keys(rows: pd.DataFrame) -> pd.Series:
    """One key per review: its citation (DOI) where the register gives one, else its authors and year; a row without
    a citation takes the citation of another row with the same authors and year."""
    authors_year = rows["study"].str.extract(_AUTHORS_YEAR, expand=False).fillna(rows["study"])
    cited = rows["citation_url"].fillna("").str.strip()
    by_authors = dict(zip(authors_year[cited != ""], cited[cited != ""]))
    return cited.where(cited != "", authors_year.map(by_authors)).fillna(authors_year)


def reviews() -> pd.DataFrame:
    """One row per systematic review or meta-analysis the register cites (rows the grading classes as a review, and
    rows with what they pooled, such as a correlational meta-analysis): review, citation_url, rows (register ids),
    chapter, pooled, status (a key of RECOMPUTE_STATUS) and dataset."""
    register_rows = load_register()
    cited = register_rows[(register_rows["studies_pooled"].fillna("").str.strip() != "")
                          | register_rows["design_class"].isin(evidence_strength.REVIEW_CLASSES)]
    cited = cited.assign(key=_review_keys(cited))
    out = []
    for key, group in cited.groupby("key", sort=False):
        first = group.iloc[0]
        url = group["citation_url"].dropna()
        pooled = str(first["design"] if pd.isna(first["studies_pooled"]) else first["studies_pooled"])
        narrative = "no pooling" in str(first["design"]) or "not pooled" in pooled
        summary = str(first["design"]).startswith("evidence summary")
        status = ("repooled" if key in REPOOLED else "narrative" if narrative else "summary" if summary
                  else "restated")
        title = _AUTHORS_YEAR_TITLE.match(first["study"])
        out.append({"review": title.group(1) if title else first["study"],
                    "citation_url": url.iloc[0] if len(url) else None, "rows": ", ".join(group["id"]),
                    "chapter": first["chapter"], "pooled": pooled, "status": status,
                    "dataset": REPOOLED.get(key)})
    return pd.DataFrame(out)


def recomputable_section() -> Section:
    """Every review the book cites: whether it could be re-pooled from its authors' study-level data, and what would
    let a reader recompute it, with the counts the text quotes."""
    table = reviews()
    shown = table.assign(status_text=table["status"].map(RECOMPUTE_STATUS), needs=table["status"].map(RECOMPUTE_NEEDS))
    formatted = tables.format_table(
        shown[["review", "citation_url", "rows", "pooled", "status_text", "needs"]],
        headers={"review": "Review", "rows": "Register rows", "pooled": "What it pooled", "status_text": "In this book",
                 "needs": "What would let a reader recompute it"},
        links={"review": "citation_url"}, caption="Can each cited review be recomputed?")
    # Counts of the book's own citations, from its evidence register: no grade (register.OWN_COUNT).
    cited = "Systematic reviews and meta-analyses this book cites (its evidence register)"
    figures = [Figure(key, count, "reviews", [REGISTER_FILE], label=label, kind=register.OWN_COUNT)
               for key, count, label in [
                   ("reviews_cited", len(table), cited),
                   ("reviews_repooled", int((table["status"] == "repooled").sum()),
                    f"{cited}: re-pooled by this book from their authors' study-level data"),
                   ("reviews_restated", int(table["status"].isin(["restated", "summary"]).sum()),
                    f"{cited}: pooled figures restated, not recomputed"),
                   ("reviews_narrative", int((table["status"] == "narrative").sum()),
                    f"{cited}: narrative reviews, which pooled no effects")]]
    return Section(formatted, None, figures)

"""A force at a glance: its key measures beside England and Wales, the median force and each comparable force,
a map, ranked charts and small trends, with significance-aware wording and every figure dated."""

from __future__ import annotations

import html

import pandas as pd

from analysis import config

from analysis.chapters import common, key_points
from analysis.chapters import questions as asked
from analysis.chapters import guide_and_force as guide
from analysis.measures import force_measures, force_series, funnels as measure_funnels
from analysis.methods import comparable, disproportionality, stats, survey
from analysis.present import funnels, lines, maps, ranked, source_lines, tables
from analysis.present.glue import EVIDENCE_LINK, LOCAL_DATA, NOT_CHARTED, Figure, Section, marked
from analysis.present.numbers import MINUS, fmt_compared, fmt_interval, fmt_number, fmt_percent_change, is_zero, places
from analysis.sources import boundaries, csew, force_indicators, forces, iopc, localfiles, manifest, met_pas
from analysis.sources import population
from analysis.sources import local_survey as own_surveys
from analysis.sources import search_rates as sr
from analysis.sources import search_totals_2025, stop_search as ss
from analysis.sources.periods import financial_year

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
HEADERS = {"measure": "Measure", "period": "Period", "force": "This force", "england_and_wales": "England and Wales",
           "median_force": "Median force", "comparison": "What the comparison says"}


def outlier_note(code: str) -> str:
    """The caveat an outlier force's page carries (the City of London, the Met); '' for any other force."""
    if code == forces.CITY_OF_LONDON:
        latest = int(population.population_by_year()["mid_year"].max())
        residents = population.for_year(latest)[code]
        return (f"The City of London is an outlier on measures per resident: about "
                f"{fmt_number(round(residents, -3), 0)} people lived there in mid-{latest}, but "
                "hundreds of thousands work in or visit it each day, so rates per resident, such as its officers and "
                "searches, are many times other forces' and say little about policing. This page does not test "
                "them against England and Wales, and ONS suppresses its recorded crime rate.")
    if code == forces.METROPOLITAN:
        return ("The Metropolitan Police is by far the largest force, so England and Wales figures lean towards it: "
                "compare it with the median force and with its comparable forces as well as with England and Wales. "
                "The CSEW reports it together with the City of London.")
    return ""


# In place of a test against England and Wales, for the City of London's rates per resident.
CITY_PER_RESIDENT = "not tested: per resident, the City's figures say little (see the note above)"
NO_SAMPLING = "a count of every case, not a sample: no sampling error"
# The table's funnel places in the chapters' words (methods/funnel), which read on before "around" and the centre.
PARITY_WORDS = {force_measures.ABOVE_PARITY: "Black people searched significantly more often than White people per "
                                             "resident",
                force_measures.BELOW_PARITY: "Black people searched significantly less often than White people per "
                                             "resident"}
ONS_WORDS = {force_measures.HIGHER: "higher than", force_measures.LOWER: "lower than",
             force_measures.NOT_DIFFERENT: "not significantly different from"}
# The dashboard's columns beside those a reader sees: the comparison's first clause (the verdict, which the guide's
# areas show alone), the measure's id and its verdicts as values, which the key points and the guide's areas choose
# by (never by the sentences), the staff count a rate's row also gives, and the two groups' figures a difference
# between Black and White people is of; and the register keys of the figures each row glues, which the page writes on
# the row (tables.ROW_KEYS) so the briefing cites the sources of the rows it carries by key, never by text.
FIELDS = ["verdict_text", "measure_id", "period_end", "funnel_place", "funnel_centre", "vs_parity",
          "vs_england_and_wales", "change_verdict", "reason", "area", "count_value", "count_previous_value",
          "count_previous_period", "count_noun", "value", "previous_period", "previous_value", "series",
          "change_test", "funnel_centre_value", "black_value", "white_value", "funnel_caveat", "funnel_phi", "events",
          "previous_events", "england_and_wales_excluding_met", "keys"]
# A "within the limits" verdict on a wide funnel carries this mark; the note under the table (wide_note) says once
# what such limits do and do not say, rather than on every row.
WIDE_MARK = "\u2020"
WIDE = f"wide limits{WIDE_MARK}"
# A tested change carries this mark; the note under the table (change_note) says once how each kind was tested.
TESTED_MARK = "\u2021"


def _funnel_wording(row: pd.Series) -> str:
    """Where the force falls on its funnel, as the chapters say it: never against the rest of England and Wales, which
    the Metropolitan Police drives, and never a rank; the City of London's rates per resident are not placed."""
    if row["reason"] == force_measures.CITY:
        return CITY_PER_RESIDENT
    caveat = f" ({WIDE})" if pd.notna(row.get("funnel_caveat")) else ""
    return f"{force_measures.FUNNEL_WORDS[row['funnel_place']]} around {row['funnel_centre']}{caveat}"


def _reads_on(label: str) -> str:
    """A measure's label as it reads inside a sentence: its first letter small unless a name or a group starts it."""
    return label if label.startswith(("Black", "PCSO", "IOPC")) else label[:1].lower() + label[1:]


def wide_note(rows: pd.DataFrame) -> str:
    """The note under the key measures for the rows marked WIDE: how far forces differ beyond chance on each of those
    funnels (its overdispersion factor, a value of the measures table) and what "within the limits" then means, said
    once; '' where no row is marked."""
    marked_rows = rows[rows["funnel_phi"].notna()] if "funnel_phi" in rows else rows.iloc[:0]
    if marked_rows.empty:
        return ""
    each = [f"{_reads_on(force_measures.MEASURES[r['measure_id']]['label'])}, {r['period']}: about "
            f"{fmt_number(r['funnel_phi'], 0)} times" for _, r in marked_rows.iterrows()]
    centres = list(dict.fromkeys(marked_rows["funnel_centre"]))
    centre = centres[0] if len(centres) == 1 else "the funnel's centre"
    # The factors after the sentence, not in brackets: a period may carry its grade in brackets already.
    return (f"{WIDE_MARK} Wide limits: on these funnels forces differ far more than chance alone allows, so within "
            f"their limits means not unusual, not like {centre}. How much more than chance allows: "
            f"{'; '.join(each)}.")


def change_note(rows: pd.DataFrame) -> str:
    """The note under the key measures for the rows whose change is marked TESTED_MARK: how each was tested, each test
    said once with the measures it tested; '' where no row is marked."""
    tested = rows[rows.apply(_tested, axis=1)] if "change_test" in rows else rows.iloc[:0]
    if tested.empty:
        return ""
    labels = tested["measure"].where(tested["measure_id"] == key_points.OWN_SURVEY, tested["measure_id"].map(
        lambda m: force_measures.MEASURES.get(m, {}).get("label")))
    each = [f"{common.join(list(dict.fromkeys(labels[tested['change_test'] == test])))}: {test}"
            for test in dict.fromkeys(tested["change_test"])]
    return f"{TESTED_MARK} How each change was tested. " + ". ".join(e[0].upper() + e[1:] for e in each) + "."


def _count_wording(value: float, median: float, unit: str, decimals: int = 0) -> tuple[str, str, list[str]]:
    """The force's and the median force's figures as the row shows them and how far apart they are, in the measure's
    own unit ("22 officers per 100,000 above"), so that the difference is what a reader subtracts from the two
    (present/numbers.fmt_compared); then why no test."""
    value_text, median_text, amount = fmt_compared(value, median, decimals)
    if is_zero(amount):
        # A difference that prints as 0 is none a reader can see: no "0.0 above".
        same = "the same as" if value == median else "about the same as"
        return value_text, median_text, [f"{same} the median force", NO_SAMPLING]
    side = "above" if value > median else "below"
    noun, _, rest = unit.partition(" ")
    unit = " ".join(filter(None, [noun.removesuffix("s") if amount == "1" else noun, rest]))
    return value_text, median_text, [f"{amount} {unit} {side} the median force", NO_SAMPLING]


def _change(before: float, after: float, what: str, since: str, decimals: int = 0) -> str:
    """'down from 287 PCSOs (FTE) at 31 March 2022': a stock's change since the previous date, in its own unit."""
    if pd.isna(before):
        return f"no figure at {since}"
    if round(after, decimals) == round(before, decimals):
        return f"unchanged since {since}"
    return f"{'up' if after > before else 'down'} from {fmt_number(before, decimals)} {what} at {since}"


# What a cell says where a figure is missing: never a placeholder a reader must decode.
NOT_GIVEN, NOT_BY_FORCE, NO_FIGURE = "not given by the source", "no figure by force", "no figure"
OLD = key_points.OLD


def _shown(value, decimals: int, missing: str = NO_FIGURE) -> str:
    return missing if value is None or pd.isna(value) else fmt_number(value, decimals)


def _interval(row: pd.Series, decimals: int = 1) -> str:
    return f"{fmt_number(row['value'], decimals)} (95% CI {fmt_interval(row['ci_low'], row['ci_high'], decimals)})"


def _tested(row) -> bool:
    """Whether a row's change since the previous period of its series was tested (and so is worded and marked)."""
    return row.get("change_verdict") in (force_measures.RISE, force_measures.FALL, force_measures.NO_CHANGE,
                                         force_measures.WITHIN_SPREAD) and pd.notna(row.get("change_test"))


def _since(row: pd.Series) -> list[str]:
    """A row's change since the previous period of its series, where the table tested one: the clause the
    comparison adds ("significantly up from 2.8 in 2022/23 (same series)")."""
    if not _tested(row):
        return []
    meta = force_measures.MEASURES[row["measure_id"]]
    before = fmt_number(row["previous_value"], meta["decimals"]) + "%" * (meta["unit"] == "percent")
    # Where the verdict rests on the control across forces, the correction and the p-value before it.
    corrected = f" {row['change_before_correction']}" if pd.notna(row.get("change_before_correction")) else ""
    if row["change_verdict"] == force_measures.NO_CHANGE:
        return [f"no significant change from {before} in {row['previous_period']}{corrected}{TESTED_MARK}"]
    if row["change_verdict"] == force_measures.WITHIN_SPREAD:  # it moved: how far, and the test's verdict
        by = "" if meta["unit"] == "ratio" else f" {fmt_percent_change(row['value'], row['previous_value'])}"
        return [f"{'up' if row['value'] > row['previous_value'] else 'down'}{by} from {before} in "
                f"{row['previous_period']}, {force_measures.WITHIN_SPREAD}{corrected}{TESTED_MARK}"]
    moved = "up" if row["change_verdict"] == force_measures.RISE else "down"
    return [f"significantly {moved} from {before} in {row['previous_period']}{TESTED_MARK}"]


def _bw_newest(row, mine, f):
    """The third party's 2024/25 ratio, recomputed with its score interval from the searches it gives."""
    reasons = {force_measures.CITY: ("not given", "the third party gives no ratio: too few residents for a rate per "
                                                  "resident"),
               force_measures.EXTRACT_NO_RATIO: ("not given", "the third party gives no ratio here: fewer than 30 "
                                                              "searches of Black people"),
               force_measures.TOO_FEW: (disproportionality.TOO_FEW, force_measures.TOO_FEW)}
    text, comparison = reasons.get(row["reason"]) or (
        _interval(row), PARITY_WORDS.get(row["vs_parity"], "not significantly different from parity (1)"))
    datasets = row["datasets"].split("; ")
    figures = [Figure("g_bw25_label", text, "ratio", datasets, label=f"Black/White search rate ratio, {f.name}, "
                                                                     f"{row['period']}"),
               Figure("g_bw25_ew", row["england_and_wales"], "ratio", datasets, "{:.1f}",
                      label=f"Black/White search rate ratio, England and Wales (the 43 forces), {row['period']}")]
    return text, [comparison, *_since(row), "self-defined ethnicity"], figures


def _bw_published(row, mine, f):
    """The ratio of the published 2022/23 rates, with the range their rounding allows."""
    if row["reason"] == force_measures.NOT_PUBLISHED:
        text, comparison = "not published", row["reason"]
    else:
        text = fmt_number(row["value"], 1)
        if pd.notna(row["ci_low"]):
            text += f" (approximate 95% CI {fmt_interval(row['ci_low'], row['ci_high'], 1)})"
        older = mine[(mine["measure_id"] == row["measure_id"]) & (mine["period_end"] < row["period_end"])]
        placed = _placed(row)
        among = ([*placed, "approximate limits: counts rebuilt from the rounded rates"] if placed else
                 [row["reason"]] if pd.notna(row["reason"]) else [])
        comparison = [f"published rates rounded to 0.1 per 1,000 allow "
                      f"{fmt_interval(row['rounding_low'], row['rounding_high'], 2)}", *among,
                      f"Census 2021 denominators, so not comparable with {older['period'].iloc[0]}"]
    return text, comparison, [Figure("g_bw23_label", text, "ratio", row["datasets"].split("; "),
                                      label=_labelled(row, f, " (published rates)"))]


def _placed(row: pd.Series) -> list[str]:
    """A ratio's place among forces on chapter 3's funnel, where it has one (its verdict is against parity)."""
    return [_funnel_wording(row)] if pd.notna(row["funnel_place"]) else []


def _bw_counted(row, mine, f):
    """The book's ratio from the search counts, on interpolated residents, the Home Office's beside it; its side of
    parity on both denominators, and where they disagree by more than the interval, the range between them."""
    if pd.isna(row["value"]):
        text, comparison = disproportionality.TOO_FEW, force_measures.TOO_FEW
    else:
        text = f"{_interval(row)}; official (Home Office method, 2011 Census): {fmt_number(row['official_value'], 1)}"
        if row["reason"] == force_measures.CITY:
            comparison = CITY_PER_RESIDENT
        else:
            comparison = (PARITY_WORDS.get(row["vs_parity"], "not significantly different from parity (1)")
                          + " on both denominators")
        uncertain = ([f"between {fmt_number(row['denominator_low'], 1)} and {fmt_number(row['denominator_high'], 1)} "
                      "on the two denominators, further apart in proportion than the interval is wide, so not placed "
                      "among forces"]
                     if row["interval_note"] == force_measures.DENOMINATORS else [])
        interpolated = ([] if row["reason"] == force_measures.CITY else
                        ["residents interpolated between the 2011 and 2021 Censuses"])
        comparison = [comparison, *uncertain, *_placed(row), *interpolated]
    return text, comparison, [Figure("g_bw_label", text, "ratio", row["datasets"].split("; "),
                                      label=_labelled(row, f, " (search counts)"))]


def _counted(row: pd.Series) -> list[str]:
    """Where a rate per resident is not compared (key_points.BY_COUNT), the count of events it comes from and that
    count's change since the previous period of its series: what the force's figure can be read by instead."""
    if row["reason"] not in key_points.BY_COUNT or pd.isna(row["events"]):
        return []
    noun = force_measures.MEASURES[row["measure_id"]]["noun"]
    now = f"{fmt_number(row['events'], 0)} {noun}"
    if pd.isna(row["previous_events"]):
        return [now]
    return [f"{now}, {'up' if row['events'] > row['previous_events'] else 'down'} "
            f"{fmt_percent_change(row['events'], row['previous_events'])} from "
            f"{fmt_number(row['previous_events'], 0)} in {row['previous_period']} (counts, not per resident)"]


def _searches(row, mine, f):
    wording = [_funnel_wording(row), *_counted(row)]
    datasets = row["datasets"].split("; ")
    if _primary(row) == search_totals_2025.TOTALS_FILE:
        return None, [*wording, *_since(row)], [Figure("g_search_rate25", row["value"], "per 1,000", datasets, "{:.1f}",
                                      label=f"Stop and searches per 1,000 residents, {f.name}, {row['period']}")]
    return None, wording, [Figure("g_search_rate", row["value"], "per 1,000", datasets, "{:.1f}",
                                  label=_labelled(row, f)),
                           Figure("g_search_wording", "; ".join(wording), "comparison", datasets,
                                  label=_labelled(row, f, ": its place on the funnel"))]


def _staff(row, mine, f):
    """A rate per 100,000 against the median force, with the count it comes from and its change since the date
    before."""
    meta = force_measures.MEASURES[row["measure_id"]]
    count = mine[(mine["measure_id"] == meta["count_measure"]) & (mine["period"] == row["period"])].iloc[0]
    noun = force_measures.MEASURES[count["measure_id"]]["noun"]
    fields = {"count_value": count["value"], "count_previous_value": count["previous_value"],
              "count_previous_period": count["previous_period"], "count_noun": noun}
    force_text, comparison = None, CITY_PER_RESIDENT
    if row["reason"] != force_measures.CITY:
        # The force's and the median force's cells show the figures the difference is subtracted from.
        force_text, fields["median_force"], comparison = _count_wording(
            row["value"], row["median_force"], f"{noun} per 100,000 residents", meta["decimals"])
        comparison += [f"{fmt_number(count['value'], 0)} {noun} (FTE), "
                       + _change(count["previous_value"], count["value"], f"{noun} (FTE)", count["previous_period"])]
    datasets = row["datasets"].split("; ")
    # The glued figure is the one the force's cell shows, to as many places (the briefing finds it in its text).
    fmt = f"{{:,.{places(force_text) if force_text else meta['decimals']}f}}"
    key = "g_officers" if row["measure_id"] == "officers_per_100k" else "g_pcsos"
    if _primary(row) == force_indicators.INDICATORS_FILE:  # a third party's newest count, on mid-2024 residents
        figures = [Figure(f"{key}26", row["value"], "per 100,000", datasets, fmt,
                          label=f"{meta['label']}, {f.name}, {row['period']}"),
                   Figure(f"{key}26_ew", row["england_and_wales"], "per 100,000", datasets, "{:,.0f}",
                          label=f"{meta['label']}, England and Wales, {row['period']}")]
    else:
        figures = [Figure(key, row["value"], "per 100,000", datasets, fmt, label=_labelled(row, f))]
    return force_text, comparison, figures, fields


def _crime(row, mine, f):
    comparison = row["reason"] or _funnel_wording(row)
    return None, comparison, [Figure("g_crime_rate", row["reason"] or fmt_number(row["value"], 1), "per 1,000",
                                     row["datasets"].split("; "), label=_labelled(row, f))]


def _asb(row, mine, f):
    # A force sharing another's figure (the City of London, London's) has no verdict of its own: the reason instead.
    comparison = [f"{ONS_WORDS[row['vs_england_and_wales']]} England and Wales (ONS's test)"
                  if row["vs_england_and_wales"] else row["reason"]] + (
        _since(row)) + (
        [row["area"]] if row["area"] else [])
    return None, comparison, [Figure("g_asb_wording", "; ".join(comparison), "comparison",
                                     row["datasets"].split("; "), label=_labelled(row, f, ": the comparison"))]


def _deaths_national(row, mine, f):
    comparison = [f"{fmt_number(row['england_and_wales_previous'], 0)} deaths in {row['previous_period']}",
                  "later IOPC editions revise earlier years by a few deaths as investigations end"]
    return (row["reason"], comparison,
            [Figure("g_deaths25_ew", int(row["england_and_wales"]), "deaths", row["datasets"].split("; "), "{:,.0f}",
                    label=f"Deaths during or following police contact, England and Wales, {row['period']}")])


def _deaths(row, mine, f):
    verdict = row["reason"] if row["reason"] == force_measures.DEATHS_CITY else _funnel_wording(row)
    shared = [force_measures.SHARED_DEATHS] if row["force_code"] == forces.METROPOLITAN else []
    return (_interval(row), [f"{int(row['events'])} deaths", verdict, *shared],
            [Figure("g_deaths", int(row["events"]), "deaths", [iopc.DEATHS_FILE], "{:,.0f}",
                    label=f"Deaths during or following police contact, {f.name}, {row['period']}")])


def _labelled(row: pd.Series, f: forces.Force, what: str = "") -> str:
    """A glued figure's label in the register: the measure's plain label (data/measures.yml), the force and the period,
    and what of the row it is where it is not the figure itself."""
    return f"{force_measures.MEASURES[row['measure_id']]['label']}, {f.name}, {row['period']}{what}"


# The outcome test's verdict (a difference against none) in words, and how its forces' tests were controlled.
ARREST_WORDS = {force_measures.ABOVE_PARITY: "searches of Black people significantly more often followed by arrest "
                                             "than searches of White people",
                force_measures.BELOW_PARITY: "searches of Black people significantly less often followed by arrest "
                                             "than searches of White people",
                force_measures.AT_PARITY: "no significant difference between Black and White people"}


def _outcome(row, mine, f):
    """The outcome test: the Black minus the White arrest rate after a search, its interval and its verdict once the
    forces' tests are controlled together, each group's rate beside it; or why the force is not compared."""
    datasets = row["datasets"].split("; ")
    without_met = f"excluding the Met: {fmt_number(row['england_and_wales_excluding_met'], 1)}"
    national = {"england_and_wales": (_shown(row["england_and_wales"], 1) if pd.notna(row["england_and_wales"]) else
                                      "too incomplete to compare (the Met's missing arrest counts)")
                + f"; {without_met}"}
    if row["reason"]:
        return "not compared", row["reason"], [Figure("g_outcome", "not compared", "comparison", datasets,
                                                      label=f"Arrest rate after a search, Black minus White, {f.name}, "
                                                            f"{row['period']}")], national
    # The two rates and the gap between them (Black minus White) as a reader subtracts it (present/numbers).
    meta = force_measures.MEASURES["arrest_gap"]
    black, white, gap = fmt_compared(row["black_value"], row["white_value"], meta["decimals"],
                                     finer=meta.get("finer", True))
    sign = MINUS if row["black_value"] < row["white_value"] and not is_zero(gap) else ""
    text = f"{sign}{gap} points (95% CI {fmt_interval(row['ci_low'], row['ci_high'], places(gap))})"
    comparison = [ARREST_WORDS[row["vs_parity"]],
                  f"{black}% of counted searches of Black people and {white}% of White people led to an arrest",
                  "the forces' tests controlled together (Benjamini-Hochberg)"]
    return text, comparison, [Figure("g_outcome", text, "percentage points", datasets,
                                     label=f"Arrest rate after a search, Black minus White, {f.name}, "
                                           f"{row['period']}")], national


def _reviews(row, mine, f):
    """The share of IOPC reviews upheld on its funnel around the median force's share, or why it is not placed."""
    comparison = row["reason"] or _funnel_wording(row)
    return None, comparison, [Figure("g_reviews", row["value"], "%", row["datasets"].split("; "), "{:.1f}",
                                     label=f"IOPC reviews of complaint outcomes upheld, {f.name}, {row['period']}")]


def _primary(row: pd.Series) -> str:
    """The dataset a row's figure is read from (the first it names): which series of a measure the row is."""
    return row["datasets"].split("; ")[0]


# How each measure's row is worded, by the dataset its figure is read from where a measure has several series:
# (the force's cell, or None for its figure; the comparison; its glued figures[; fields beside]).
WORDING = {("bw_search_ratio", force_indicators.INDICATORS_FILE): _bw_newest,
           ("bw_search_ratio", sr.DATASETS[0]): _bw_published, ("bw_search_ratio", ss.SEARCH_FILE): _bw_counted,
           "searches_per_1000": _searches, "officers_per_100k": _staff, "pcsos_per_100k": _staff,
           "recorded_crime_per_1000": _crime, "asb_experience_pct": _asb,
           "deaths_england_and_wales": _deaths_national, "deaths_per_million": _deaths, "arrest_gap": _outcome,
           "iopc_reviews_upheld_pct": _reviews}
# Shown inside another measure's row: the staff counts, in the row of the rate per 100,000 they give.
INSIDE = {m["count_measure"] for m in force_measures.MEASURES.values() if "count_measure" in m}
# The measures this page shows (measures.yml's shown_at); the others are shown by their chapters alone.
ON_THIS_PAGE = {i for i, m in force_measures.MEASURES.items() if "at-a-glance.html" in m["shown_at"]}


def _row(row: pd.Series, force_text: str | None, comparison: str | list[str], everyone: pd.DataFrame,
         areas: list[str], old: bool = False) -> dict:
    """One dashboard row from the force's row of the measures table: its label, period (marked where a reader must
    be told the source grade), the force, England and Wales and the median force as shown, the comparison, each of
    `areas`' (the force's, then its comparable forces') figures alone, the datasets for the data pack, and the
    verdicts as values (FIELDS). A comparison given as clauses is shown joined by semicolons, its first the
    verdict; an `old` figure (the newest by force, config.STALE_YEARS or more behind the page's newest) says so."""
    clauses = [comparison] if isinstance(comparison, str) else comparison
    decimals = force_measures.MEASURES[row["measure_id"]]["decimals"]
    datasets = row["datasets"].split("; ")
    same = everyone[(everyone["measure_id"] == row["measure_id"]) & (everyone["period"] == row["period"])]
    # A third party's own figure, where the book recomputes the force's, is what every force's column gives.
    values = same.set_index("force_code")[
        "value_as_published" if same["value_as_published"].notna().any() else "value"]
    shown = {"measure": row["measure"] + (f" ({row['basis']})" if row["basis"] else ""),
             "period": marked(row["period"], datasets), "old": old, "datasets": datasets,
             "force": force_text or _shown(row["value"], decimals, "no published figure"),
             "england_and_wales": _shown(row["england_and_wales"], decimals, _no_national(row, decimals)) + (
                 f"; excluding the Met: {_shown(row['england_and_wales_excluding_met'], decimals)}"
                 if pd.notna(row.get("england_and_wales_excluding_met")) else ""),
             "median_force": _shown(row["median_force"], decimals, NOT_BY_FORCE), "comparison": "; ".join(clauses)}
    if values.notna().any():
        shown |= {area: _shown(values.get(area), decimals) for area in areas}
    return shown | {field: row.get(field) for field in FIELDS} | {"verdict_text": clauses[0]}


def _no_national(row: pd.Series, decimals: int) -> str:
    """The England and Wales cell where the source gives no national figure: what the funnel is centred on instead,
    where it has another centre."""
    if pd.notna(row.get("funnel_centre_value")) and row["funnel_centre"] != force_measures.CENTRE_EW:
        return f"{NOT_GIVEN} ({row['funnel_centre']}: {fmt_number(row['funnel_centre_value'], decimals)})"
    return NOT_GIVEN


# A survey's change (methods/survey.changes) as the measures table's change verdicts.
SURVEY_VERDICTS = {stats.HIGHER: force_measures.RISE, stats.LOWER: force_measures.FALL,
                   stats.SIMILAR: force_measures.NO_CHANGE}


def survey_rows(f: forces.Force, local_survey: str | None = None) -> list[dict]:
    """A dashboard row for the headline measure of the force's own survey (the file's first measure: the
    force-wide, all-respondents figure in its latest period, with its interval and its change from a year
    earlier), as its chapter 1 section shows it; none when the force has no survey here. Its verdict fields as
    the measures table's (a force's own file is in no table of every force)."""
    df = own_surveys.for_edition(f.code, local_survey)
    if df is None:
        return []
    area = own_surveys.total_area(df, f.code)
    now = survey.latest(df)
    now = now[(now["area"] == area) & (now["group"] == "All") & (now["measure"] == df["measure"].iloc[0])]
    moved = survey.changes(df)
    moved = moved[(moved["area"] == area) & (moved["group"] == "All") & (moved["against"] == "a year earlier")]
    rows = []
    survey_name = df.attrs.get("survey_name") or "the force's own survey"
    for r in now.itertuples():
        value = fmt_number(100 * r.share, 0) + "%"
        value += (f" (95% CI {fmt_interval(100 * r.ci_low, 100 * r.ci_high, 0)})" if pd.notna(r.ci_low) else
                  f" ({survey.NO_INTERVAL})")
        change = moved[moved["measure"] == r.measure]
        rows.append({"measure": f"{r.measure} ({survey_name}: {area})", "period": r.period,
                     "datasets": df.attrs.get("datasets") or [f"{LOCAL_DATA}{df.attrs.get('name', 'survey')}"],
                     "force": value,
                     "england_and_wales": "not comparable", "median_force": "not comparable",
                     # A tested change says how once, in the note under the table (change_note).
                     "comparison": change["said"].iloc[0] + TESTED_MARK if len(change) and pd.notna(
                         change["test"].iloc[0]) else change["wording"].iloc[0] if len(change)
                     else "no figure a year earlier"}
                    | dict.fromkeys(FIELDS) | {
                        "verdict_text": change["wording"].iloc[0] if len(change) else "no figure a year earlier",
                        "measure_id": key_points.OWN_SURVEY,
                        "period_end": pd.Timestamp(r.period_end).strftime("%Y-%m-%d"),
                        "change_verdict": SURVEY_VERDICTS.get(change["comparison"].iloc[0], force_measures.NOT_TESTED)
                        if len(change) else None, "change_test": change["test"].iloc[0] if len(change) else None})
    return rows


def measures(f: forces.Force, local_survey: str | None = None) -> tuple[pd.DataFrame, list[Figure], pd.DataFrame]:
    """The dashboard rows for one force from its rows of the measures table (its own survey's first), its glued
    figures, and the trend series behind its small charts."""
    peers = comparable.comparable_to(f.code)
    everyone = force_measures.all_forces()
    mine = force_measures.for_force(f)
    rows, figures = survey_rows(f, local_survey), []
    old = force_measures.stale(mine)
    newest = pd.to_datetime(mine["period_end"]).max()
    for row in rows:  # the force's own survey is judged old by the same rule
        row["old"] = bool((newest - pd.Timestamp(row["period_end"])).days / 365.25 >= config.STALE_YEARS)
    for i, row in mine[mine["measure_id"].isin(ON_THIS_PAGE - INSIDE)].iterrows():
        worded = (WORDING.get((row["measure_id"], _primary(row))) or WORDING[row["measure_id"]])(row, mine, f)
        force_text, comparison, glued, *beside = worded
        rows.append(_row(row, force_text, comparison, everyone, [f.code, *peers], old=bool(old[i]))
                    | (beside[0] if beside else {}) | {"keys": " ".join(g.key for g in glued)})
        figures += glued
    return pd.DataFrame(rows), figures, trends(f)


# The measures the small trend charts draw, by force_series id; a staff rate by its role's name.
TRENDS = {"bw_search_ratio": None, "searches_per_1000": None, "officers_per_100k": "Police officers",
          "pcsos_per_100k": "PCSOs"}


def by_count(f: forces.Force) -> dict[str, str]:
    """The measures of TRENDS whose rate per resident the measures table does not compare for the force for a reason
    read by its count of events (key_points.BY_COUNT), with that reason: their panels draw the force's own count."""
    mine = force_measures.for_force(f)
    mine = mine[mine["measure_id"].isin(list(TRENDS)) & mine["reason"].isin(list(key_points.BY_COUNT))]
    return dict(mine.drop_duplicates("measure_id")[["measure_id", "reason"]].itertuples(index=False))


def _panels(f: forces.Force) -> dict[str, pd.DataFrame]:
    """The force_series rows each small trend draws from, by measure: the force's and England and Wales's; where the
    force's rate is read by its count (by_count), the force's own rows that have a count, and no panel where none
    has."""
    counted = by_count(f)
    panels = {}
    for measure_id in TRENDS:
        if measure_id not in counted:
            panels[measure_id] = force_series.for_areas(measure_id, [f.code, ENGLAND_AND_WALES])
            continue
        rows = force_series.for_areas(measure_id, [f.code])
        if rows["events"].notna().any():
            panels[measure_id] = rows[rows["events"].notna()].reset_index(drop=True)
    return panels


def _span(measure_id: str, rows: pd.DataFrame) -> str:
    """The periods a panel's rows run over, and where its line stops (a gap, or a break to another source)."""
    first, last = int(rows["year_ending"].min()), int(rows["year_ending"].max())
    if measure_id == "searches_per_1000":
        gap = rows.groupby("force_code")["segment"].nunique().max() > 1
        return f"{financial_year(first)} to {financial_year(last)}" + (" (one series, with a gap)" if gap else "")
    return f"31 March {first} to {last}" + (" (the last apart: another source)" if rows["series_break"].any() else "")


def _count_label(measure_id: str) -> str:
    """What a panel of a force's counts counts: a staff rate's count measure, else the rate's own count_label."""
    meta = force_series.MEASURES[measure_id]
    return force_series.MEASURES[meta["count_measure"]]["label"] if "count_measure" in meta else meta["count_label"]


def trends(f: forces.Force) -> pd.DataFrame:
    """The yearly series of the force and England and Wales behind the small trend charts, to the newest period the
    measures table has, selected from measures/force_series: the Black/White ratio (hollow years, which the
    denominators put in doubt, left out), searches per 1,000, officers and PCSOs per 100,000; a line joins only the
    periods of one run of a series (force_series.runs), so a figure after a break or a missing year is drawn apart.
    Where the measures table does not compare the force's rate per resident (by_count), its panel is the force's own
    count of events each period, with no England and Wales line (a total of the forces would dwarf it), and there is
    no panel where there is no count (the ratio)."""
    counted = by_count(f)
    series = []
    for measure_id, rows in _panels(f).items():
        rows = rows.assign(segment=force_series.runs(rows))
        if measure_id in counted:
            series.append(rows.assign(measure=f"{_count_label(measure_id)}, {f.short_name} alone, "
                                              f"{_span(measure_id, rows)}", year=rows["year_ending"],
                                      value=rows["events"]))
            continue
        drawn = rows[rows["value"].notna() & ~rows["hollow"]]
        if measure_id == "bw_search_ratio":
            interpolated = drawn[drawn["series"] == force_series.INTERPOLATED]
            if interpolated["year_ending"].nunique() < 2:
                continue  # no line to draw before the break
            label = (f"Black/White search rate ratio, {financial_year(int(interpolated['year_ending'].min()))} to "
                     f"{financial_year(int(rows['year_ending'].max()))} (later years on Census 2021, apart; "
                     "uncertain years left out)")
        elif measure_id == "searches_per_1000":
            label = f"Stop and searches per 1,000 residents, {_span(measure_id, rows)}"
        else:
            label = f"{TRENDS[measure_id]} per 100,000 residents, {_span(measure_id, rows)}"
        series.append(drawn.assign(measure=label, year=drawn["year_ending"]))
    trend = pd.concat(series, ignore_index=True).rename(columns={"force_code": "pfa_code"})
    trend = trend.assign(series=trend["pfa_code"].map({f.code: f.short_name, ENGLAND_AND_WALES: "England and Wales"}))
    return trend[["measure", "year", "value", "series", "pfa_code", "segment"]].reset_index(drop=True)


def national_confidence() -> tuple[Figure, str]:
    """England and Wales's newest CSEW confidence in the local police, with its year and, where it is read only from
    a third party's extract, its grade (chapter 1's trend); and the date its year ends."""
    trend = csew.trend_frame(csew.load_national_series(), list(csew.SERIES_LABELS), csew.load_headlines())
    last = csew.point(trend, "confidence_local_police", "latest")
    cited = common.csew_cited(last, [csew.SERIES_FILE, *csew.HEADLINE_FILES])
    # The year carries its grade where a reader must be told it, as every dashboard period does.
    return Figure("g_conf_national", f"In England and Wales, {fmt_number(last['value_pct'], 0)}% of adults told the "
                  "Crime Survey for England and Wales they had confidence in their local police in "
                  f"{marked(last['csew_year'], cited)}.", "sentence", cited,
                  label="Confidence in the local police, England and Wales, "
                  f"{last['csew_year']}"), f"{int(last['year_ending'])}-03-31"


def own_survey_note(f: forces.Force, rows: pd.DataFrame, newest_national: str) -> str:
    """The force's own survey's headline figure, from its dashboard row, flagged where it is config.STALE_YEARS or more
    older than the newest national figure; or that the edition has none."""
    own = rows[rows["measure_id"] == key_points.OWN_SURVEY]
    if own.empty:
        return f"This edition has no survey of {f.name}'s own: a force can add its public attitude survey to its edition."
    row = own.iloc[0]
    years = (pd.Timestamp(newest_national) - pd.Timestamp(row["period_end"])).days / 365.25
    old = (f" This figure is {config.STALE_YEARS} or more years older than the newest national one: it may no longer "
           "describe the force." if years >= config.STALE_YEARS else "")
    return f"The force's own survey: {row['measure']}, {row['force']} in {row['period']}.{old}"


def confidence_note(code: str, local_survey: str | None = None) -> str:
    """Why the page shows no CSEW figure for the force: ONS publishes force-area estimates this book could not
    obtain; in Wales, the National Survey for Wales would add one. (`local_survey`: kept for callers.)"""
    f = forces.get(code)
    wales = (" In Wales the National Survey for Wales also asks about the police; it is not in this book's data."
             if code.startswith("W15") else "")
    return (f"Why no figure for {f.name}: ONS publishes Crime Survey for England and Wales estimates of confidence "
            "for each police force area in its perceptions tables, with wide intervals, and advises caution in "
            "comparing them. This book has not been able to obtain those tables, so it shows no CSEW figure for "
            f"{f.name} and estimates none.{wales} Any published force-level estimate the evidence register holds for "
            f"{f.name} is in this page's section on published survey estimates (online), with its year, source and "
            "strength.")


# The features comparable forces are chosen on, in a sentence (methods/comparable.FEATURES gives each in full).
PEER_FEATURES = {"density": "density", "minority_share": "ethnic mix", "young_adults": "share of young adults",
                 "log_population": "population"}


def peer_line(code: str) -> str:
    """The comparable forces by name, how they were chosen, that they are not HMICFRS's most similar groups, and how
    stable the choice is when any one feature is dropped (methods/comparable)."""
    peers = comparable.comparable_to(code)
    if not peers:
        return comparable.NO_PEERS_NOTE
    steady = comparable.stability().loc[code]
    features = common.join([PEER_FEATURES.get(key, label) for key, (label, _) in comparable.FEATURES.items()])
    return (f"Comparable forces, nearest first: {', '.join(forces.get(c).name for c in peers)}. This book chose them "
            f"as the {len(peers)} forces whose areas are most like {forces.get(code).name}'s on {features}, never on "
            "what it compares; they are not HMICFRS's most similar groups, which it could not obtain. When any one "
            f"of those features is dropped, at least {int(steady['fewest_kept'])} of the {len(peers)} stay "
            f"comparable (on average {fmt_number(steady['mean_kept'], 1)}).")


def at_a_glance(f: forces.Force, local_survey: str | None = None) -> Section:
    """The dashboard's rows (with the force's own survey first, where it has one), a map of the force and its
    comparable forces, and (in more_charts) the small trend charts of the force against England and Wales."""
    peers = comparable.comparable_to(f.code)
    table, figures, trend = measures(f, local_survey)
    national, national_end = national_confidence()
    names = ", ".join(forces.get(c).short_name for c in peers)
    city = f.code == forces.CITY_OF_LONDON
    figures = [Figure("force_name", f.name, "force", [], label="The force this edition is for"),
               Figure("g_peer_phrase", f"each of its comparable forces ({names}; chosen on population, density, age "
                      "and ethnic mix, as the appendix explains)" if peers else "no comparable force: no other force "
                      "is like it on the features the appendix uses to choose them", "phrase",
                      comparable.DATASETS + [boundaries.BOUNDARIES_FILE], label="The force's comparable forces, named"),  # the phrase names the forces the map shows
               Figure("g_peer_intro", "Each comparable force's own figure on the same measures, nearest first. The "
                      "book shows them one by one rather than as an average, which one unusual force could drive."
                      if peers else f"{f.name} has no comparable force, so there is no table of them.", "sentence",
                      comparable.DATASETS, label="What the table of comparable forces shows"),
               Figure("g_slope_note", "The City of London is left out of both charts: per resident, its figures are "
                      "off any scale that fits the other forces; its own are in the key measures above." if city else
                      f"{f.name} is marked and named in both. The City of London is left out of both charts: "
                      "per resident, its figures are off any scale that fits the other forces.", "sentence", [],
                      label="Which forces the comparison charts show"),
               Figure("g_outlier_note", outlier_note(f.code), "note",
                      [population.MYE_2024_FILE] if city else [], label="Why the force is an outlier, if it is one"),
               Figure("g_confidence_note", confidence_note(f.code, local_survey), "note", [],
                      label="Why the page shows no CSEW confidence figure for the force"),
               national,
               Figure("g_own_survey_note", own_survey_note(f, table, national_end), "note",
                      sorted({d for ds in table.loc[table["measure_id"] == key_points.OWN_SURVEY, "datasets"]
                              for d in ds}), label="The force's own survey"),
               Figure("g_peer_line", peer_line(f.code), "sentence", comparable.DATASETS,
                      label="The comparable forces: who they are and how they were chosen"),
               Figure("g_wide_note", wide_note(table), "note",
                      sorted({d for ds in table.loc[table["funnel_phi"].notna(), "datasets"] for d in ds}),
                      label="Note under the key measures: what their wide funnel limits say"),
               # How the changes were tested: a note on method, its figures the rows' own (which carry their grades).
               Figure("g_change_note", change_note(table), "note", [],
                      label="Note under the key measures: how each change was tested"),
               # On paper, where the briefing has no room for every test, the note points to it.
               Figure("g_change_note_print", change_note(table) and f"{TESTED_MARK} A tested change: the note under "
                      "this table in the online edition says how each was tested.", "note", [],
                      label="Note under the key measures on paper: where how each change was tested is said")] + figures
    figures += key_points.figures(key_points.points(table, f.code))
    chart = maps.force_and_peers_map(f.code, peers, name=f"glance-map-{f.slug}",
                                     title=f"{f.name} and its comparable forces" if peers else f.name)
    return Section(table, chart, figures, more_charts=[trend_chart(f, trend)])


def guide_and_force(section: Section, f: forces.Force) -> Section:
    """The guide's five action areas beside this force's figures (chapters/guide_and_force.py), from the dashboard's
    rows."""
    return guide.section(f, section.table)


def questions(f: forces.Force) -> Section:
    """The questions to put to the force's chief officer, area by area (chapters/questions.py)."""
    return asked.section(f)


def show_key_points(section: Section, f: forces.Force) -> None:
    """The key points as a list, each linked to the page that shows its evidence (chapters/key_points.py)."""
    from IPython.display import HTML, display

    code = f.code
    # Each point marked with its register key (key_points.figures), as every figure the page glues.
    items = "".join(f'<li {tables.FIGURE_KEY}="{key_points.key(i)}">{html.escape(p["text"])} <a class="{EVIDENCE_LINK}" '
                    f'href="{html.escape(p["page"])}">Where this comes from</a></li>'
                    for i, p in enumerate(key_points.points(section.table, code), 1))
    display(HTML(f'<ul class="pcp-key-points">{items}</ul>'))


def _areas(section: Section) -> list[str]:
    """The dashboard's columns of figures alone: the force's, then each comparable force's (ONS codes)."""
    return [c for c in section.table.columns if c not in HEADERS and c not in FIELDS and c not in ("datasets", "old")]


def _dated(rows: pd.DataFrame) -> pd.Series:
    """Each row's period as a reader sees it: an old figure (config.STALE_YEARS) flagged beside it."""
    old = rows["old"].fillna(False).astype(bool) if "old" in rows else pd.Series(False, index=rows.index)
    return rows["period"] + old.map({True: f" ({OLD})", False: ""})


def table(section: Section):
    """The dashboard rows as a reader sees them (without the comparable forces, which have their own table)."""
    # Each row carries its measure's id, so the briefing splits the table between measures without reading it.
    shown = section.table.assign(period=_dated(section.table))
    return tables.format_table(shown[[*HEADERS, "measure_id", "keys"]], headers=HEADERS, kind="glance",
                               missing=NO_FIGURE, caption="Key measures, each with its period",
                               row_group="measure_id", row_keys="keys")


def pack_rows(section: Section) -> list[dict]:
    """The dashboard rows as the data pack holds them: every column, each comparable force by name, each row's
    datasets and its source grade."""
    own, *peers = _areas(section)
    # The verdicts as values are in the pack's own table of the force's measures; the measure's id links the two.
    frame = section.table.drop(columns=[c for c in [*FIELDS, "old"] if c != "measure_id"])
    frame = frame.rename(columns={own: "force_figure_alone"} | {
        c: f"comparable force {i}: {forces.get(c).name}" for i, c in enumerate(peers, 1)})
    return [{**{k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()},
             "grade": manifest.lowest_grade(row["datasets"]) or "the force's own file"}
            for row in frame.to_dict("records")]


def show_table(section: Section) -> None:
    """Display the dashboard table, with its rows attached for the edition's data pack (publish/datapack.py)."""
    from IPython.display import display

    display(table(section), metadata={"pcp_measures": pack_rows(section)})


def peer_table(section: Section):
    """Each comparable force's own value on each measure, beside the force's (no single peer average); dated in the
    measure's cell, so the table fits the column at 1280 px."""
    force, *peers = _areas(section)
    if not peers:
        return None
    rows = section.table.dropna(subset=peers, how="all")  # the force's own survey has no peer figures
    shown = rows[[force, *peers]].assign(measure=rows["measure"] + ", " + _dated(rows))
    # A soft hyphen lets a county's name break before "shire", so six names fit side by side.
    names = {c: forces.get(c).short_name.replace("shire", "\u00adshire") for c in peers}
    return tables.format_table(shown[["measure", force, *peers]],
                               headers={"measure": "Measure", force: "This force"} | names,
                               kind="glance-peers", missing=NO_FIGURE,
                               caption="Each comparable force, nearest first")


def trend_chart(f: forces.Force, trend: pd.DataFrame):
    """Small line charts of the force against England and Wales, for the measures that have a series; the force's
    own counts alone where its rates per resident are not compared (by_count), saying why."""
    against = bool((trend["pfa_code"] == ENGLAND_AND_WALES).any())
    why = [f"{reason[0].upper()}{reason[1:]}." for reason in dict.fromkeys(key_points.BY_COUNT[r]
                                                                         for r in by_count(f).values())]
    colours = "the force in black, England and Wales in vermilion" if against else (
        f"{f.short_name}'s own counts, with no England and Wales line")
    subtitle = [f"Each panel has its own scale; {colours}"]
    if why and against:
        subtitle.append(f"A panel of \"{f.short_name} alone\" is its own counts, with no England and Wales line")
    subtitle += why
    return lines.small_trends(
        trend, name=f"glance-trends-{f.slug}", zero=not against,
        title=f"{f.short_name} against England and Wales over time" if against else f"{f.short_name} over time",
        subtitle=subtitle if len(subtitle) > 1 else subtitle[0],
        source=source_lines.line(force_series.datasets_of(pd.concat(list(_panels(f).values())))),
        description=(f"Small line charts of {f.name}" + (" against England and Wales" if against else "") + ": "
                     + "; ".join(dict.fromkeys(trend["measure"])) + "." + "".join(f" {w}" for w in why)))


def ski_slopes(f: forces.Force) -> list:
    """Officers per 100,000 at the newest date the dashboard and its key points give, for all forces, highest first,
    with the force highlighted and named: a stock counted on a date, with no chance variation to speak of, so a ranked
    chart reads true; and recorded crime per 1,000 (the newest official year), events that vary by chance, as a
    funnel plot instead of a rank."""
    table = force_measures.all_forces()
    rows = table[table["measure_id"] == "officers_per_100k"]
    rows = rows[rows["period_end"] == rows["period_end"].max()]
    newest = rows.iloc[0]
    mine = rows[rows["force_code"] == f.code].iloc[0]
    what = f"police officers per 100,000 residents, {marked(newest['period'], newest['datasets'].split('; '))}"
    title = what[0].upper() + what[1:]
    forces_only = rows[rows["force_code"] != forces.CITY_OF_LONDON].rename(columns={"force_code": "pfa_code"})
    city = forces.get(forces.CITY_OF_LONDON).name
    slope = ranked.ski_slope(
        forces_only[["pfa_code", "value"]], name=f"glance-slope-officers-{f.slug}", highlight=f.code,
        reference=newest["median_force"], title=title,
        y_title="Officers per 100,000",
        subtitle=[f"Every force, highest first; dashed line: the median force ({fmt_number(newest['median_force'], 0)}). "
                  "A count on a date, not a sample",
                  f"{city} left out: its resident population is tiny beside its daytime one"],
        source=source_lines.line(newest["datasets"].split("; ")),
        description=(f"Column chart of {what} for {len(forces_only)} forces from highest to lowest, "
                     f"with {f.name} highlighted and the median force as a dashed line. "
                     + (common.median_sentence(f.name, mine["value"], newest["median_force"], what=what)
                        if f.code != forces.CITY_OF_LONDON else f"{f.name} is left out") + "."))
    fitted, period = measure_funnels.recorded_crime_funnel()
    charted = fitted.without([forces.CITY_OF_LONDON])
    crime_funnel = funnels.funnel_plot(
        charted, name=f"glance-crime-funnel-{f.slug}", highlight=f.code, x_title="Residents (log scale)",
        y_title="Offences per 1,000 residents",
        title=f"Recorded crime per 1,000 residents (excluding fraud), {period}",
        subtitle=[f"Solid lines: 95% limits, dashed: 99.8%, around {fitted.centre_name}, widened for the spread "
                  "between forces", f"{city}: no rate (too few residents)"],
        source=source_lines.line(measure_funnels.CRIME_DATA),
        description=(f"Funnel plot of recorded crime per 1,000 residents in the {period} for {len(charted.table)} "
                     f"forces against their populations, with limits around {fitted.centre_name} "
                     f"({fmt_number(fitted.centre, 1)}). "
                     + common.row_sentence(common.measure_row(f.code, "recorded_crime_per_1000", period),
                                           f"recorded crime per 1,000 residents, {period}") + "."))
    return [slope, crime_funnel]


def show_ski_slopes(f: forces.Force) -> None:
    """Display the two comparison charts, marked where the force itself is not in them."""
    from IPython.display import HTML, display

    if f.code == forces.CITY_OF_LONDON:
        display(HTML(f'<div class="{NOT_CHARTED}"></div>'))
    for chart in ski_slopes(f):
        display(chart)


def local_data(f: forces.Force, local_survey: str | None = None, policeuk: str | None = None) -> Section:
    """The force's own files this edition used, each with its sha256, so a reader can tell which files they were."""
    rows, figures = [], []
    for what, path, key in (("Local survey", local_survey, "g_local_survey"), ("police.uk download", policeuk,
                                                                                "g_policeuk")):
        if path:
            fp = localfiles.fingerprint(path)
            rows.append({"data": what, "file or folder": fp["name"], "sha256": fp["sha256"]})
            figures += [Figure(f"{key}_name", fp["name"], "file", [f"local {fp['name']}"],
                               label=f"{what} this edition used: its name"),
                        Figure(f"{key}_sha256", fp["sha256"], "sha256", [f"local {fp['name']}"],
                               label=f"{what} this edition used: its SHA-256 checksum")]
        elif what == "Local survey" and f.code == forces.METROPOLITAN:
            rows.append({"data": what, "file or folder": "MOPAC Public Attitude Survey, borough file (public)",
                         "sha256": manifest.raw_file(met_pas.BOROUGH_FILE).sha256})
        else:
            rows.append({"data": what, "file or folder": "none supplied", "sha256": ""})
    shown = tables.format_table(pd.DataFrame(rows), headers={"data": "Data", "file or folder": "File or folder",
                                                             "sha256": "sha256 checksum"},
                                missing="", caption="The force's own files in this edition")
    return Section(shown, None, figures)

"""Chapter 1: the national trend in trust and confidence, who has less of it, and a local survey."""

from __future__ import annotations

import pandas as pd

from analysis import charts, csew, met_pas, tables
from analysis.figures import Figure, Section, national
from analysis.numbers import fmt_number

SERIES_DATA = [csew.SERIES_FILE]
HEADLINE_DATA = list(csew.HEADLINE_FILES)
OPEN_DATA = [csew.OPEN_DATA_FILE]
PAS_DATA = [met_pas.BOROUGH_FILE]

ONS_SOURCE = "ONS, Crime Survey for England and Wales perception tables (third-party extract), OGL v3.0"
OPEN_DATA_SOURCE = "ONS, CSEW open data table, 12 months to December 2018, OGL v3.0"
PCT1 = "{:.1f}"
PAS_SOURCE = "MOPAC Public Attitude Survey dashboard (London Datastore), OGL"
# What each national series measures, for the labels of the figures quoted from it.
TREND_LABELS = {"conf": "Confidence in the local police", "rating": "Rating the local police good or excellent",
                "patrol": "Seeing police or PCSOs on foot patrol at least weekly", "trust": "Trust in the police"}
GROUP_LABELS = {"conf": "Confidence in the local police", "fair": "Agreeing the police treat everyone fairly"}


@national
def national_trend() -> Section:
    """Confidence, good/excellent rating, foot patrol and trust, 2003/04 to the latest year."""
    trend = csew.trend_frame(csew.load_national_series(), list(csew.SERIES_LABELS), csew.load_headlines())
    figures = []
    for short, measure in [("conf", "confidence_local_police"), ("rating", "police_good_excellent_job"),
                           ("patrol", "foot_patrol_weekly_or_more"), ("trust", "trust_police_in_area")]:
        figures += csew.point_figures(trend, measure, short, SERIES_DATA + HEADLINE_DATA,
                                      what=f"{TREND_LABELS[short]}, % of adults (CSEW)")
    latest = trend["year_ending"].max()
    peak, last = (csew.point(trend, "confidence_local_police", w) for w in ("peak", "latest"))
    peak_values = [peak["value_pct"]] + ([peak["value_transcribed"]] if pd.notna(peak["value_transcribed"]) else [])
    falls = sorted(v - last["value_pct"] for v in peak_values)
    figures.append(Figure("conf_change_from_peak", fmt_number(falls[0]) if len(falls) == 1 else
                          f"about {fmt_number(falls[0])} to {fmt_number(falls[-1])}",
                          "percentage points", SERIES_DATA + HEADLINE_DATA))
    provisional = trend[trend["provisional"]]
    figures += [Figure("provisional_years", _join(sorted(provisional.loc[provisional["measure"] != "trust_police_in_area",
                                                                          "csew_year"].unique())),
                       "CSEW years", SERIES_DATA + HEADLINE_DATA)]
    chart = charts.trend_with_breaks(
        trend,
        name="national-trend",
        title="Confidence, ratings, foot patrol and trust, England and Wales",
        subtitle=[f"Crime Survey for England and Wales, 2003/04 to {csew.csew_year(latest)}",
                  "Hollow markers: provisional (third-party extract only, not yet checked against an ONS table)"],
        description=(
            f"Line chart of four CSEW measures from 2003/04 to {csew.csew_year(latest)}. "
            + " ".join(
                f"{csew.SERIES_LABELS[m]}: {csew.point(trend, m, 'first')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'first')['csew_year']}, highest {csew.point(trend, m, 'peak')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'peak')['csew_year']}, {csew.point(trend, m, 'latest')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'latest')['csew_year']}."
                for m in csew.SERIES_LABELS
            )
            + " Lines break at the 2011/12 questionnaire change (confidence and rating only) and across "
            "2020/21 to 2021/22, when no comparable survey ran. Provisional values are drawn hollow."
        ),
        source=ONS_SOURCE,
    )
    table = trend.pivot(index="csew_year", columns="series", values="value_pct").reset_index()
    return Section(table, chart, figures)


@national
def headline_crosscheck() -> Section:
    """The extracted series against the figures transcribed from ONS and other published text."""
    table = csew.crosscheck(csew.load_national_series(), csew.load_headlines())
    disagree = table[~table["agrees"]]
    figures = [
        Figure("crosscheck_compared", len(table), "values", SERIES_DATA + HEADLINE_DATA,
               label="CSEW values found both in the extracted series and in transcribed published figures"),
        Figure("crosscheck_disagree", len(disagree), "values", SERIES_DATA + HEADLINE_DATA,
               label="Of those, values that differ by more than rounding"),
    ]
    return Section(table, None, figures)


def disagreements(crosscheck: pd.DataFrame) -> tables.Table:
    """The cross-checked values that differ by more than rounding, as readers see them."""
    rows = crosscheck[~crosscheck["agrees"]].drop(columns=["agrees", "measure"])
    return tables.format_table(
        rows, kind="crosscheck", caption="Values that differ by more than rounding",
        decimals={"value_pct_transcribed": 1, "value_pct_extract": 1, "difference": 1},
        headers={"series": "Measure", "survey_year": "CSEW year", "value_pct_transcribed": "Published (%)",
                 "value_pct_extract": "Extracted series (%)", "difference": "Difference (points)",
                 "source_publisher": "Published by"})


@national
def confidence_by_group() -> Section:
    """Confidence and 'treat everyone fairly' by ethnic group, age and sex, with 95% CIs."""
    data = csew.load_open_data()
    table = csew.by_group(data, ["patt7", "patt3"])
    figures = []
    for short, measure in [("conf", "patt7"), ("fair", "patt3")]:
        what = f"{GROUP_LABELS[short]}, % (CSEW, 12 months to December 2018)"
        total = csew.all_adults(data, measure)
        figures += [Figure(f"{short}_2018_all", total["pct"], "%", OPEN_DATA, PCT1, f"{what}: all adults"),
                    Figure(f"{short}_2018_all_low", total["ci_low_pct"], "%", OPEN_DATA, PCT1,
                           f"{what}: all adults, lower end of the 95% confidence interval"),
                    Figure(f"{short}_2018_all_high", total["ci_high_pct"], "%", OPEN_DATA, PCT1,
                           f"{what}: all adults, upper end of the 95% confidence interval")]
        label = csew.OPEN_DATA_MEASURES[measure]
        rows = table[table["measure"] == label]
        black = rows[rows["group"].str.startswith("Black")].iloc[0]
        figures += [Figure(f"{short}_2018_black", black["pct"], "%", OPEN_DATA, PCT1, f"{what}: Black adults"),
                    Figure(f"{short}_2018_black_low", black["ci_low_pct"], "%", OPEN_DATA, PCT1,
                           f"{what}: Black adults, lower end of the 95% confidence interval"),
                    Figure(f"{short}_2018_black_high", black["ci_high_pct"], "%", OPEN_DATA, PCT1,
                           f"{what}: Black adults, upper end of the 95% confidence interval"),
                    Figure(f"{short}_2018_black_vs_all", _comparison_phrase(black["comparison"]), "comparison",
                           OPEN_DATA, label=f"{what}: Black adults against all adults (95% test)"),
                    Figure(f"{short}_2018_groups_lower", int((rows["comparison"] == "lower").sum()), "groups",
                           OPEN_DATA, label=f"{what}: number of groups significantly below all adults"),
                    Figure(f"{short}_2018_groups_lower_names",
                           _join(rows.loc[rows["comparison"] == "lower", "group"]), "groups", OPEN_DATA,
                           label=f"{what}: the groups significantly below all adults")]
    chart = charts.estimates_with_ci(
        table,
        name="confidence-by-group",
        title="Confidence and perceived fairness by group, 2018",
        subtitle="Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all adults",
        reference_label="all adults",
        description=(
            "Dot-and-whisker chart of two CSEW measures, confidence in the local police and agreement that the "
            "police treat everyone fairly, by ethnic group, age band and sex, each with a 95% confidence "
            "interval and a dashed line for all adults. Markers pointing left are significantly below all "
            "adults, right significantly above, circles not significantly different."
        ),
        source=OPEN_DATA_SOURCE,
    )
    return Section(table, chart, figures)


@national
def london_spread() -> Section:
    """The Met PAS 'good job' measure: London-wide, and the range across the 32 boroughs."""
    boroughs = met_pas.load_boroughs()
    spread = met_pas.spread(boroughs, met_pas.GOOD_JOB)
    first, last = spread.iloc[0], spread.iloc[-1]
    ends = met_pas.extremes(boroughs, met_pas.GOOD_JOB, last["date"])
    date_fmt = "%B %Y"
    good_job = "Londoners agreeing the police do a good job in their area (MOPAC Public Attitude Survey)"
    first_q, last_q = first["date"].strftime(date_fmt), last["date"].strftime(date_fmt)
    figures = [
        Figure("pas_first", 100 * first["headline"], "%", PAS_DATA, label=f"{good_job}, quarter to {first_q}"),
        Figure("pas_first_date", first_q, "quarter ending", PAS_DATA, label="First quarter of the survey series"),
        Figure("pas_latest", 100 * last["headline"], "%", PAS_DATA, label=f"{good_job}, quarter to {last_q}"),
        Figure("pas_latest_date", last_q, "quarter ending", PAS_DATA, label="Latest quarter of the survey series"),
        Figure("pas_low_borough", ends.iloc[0]["borough"], "borough", PAS_DATA,
               label=f"Borough with the lowest agreement, quarter to {last_q}"),
        Figure("pas_low", 100 * ends.iloc[0]["proportion"], "%", PAS_DATA,
               label=f"{good_job}: lowest borough, quarter to {last_q}"),
        Figure("pas_high_borough", ends.iloc[1]["borough"], "borough", PAS_DATA,
               label=f"Borough with the highest agreement, quarter to {last_q}"),
        Figure("pas_high", 100 * ends.iloc[1]["proportion"], "%", PAS_DATA,
               label=f"{good_job}: highest borough, quarter to {last_q}"),
        Figure("pas_boroughs", int(last["boroughs"]), "boroughs", PAS_DATA,
               label=f"Boroughs with a figure in the quarter to {last_q}"),
    ]
    chart = charts.line_with_spread(
        spread,
        name="london-pas-spread",
        title="'The police do a good job in the local area', London",
        subtitle="Line: London-wide; dark band: middle half of boroughs; light band: lowest to highest borough",
        y_title="Agree",
        description=(
            f"Line chart of the share of Londoners saying the police do a good job locally, quarterly from "
            f"{first['date']:%B %Y} to {last['date']:%B %Y}, falling from {100 * first['headline']:.0f}% to "
            f"{100 * last['headline']:.0f}%. Shaded bands show the spread across the 32 boroughs."
        ),
        source=PAS_SOURCE,
    )
    return Section(spread, chart, figures)


def _comparison_phrase(label: str) -> str:
    return {"higher": "significantly higher than", "lower": "significantly lower than",
            "similar": "not significantly different from"}[label]


def _join(names) -> str:
    names = list(names)
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

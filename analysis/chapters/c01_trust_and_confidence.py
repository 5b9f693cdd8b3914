"""Chapter 1: the national trend in trust and confidence, who has less of it, and a force's own survey."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.chapters import common
from analysis.methods import survey
from analysis.present import inert, lines, ranked, register, source_lines, tables
from analysis.present.glue import Figure, Section, national
from analysis.present.numbers import fmt_number
from analysis.sources import csew, forces, local_survey, met_pas
from analysis.sources.evidence import REGISTER_FILE, load_register
from analysis.sources.localfiles import LocalDataError
from analysis.sources.periods import financial_year

SERIES_DATA = [csew.SERIES_FILE]
HEADLINE_DATA = list(csew.HEADLINE_FILES)
OPEN_DATA = [csew.OPEN_DATA_FILE]
PAS_DATA = [met_pas.BOROUGH_FILE]

ONS_SOURCE = source_lines.line(SERIES_DATA)
OPEN_DATA_SOURCE = source_lines.line(OPEN_DATA)
PCT1 = "{:.1f}"
# What each national series measures, for the labels of the figures quoted from it.
TREND_LABELS = {"conf": "Confidence in the local police", "rating": "Rating the local police good or excellent",
                "patrol": "Seeing police or PCSOs on foot patrol at least weekly", "trust": "Trust in the police"}
# The measures whose questions changed in 2011/12 (ONS: not directly comparable with earlier years).
BROKEN_AT_2011 = ("confidence_local_police", "police_good_excellent_job")
TRUST_WORDING = "the exact question wording of the trust series was not seen"
GROUP_LABELS = {"conf": "Confidence in the local police", "fair": "Agreeing the police treat everyone fairly"}


@national
def national_trend() -> Section:
    """Confidence, good/excellent rating, foot patrol and trust, 2003/04 to the latest year."""
    trend = csew.trend_frame(csew.load_national_series(), list(csew.SERIES_LABELS), csew.load_headlines())
    figures = []
    # ONS: confidence and the rating are not comparable across the 2011/12 questionnaire change, so each side of it
    # has its own first and latest (conf_before_…), and the peak is the newer questionnaire's.
    since = trend[trend["year_ending"] >= config.QUESTIONNAIRE_BREAK_YE]
    before = trend[trend["year_ending"] < config.QUESTIONNAIRE_BREAK_YE]
    for short, measure in [("conf", "confidence_local_police"), ("rating", "police_good_excellent_job"),
                           ("patrol", "foot_patrol_weekly_or_more"), ("trust", "trust_police_in_area")]:
        what = f"{TREND_LABELS[short]}, % of adults (CSEW)"
        broken = measure in BROKEN_AT_2011
        figures += common.point_figures(since if broken else trend, measure, short, SERIES_DATA + HEADLINE_DATA,
                                        what=what + (" since the 2011/12 questionnaire change" if broken else ""))
        if broken:
            figures += [f for f in common.point_figures(before, measure, f"{short}_before", SERIES_DATA + HEADLINE_DATA,
                                                        what=what + " before the 2011/12 questionnaire change")
                        if "_peak" not in f.key]
    latest = trend["year_ending"].max()
    peak, last = (csew.point(since, "confidence_local_police", w) for w in ("peak", "latest"))
    peak_values = [peak["value_pct"]] + ([peak["value_transcribed"]] if pd.notna(peak["value_transcribed"]) else [])
    falls = sorted(v - last["value_pct"] for v in peak_values)
    figures.append(Figure("conf_change_from_peak", fmt_number(falls[0]) if len(falls) == 1 else
                          f"about {fmt_number(falls[0])} to {fmt_number(falls[-1])}",
                          "percentage points", SERIES_DATA + HEADLINE_DATA,
                          label=f"Fall in confidence in the local police (CSEW) from its peak year since the 2011/12 "
                                f"questionnaire change to {last['csew_year']}, percentage points"))
    provisional = trend[trend["provisional"]]
    years = sorted(provisional.loc[provisional["measure"] != "trust_police_in_area", "csew_year"].unique())
    # Years no transcribed figure confirms rest on the extract alone, so carry its grade (common.csew_cited).
    figures += [Figure("provisional_years", common.join(years), "CSEW years", SERIES_DATA,
                       label="CSEW years whose figures only the third party's extract gives"),
                Figure("trust_wording", TRUST_WORDING, "note", SERIES_DATA,
                       label="Trust in the police (CSEW): what the third party says of the series' question "
                             "wording")]
    chart = lines.trend_with_breaks(
        trend,
        name="national-trend",
        title="Confidence, ratings, foot patrol and trust, England and Wales",
        subtitle=[f"Crime Survey for England and Wales, 2003/04 to {financial_year(latest)}",
                  f"Hollow markers: {common.PROVISIONAL}, not yet checked against an ONS table;",
                  "Trust: the exact question wording was not seen"],
        description=(
            f"Line chart of four CSEW measures from 2003/04 to {financial_year(latest)}. "
            + " ".join(
                f"{csew.SERIES_LABELS[m]}: {csew.point(trend, m, 'first')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'first')['csew_year']}, highest {csew.point(trend, m, 'peak')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'peak')['csew_year']}, {csew.point(trend, m, 'latest')['value_pct']:.0f}% in "
                f"{csew.point(trend, m, 'latest')['csew_year']}."
                for m in csew.SERIES_LABELS
            )
            + " Lines break at the 2011/12 questionnaire change (confidence and rating only) and across "
            f"2020/21 to 2021/22, when no comparable survey ran. Provisional values are drawn hollow; "
            f"{TRUST_WORDING}."
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
               label="CSEW values this book cross-checks: found both in the extracted series and in transcribed "
                     "published figures", kind=register.OWN_COUNT),
        Figure("crosscheck_disagree", len(disagree), "values", SERIES_DATA + HEADLINE_DATA,
               label="CSEW values this book cross-checks that differ by more than rounding",
               kind=register.OWN_COUNT),
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
    table = survey.by_group(data, ["patt7", "patt3"])
    figures = []
    for short, measure in [("conf", "patt7"), ("fair", "patt3")]:
        what = f"{GROUP_LABELS[short]}, % (CSEW, 12 months to December 2018)"
        total = survey.all_adults(data, measure)
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
                    Figure(f"{short}_2018_black_vs_all", black["verdict"], "comparison",
                           OPEN_DATA, label=f"{what}: Black adults against all adults (95% test)"),
                    Figure(f"{short}_2018_groups_lower", int((rows["comparison"] == "lower").sum()), "groups",
                           OPEN_DATA, label=f"{what}: number of groups significantly below all adults"),
                    Figure(f"{short}_2018_groups_lower_names",
                           common.join(rows.loc[rows["comparison"] == "lower", "group"]), "groups", OPEN_DATA,
                           label=f"{what}: the groups significantly below all adults")]
    chart = ranked.estimates_with_ci(
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
    latest = boroughs[(boroughs["measure"] == met_pas.GOOD_JOB) & (boroughs["date"] == last["date"])]
    # Ties are named: every borough at the lowest (highest) value, not the first the sort happens to give.
    low, high = (latest[latest["proportion"] == v] for v in (latest["proportion"].min(), latest["proportion"].max()))
    interviews = int(load_register().set_index("id").at[met_pas.INTERVIEWS_ROW, "n"])
    # The fall tested as the Met's dashboard row tests its change (methods/survey): at the rounding's bounds, on the
    # interviews a year shrunk by the assumed design effect.
    effective = interviews / config.ASSUMED_DESIGN_EFFECT
    fall = survey.rounded_difference(first["headline"], effective, last["headline"], effective, met_pas.ROUNDED_TO)
    date_fmt = "%B %Y"
    good_job = "Londoners agreeing the police do a good job in their area (MOPAC Public Attitude Survey)"
    first_q, last_q = first["date"].strftime(date_fmt), last["date"].strftime(date_fmt)
    figures = [
        Figure("pas_first", 100 * first["headline"], "%", PAS_DATA, label=f"{good_job}, quarter to {first_q}"),
        Figure("pas_first_date", first_q, "quarter ending", PAS_DATA, label="First quarter of the survey series"),
        Figure("pas_latest", 100 * last["headline"], "%", PAS_DATA, label=f"{good_job}, quarter to {last_q}"),
        Figure("pas_latest_date", last_q, "quarter ending", PAS_DATA, label="Latest quarter of the survey series"),
        Figure("pas_low_borough", _tied(low["borough"]), "borough", PAS_DATA,
               label=f"Borough(s) with the lowest agreement, quarter to {last_q}"),
        Figure("pas_low", 100 * low["proportion"].iloc[0], "%", PAS_DATA,
               label=f"{good_job}: lowest borough, quarter to {last_q}"),
        Figure("pas_high_borough", _tied(high["borough"]), "borough", PAS_DATA,
               label=f"Borough(s) with the highest agreement, quarter to {last_q}"),
        Figure("pas_high", 100 * high["proportion"].iloc[0], "%", PAS_DATA,
               label=f"{good_job}: highest borough, quarter to {last_q}"),
        Figure("pas_interviews", interviews, "interviews a year", [REGISTER_FILE], "{:,.0f}",
               label="Interviews a year across London in the PAS, as MOPAC's survey description gives them"),
        Figure("pas_fall", 100 * fall["difference"], "percentage points", PAS_DATA + [REGISTER_FILE],
               label=f"{good_job}: fall from {first_q} to {last_q}"),
        Figure("pas_fall_low", 100 * fall["ci_low"], "percentage points", PAS_DATA + [REGISTER_FILE],
               label=f"{good_job}: fall from {first_q} to {last_q}, approximate 95% confidence interval, low end "
                     "(over the rounding of both figures, with the assumed design effect)"),
        Figure("pas_fall_high", 100 * fall["ci_high"], "percentage points", PAS_DATA + [REGISTER_FILE],
               label=f"{good_job}: fall from {first_q} to {last_q}, approximate 95% confidence interval, high end"),
        Figure("pas_design_effect", config.ASSUMED_DESIGN_EFFECT, "design effect", [], "{:.1f}",
               label="Design effect assumed for the PAS, which MOPAC does not publish"),
        Figure("pas_boroughs", int(last["boroughs"]), "boroughs", PAS_DATA,
               label=f"Boroughs with a figure in the quarter to {last_q}"),
    ]
    chart = lines.line_with_spread(
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
        source=source_lines.line(PAS_DATA),
    )
    return Section(spread, chart, figures)


def _tied(names: pd.Series) -> str:
    """One borough's name, or the first of tied boroughs 'tied with' the others (names like 'Kensington and Chelsea'
    would blur a list joined by 'and')."""
    first, *rest = sorted(names)
    return first + (f" (tied with {'; '.join(rest)})" if rest else "")


def not_supplied(force: str) -> str:
    """What an edition says when the force has no survey of its own in it."""
    f = forces.resolve(force)
    return (f"No survey of {f.name}'s own was supplied for this edition, and no confidence figure by force is "
            "published in any data this book could obtain. A force's analysts can add its public attitude survey "
            "results here by rebuilding this edition with the survey file, as the data-and-methods appendix explains "
            "under 'Adding a force's own data'.")


def survey_section(df: pd.DataFrame, force: str) -> Section:
    """The force's own survey: the headline measure over time with 95% CIs, its change, groups and sub-areas."""
    f = forces.resolve(force)
    datasets = df.attrs.get("datasets") or [f"local file {df.attrs.get('name', df.attrs.get('source', ''))}"]
    survey_name = df.attrs.get("survey_name") or f"{f.name}'s own survey"
    # A published survey (the PAS) is in the manifest; a force's own file is named as supplied.
    source = (source_lines.line(df.attrs["datasets"]) if df.attrs.get("datasets")
              else f"{f.name}'s own survey, file {df.attrs.get('name', '')} (supplied locally)")
    measure = df["measure"].iloc[0]
    area = local_survey.total_area(df, f.code) or survey.areas(df, measure)["area"].iloc[0]
    iv = survey.with_intervals(df)
    headline = (iv["area"] == area) & (iv["measure"] == measure) & (iv["group"] == local_survey.ALL)
    series = survey.as_percentages(iv[headline])
    series = series.sort_values("period_end", kind="stable")
    if series.empty:
        raise LocalDataError(f"{df.attrs.get('source', 'local survey')}: no '{local_survey.ALL}' row for {area!r} and "
                             f"{measure!r}; expected the headline measure for all respondents")
    last = series.iloc[-1]
    change = survey.changes(df)
    change = change[(change["area"] == area) & (change["measure"] == measure) & (change["group"] == local_survey.ALL)]
    year, first = (change[change["against"] == w].iloc[0] for w in ("a year earlier", "the first period"))
    no_interval = (iv["interval_from"] == survey.NO_INTERVAL)
    why = df.attrs.get("why_no_interval", "the file gives these estimates without a base or a standard error")
    interval_note = ("" if not no_interval.any() else
                     f"For {no_interval.sum():,} of {len(iv):,} rows {survey.NO_INTERVAL}: {why}.")
    span = f"{series.iloc[0]['period']} to {last['period']}"
    own = f"{f.name}'s own survey, {measure} ({area})"
    # What the section shows, not figures read from the survey: no grade.
    figures = [Figure("ls_force", f.name, "force", datasets, label="Force whose own survey this section shows",
                      kind=register.NAME),
               Figure("ls_measure", measure, "measure", datasets, label="Measure of the force's own survey shown",
                      kind=register.NAME),
               Figure("ls_area", area, "area", datasets, label="Area of the force's own survey shown",
                      kind=register.NAME),
               Figure("ls_latest_period", last["period"], "period", datasets,
                      label="Latest period of the force's own survey"),
               Figure("ls_latest", last["pct"], "%", datasets, label=f"{own}, {last['period']}"),
               Figure("ls_change_year", year["wording"], "comparison", datasets,
                      label=f"{own}: {last['period']} against a year earlier"),
               Figure("ls_change_first", first["wording"], "comparison", datasets,
                      label=f"{own}: {last['period']} against the first period")]
    if pd.notna(last["ci_low"]):
        figures += [Figure("ls_latest_low", last["ci_low_pct"], "%", datasets,
                           label=f"{own}, {last['period']}: lower end of the 95% confidence interval"),
                    Figure("ls_latest_high", last["ci_high_pct"], "%", datasets,
                           label=f"{own}, {last['period']}: upper end of the 95% confidence interval")]
    if "sha256" in df.attrs:
        figures.append(Figure("ls_file_sha256", df.attrs["sha256"], "sha256", datasets,
                              label="SHA-256 checksum of the force's own survey file, as read"))
    latest_text = (f"{last['pct']:.0f}% (95% CI {last['ci_low_pct']:.0f}% to {last['ci_high_pct']:.0f}%)"
                   if pd.notna(last["ci_low"]) else f"{last['pct']:.0f}% ({survey.NO_INTERVAL})")
    # Every value here comes from the force's file or its name: escaped, it stays text on the page.
    note = "\n\n".join(filter(None, [
        f"**{inert.markdown(measure)}**, {inert.markdown(area)}, {inert.markdown(last['period'])}: "
        f"{inert.markdown(latest_text)}. Against a year earlier: {inert.markdown(year['wording'])}. "
        f"Against the first period: {inert.markdown(first['wording'])}.",
        inert.markdown(interval_note),
        f"Source: {inert.markdown(source)}" + (f", sha256 `{df.attrs['sha256']}`." if "sha256" in df.attrs else ".")]))
    band = " with its 95% confidence interval shaded" if series["ci_low"].notna().any() else f"; {survey.NO_INTERVAL}"
    trend = lines.dated_lines_with_ci(
        series.assign(date=series["period_end"], series=f"{area}: {measure}", value=series["pct"],
                      ci_low=series["ci_low_pct"], ci_high=series["ci_high_pct"])[
            ["date", "period", "series", "value", "ci_low", "ci_high"]],
        name=f"local-survey-trend-{f.slug}", source=source, y_title="% agreeing",
        title=f"{measure}: {area}, {span}", subtitle=f"{survey_name}{band}",
        description=(f"Line chart of '{measure}' in {area} from {span}, {len(series)} periods{band}. "
                     f"Latest, {last['period']}: {latest_text}. {year['wording']}."))
    more = []
    by_area = survey.areas(df, measure)
    if len(by_area) > 1:
        has_ci = by_area["ci_low"].notna().any()
        periods = by_area["period"].unique()
        when = periods[0] if len(periods) == 1 else "each area's latest period"
        top, bottom = by_area.iloc[0], by_area.iloc[-1]
        more.append(ranked.ranked_intervals(
            by_area.assign(label=by_area["area"], value=by_area["pct"], ci_low=by_area["ci_low_pct"],
                          ci_high=by_area["ci_high_pct"], highlight=by_area["area"] == area)[
                ["label", "value", "ci_low", "ci_high", "highlight"]],
            name=f"local-survey-areas-{f.slug}", source=source, x_title="% agreeing", log=False, value_title="%",
            title=f"{measure} by area, {when}", subtitle=(
                "Whiskers: 95% confidence intervals; black square: the whole force" if has_ci
                else ["Black square: the whole force",
                      f"{survey.NO_INTERVAL[0].upper()}{survey.NO_INTERVAL[1:]}: {why}"]),
            description=(f"Ranked dot chart of '{measure}' in {len(by_area)} areas, {when}, from {top['area']} "
                         f"({top['pct']:.0f}%) to {bottom['area']} ({bottom['pct']:.0f}%)"
                         + (", each with a 95% confidence interval." if has_ci else f"; {survey.NO_INTERVAL}."))))
    by_group = survey.groups(df, area)
    by_group = by_group[by_group["comparison"] != ""]
    if len(by_group):
        lower = by_group.loc[by_group["comparison"] == "lower", "group"].tolist()
        more.append(ranked.estimates_with_ci(
            by_group[["measure", "breakdown", "group", "pct", "ci_low_pct", "ci_high_pct", "comparison", "ref_pct"]],
            name=f"local-survey-groups-{f.slug}", source=source, reference_label=f"all respondents in {area}",
            title=f"Groups against all respondents, {area}, {last['period']}", x_title="% agreeing",
            subtitle="Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all respondents",
            description=(f"Dot-and-whisker chart of {len(by_group)} groups in {area} against all respondents, each "
                         f"with a 95% confidence interval. Significantly lower: {', '.join(lower) or 'none'}.")))
    table = survey.as_percentages(survey.latest(df))[["area", "measure", "group", "period", "pct", "ci_low_pct",
                                                      "ci_high_pct", "base", "interval_from"]].rename(columns={
        "pct": "%", "ci_low_pct": "95% CI from", "ci_high_pct": "95% CI to", "interval_from": "interval from"})
    return Section(table.round(1).reset_index(drop=True), trend, figures, more, note)


def force_section(force: str, local_survey_file: str | None = None) -> Section:
    """The force's own survey (the MOPAC Public Attitude Survey for the Met unless a file is given), or a note
    saying there is none in this edition."""
    found = local_survey.for_edition(force, local_survey_file)
    if found is None:
        return Section(None, note=not_supplied(force))
    return survey_section(found, force)

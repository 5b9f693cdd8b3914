"""Chapter 3: procedural and distributive justice - perceived fairness by group, stop and search disproportionality,
and the procedural justice-legitimacy meta-analysis re-pooled from its authors' study-level data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis.chapters import common, evidence
from analysis.measures import funnels as measure_funnels
from analysis.measures import force_series
from analysis.measures.search_ratios import hollow, rate_ratio_table
from analysis.methods import denominators, disproportionality, funnel, multiplicity, ranking, survey
from analysis.methods import meta_analysis as meta
from analysis.present import forest, funnels, lines, maps, ranked, register, source_lines, tables
from analysis.present.glue import Figure, Section, national
from analysis.present.numbers import fmt_interval, fmt_number
from analysis.sources import boundaries, cache, census, csew, force_indicators, forces
from analysis.sources import pj_legitimacy_samples as pj
from analysis.sources import search_rates as sr
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year

OPEN_DATA = [csew.OPEN_DATA_FILE]
SEARCH_DATA = [ss.SEARCH_FILE, census.CENSUS_2011_FILE, census.CENSUS_FILE]
OPEN_DATA_SOURCE = source_lines.line(OPEN_DATA)
SEARCH_SOURCE = source_lines.line(SEARCH_DATA)
# The Black/White ratio's newer years, on another denominator and from other sources than the open data's series.
NEWER_SERIES = "Black/White, Census 2021"
PCT1 = "{:.1f}"


@national
def fairness_by_group() -> Section:
    """Respect, fair treatment and confidence by ethnic group, age and sex, against all adults."""
    data = csew.load_open_data()
    table = survey.by_group(data, ["patt2", "patt3", "patt7"])
    respect = table[table["measure"] == csew.OPEN_DATA_MEASURES["patt2"]]
    total = survey.all_adults(data, "patt2")
    lowest = respect.loc[respect["pct"].idxmin()]
    what = "Agreeing the local police would treat them with respect, % (CSEW, 12 months to December 2018)"
    figures = [
        Figure("respect_all", total["pct"], "%", OPEN_DATA, PCT1, f"{what}: all adults"),
        Figure("respect_lowest_group", lowest["group"], "group", OPEN_DATA, label=f"{what}: the lowest group"),
        Figure("respect_lowest", lowest["pct"], "%", OPEN_DATA, PCT1, f"{what}: the lowest group"),
        Figure("respect_lowest_low", lowest["ci_low_pct"], "%", OPEN_DATA, PCT1,
               f"{what}: the lowest group, lower end of the 95% confidence interval"),
        Figure("respect_lowest_high", lowest["ci_high_pct"], "%", OPEN_DATA, PCT1,
               f"{what}: the lowest group, upper end of the 95% confidence interval"),
        Figure("respect_groups_lower", int((respect["comparison"] == "lower").sum()), "groups", OPEN_DATA,
               label=f"{what}: number of groups significantly below all adults (Holm's correction across the "
                     f"{len(respect)} groups)"),
        Figure("respect_groups_lower_unadjusted", int((respect["comparison_unadjusted"] == "lower").sum()), "groups",
               OPEN_DATA, label=f"{what}: number of groups below all adults before correction"),
        Figure("fairness_groups", len(respect), "groups", OPEN_DATA,
               label="Groups of adults (CSEW, 12 months to December 2018) each compared with all adults on each "
                     "measure, the tests of a measure corrected together (Holm's correction)"),
        Figure("fairness_changed_by_holm", int((table["comparison"] != table["comparison_unadjusted"]).sum()),
               "tests", OPEN_DATA,
               label="Comparisons of a group of adults with all adults (respect, fair treatment and confidence; CSEW, "
                     "12 months to December 2018) significant before Holm's correction and not after"),
    ]
    chart = ranked.estimates_with_ci(
        table, name="fairness-by-group", title="Respect, fairness and confidence by group, 2018",
        subtitle=("Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all adults. Higher or "
                  "lower: after Holm's correction across each measure's groups"),
        reference_label="all adults", source=OPEN_DATA_SOURCE,
        description=("Dot-and-whisker chart of three CSEW measures (the police would treat you with respect, treat "
                     "everyone fairly, and confidence) by ethnic group, age band and sex, with 95% confidence "
                     "intervals against all adults. Markers pointing left are significantly below all adults once each measure's "
                     "groups are tested together (Holm's correction)."))
    return Section(table, chart, figures)


def segments(plot: pd.DataFrame) -> pd.Series:
    """A line segment per run of solid years in each series: a hollow year, or a year with too few searches, ends
    the run and is joined to nothing."""
    plot = plot.sort_values(["series", "year_ending"], kind="stable")
    breaks = plot["flagged"] | plot["value"].isna()
    alone = plot["year_ending"].astype(str).where(plot["flagged"], "")
    return plot["series"] + ":" + breaks.groupby(plot["series"]).cumsum().astype(str) + ":" + alone



def disproportionality_by_force(highlight: str | None = None) -> Section:
    """The Black/White search rate ratio for every force in the latest year on a funnel around England and Wales
    excluding the Met (where each force falls, not its rank), with 95% CIs in the table."""
    ratios = rate_ratio_table()
    latest = int(ratios["year_ending"].max())
    bw = ratios[(ratios["group"] == "Black") & (ratios["year_ending"] == latest)]
    national = bw[bw["pfa_code"] == ss.ENGLAND_AND_WALES].iloc[0]
    without_met = bw[bw["pfa_code"] == forces.EW_EXCLUDING_MET].iloc[0]
    quotable = bw[bw["rate_ratio"].notna()]
    forces_only = quotable[quotable["pfa_code"].isin(forces.force_codes())]
    # The City of London's few residents make a ratio per resident say little: it is neither tested nor placed.
    compared = forces_only[forces_only["pfa_code"] != forces.CITY_OF_LONDON]
    top = forces_only.loc[forces_only["rate_ratio_interpolated"].idxmax()]
    too_few = bw[(bw["label"] == disproportionality.TOO_FEW) & bw["pfa_code"].isin(forces.force_codes())]
    # Centred on England and Wales without the Met, whose searches make most of the national ratio (one fit, with the
    # measures table); the table beside it gives each unplaced force's range from its two denominators.
    fitted = measure_funnels.counted_ratio_funnel()
    funnelled = fitted.table
    uncertain = funnelled["funnel"] == funnel.DENOMINATORS_APART
    funnelled.loc[uncertain, "funnel"] = [common.denominator_range(r.rate_ratio, r.rate_ratio_interpolated)
                                          for r in funnelled[uncertain].itertuples()]
    gap = forces_only["rate_ratio"] / forces_only["rate_ratio_interpolated"] - 1
    searches = ss.load_searches()
    all_searches = searches.loc[searches["year_ending"] == latest, "searches"].sum()
    residents = denominators.interpolated(census.census2011_by_ethnicity(), census.census2021_by_ethnicity(), [latest])
    bounds = disproportionality.unstated_bounds(searches, residents.drop(columns="year_ending"),
                                                ss.ENGLAND_AND_WALES, latest)
    met_share = _met_share_of_black_searches(latest)
    rate_table = disproportionality.search_rates_by_group()
    unstated = rate_table[(rate_table["pfa_code"] == ss.ENGLAND_AND_WALES) & (rate_table["year_ending"] == latest)]
    year = financial_year(latest)
    others = ratios[(ratios["year_ending"] == latest) & (ratios["pfa_code"] == ss.ENGLAND_AND_WALES)].set_index("group")
    ew = f"England and Wales, {year}"
    interpolated = "on residents interpolated between the 2011 and 2021 Censuses"
    official = "on the 2011 Census (the Home Office's method, the official figure)"
    figures = [
        Figure("ss_year", year, "year", SEARCH_DATA,
               label="Latest year of the Home Office's stop and search counts by force and ethnic group (year ending "
                     "31 March)"),
        Figure("ss_bw_national", national["rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, England and Wales, {year}, on residents interpolated between the "
               "2011 and 2021 Censuses"),
        Figure("ss_bw_national_low", national["ci_low_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {interpolated}: lower end of the 95% confidence interval"),
        Figure("ss_bw_national_high", national["ci_high_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {interpolated}: upper end of the 95% confidence interval"),
        Figure("ss_bw_national_official", national["rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, England and Wales, {year}, on the 2011 Census (the Home Office's "
               "method, the official figure)"),
        Figure("ss_bw_national_official_low", national["ci_low"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {official}: lower end of the 95% confidence interval"),
        Figure("ss_bw_national_official_high", national["ci_high"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {official}: upper end of the 95% confidence interval"),
        Figure("ss_bw_national_uncertain",
               "further apart in proportion than the 95% confidence interval is wide"
               if national["denominator_uncertain"]
               else "within the 95% confidence interval of each other", "comparison", SEARCH_DATA,
               label=f"Whether the Black/White search rate ratios, {ew}, on the two denominators (the 2011 Census and "
                     "interpolated residents) are further apart in proportion than the 95% confidence interval is "
                     "wide"),
        Figure("ss_bw_official_above_pct", 100 * (national["rate_ratio"] / national["rate_ratio_interpolated"] - 1),
               "%", SEARCH_DATA, label=f"How much higher the official Black/White search rate ratio of England and Wales, {year} "
                            "(2011 Census), is than the one on interpolated residents"),
        Figure("ss_gap_median_pct", 100 * gap.median(), "%", SEARCH_DATA,
               label=f"The median force: how much higher its official Black/White search rate ratio, {year} (2011 "
                     "Census), is than its ratio on interpolated residents"),
        Figure("ss_gap_max_pct", 100 * gap.max(), "%", SEARCH_DATA,
               label=f"The force whose official Black/White search rate ratio, {year} (2011 Census), is furthest "
                     "above its ratio on interpolated residents: by how much"),
        Figure("ss_gap_max_force", forces_only.loc[gap.idxmax(), "force"], "force", SEARCH_DATA,
               label=f"Force whose official {year} Black/White ratio (2011 Census) is furthest above its ratio "
                     "on interpolated residents"),
        Figure("ss_funnel_uncertain", int(uncertain.sum()), "forces", SEARCH_DATA,
               label=f"Forces whose Black/White search rate ratios in {year} on the two denominators (the 2011 "
                     "Census and interpolated residents) are further apart in proportion than the 95% interval is "
                     "wide: no funnel verdict"),
        Figure("ss_aw_national", others.at["Asian", "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Asian/White search rate ratio, {ew}, {interpolated}"),
        Figure("ss_mw_national", others.at["Mixed", "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Mixed/White search rate ratio, {ew}, {interpolated}"),
        # Significantly above one only if it is on both denominators.
        Figure("ss_forces_above_1", int((compared[["ci_low", "ci_low_interpolated"]].min(axis=1) > 1).sum()),
               "forces", SEARCH_DATA,
               label=f"Forces whose Black/White search rate ratio in {year} is significantly above 1 on both "
                     "denominators (95% intervals), the City of London left out"),
        Figure("ss_forces_quotable", len(compared), "forces", SEARCH_DATA,
               label=f"Forces with enough searches of Black and of White people in {year} for a Black/White ratio "
                     f"(at least {config.MIN_EVENTS_FOR_RATIO} in each group), the City of London left out"),
        Figure("ss_top_force", top["force"], "force", SEARCH_DATA,
               label=f"Force with the highest Black/White search rate ratio in {year}, {interpolated}"),
        Figure("ss_top_ratio", top["rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Highest force's Black/White search rate ratio, {year}, {interpolated}"),
        Figure("ss_too_few", len(too_few), "forces", SEARCH_DATA,
               label=f"Forces with too few searches of Black or White people in {year} for a ratio (fewer than "
                     f"{config.MIN_EVENTS_FOR_RATIO} in either group)"),
        Figure("ss_too_few_names", ", ".join(too_few["force"]) or "none", "forces", SEARCH_DATA,
               label=f"Forces with too few searches of Black or White people in {year} for a ratio: their names"),
        Figure("ss_min_searches", config.MIN_EVENTS_FOR_RATIO, "searches", [],
               label="Fewest searches in each group for the book to quote a search rate ratio (below it: "
                     "'too few to say')"),
        Figure("ss_bw_excl_met", without_met["rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, England and Wales excluding the Met, {year}, {interpolated}: "
               "the funnel's centre"),
        Figure("ss_forces_excl_met", int((bw["pfa_code"].isin(forces.force_codes())
                                          & (bw["pfa_code"] != forces.METROPOLITAN)).sum()), "forces", SEARCH_DATA,
               label=f"Forces other than the Met summed for the Black/White search rate ratio of England and Wales "
                     f"excluding the Met, {year}"),
        Figure("ss_bw_excl_met_official", without_met["rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, England and Wales excluding the Met, {year}, {official}"),
        Figure("ss_bw_median_force", ranking.median_force(forces_only.set_index("pfa_code")["rate_ratio_interpolated"]),
               "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio of the median force, {year}, {interpolated}"),
        Figure("ss_bw_median_force_official", ranking.median_force(forces_only.set_index("pfa_code")["rate_ratio"]),
               "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio of the median force, {year}, {official}"),
        Figure("ss_forces_below_national", int((compared["rate_ratio_interpolated"]
                                                < national["rate_ratio_interpolated"]).sum()), "forces", SEARCH_DATA,
               label=f"Forces whose Black/White search rate ratio in {year} is below England and Wales's "
                     "(interpolated residents), the City of London left out"),
        Figure("ss_met_share_black", 100 * met_share, "%", SEARCH_DATA,
               label=f"Metropolitan Police's share of all searches of Black people in England and Wales, {year}"),
        Figure("ss_not_stated", bounds["not_stated"], "searches", SEARCH_DATA, "{:,.0f}",
               f"Searches recorded with ethnicity 'Not stated', {ew}"),
        Figure("ss_bw_bound_low", bounds["low"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {interpolated}, if every 'Not stated' search had been of "
               "a White person (the lowest it could be)"),
        Figure("ss_bw_bound_high", bounds["high"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White search rate ratio, {ew}, {interpolated}, if every 'Not stated' search had been of "
               "a Black person (the highest it could be)"),
        *common.funnel_count_figures("ss_funnel", fitted, SEARCH_DATA,
                                     what=f"the Black/White search rate ratio in {year} (interpolated residents)"),
        *common.row_figures("ss_force_funnel", "bw_search_ratio", year, highlight,
                            what=f"the Black/White search rate ratio in {year} (interpolated residents)"),
        Figure("ss_unstated_share", 100 * bounds["not_stated"] / all_searches, "%", SEARCH_DATA,
               label=f"Share of searches in {year} recorded as 'Not stated', England and Wales (Home Office forces)"),
        Figure("ss_unstated_share_with_vehicle", 100 * unstated["unstated_share"].iloc[0], "%", SEARCH_DATA,
               label=f"Share of searches in {year} with no stated ethnicity, 'Not stated' and 'Vehicle only' together, "
                     "England and Wales (Home Office forces)"),
    ]
    chart = funnels.funnel_plot(
        fitted, name="stop-search-ratio-by-force", highlight=highlight, log_y=True,
        title=f"Black/White stop and search rate ratio by force, {year}",
        subtitle=("Searches per 1,000 Black residents over searches per 1,000 White residents (residents "
                  "interpolated between the 2011 and 2021 Censuses). Solid lines: 95% limits, dashed: 99.8%, around "
                  "England and Wales excluding the Met, widened because forces vary far more than chance would make "
                  "them. A force whose two ratios are further apart in proportion than its interval is wide gets no "
                  "verdict"),
        x_title="Precision of the ratio (about the smaller group's searches, log scale)",
        y_title="Rate ratio (log scale)", source=SEARCH_SOURCE,
        description=(f"Funnel plot of the Black/White stop and search rate ratio for "
                     f"{int((funnelled['funnel'] != funnel.CITY_NOT_COMPARED).sum())} forces (the City of London left "
                     f"out) in "
                     f"{year} against the precision of each ratio, on log scales, with 95% and 99.8% limits around "
                     f"England and Wales excluding the Met ({without_met['rate_ratio_interpolated']:.1f}), on residents interpolated "
                     f"between the censuses. {int((funnelled['funnel'] == funnel.WITHIN).sum())} forces are within "
                     f"the 95% limits; {int(uncertain.sum())} forces are not placed because their two ratios are "
                     f"further apart in proportion than the interval is wide; {len(too_few)} forces had too few "
                     "searches to say."))
    return Section(bw, chart, figures)


def _met_share_of_black_searches(year: int) -> float:
    """The Metropolitan Police's share of all searches of Black people in England and Wales in one year."""
    s = ss.load_searches()
    black = s[(s["group"] == "Black") & (s["year_ending"] == year)]
    return black.loc[black["pfa_code"] == forces.METROPOLITAN, "searches"].sum() / black["searches"].sum()


@national
def disproportionality_trend(code: str = ss.ENGLAND_AND_WALES) -> Section:
    """Black, Asian and Mixed search rates relative to White, year by year, for one area, on residents interpolated
    between the censuses, with the Black/White ratio on the 2011 Census (the official figure) beside it; hollow years
    (`hollow`) are joined to nothing."""
    ratios = rate_ratio_table()
    area = ratios[ratios["pfa_code"] == code]
    book = area.assign(value=area["rate_ratio_interpolated"], ci_low=area["ci_low_interpolated"],
                       ci_high=area["ci_high_interpolated"], series=area["group"] + "/White")
    official = area[area["group"] == "Black"].assign(value=lambda d: d["rate_ratio"],
                                                     series="Black/White, 2011 Census (official)")
    plot = pd.concat([book, official], ignore_index=True).assign(flagged=lambda d: hollow(d))
    plot = plot.assign(segment=segments(plot))
    plot = plot[plot["value"].notna()]
    first, last = int(area["year_ending"].min()), int(area["year_ending"].max())
    # The newer years on Census 2021 residents (another denominator, another source: a break), each a point of its
    # own after the gap, as measures/force_series holds them for every area.
    newer = force_series.for_areas("bw_search_ratio", [code])
    newer = newer[(newer["year_ending"] > last) & newer["value"].notna()]
    plot = pd.concat([plot, newer.assign(series=NEWER_SERIES, flagged=False, pfa_code=code,
                                         segment=NEWER_SERIES + ":" + newer["year_ending"].astype(str))[
        ["year_ending", "series", "value", "ci_low", "ci_high", "flagged", "segment", "pfa_code"]]],
        ignore_index=True)
    newest = int(plot["year_ending"].max())
    grades = ", ".join(f"{row.period} ({row.grade})" for row in newer.itertuples())
    fit_low = config.CENSUS_2011_FITS[0]
    bw = area[area["group"] == "Black"].set_index("year_ending")
    solid = bw.index[~hollow(bw.reset_index()).to_numpy()]
    name = area["force"].iloc[0]
    bw_what = "Black/White search rate ratio, England and Wales"
    interpolated = ("on residents interpolated between the 2011 and 2021 Censuses (years before the 2011 Census take "
                    "the 2011 Census itself)")
    figures = [] if code != ss.ENGLAND_AND_WALES else [
        Figure("ss_first_year", financial_year(first), "year", SEARCH_DATA,
               label="First year of the Home Office's stop and search counts by force and ethnic group (year ending "
                     "31 March)"),
        Figure("ss_bw_first", bw.at[first, "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_what}, {financial_year(first)} (the series' first year), {interpolated}"),
        Figure("ss_fit_first_year", financial_year(fit_low), "year", [],
               label="First year near enough to the 2011 Census to be drawn solid (earlier years are hollow)"),
        Figure("ss_solid_last_year", financial_year(solid.max()), "year", SEARCH_DATA,
               label="Last year drawn solid: the latest year whose Black/White search rate ratios, England and "
                     "Wales, on the two denominators (the 2011 Census and interpolated residents) are within the 95% "
                     "interval of each other"),
        Figure("ss_bw_fit_first", bw.at[fit_low, "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_what}, {financial_year(fit_low)} (the first year drawn solid), {interpolated}"),
        Figure("ss_bw_solid_last", bw.at[solid.max(), "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_what}, {financial_year(solid.max())} (the last year drawn solid), {interpolated}"),
        Figure("ss_bw_last_official", bw.at[last, "rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_what}, {financial_year(last)} (the series' latest year), on the 2011 Census (the Home Office's "
               "method, the official figure)"),
        Figure("ss_bw_last", bw.at[last, "rate_ratio_interpolated"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_what}, {financial_year(last)} (the series' latest year), {interpolated}"),
        Figure("ss_census_age", last - 2011, "years", SEARCH_DATA,
               label=f"Years from the 2011 Census to the end of the series' latest year, {financial_year(last)} "
                     f"(year ending March {last})"),
    ]
    chart = lines.lines_with_bands(
        plot, name=f"stop-search-ratio-trend-{code}", y_title="Rate ratio against White (log scale)",
        title=f"Stop and search rate ratios, {name}, {financial_year(first)} to {financial_year(newest)}",
        subtitle=[f"Residents interpolated between the 2011 and 2021 Censuses. {lines.intervals_key(plot)}.",
                  f"Hollow, joined to no other year: before {financial_year(fit_low)} (2011 Census only), or where",
                  "the two ratios are further apart in proportion than the interval is wide",
                  *([f"After the gap: the Black/White ratio on Census 2021 residents, each year joined to no "
                     f"other: {grades}"] if grades else [])],
        reference=1.0, source=source_lines.line(list(dict.fromkeys(
            SEARCH_DATA + [d for ds in newer["datasets"] for d in ds.split("; ")]))),
        description=(f"Line chart of the Black/White, Asian/White and Mixed/White stop and search rate ratios in "
                     f"{name} from {financial_year(first)} to {financial_year(last)}, with 95% confidence intervals, "
                     "on "
                     f"residents interpolated between the 2011 and 2021 Censuses, and the Black/White ratio on the "
                     f"2011 Census alone (the Home Office's method). Hollow points, joined to no other year, are "
                     f"years before {financial_year(fit_low)} and years where the ratios on the two denominators "
                     f"are further apart in proportion than the interval is wide. In {financial_year(last)} the "
                     "Black/White ratio was "
                     f"{bw.at[last, 'rate_ratio_interpolated']:.1f} on interpolated residents and "
                     f"{bw.at[last, 'rate_ratio']:.1f} on the 2011 Census."
                     + "".join(f" {row.period}, on Census 2021 residents ({row.grade}): {row.value:.1f}."
                               for row in newer.itertuples())))
    return Section(area, chart, figures)


def force_section(force: str) -> Section:
    """The force's Black/White ratio over time beside England and Wales, to the newest period: on interpolated
    residents (hollow years joined to nothing; the 2011 Census ratio in the table), then on Census 2021 residents
    (2022/23 from the published rates, 2024/25 from a third party's counts), never joined across the break or a year
    with no figure, the break marked: the rows of measures/force_series."""
    f = forces.resolve(force)
    both = force_series.for_areas("bw_search_ratio", [f.code, ss.ENGLAND_AND_WALES])
    plot = both[["force_code", "force", "year_ending", "value", "ci_low", "ci_high", "hollow"]].rename(
        columns={"force_code": "pfa_code", "force": "series", "hollow": "flagged"})
    # A segment per run of the series (force_series.runs), split again at each hollow year or year without a ratio.
    plot = plot.assign(segment=segments(plot.assign(series=force_series.runs(both))))
    plot = plot[plot["value"].notna()]
    mine = both[both["force_code"] == f.code]
    latest = mine[mine["series"] == force_series.INTERPOLATED].iloc[-1]
    newest = mine.iloc[-1]
    first_break = mine[mine["series_break"]].iloc[0]
    # Labelled left of the rule: the break is near the right edge, which a phone would cut the label at.
    marks = pd.DataFrame({"year_ending": [first_break["year_ending"] - 0.5],
                          "label": [f"Census 2021 from {first_break['period']}"], "align": "right"})
    fit_low = config.CENSUS_2011_FITS[0]
    chart = lines.lines_with_bands(
        plot, name=f"stop-search-force-{f.slug}", highlight=f.code, y_title="Black/White rate ratio (log scale)",
        title=f"Black/White stop and search rate ratio: {f.name} and England and Wales",
        subtitle=[f"{lines.intervals_key(plot)}. To {latest['period']} on residents interpolated between the censuses, "
                  f"from {first_break['period']} on Census 2021 residents (dashed rule): never joined across the "
                  "break or a missing year.",
                  f"Hollow, joined to no other year: before {financial_year(fit_low)}, or where the 2011 Census "
                  "ratio is further from it than the interval is wide"],
        reference=1.0, source=source_lines.line(force_series.datasets_of(both)), marks=marks,
        description=(f"Line chart comparing the Black/White stop and search rate ratio in {f.name} with England and "
                     f"Wales, by year, with 95% confidence intervals: to {latest['period']} on residents interpolated "
                     f"between the 2011 and 2021 Censuses, from {first_break['period']} on Census 2021 residents, "
                     f"the two not joined. In {latest['period']} {f.name}'s ratio is "
                     f"{_ratio_words(latest['value'])} on interpolated residents and "
                     f"{_ratio_words(latest['official_value'])} on the 2011 Census; in {newest['period']} it is "
                     f"{_ratio_words(newest['value'])} on Census 2021 residents."))
    primary = mine["datasets"].str.split("; ").str[0]
    rows = pd.DataFrame({"year": mine["period"], "basis": primary.map(BUILT_FROM), "black": mine["black_events"],
                         "white": mine["white_events"], "ratio": mine["value"], "low": mine["ci_low"],
                         "high": mine["ci_high"], "official": mine["official_value"],
                         "note": [_row_note(r, p) for r, p in zip(mine.itertuples(), primary)]})
    table = tables.format_table(
        rows, headers={"year": "Year", "basis": "Built from", "black": "Searches of Black people",
                       "white": "Searches of White people", "ratio": "Black/White ratio",
                       "ci": "95% confidence interval", "official": "Official (Home Office method)", "note": "Note"},
        intervals={"ci": ("low", "high")}, decimals={"ratio": 1, "ci": 1, "official": 1, "black": 0, "white": 0},
        # Why a cell is empty is in the row's note; only the published 2022/23 rates come without counts.
        missing={"black": "not published", "white": "not published", "ratio": "no ratio", "ci": "no interval",
                 "official": "no official ratio"}, kind="force",
        caption=f"Black/White stop and search rate ratio, {f.name}")
    return Section(table, chart, [])


# What each of the force's ratios is built from (by the dataset its figure is read from), in the force table's words.
BUILT_FROM = {ss.SEARCH_FILE: "counts; interpolated residents", sr.DATASETS[0]: "published rates; Census 2021",
              force_indicators.INDICATORS_FILE: "a third party's counts; Census 2021"}


def _ratio_words(value: float) -> str:
    return disproportionality.TOO_FEW if pd.isna(value) else f"{value:.1f}"


def _row_note(r, primary: str) -> str:
    """Why a year of the force table has no ratio, why its interval gives no verdict, or how a year's figures on
    Census 2021 were had (`primary`: the dataset its figure is read from)."""
    if primary == sr.DATASETS[0]:
        return "approximate: counts rebuilt from rates rounded to 0.1" if pd.notna(r.value) else "not published"
    if r.reason:
        return r.reason
    if primary == force_indicators.INDICATORS_FILE:
        return "a third party's extract of the Home Office's counts (table SS_05); no official ratio in this book's data"
    if r.denominators_disagree:
        return (f"range {r.denominator_low:.1f} to {r.denominator_high:.1f} from the two denominators, wider than the "
                "interval")
    return ""


def search_ratio_map(highlight: str | None = None) -> Section:
    """Map of the Black/White ratio of published stop and search rates by force, 2022/23 (Census 2021 populations),
    with approximate 95% intervals from counts rebuilt as rate x Census 2021 population, and England and Wales's
    ratio from its published counts."""
    ratios = disproportionality.published_ratios()
    national = ratios[ratios["pfa_code"] == sr.ENGLAND_AND_WALES].iloc[0]
    by_force = ratios[ratios["pfa_code"] != sr.ENGLAND_AND_WALES]
    quotable = by_force[by_force["ratio"].notna()]
    top = quotable.loc[quotable["ratio"].idxmax()]
    low = quotable.loc[quotable["ratio"].idxmin()]
    absent = by_force[by_force["ratio"].isna()]
    published = f"{sr.YEAR}, from published rates per 1,000 (Census 2021 populations)"
    national_ratio = f"Black/White search rate ratio, England and Wales (the 43 territorial forces), {published}"
    figures = [
        Figure("ss23_year", sr.YEAR, "year", sr.DATASETS,
               label="Year of the Home Office's published stop and search rates by force and ethnic group on Census "
                     "2021 populations (year ending 31 March)"),
        # One decimal, as every other ratio (and the dashboard); the rounding range needs two.
        Figure("ss23_bw_national", national["ratio"], "ratio", sr.DATASETS, PCT1, national_ratio),
        Figure("ss23_bw_national_rounding_low", national["rounding_low"], "ratio", sr.DATASETS, "{:.2f}",
               f"{national_ratio}: lower end of the range the rates' rounding allows"),
        Figure("ss23_bw_national_rounding_high", national["rounding_high"], "ratio", sr.DATASETS, "{:.2f}",
               f"{national_ratio}: upper end of the range the rates' rounding allows"),
        Figure("ss23_black_rate", national["black_rate"], "searches per 1,000 residents", sr.DATASETS, PCT1,
               f"Searches of Black people per 1,000 Black residents, England and Wales, {published}"),
        Figure("ss23_white_rate", national["white_rate"], "searches per 1,000 residents", sr.DATASETS, PCT1,
               f"Searches of White people per 1,000 White residents, England and Wales, {published}"),
        Figure("ss23_forces", len(quotable), "forces", sr.DATASETS,
               label=f"Forces with a Black/White ratio of published search rates, {sr.YEAR}"),
        Figure("ss23_forces_above_1_rounding", int((quotable["rounding_low"] > 1).sum()), "forces", sr.DATASETS,
               label=f"Forces whose Black/White search rate ratio in {sr.YEAR} is above 1 even at the lower end of "
                     "the range the rates' rounding allows"),
        Figure("ss23_top_force", top["force"], "force", sr.DATASETS,
               label=f"Force with the highest Black/White search rate ratio, {published}"),
        Figure("ss23_top_ratio", top["ratio"], "ratio", sr.DATASETS, PCT1,
               f"Highest force's Black/White search rate ratio, {published}"),
        Figure("ss23_lowest_force", low["force"], "force", sr.DATASETS,
               label=f"Force with the lowest Black/White search rate ratio, {published}"),
        Figure("ss23_lowest_ratio", low["ratio"], "ratio", sr.DATASETS, PCT1,
               f"Lowest force's Black/White search rate ratio, {published}"),
        Figure("ss23_no_rate", ", ".join(absent["force"]) or "none", "forces", sr.DATASETS,
               label=f"Forces with no Black/White ratio of published search rates for {sr.YEAR} (a rate not "
                     "published)"),
    ]
    fitted, without_met = measure_funnels.published_ratio_funnel()
    figures += [*common.funnel_count_figures("ss23_funnel", fitted, sr.DATASETS,
                                             what=f"the Black/White ratio of published search rates in {sr.YEAR}"),
                Figure("ss23_median_force", quotable["ratio"].median(), "ratio", sr.DATASETS, PCT1,
                       f"Black/White search rate ratio of the median force, {published}"),
                Figure("ss23_bw_excl_met", without_met, "ratio", sr.DATASETS, PCT1,
                       label=f"Black/White search rate ratio, England and Wales excluding the Met, {sr.YEAR}: the "
                             "funnel's centre"),
                *common.row_figures("ss23_force_funnel", "bw_search_ratio", sr.YEAR, highlight,
                                    what=f"the Black/White ratio of published search rates in {sr.YEAR} "
                                         "(approximate limits: counts rebuilt from rounded rates)")]
    rebuilt = "approximate 95% confidence interval from counts rebuilt as rate times Census 2021 population"
    figures += [Figure("ss23_bw_national_counts_low", national["ci_low"], "ratio", sr.DATASETS, PCT1,
                       f"{national_ratio}: lower end of the {rebuilt}"),
                Figure("ss23_bw_national_counts_high", national["ci_high"], "ratio", sr.DATASETS, PCT1,
                       f"{national_ratio}: upper end of the {rebuilt}")]
    values = by_force.rename(columns={"ratio": "value"}).replace(
        {"note": {disproportionality.NOT_PUBLISHED: "published as N/A"}})
    chart = maps.choropleth(
        values[["pfa_code", "value", "note"]], name="stop-search-ratio-map-2023", highlight=highlight, log=True,
        title=f"Black/White stop and search rate ratio by force, {sr.YEAR}",
        subtitle=[f"Published rates per 1,000 (Census 2021 populations); England and Wales: "
                  f"{national['ratio']:.1f}; colour on a log scale"],
        measure_label="Black/White search rate ratio", unit="times the White rate", period=sr.PERIOD,
        source=source_lines.line(sr.DATASETS + [boundaries.BOUNDARIES_FILE]))
    return Section(ratios.round(3), chart, figures)


def search_ratio_funnel_2023(highlight: str | None = None) -> Section:
    """The 2022/23 Black/White ratios of published rates drawn on the funnel whose verdicts the map's section gives
    (measures/funnels.published_ratio_funnel): every verdict printed has its chart."""
    fitted, without_met = measure_funnels.published_ratio_funnel()
    placed = fitted.table
    chart = funnels.funnel_plot(
        fitted, name="stop-search-ratio-funnel-2023", highlight=highlight, log_y=True,
        title=f"Black/White stop and search rate ratio by force, {sr.YEAR}",
        subtitle=("Published rates per 1,000 (Census 2021 populations), counts rebuilt from them, so the limits are "
                  "approximate. Solid lines: 95% limits, dashed: 99.8%, around England and Wales excluding the Met"),
        x_title="Precision of the ratio (about the smaller group's searches, log scale)",
        y_title="Rate ratio (log scale)", source=source_lines.line(sr.DATASETS),
        description=(f"Funnel plot of the Black/White ratio of published search rates for {len(placed)} forces in "
                     f"{sr.YEAR} against the precision of each ratio, on log scales, with 95% and 99.8% limits "
                     f"around England and Wales excluding the Met ({without_met:.1f}). "
                     f"{int((placed['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits."))
    return Section(placed.round(3), chart, [])


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes; Chan,
    Bradford & Stott's row points to its re-pooled figures, since the register holds no pooled figure for it."""
    res = chan_results()
    main = res["pooled"]["pj_le"]
    note = (f"Re-pooled below from the authors' study-level data ({len(res['samples'])} samples, "
            f"{fmt_number(res['samples']['n'].sum(), 0)} people): procedural justice and legitimacy correlate at "
            f"r = {fmt_number(main['estimate_r'], 2)} (95% CI {fmt_interval(main['hk_ci_low_r'], main['hk_ci_high_r'], 2)}) "
            f"across {int(main['k'])} samples.")
    return evidence.section("2", caveats=tuple((row, note) for row in CHAN_ROWS))


# Chan, Bradford & Stott (2023), re-pooled from the authors' study-level data (register rows E078-E079).
CHAN_DATA = [pj.SAMPLES_FILE]
CHAN_ROWS = ("E078", "E079")
R2 = "{:.2f}"
# Moderator values at which a meta-regression's fitted correlation is shown: a young and an older sample, a less and
# a more developed country (UN Human Development Index).
AGES = (25, 50)
HDIS = (0.70, 0.95)
VERDICTS = ("reproduced", "not reproduced", "cannot be checked here")
# The two families of tests Holm's correction is applied within, as the moderator table names them.
ABSTRACT_FAMILY = "the abstract's findings ({} tests)"
CHECKS_FAMILY = "this book's own checks ({} tests)"


def _p_value(p: float) -> str:
    """A p-value as a table shows it: "0.049", or "< 0.001"."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _p(p: float) -> str:
    """A p-value as the text reads it: "p = 0.049", or "p < 0.001"."""
    value = _p_value(p)
    return f"p {value}" if value.startswith("<") else f"p = {value}"


def _with_design(samples: pd.DataFrame) -> pd.DataFrame:
    # The contrast: cross-sectional surveys against every other design (longitudinal, experimental).
    return samples.assign(cross_sectional=(samples["design"] == "C").astype(float))


@cache.in_memory
def chan_results() -> dict:
    """Every re-pooled figure of Chan, Bradford & Stott (2023): each pair pooled (DerSimonian-Laird and Paule-Mandel),
    leave-one-out, the moderators and Egger's test, with Holm-adjusted p-values for the abstract's five testable
    findings and for the book's own checks, and the samples that give all three correlations."""
    samples = _with_design(pj.load())
    pooled = {pair: meta.pool_correlations(samples, meta.DL, r=pair) for pair in pj.PAIRS}
    pm = {pair: meta.pool_correlations(samples, meta.PM, r=pair) for pair in pj.PAIRS}
    loo = meta.leave_one_out(samples, "author", meta.DL, r="pj_le")
    moderators = pd.DataFrame([meta.meta_regression(samples, m, r="pj_le")
                               for m in ["mean_age", "hdi", "cross_sectional", "published"]])
    egger = meta.egger(samples, r="pj_le")
    # The abstract's five testable findings are one family of tests; the book's own checks (design, published,
    # small-study) another: each is controlled with Holm's correction.
    abstract_p = [pooled["pj_le"]["hk_p"], pooled["si_le"]["hk_p"], pooled["pjxsi_le"]["hk_p"],
                  moderators.at[0, "p"], moderators.at[1, "p"]]
    abstract_holm = multiplicity.adjusted(abstract_p, multiplicity.HOLM)
    checks_holm = multiplicity.adjusted([moderators.at[2, "p"], moderators.at[3, "p"], egger["p"]],
                                        multiplicity.HOLM)
    moderators["p_holm"] = [abstract_holm[3], abstract_holm[4], checks_holm[0], checks_holm[1]]
    moderators["family"] = [ABSTRACT_FAMILY.format(len(abstract_p))] * 2 + [CHECKS_FAMILY.format(len(checks_holm))] * 2
    egger["p_holm"] = checks_holm[2]
    complete = samples[["pj_le", "si_le", "pj_si"]].notna().all(axis=1)
    return {"samples": samples, "pooled": pooled, "pm": pm, "loo": loo, "moderators": moderators, "egger": egger,
            "abstract_holm": abstract_holm, "checks": len(checks_holm), "complete_matrices": int(complete.sum())}


def _fitted_r(fit: pd.Series, x: float) -> float:
    return float(np.tanh(fit["intercept"] + fit["slope"] * x))


def _pooled_figures(key: str, pooled: pd.Series, what: str) -> list[Figure]:
    return [
        Figure(f"{key}_r", pooled["estimate_r"], "correlation", CHAN_DATA, R2, f"{what}: pooled correlation (random effects)"),
        Figure(f"{key}_low", pooled["hk_ci_low_r"], "correlation", CHAN_DATA, R2,
               f"{what}: lower end of the 95% confidence interval (Hartung-Knapp)"),
        Figure(f"{key}_high", pooled["hk_ci_high_r"], "correlation", CHAN_DATA, R2,
               f"{what}: upper end of the 95% confidence interval (Hartung-Knapp)"),
        Figure(f"{key}_k", int(pooled["k"]), "samples", CHAN_DATA, label=f"{what}: samples pooled"),
        Figure(f"{key}_n", int(pooled["total_n"]), "people", CHAN_DATA, "{:,.0f}",
               f"{what}: people in the samples pooled"),
    ]


@national
def chan_repooled() -> Section:
    """The procedural justice-legitimacy correlations of Chan, Bradford & Stott (2023) re-pooled from the authors'
    study-level data: a caterpillar forest plot with the pooled r, its interval and the prediction interval, and a
    table of the four correlations pooled."""
    res = chan_results()
    samples, pooled, pm, loo = res["samples"], res["pooled"], res["pm"], res["loo"]
    main = pooled["pj_le"]
    what = "Procedural justice and legitimacy, Chan, Bradford & Stott (2023) samples re-pooled"
    figures = [
        Figure("chan_samples", len(samples), "samples", CHAN_DATA, label="Chan, Bradford & Stott (2023): samples"),
        Figure("chan_people", int(samples["n"].sum()), "people", CHAN_DATA, "{:,.0f}",
               "Chan, Bradford & Stott (2023): people in all samples (the abstract's N)"),
        Figure("chan_cross_sectional", int((samples["design"] == "C").sum()), "samples", CHAN_DATA,
               label="Chan, Bradford & Stott (2023): cross-sectional samples"),
        *_pooled_figures("chan_pj", main, what),
        Figure("chan_pj_pi_low", main["pi_low_r"], "correlation", CHAN_DATA, R2,
               f"{what}: lower end of the 95% prediction interval"),
        Figure("chan_pj_pi_high", main["pi_high_r"], "correlation", CHAN_DATA, R2,
               f"{what}: upper end of the 95% prediction interval"),
        Figure("chan_pj_i2", 100 * main["i2"], "%", CHAN_DATA, PCT1, f"{what}: I², share of variation beyond chance"),
        Figure("chan_pj_tau", main["tau"], "Fisher's z", CHAN_DATA, R2,
               f"{what}: τ, between-sample SD on Fisher's z (DerSimonian-Laird)"),
        Figure("chan_pj_tau2_dl", main["tau2"], "variance of z", CHAN_DATA, "{:.3f}", f"{what}: τ² (DerSimonian-Laird)"),
        Figure("chan_pj_tau2_pm", pm["pj_le"]["tau2"], "variance of z", CHAN_DATA, "{:.3f}", f"{what}: τ² (Paule-Mandel)"),
        Figure("chan_pj_r_pm", pm["pj_le"]["estimate_r"], "correlation", CHAN_DATA, R2,
               f"{what}: pooled correlation with τ² by Paule-Mandel"),
        Figure("chan_pj_loo_low", loo["r"].min(), "correlation", CHAN_DATA, R2,
               f"{what}: lowest pooled r leaving one sample out"),
        Figure("chan_pj_loo_high", loo["r"].max(), "correlation", CHAN_DATA, R2,
               f"{what}: highest pooled r leaving one sample out"),
    ]
    for pair, key in [("si_le", "chan_si"), ("pj_si", "chan_pjsi"), ("pjxsi_le", "chan_int")]:
        figures += _pooled_figures(key, pooled[pair], f"{pj.PAIRS[pair].capitalize()}, re-pooled")
    forest_rows = fisher_rows(samples, "pj_le")
    chart = forest.caterpillar(
        forest_rows, main, name="chan-pj-legitimacy-forest",
        x_title="Correlation (r) between procedural justice and legitimacy",
        title="Fair treatment and legitimacy go together in most samples, by very different amounts",
        subtitle=("Each dot is one survey sample's correlation with its 95% interval, lowest to highest. Orange line: "
                  "pooled r; darker band: its 95% confidence interval; pale band: 95% prediction interval, where a "
                  "new sample's correlation would be expected to fall"),
        source=pj.SOURCE,
        description=(f"Caterpillar forest plot of {len(forest_rows)} samples' correlations between perceived "
                     f"procedural justice and police legitimacy, sorted from lowest to highest, each with its 95% "
                     f"interval. The pooled correlation is {main['estimate_r']:.2f} (95% confidence interval "
                     f"{main['hk_ci_low_r']:.2f} to {main['hk_ci_high_r']:.2f}); the 95% prediction interval runs "
                     f"from {main['pi_low_r']:.2f} to {main['pi_high_r']:.2f}."))
    table = pd.DataFrame([{
        "pair": pj.PAIRS[pair].capitalize(), "samples": int(p["k"]), "r": p["estimate_r"],
        "ci_low": p["hk_ci_low_r"], "ci_high": p["hk_ci_high_r"], "pi_low": p["pi_low_r"], "pi_high": p["pi_high_r"],
        "i2": 100 * p["i2"], "tau2": f"{fmt_number(p['tau2'], 3)}; {fmt_number(pm[pair]['tau2'], 3)}",
    } for pair, p in pooled.items()])
    shown = tables.format_table(
        table, decimals={"r": 2, "ci_low": 2, "pi_low": 2, "i2": 1},
        headers={"pair": "Correlation between", "samples": "Samples", "r": "Pooled r", "i2": "I² (%)",
                 "tau2": "τ² (DerSimonian–Laird; Paule–Mandel)"},
        intervals={"95% confidence interval": ("ci_low", "ci_high"), "95% prediction interval": ("pi_low", "pi_high")},
        caption="The four correlations re-pooled (random effects on Fisher's z, back-transformed to r)")
    return Section(shown, chart, figures)


def fisher_rows(samples: pd.DataFrame, pair: str) -> pd.DataFrame:
    """One row per sample with the correlation `pair`, as charts and their CSV show it: sample, country, year,
    design, published, n, r and its 95% interval, Fisher z and its standard error."""
    rows = meta.fisher_z(samples, r=pair)
    return pd.DataFrame({
        "sample": rows["author"], "country": rows["place"], "year": rows["year"], "design": rows["design_label"],
        "published": rows["published"].map({1: "published", 0: "unpublished"}), "n": rows["n"], "r": rows[pair],
        "ci_low": rows["ci_low_r"], "ci_high": rows["ci_high_r"],
        "z": rows["z"], "se_z": rows["se_z"],
    }).reset_index(drop=True)


MODERATOR_NAMES = {"mean_age": "Mean age of the sample (per 10 years)",
                   "hdi": "Country's Human Development Index (per 0.1)",
                   "cross_sectional": "Cross-sectional survey (against longitudinal or experimental)",
                   "published": "Published (against unpublished)"}
# The step each slope is shown per, so that it reads in the moderator's own units.
MODERATOR_STEPS = {"mean_age": 10, "hdi": 0.1, "cross_sectional": 1, "published": 1}


@national
def chan_checks() -> Section:
    """What moves the procedural justice-legitimacy correlation, and whether small samples differ: mixed-effects
    meta-regressions (Holm's correction within each family) and a funnel of Fisher z against its standard error with
    Egger's test."""
    res = chan_results()
    samples, main, mods, egger = res["samples"], res["pooled"]["pj_le"], res["moderators"], res["egger"]
    rows = fisher_rows(samples, "pj_le")
    chart = forest.precision_funnel(
        rows, main["estimate"], name="chan-pj-legitimacy-funnel", group="published",
        x_title="Fisher z of the correlation (close to r below 0.5)",
        title="No sign that smaller samples report stronger correlations",
        subtitle=("Each point is a sample; larger samples sit higher. Orange line: pooled estimate; dashed lines: "
                  "where 95% of samples would fall if they differed only by chance"),
        source=pj.SOURCE,
        description=(f"Funnel plot of {len(rows)} samples' Fisher z against its standard error, published and "
                     f"unpublished samples in different colours and shapes, around the pooled estimate. Most samples "
                     f"fall outside the dashed chance limits on both sides: they disagree far more than chance "
                     f"allows. Egger's test intercept {egger['intercept']:.2f}, {_p(egger['p'])}."))
    by = mods.set_index("moderator")
    step = mods["moderator"].map(MODERATOR_STEPS)
    table = pd.DataFrame({
        "moderator": [MODERATOR_NAMES[m] for m in mods["moderator"]], "samples": mods["k"].astype(int),
        "slope": mods["slope"] * step, "ci_low": mods["ci_low"] * step, "ci_high": mods["ci_high"] * step,
        "p": [_p_value(p) for p in mods["p"]], "p_holm": [_p_value(p) for p in mods["p_holm"]],
        "family": mods["family"].str.capitalize(),
    })
    shown = tables.format_table(
        table, decimals={"slope": 3, "ci_low": 3},
        headers={"moderator": "Moderator", "samples": "Samples", "slope": "Change in Fisher z", "p": "p",
                 "p_holm": "p after Holm's correction within its family",
                 "family": "Family of tests corrected together"},
        intervals={"95% confidence interval": ("ci_low", "ci_high")},
        caption="Meta-regressions of the procedural justice-legitimacy correlation, one moderator at a time")
    what = "Procedural justice-legitimacy correlation (Chan et al. 2023 samples)"
    testable = len(res["abstract_holm"])

    def difference(p_holm: float) -> str:
        return "a significant difference" if _significant(p_holm) else "no significant difference"

    figures = [
        Figure("chan_age_young", AGES[0], "years", CHAN_DATA,
               label=f"{what}: a young sample's mean age, at which the meta-regression's predicted correlation is "
                     "given"),
        Figure("chan_age_old", AGES[1], "years", CHAN_DATA,
               label=f"{what}: an older sample's mean age, at which the meta-regression's predicted correlation is "
                     "given"),
        Figure("chan_hdi_low", HDIS[0], "HDI", CHAN_DATA, R2,
               f"{what}: a less developed country's Human Development Index, at which the meta-regression's "
               "predicted correlation is given"),
        Figure("chan_hdi_high", HDIS[1], "HDI", CHAN_DATA, R2,
               f"{what}: a more developed country's Human Development Index, at which the meta-regression's "
               "predicted correlation is given"),
        Figure("chan_design_verdict", difference(by.at["cross_sectional", "p_holm"]), "verdict", CHAN_DATA,
               label=f"{what}: cross-sectional against other designs"),
        Figure("chan_published_verdict", difference(by.at["published", "p_holm"]), "verdict", CHAN_DATA,
               label=f"{what}: published against unpublished"),
        Figure("chan_egger_verdict",
               "significant asymmetry" if _significant(egger["p_holm"]) else "no significant asymmetry",
               "verdict", CHAN_DATA, label=f"{what}: Egger's test for small-study asymmetry"),
        Figure("chan_age_k", int(by.at["mean_age", "k"]), "samples", CHAN_DATA,
               label=f"{what}: samples with a mean age"),
        *[Figure(f"chan_age_r_{age}", _fitted_r(by.loc["mean_age"], age), "correlation", CHAN_DATA, R2,
                 f"{what}: fitted correlation at a mean age of {age}") for age in AGES],
        Figure("chan_age_p", _p(by.at["mean_age", "p"]), "p", CHAN_DATA, label=f"{what}: mean age slope, p"),
        Figure("chan_age_p_holm", _p(by.at["mean_age", "p_holm"]), "p", CHAN_DATA,
               label=f"{what}: mean age slope, p after Holm's correction across the abstract's {testable} testable "
                     "findings"),
        *[Figure(f"chan_hdi_r_{round(100 * hdi)}", _fitted_r(by.loc["hdi"], hdi), "correlation", CHAN_DATA, R2,
                 f"{what}: fitted correlation at a Human Development Index of {hdi}") for hdi in HDIS],
        Figure("chan_hdi_p", _p(by.at["hdi", "p"]), "p", CHAN_DATA, label=f"{what}: HDI slope, p"),
        Figure("chan_hdi_p_holm", _p(by.at["hdi", "p_holm"]), "p", CHAN_DATA,
               label=f"{what}: HDI slope, p after Holm's correction across the abstract's {testable} testable findings"),
        Figure("chan_design_p", _p(by.at["cross_sectional", "p"]), "p", CHAN_DATA,
               label=f"{what}: cross-sectional against other designs, p before correction"),
        Figure("chan_published_p", _p(by.at["published", "p"]), "p", CHAN_DATA,
               label=f"{what}: published against unpublished, p before correction"),
        Figure("chan_egger_p", _p(egger["p"]), "p", CHAN_DATA, label=f"{what}: Egger's test, p before correction"),
        Figure("chan_checks", res["checks"], "tests", CHAN_DATA,
               label=f"{what}: this book's own checks (cross-sectional against other designs, published against "
                     "unpublished, Egger's test), corrected together with Holm's correction", kind=register.OWN_COUNT),
        Figure("chan_testable", testable, "findings", CHAN_DATA,
               label="Chan, Bradford & Stott (2023): abstract findings that can be tested here, corrected together"),
        Figure("chan_design_p_holm", _p(by.at["cross_sectional", "p_holm"]), "p", CHAN_DATA,
               label=f"{what}: cross-sectional against other designs, p after Holm's correction across the checks"),
        Figure("chan_published_p_holm", _p(by.at["published", "p_holm"]), "p", CHAN_DATA,
               label=f"{what}: published against unpublished, p after Holm's correction across the checks"),
        Figure("chan_unpublished", int((samples["published"] == 0).sum()), "samples", CHAN_DATA,
               label="Chan, Bradford & Stott (2023): unpublished samples"),
        Figure("chan_egger_intercept", egger["intercept"], "intercept", CHAN_DATA, R2,
               f"{what}: Egger's test intercept"),
        Figure("chan_egger_p_holm", _p(egger["p_holm"]), "p", CHAN_DATA,
               label=f"{what}: Egger's test, p after Holm's correction across the checks"),
    ]
    return Section(shown, chart, figures)


def _significant(p_holm: float) -> bool:
    return p_holm < 1 - config.CONFIDENCE_LEVEL


def chan_findings_table() -> pd.DataFrame:
    """Each finding of Chan, Bradford & Stott's abstract, what the re-pooled data show, and the verdict: reproduced,
    not reproduced, or cannot be checked here (Holm's correction across the testable findings)."""
    res = chan_results()
    pooled, by, holm = res["pooled"], res["moderators"].set_index("moderator"), res["abstract_holm"]

    def interval(p: pd.Series) -> str:
        ci = fmt_interval(p["hk_ci_low_r"], p["hk_ci_high_r"], 2)
        return f"r = {fmt_number(p['estimate_r'], 2)} (95% CI {ci}), {int(p['k'])} samples"

    def slope(m: str, at: tuple, unit: str) -> str:
        fit = by.loc[m]
        return (f"fitted r {fmt_number(_fitted_r(fit, at[0]), 2)} at {unit} {at[0]} against "
                f"{fmt_number(_fitted_r(fit, at[1]), 2)} at {at[1]}; {_p(fit['p'])}, {_p(fit['p_holm'])} after Holm's "
                f"correction, {int(fit['k'])} samples")

    def unless_significant(p_holm: float, direction_agrees: bool) -> str:
        if _significant(p_holm):
            return ""
        agrees = "points the way the abstract says but " if direction_agrees else ""
        return (f": the slope {agrees}is not significant once the {len(holm)} testable findings are tested "
                "together")

    pj_le, si_le, inter = pooled["pj_le"], pooled["si_le"], pooled["pjxsi_le"]
    age, hdi = by.loc["mean_age"], by.loc["hdi"]
    rows = [
        ("Procedural justice is significantly correlated with legitimacy", interval(pj_le),
         VERDICTS[0] if _significant(holm[0]) and pj_le["estimate"] > 0 else VERDICTS[1]),
        ("Social identity is significantly correlated with legitimacy", interval(si_le),
         VERDICTS[0] if _significant(holm[1]) and si_le["estimate"] > 0 else VERDICTS[1]),
        ("Social identity does not moderate the procedural justice-legitimacy link",
         f"interaction with legitimacy {interval(inter)}: "
         + ("significant moderation" if _significant(holm[2]) else "no significant moderation"),
         VERDICTS[1] if _significant(holm[2]) else VERDICTS[0]),
        ("Younger samples correlate procedural justice more strongly with legitimacy",
         slope("mean_age", AGES, "mean age") + unless_significant(holm[3], age["slope"] < 0),
         VERDICTS[0] if _significant(holm[3]) and age["slope"] < 0 else VERDICTS[1]),
        ("Samples from more developed countries correlate them more strongly",
         slope("hdi", HDIS, "HDI") + unless_significant(holm[4], hdi["slope"] > 0),
         VERDICTS[0] if _significant(holm[4]) and hdi["slope"] > 0 else VERDICTS[1]),
        ("Social identity mediates the link (two-stage structural equation model)",
         f"{res['complete_matrices']} samples give all three correlations, enough for the model, but no well-kept "
         "Python library fits a two-stage structural equation meta-analysis, so it was not re-run",
         VERDICTS[2]),
    ]
    return pd.DataFrame(rows, columns=["finding in the abstract", "what the authors' data show", "verdict"])


FINDING_KEYS = ["chan_verdict_pj", "chan_verdict_si", "chan_verdict_moderation", "chan_verdict_age",
                "chan_verdict_hdi", "chan_verdict_mediation"]


@national
def chan_findings() -> Section:
    """The abstract's findings with their verdicts from the authors' own data, each verdict glued."""
    table = chan_findings_table()
    figures = [Figure(key, verdict, "verdict", CHAN_DATA, label=f"Chan, Bradford & Stott (2023): {finding}")
               for key, finding, verdict in zip(FINDING_KEYS, table["finding in the abstract"], table["verdict"])]
    figures.append(Figure("chan_reproduced", int((table["verdict"] == VERDICTS[0]).sum()), "findings", CHAN_DATA,
                          label="Chan, Bradford & Stott (2023): abstract findings reproduced"))
    figures.append(Figure("chan_findings", len(table), "findings", CHAN_DATA,
                          label="Chan, Bradford & Stott (2023): abstract findings this book checks",
                          kind=register.OWN_COUNT))
    shown = tables.format_table(table, caption="The abstract's findings, checked against the authors' data")
    return Section(shown, None, figures)

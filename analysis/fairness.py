"""Chapter 3: procedural and distributive justice - perceived fairness by group, and stop and search disproportionality."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import cache, charts, csew, evidence, forces, stats, tables
from analysis import stop_search as ss
from analysis.figures import Figure, Section

OPEN_DATA = [csew.OPEN_DATA_FILE]
SEARCH_DATA = [ss.SEARCH_FILE, ss.CENSUS_FILE]
OPEN_DATA_SOURCE = "ONS, CSEW open data table, 12 months to December 2018, OGL v3.0"
SEARCH_SOURCE = ("Home Office, stop and search open data tables (year ending March 2019 release); "
                 "ONS, 2011 Census ethnic group by police force area; OGL v3.0")
PCT1 = "{:.1f}"
# The Greater Manchester procedural-justice training trial sits in the register's victims chapter.
EXTRA_EVIDENCE = ["E103", "E104", "E105"]


def fairness_by_group() -> Section:
    """Respect, fair treatment and confidence by ethnic group, age and sex, against all adults."""
    data = csew.load_open_data()
    table = csew.by_group(data, ["patt2", "patt3", "patt7"])
    respect = table[table["measure"] == csew.OPEN_DATA_MEASURES["patt2"]]
    total = csew.all_adults(data, "patt2")
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
               label=f"{what}: number of groups significantly below all adults"),
    ]
    chart = charts.estimates_with_ci(
        table, name="fairness-by-group", title="Respect, fairness and confidence by group, 2018",
        subtitle="Dots are survey estimates, whiskers 95% confidence intervals; dashed line: all adults",
        reference_label="all adults", source=OPEN_DATA_SOURCE,
        description=("Dot-and-whisker chart of three CSEW measures (the police would treat you with respect, treat "
                     "everyone fairly, and confidence) by ethnic group, age band and sex, with 95% confidence "
                     "intervals against all adults. Markers pointing left are significantly below all adults."))
    return Section(table, chart, figures)


@cache.on_disk([ss.SEARCH_FILE, ss.CENSUS_FILE], ss, stats)
def _ratio_numbers() -> pd.DataFrame:
    # About 1,700 score intervals (several seconds): computed once per data version, shared by every
    # kernel and edition through the disk cache.
    return ss.rate_ratios(ss.rates(ss.load_searches(), ss.load_population()))


@lru_cache(maxsize=1)
def rate_ratio_table() -> pd.DataFrame:
    """Black, Asian and Mixed to White search rate ratios for every area and year; callers never modify it."""
    return ss.with_names(_ratio_numbers())


def disproportionality_by_force(highlight: str | None = None) -> Section:
    """The Black/White search rate ratio for every force in the latest year, ranked, with 95% CIs."""
    ratios = rate_ratio_table()
    latest = int(ratios["year_ending"].max())
    bw = ratios[(ratios["group"] == "Black") & (ratios["year_ending"] == latest)]
    national = bw[bw["pfa_code"] == ss.ENGLAND_AND_WALES].iloc[0]
    quotable = bw[bw["rate_ratio"].notna()]
    forces_only = quotable[quotable["pfa_code"] != ss.ENGLAND_AND_WALES]
    top = forces_only.loc[forces_only["rate_ratio"].idxmax()]
    too_few = bw[bw["label"] == ss.TOO_FEW]
    plot = quotable.rename(columns={"rate_ratio": "value"}).assign(
        highlight=lambda d: d["pfa_code"].isin({ss.ENGLAND_AND_WALES, highlight}))
    rate_table = ss.rates(ss.load_searches(), ss.load_population())
    unstated = rate_table[(rate_table["pfa_code"] == ss.ENGLAND_AND_WALES) & (rate_table["year_ending"] == latest)]
    year = csew.csew_year(latest)
    others = ratios[(ratios["year_ending"] == latest) & (ratios["pfa_code"] == ss.ENGLAND_AND_WALES)].set_index("group")
    bw_ratio = f"Black/White stop and search rate ratio (per resident, 2011 Census), {year}"
    figures = [
        Figure("ss_year", year, "year", SEARCH_DATA, label="Latest year of the stop and search data (April to March)"),
        Figure("ss_bw_national", national["rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_ratio}: England and Wales"),
        Figure("ss_bw_national_low", national["ci_low"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_ratio}: England and Wales, lower end of the 95% confidence interval"),
        Figure("ss_bw_national_high", national["ci_high"], "ratio", SEARCH_DATA, PCT1,
               f"{bw_ratio}: England and Wales, upper end of the 95% confidence interval"),
        Figure("ss_aw_national", others.at["Asian", "rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"Asian/White stop and search rate ratio, England and Wales, {year}"),
        Figure("ss_mw_national", others.at["Mixed", "rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"Mixed/White stop and search rate ratio, England and Wales, {year}"),
        Figure("ss_forces_above_1", int((forces_only["ci_low"] > 1).sum()), "forces", SEARCH_DATA,
               label=f"Forces searching Black people significantly more often than White people per head, {year}"),
        Figure("ss_forces_quotable", len(forces_only), "forces", SEARCH_DATA,
               label=f"Forces with enough searches to quote the ratio, {year}"),
        Figure("ss_top_force", top["force"], "force", SEARCH_DATA, label=f"{bw_ratio}: the highest force"),
        Figure("ss_top_ratio", top["rate_ratio"], "ratio", SEARCH_DATA, PCT1, f"{bw_ratio}: the highest force"),
        Figure("ss_too_few", len(too_few), "forces", SEARCH_DATA,
               label=f"Forces with too few searches to quote the ratio, {year}"),
        Figure("ss_too_few_names", ", ".join(too_few["force"]) or "none", "forces", SEARCH_DATA,
               label=f"The forces with too few searches to quote the ratio, {year}"),
        Figure("ss_min_searches", ss.MIN_SEARCHES_FOR_RATIO, "searches", SEARCH_DATA,
               label="Fewest searches in either group for a ratio to be quoted (the book's rule)"),
        Figure("ss_unstated_share", 100 * unstated["unstated_share"].iloc[0], "%", SEARCH_DATA,
               label=f"Searches with ethnicity 'Not stated' or 'Vehicle only', England and Wales, {year}"),
    ]
    chart = charts.ranked_intervals(
        plot, name="stop-search-ratio-by-force", title=f"Black/White stop and search rate ratio by force, {year}",
        subtitle="Searches per 1,000 Black residents over searches per 1,000 White residents (2011 Census); "
                 "whiskers: 95% CIs; dashed line: no difference", x_title="Rate ratio (log scale)", reference=1.0,
        source=SEARCH_SOURCE,
        description=(f"Ranked dot-and-whisker chart of the Black/White stop and search rate ratio for "
                     f"{len(forces_only)} forces and England and Wales in {year}, on a log scale with 95% confidence "
                     f"intervals. England and Wales is {national['rate_ratio']:.1f}; the highest force is "
                     f"{top['force']} at {top['rate_ratio']:.1f}. {len(too_few)} forces had too few searches to say."))
    return Section(bw, chart, figures)


def disproportionality_trend(code: str = ss.ENGLAND_AND_WALES) -> Section:
    """Black, Asian and Mixed search rates relative to White, year by year, for one area."""
    ratios = rate_ratio_table()
    area = ratios[ratios["pfa_code"] == code]
    plot = area.rename(columns={"rate_ratio": "value"}).assign(series=lambda d: d["group"] + "/White")
    plot = plot[plot["value"].notna()]
    first, last = int(area["year_ending"].min()), int(area["year_ending"].max())
    bw = area[area["group"] == "Black"].set_index("year_ending")
    name = area["force"].iloc[0]
    figures = [] if code != ss.ENGLAND_AND_WALES else [
        Figure("ss_first_year", csew.csew_year(first), "year", SEARCH_DATA,
               label="First year of the stop and search data (April to March)"),
        Figure("ss_bw_first", bw.at[first, "rate_ratio"], "ratio", SEARCH_DATA, PCT1,
               f"Black/White stop and search rate ratio, England and Wales, {csew.csew_year(first)}"),
    ]
    chart = charts.lines_with_bands(
        plot, name=f"stop-search-ratio-trend-{code}", y_title="Rate ratio against White (log scale)",
        title=f"Stop and search rate ratios, {name}, {csew.csew_year(first)} to {csew.csew_year(last)}",
        subtitle="Shaded: 95% confidence intervals; dashed line: no difference", reference=1.0, source=SEARCH_SOURCE,
        description=(f"Line chart of the Black/White, Asian/White and Mixed/White stop and search rate ratios in "
                     f"{name} from {csew.csew_year(first)} to {csew.csew_year(last)}, with 95% confidence bands. "
                     f"The Black/White ratio went from {bw['rate_ratio'].iloc[0]:.1f} to {bw['rate_ratio'].iloc[-1]:.1f}."))
    return Section(area, chart, figures)


def force_section(force: str) -> Section:
    """The force's own ratios over time, beside England and Wales, for its edition."""
    f = forces.resolve(force)
    ratios = rate_ratio_table()
    both = ratios[ratios["pfa_code"].isin([f.code, ss.ENGLAND_AND_WALES]) & (ratios["group"] == "Black")]
    plot = both.rename(columns={"rate_ratio": "value"}).assign(series=lambda d: d["force"])
    plot = plot[plot["value"].notna()]
    mine = both[both["pfa_code"] == f.code].sort_values("year_ending")
    latest = mine.iloc[-1]
    chart = charts.lines_with_bands(
        plot, name=f"stop-search-force-{f.slug}", y_title="Black/White rate ratio (log scale)",
        title=f"Black/White stop and search rate ratio: {f.name} and England and Wales",
        subtitle="Shaded: 95% confidence intervals; years with too few searches are left out",
        reference=1.0, source=SEARCH_SOURCE,
        description=(f"Line chart comparing the Black/White stop and search rate ratio in {f.name} with England and "
                     f"Wales, by year, with 95% confidence bands. In the latest year {f.name}'s ratio is "
                     f"{latest['label']}."))
    return Section(mine[["year_ending", "searches", "searches_ref", "rate_ratio", "ci_low", "ci_high", "label"]]
                   .rename(columns={"searches": "searches of Black people", "searches_ref": "searches of White people"}),
                   chart, [])


def ratio_table(section_table: pd.DataFrame) -> tables.Table:
    """A force's Black/White ratios by year, as readers see them in its edition."""
    return tables.format_table(
        section_table.assign(year=section_table["year_ending"].map(csew.csew_year)).drop(columns="year_ending")
        [["year", "searches of Black people", "searches of White people", "rate_ratio", "ci_low", "ci_high"]],
        kind="ratios", decimals={"rate_ratio": 1, "ci_low": 1}, intervals={"95% confidence interval": ("ci_low", "ci_high")},
        headers={"year": "Year", "rate_ratio": "Black/White rate ratio"},
        missing={"rate_ratio": ss.TOO_FEW, "95% confidence interval": ss.TOO_FEW})


def evidence_table() -> pd.DataFrame:
    return evidence.table(evidence.load_register(), chapter_prefix="2", ids=EXTRA_EVIDENCE)

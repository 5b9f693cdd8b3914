"""Chapter 3: procedural and distributive justice - perceived fairness by group, and stop and search disproportionality."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import config
from analysis.chapters import common, evidence
from analysis.methods import disproportionality, funnel, stats, survey
from analysis.present import funnels, lines, maps, ranked, tables
from analysis.present.glue import Figure, Section, national
from analysis.sources import boundaries, cache, census, csew, forces
from analysis.sources import search_rates as sr
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year

OPEN_DATA = [csew.OPEN_DATA_FILE]
SEARCH_DATA = [ss.SEARCH_FILE, census.CENSUS_2011_FILE]
OPEN_DATA_SOURCE = "ONS, CSEW open data table, 12 months to December 2018, OGL v3.0"
SEARCH_SOURCE = ("Home Office, stop and search open data tables (year ending March 2019 release); "
                 "ONS, 2011 Census ethnic group by police force area; OGL v3.0")
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
        Figure("fairness_groups", len(respect), "groups", OPEN_DATA, label="groups tested against all adults"),
        Figure("fairness_changed_by_holm", int((table["comparison"] != table["comparison_unadjusted"]).sum()),
               "tests", OPEN_DATA, label="group comparisons significant before Holm's correction and not after"),
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


@cache.on_disk([ss.SEARCH_FILE, census.CENSUS_2011_FILE], ss, census, disproportionality, stats)
def _ratio_numbers() -> pd.DataFrame:
    # About 1,700 score intervals (several seconds): computed once per data version, shared by every
    # kernel and edition through the disk cache.
    return disproportionality.rate_ratios(disproportionality.search_rates_by_group())


@lru_cache(maxsize=1)
def rate_ratio_table() -> pd.DataFrame:
    """Black, Asian and Mixed to White search rate ratios for every area and year; callers never modify it."""
    ratios = _ratio_numbers()
    return ratios.assign(force=forces.area_names(ratios["pfa_code"]))


def disproportionality_by_force(highlight: str | None = None) -> Section:
    """The Black/White search rate ratio for every force in the latest year on a funnel around England and Wales
    (where each force falls, not its rank), with 95% CIs in the table."""
    ratios = rate_ratio_table()
    latest = int(ratios["year_ending"].max())
    bw = ratios[(ratios["group"] == "Black") & (ratios["year_ending"] == latest)]
    national = bw[bw["pfa_code"] == ss.ENGLAND_AND_WALES].iloc[0]
    without_met = bw[bw["pfa_code"] == forces.EW_EXCLUDING_MET].iloc[0]
    quotable = bw[bw["rate_ratio"].notna()]
    forces_only = quotable[quotable["pfa_code"].isin(forces.force_codes())]
    top = forces_only.loc[forces_only["rate_ratio"].idxmax()]
    too_few = bw[(bw["label"] == disproportionality.TOO_FEW) & bw["pfa_code"].isin(forces.force_codes())]
    funnelled = funnel.forces_ratio_funnel(bw, "searches", "searches_ref", "rate_ratio", national["rate_ratio"])
    bounds = disproportionality.unstated_bounds(ss.load_searches(), census.census2011_by_ethnicity(),
                                                ss.ENGLAND_AND_WALES, latest)
    met_share = _met_share_of_black_searches(latest)
    rate_table = disproportionality.search_rates_by_group()
    unstated = rate_table[(rate_table["pfa_code"] == ss.ENGLAND_AND_WALES) & (rate_table["year_ending"] == latest)]
    year = financial_year(latest)
    others = ratios[(ratios["year_ending"] == latest) & (ratios["pfa_code"] == ss.ENGLAND_AND_WALES)].set_index("group")
    figures = [
        Figure("ss_year", year, "year", SEARCH_DATA),
        Figure("ss_bw_national", national["rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_national_low", national["ci_low"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_national_high", national["ci_high"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_aw_national", others.at["Asian", "rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_mw_national", others.at["Mixed", "rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_forces_above_1", int((forces_only["ci_low"] > 1).sum()), "forces", SEARCH_DATA),
        Figure("ss_forces_quotable", len(forces_only), "forces", SEARCH_DATA),
        Figure("ss_top_force", top["force"], "force", SEARCH_DATA),
        Figure("ss_top_ratio", top["rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_too_few", len(too_few), "forces", SEARCH_DATA),
        Figure("ss_too_few_names", ", ".join(too_few["force"]) or "none", "forces", SEARCH_DATA),
        Figure("ss_min_searches", config.MIN_EVENTS_FOR_RATIO, "searches", SEARCH_DATA),
        Figure("ss_bw_excl_met", without_met["rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_excl_met_low", without_met["ci_low"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_excl_met_high", without_met["ci_high"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_median_force", forces_only["rate_ratio"].median(), "ratio", SEARCH_DATA, PCT1),
        Figure("ss_forces_below_national", int((forces_only["rate_ratio"] < national["rate_ratio"]).sum()), "forces",
               SEARCH_DATA),
        Figure("ss_met_share_black", 100 * met_share, "%", SEARCH_DATA),
        Figure("ss_not_stated", bounds["not_stated"], "searches", SEARCH_DATA, "{:,.0f}"),
        Figure("ss_bw_bound_low", bounds["low"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_bound_high", bounds["high"], "ratio", SEARCH_DATA, PCT1),
        *common.funnel_count_figures("ss_funnel", funnelled, SEARCH_DATA),
        *common.funnel_figures("ss_force_funnel", funnelled, highlight, datasets=SEARCH_DATA,
                               what=f"the Black/White search rate ratio in {year}"),
        Figure("ss_unstated_share", 100 * unstated["unstated_share"].iloc[0], "%", SEARCH_DATA),
    ]
    chart = funnels.funnel_plot(
        funnelled, funnel.ratio_curve(funnelled, national["rate_ratio"]), centre=national["rate_ratio"],
        name="stop-search-ratio-by-force", highlight=highlight, log_y=True,
        title=f"Black/White stop and search rate ratio by force, {year}",
        subtitle=("Searches per 1,000 Black residents over searches per 1,000 White residents (2011 Census). Solid "
                  "lines: 95% limits, dashed: 99.8%, around England and Wales, widened because forces vary far more "
                  "than chance would make them"),
        x_title="Precision of the ratio (about the smaller group's searches, log scale)",
        y_title="Rate ratio (log scale)", source=SEARCH_SOURCE,
        description=(f"Funnel plot of the Black/White stop and search rate ratio for {len(funnelled)} forces in "
                     f"{year} against the precision of each ratio, on log scales, with 95% and 99.8% limits around "
                     f"England and Wales ({national['rate_ratio']:.1f}). "
                     f"{int((funnelled['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits; "
                     f"{len(too_few)} forces had too few searches to say."))
    return Section(bw, chart, figures)


def _met_share_of_black_searches(year: int) -> float:
    """The Metropolitan Police's share of all searches of Black people in England and Wales in one year."""
    s = ss.load_searches()
    black = s[(s["group"] == "Black") & (s["year_ending"] == year)]
    return black.loc[black["pfa_code"] == forces.METROPOLITAN, "searches"].sum() / black["searches"].sum()


@national
def disproportionality_trend(code: str = ss.ENGLAND_AND_WALES) -> Section:
    """Black, Asian and Mixed search rates relative to White, year by year, for one area; years far from the
    2011 Census that divides them are drawn hollow."""
    ratios = rate_ratio_table()
    area = ratios[ratios["pfa_code"] == code]
    plot = area.rename(columns={"rate_ratio": "value"}).assign(
        series=lambda d: d["group"] + "/White", flagged=lambda d: disproportionality.far_from_census(d["year_ending"]))
    plot = plot[plot["value"].notna()]
    first, last = int(area["year_ending"].min()), int(area["year_ending"].max())
    fit_low, fit_high = config.CENSUS_2011_FITS
    bw = area[area["group"] == "Black"].set_index("year_ending")
    name = area["force"].iloc[0]
    figures = [] if code != ss.ENGLAND_AND_WALES else [
        Figure("ss_first_year", financial_year(first), "year", SEARCH_DATA),
        Figure("ss_bw_first", bw.at[first, "rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_fit_first_year", financial_year(fit_low), "year", SEARCH_DATA),
        Figure("ss_fit_last_year", financial_year(fit_high), "year", SEARCH_DATA),
        Figure("ss_bw_fit_first", bw.at[fit_low, "rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_bw_fit_last", bw.at[fit_high, "rate_ratio"], "ratio", SEARCH_DATA, PCT1),
        Figure("ss_census_age", last - 2011, "years", SEARCH_DATA),
    ]
    chart = lines.lines_with_bands(
        plot, name=f"stop-search-ratio-trend-{code}", y_title="Rate ratio against White (log scale)",
        title=f"Stop and search rate ratios, {name}, {financial_year(first)} to {financial_year(last)}",
        subtitle=["Shaded: 95% confidence intervals; dashed line: no difference. Every year is divided by the 2011 Census:",
                  f"hollow markers are years outside {financial_year(fit_low)} to {financial_year(fit_high)}, too far "
                  "from it for its populations to fit"],
        reference=1.0, source=SEARCH_SOURCE,
        description=(f"Line chart of the Black/White, Asian/White and Mixed/White stop and search rate ratios in "
                     f"{name} from {financial_year(first)} to {financial_year(last)}, with 95% confidence bands, all on "
                     f"2011 Census populations. Years outside {financial_year(fit_low)} to {financial_year(fit_high)} "
                     f"are drawn hollow because the census is too far from them. The Black/White ratio was "
                     f"{bw.at[fit_low, 'rate_ratio']:.1f} in {financial_year(fit_low)} and "
                     f"{bw.at[fit_high, 'rate_ratio']:.1f} in {financial_year(fit_high)}."))
    return Section(area, chart, figures)


def force_section(force: str) -> Section:
    """The force's Black/White ratio over time beside England and Wales (years far from the 2011 Census hollow),
    and 2022/23 on Census 2021 in the table, never joined to the older line: the denominators differ."""
    f = forces.resolve(force)
    ratios = rate_ratio_table()
    both = ratios[ratios["pfa_code"].isin([f.code, ss.ENGLAND_AND_WALES]) & (ratios["group"] == "Black")]
    plot = both.rename(columns={"rate_ratio": "value"}).assign(
        series=lambda d: d["force"], flagged=lambda d: disproportionality.far_from_census(d["year_ending"]))
    # A year with too few searches leaves a gap: the line starts again after it, never bridging it.
    plot["segment"] = plot["series"] + ":" + plot.groupby("series")["value"].transform(
        lambda v: v.isna().cumsum()).astype(str)
    plot = plot[plot["value"].notna()]
    mine = both[both["pfa_code"] == f.code].sort_values("year_ending")
    latest = mine.iloc[-1]
    fit_low, fit_high = config.CENSUS_2011_FITS
    chart = lines.lines_with_bands(
        plot, name=f"stop-search-force-{f.slug}", highlight=f.code, y_title="Black/White rate ratio (log scale)",
        title=f"Black/White stop and search rate ratio: {f.name} and England and Wales",
        subtitle=["Shaded: 95% confidence intervals; years with too few searches are left out. Hollow: years",
                  f"outside {financial_year(fit_low)} to {financial_year(fit_high)}, too far from the 2011 Census"],
        reference=1.0, source=SEARCH_SOURCE,
        description=(f"Line chart comparing the Black/White stop and search rate ratio in {f.name} with England and "
                     f"Wales, by year, with 95% confidence bands, on 2011 Census populations. In "
                     f"{financial_year(latest['year_ending'])} {f.name}'s ratio is {latest['label']}."))
    rates23 = disproportionality.published_ratios().set_index("pfa_code")
    rows = [{"year": financial_year(r.year_ending), "basis": "counts; 2011 Census", "black": r.searches,
             "white": r.searches_ref, "ratio": r.rate_ratio, "low": r.ci_low, "high": r.ci_high,
             "note": "" if pd.notna(r.rate_ratio) else r.label}
            for r in mine.itertuples()]
    new = rates23.loc[f.code]
    rows.append({"year": sr.YEAR, "basis": "published rates; Census 2021", "black": new.get("black_searches"),
                 "white": new.get("white_searches"), "ratio": new["ratio"], "low": new.get("ci_low"),
                 "high": new.get("ci_high"), "note": "approximate: counts rebuilt from rates rounded to 0.1"
                 if pd.notna(new["ratio"]) else "not published"})
    table = tables.format_table(
        pd.DataFrame(rows), headers={"year": "Year", "basis": "Built from", "black": "Searches of Black people",
                                     "white": "Searches of White people", "ratio": "Black/White ratio",
                                     "ci": "95% confidence interval", "note": "Note"},
        intervals={"ci": ("low", "high")}, decimals={"ratio": 1, "ci": 1, "black": 0, "white": 0},
        kind="force", caption=f"Black/White stop and search rate ratio, {f.name}")
    return Section(table, chart, [])


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
    figures = [
        Figure("ss23_year", sr.YEAR, "year", sr.DATASETS),
        Figure("ss23_bw_national", national["ratio"], "ratio", sr.DATASETS, "{:.2f}"),
        Figure("ss23_bw_national_rounding_low", national["rounding_low"], "ratio", sr.DATASETS, "{:.2f}"),
        Figure("ss23_bw_national_rounding_high", national["rounding_high"], "ratio", sr.DATASETS, "{:.2f}"),
        Figure("ss23_black_rate", national["black_rate"], "searches per 1,000 residents", sr.DATASETS, PCT1),
        Figure("ss23_white_rate", national["white_rate"], "searches per 1,000 residents", sr.DATASETS, PCT1),
        Figure("ss23_forces", len(quotable), "forces", sr.DATASETS),
        Figure("ss23_forces_above_1_rounding", int((quotable["rounding_low"] > 1).sum()), "forces", sr.DATASETS),
        Figure("ss23_top_force", top["force"], "force", sr.DATASETS),
        Figure("ss23_top_ratio", top["ratio"], "ratio", sr.DATASETS, PCT1),
        Figure("ss23_lowest_force", low["force"], "force", sr.DATASETS),
        Figure("ss23_lowest_ratio", low["ratio"], "ratio", sr.DATASETS, PCT1),
        Figure("ss23_no_rate", ", ".join(absent["force"]) or "none", "forces", sr.DATASETS),
    ]
    figures += common.rank_figures("ss23_force_rank", by_force.set_index("pfa_code")["ratio"], highlight,
                                    what=f"the Black/White ratio of published search rates in {sr.YEAR}",
                                    datasets=sr.DATASETS)
    figures += [Figure("ss23_bw_national_counts", national["ratio_from_counts"], "ratio", sr.DATASETS, PCT1),
                Figure("ss23_bw_national_counts_low", national["ci_low"], "ratio", sr.DATASETS, PCT1),
                Figure("ss23_bw_national_counts_high", national["ci_high"], "ratio", sr.DATASETS, PCT1)]
    values = by_force.rename(columns={"ratio": "value"}).replace(
        {"note": {disproportionality.NOT_PUBLISHED: "published as N/A"}})
    chart = maps.choropleth(
        values[["pfa_code", "value", "note"]], name="stop-search-ratio-map-2023", highlight=highlight, log=True,
        title=f"Black/White stop and search rate ratio by force, {sr.YEAR}",
        subtitle=[f"Published rates per 1,000 (Census 2021 populations); England and Wales: "
                  f"{national['ratio']:.1f}; colour on a log scale"],
        measure_label="Black/White search rate ratio", unit="times the White rate", period=sr.PERIOD,
        source=f"{sr.SOURCE}; {boundaries.BOUNDARIES_SOURCE}")
    return Section(ratios.round(3), chart, figures)


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes."""
    return evidence.section("2")

"""Chapter 5: contact with suspects - search volumes, arrest rates and the outcome test, use of force, a police.uk
detail view."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.chapters import common, evidence
from analysis.measures import arrests, force_series
from analysis.measures import funnels as measure_funnels
from analysis.measures import force_measures as fm
from analysis.measures.arrests import arrest_rates
from analysis.measures.funnels import newest_search_funnel, search_funnel, searches_per_1000
from analysis.methods import disproportionality, funnel, policeuk_measures, ranking, stats
from analysis.present import funnels, lines, ranked, source_lines, tables
from analysis.present.glue import Figure, Section, national
from analysis.present.numbers import MINUS, fmt_compared, fmt_interval, is_zero, places
from analysis.sources import census, force_indicators, forces, policeuk, population, search_totals_2025
from analysis.sources import stop_search as ss
from analysis.sources.periods import financial_year
from analysis.sources.use_of_force import FILES as FORCE_FILES

SEARCH_DATA = [ss.SEARCH_FILE]
RATE_DATA = [ss.SEARCH_FILE, *population.BY_YEAR_FILES]
SEARCH_SOURCE = source_lines.line(SEARCH_DATA)
# The Best Use of Stop and Search scheme (announced April 2014, in force from August 2014) falls
# in the year ending March 2015; the rule sits just before it.
REFORM_YEAR = 2014.5
NFA = policeuk.NFA
PCT1 = "{:.1f}"


@national
def search_volumes() -> Section:
    """Searches in England and Wales each year of the open data (2006/07 to 2018/19), with the 2014 reforms marked,
    and the newest year (2024/25, a third-party extract of the Home Office's force totals) drawn apart after the gap:
    the same count (every power, the 43 territorial forces), from another file."""
    totals = ss.search_totals()
    national = totals[totals["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("year_ending")
    peak_year = int(national["searches"].idxmax())
    latest = int(national.index.max())
    reform_before = national.at[int(REFORM_YEAR), "searches"]
    area = "England and Wales (the 43 territorial forces)"
    peak, now, reform = financial_year(peak_year), financial_year(latest), financial_year(int(REFORM_YEAR))
    figures = [
        Figure("sv_peak_year", peak, "year", SEARCH_DATA,
               label=f"Year stop and search peaked in {area}, in the Home Office series (year ending March)"),
        Figure("sv_peak", national.at[peak_year, "searches"], "searches", SEARCH_DATA, "{:,.0f}",
               label=f"Stop and searches in {area} in the peak year, {peak}"),
        Figure("sv_latest_year", now, "year", SEARCH_DATA,
               label="Latest year of the Home Office stop and search series (year ending March)"),
        Figure("sv_latest", national.at[latest, "searches"], "searches", SEARCH_DATA, "{:,.0f}",
               label=f"Stop and searches in {area}, {now}"),
        Figure("sv_fall_pct", 100 * (1 - national.at[latest, "searches"] / national.at[peak_year, "searches"]), "%",
               SEARCH_DATA, label=f"Fall in stop and searches in {area} from the peak, {peak}, to {now}"),
        Figure("sv_reform_year", reform, "year", SEARCH_DATA,
               label="Year before the 2014 Best Use of Stop and Search reforms took effect (year ending March)"),
        Figure("sv_reform_before", reform_before, "searches", SEARCH_DATA, "{:,.0f}",
               label=f"Stop and searches in {area} in {reform}, the year before the 2014 reforms took effect"),
        Figure("sv_arrest_rate_latest", 100 * national.at[latest, "arrests"] / national.at[latest, "searches_arrest_known"],
               "%", SEARCH_DATA, PCT1,
               label=f"Share of stop and searches with a published arrest count followed by an arrest, {area}, {now}"),
        Figure("sv_arrest_unknown_latest",
               100 * (1 - national.at[latest, "searches_arrest_known"] / national.at[latest, "searches"]), "%",
               SEARCH_DATA, label=f"Share of stop and searches with no published arrest count, {area}, {now}"),
    ]
    series = "Searches"  # the title names England and Wales: a short name fits beside the newest point on a phone
    plot = national.reset_index().rename(columns={"year_ending": "year"}).assign(
        series=series, value=lambda d: d["searches"] / 1000, segment="open data")
    newest_total = int(search_totals_2025.load()["searches"].sum())
    newest = financial_year(search_totals_2025.YEAR_ENDING)
    # The newest year after a gap of years this book has no figures for: a point of its own, never joined to the line.
    drawn = pd.concat([plot, pd.DataFrame({"year": [search_totals_2025.YEAR_ENDING], "series": [series],
                                           "value": [newest_total / 1000], "segment": ["extract"]})],
                      ignore_index=True)
    chart = lines.yearly_lines(
        drawn, name="search-volumes", y_title="Searches (thousands)", x_title="Year ending March",
        title="Stop and search in England and Wales, year by year",
        subtitle=["All powers, the 43 territorial forces (British Transport Police not included); dashed rule: the "
                  "2014 Best Use of Stop and Search reforms",
                  f"After the gap: {newest}, from a third-party extract of the Home Office's force totals, not "
                  f"joined to the line (this book has no figures for {financial_year(latest + 1)} to "
                  f"{financial_year(search_totals_2025.YEAR_ENDING - 1)})"],
        source=source_lines.line([*SEARCH_DATA, search_totals_2025.TOTALS_FILE]),
        marks=pd.DataFrame({"year": [REFORM_YEAR], "label": ["2014 reforms"]}), name_at_last=True,
        description=(f"Line chart of stop and searches by the 43 territorial forces of England and Wales (not "
                     f"British Transport Police) by year ending March. Searches peaked "
                     f"at {national.at[peak_year, 'searches']:,} in {financial_year(peak_year)} and fell to "
                     f"{national.at[latest, 'searches']:,} in {financial_year(latest)}; the 2014 reforms are marked. "
                     f"After a gap, {newest_total:,} in {newest} (a third-party extract)."))
    return Section(plot[["year", "searches", "searches_arrest_known", "arrests"]], chart, figures)


@national
def newest_year() -> Section:
    """2024/25 from third-party extracts of the Home Office tables: the 43 forces' searches per 1,000 residents (mid-2024)
    and the Black/White search rate ratio on Census 2021 (self-defined ethnicity), with its interval."""
    totals = search_totals_2025.load()
    residents = population.for_year(population.MYE_2024_YEAR)[ss.ENGLAND_AND_WALES]
    ind = force_indicators.load()
    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population").loc[
        ss.ENGLAND_AND_WALES]
    ratio = stats.poisson_rate_ratio(ind["searches_black"].sum(), people["Black"], ind["searches_white"].sum(),
                                     people["White"]).iloc[0]
    year = financial_year(search_totals_2025.YEAR_ENDING)
    totals_data = [search_totals_2025.TOTALS_FILE, population.MYE_2024_FILE]
    ratio_data = [force_indicators.INDICATORS_FILE, census.CENSUS_FILE]
    figures = [
        Figure("sr25_year", year, "year", totals_data,
               label="Year of the newest stop and search figures, from third-party extracts of the Home Office's "
                     "tables (year ending March)"),
        Figure("sr25_total", int(totals["searches"].sum()), "searches", totals_data, "{:,.0f}",
               label=f"Stop and searches by the 43 territorial forces, {year}"),
        Figure("sr25_per_1000", 1000 * totals["searches"].sum() / residents, "per 1,000 residents", totals_data, PCT1,
               label=f"Stop and searches per 1,000 residents (mid-2024), England and Wales, {year}"),
        Figure("sr25_btp", search_totals_2025.STATED_ALL - int(totals["searches"].sum()), "searches", totals_data,
               "{:,.0f}", label=f"Stop and searches by British Transport Police, {year}"),
        Figure("bw25_ew", ratio["rate_ratio"], "ratio", ratio_data, PCT1,
               label=f"Black/White stop and search rate ratio, England and Wales (43 forces), {year}"),
        Figure("bw25_ew_ci", fmt_interval(ratio["ci_low"], ratio["ci_high"], 1), "95% CI", ratio_data,
               label=f"95% confidence interval of that ratio, {year}"),
    ]
    return Section(None, None, figures)


SEARCH_FUNNEL_SUBTITLE = ("Solid lines: 95% limits, dashed: 99.8%, around the median force, widened because forces "
                          "vary far more than chance would make them. The City of London is left out: it has few "
                          "residents")


def search_rate_funnel(highlight: str | None = None) -> Section:
    """Searches per 1,000 residents by force in the latest year against force size, with 95% and 99.8% limits
    around the median force allowing for overdispersion: where a force falls, not its rank."""
    fitted = search_funnel()
    year_ending = int(fitted.table["year_ending"].iloc[0])
    year = financial_year(year_ending)
    pooled = searches_per_1000(year_ending).set_index("pfa_code").at[ss.ENGLAND_AND_WALES, "per_1000"]
    figures, chart = common.resident_funnel(
        fitted, "sr", highlight, data=RATE_DATA, what=f"searches per 1,000 residents in {year}",
        measure=("searches_per_1000", year),
        unit="searches per 1,000 residents", described=f"stop and searches per 1,000 residents in {year}",
        # A year ending March Y is set against the mid-(Y-1) population (methods/per_resident).
        events="searches", residents=f"mid-{year_ending - 1}", name="search-rate-funnel",
        x_title="Residents (ONS mid-year estimate, log scale)",
        y_title="Searches per 1,000 residents", title=f"Stop and search per 1,000 residents by force, {year}",
        subtitle=SEARCH_FUNNEL_SUBTITLE)
    figures = [Figure("sr_year", year, "year", RATE_DATA,
                      label="Year of the funnel of stop and searches per 1,000 residents by force (the newest year "
                            "of the Home Office open data, year ending March)"),
               Figure("sr_national", pooled, "searches per 1,000 residents", RATE_DATA, PCT1,
                      label=f"Stop and searches per 1,000 residents (ONS mid-year estimate), England and Wales "
                            f"(the 43 territorial forces), {year}"),
               *figures]
    return Section(fitted.table.drop(columns=["size"]).round(3), chart, figures)


def newest_rate_funnel(highlight: str | None = None) -> Section:
    """Searches per 1,000 residents (mid-2024) by force in 2024/25 on the funnel around the median force whose places
    the dashboard and the measures table give (measures/funnels.newest_search_funnel: one fit for all of them)."""
    fitted = newest_search_funnel()
    year = financial_year(search_totals_2025.YEAR_ENDING)
    figures, chart = common.resident_funnel(
        fitted, "sr25", highlight, data=[search_totals_2025.TOTALS_FILE, population.MYE_2024_FILE],
        measure=("searches_per_1000", year),
        what=f"searches per 1,000 residents (mid-2024) in {year}", unit="searches per 1,000 residents",
        described=f"stop and searches per 1,000 residents (mid-2024) in {year}", events="searches",
        residents=f"mid-{population.MYE_2024_YEAR}", name="search-rate-funnel-2025",
        x_title="Residents (ONS mid-2024 estimate, log scale)", y_title="Searches per 1,000 residents",
        title=f"Stop and search per 1,000 residents by force, {year}", subtitle=SEARCH_FUNNEL_SUBTITLE)
    return Section(fitted.table.drop(columns=["size"]).round(3), chart, figures)


@national
def arrest_rate_trend(code: str = forces.EW_EXCLUDING_MET) -> Section:
    """Arrest rates by group over time for one area, with 95% Wilson bands; years with too many missing
    arrest counts for a group are left out of its line. Nationally the default is England and Wales
    excluding the Met, because most of the Met's searches have no published arrest count."""
    rates = arrest_rates()
    groups = ["White", "Black", "Asian"]
    area = rates[(rates["pfa_code"] == code) & (rates["group"].isin(groups))]
    latest = int(area["year_ending"].max())
    now = area[area["year_ending"] == latest].set_index("group")
    name = area["force"].iloc[0]
    figures = []
    if code == forces.EW_EXCLUDING_MET:
        whole = rates[(rates["pfa_code"] == ss.ENGLAND_AND_WALES) & (rates["year_ending"] == latest)].set_index("group")
        met = rates[(rates["pfa_code"] == forces.METROPOLITAN) & (rates["year_ending"] == latest)].set_index("group")
        withheld = rates[(rates["pfa_code"] == ss.ENGLAND_AND_WALES) & (rates["group"] == "Black") & ~rates["quotable"]]
        first, last = financial_year(int(area["year_ending"].min())), financial_year(latest)
        figures = [Figure("ar_first_year", first, "year", SEARCH_DATA,
                          label=f"First year of the arrest rates after a search, {name} (year ending March)"),
                   Figure("ar_ew_black_years_withheld", len(withheld), "years", SEARCH_DATA,
                          label=f"Years from {first} to {last} in which England and Wales's arrest rate after a "
                                "search of Black people is withheld (a quarter or more of the searches have no "
                                "published arrest count)"),
                   Figure("ar_met_black_unknown", 100 * met.at["Black", "unknown_share"], "%", SEARCH_DATA,
                          label=f"Share of the Metropolitan Police's searches of Black people with no published "
                                f"arrest count, {last}"),
                   Figure("ar_ew_black_unknown", 100 * whole.at["Black", "unknown_share"], "%", SEARCH_DATA,
                          label=f"Share of searches of Black people with no published arrest count, England and "
                                f"Wales, {last}")]
        figures += [Figure(f"ar_{g.lower()}", now.at[g, "arrest_pct"], "%", SEARCH_DATA, PCT1,
                           label=f"Share of searches of {g} people (self-defined) with a published arrest count "
                                 f"followed by an arrest, {name}, {last}")
                    for g in groups if now.at[g, "quotable"]]
    plot = area[area["quotable"]].rename(columns={"arrest_pct": "value", "group": "series"})
    quoted = "; ".join(f"{g} {now.at[g, 'arrest_pct']:.1f}%" if now.at[g, "quotable"] else
                       f"{g} withheld ({100 * now.at[g, 'unknown_share']:.0f}% of searches have no arrest count)"
                       for g in groups)
    chart = lines.lines_with_bands(
        plot, name=f"arrest-rates-{code}", y_title="% of counted searches followed by an arrest", log=False,
        title=f"Searches followed by an arrest, by self-defined ethnicity, {name}",
        subtitle=[f"{lines.intervals_key(plot, '95% Wilson intervals')}. Only searches with a published arrest count "
                  "are counted;",
                  "a year is left out of a group's line when a quarter or more of its searches have none"],
        source=SEARCH_SOURCE,
        description=(f"Line chart of the share of stop and searches followed by an arrest in {name}, by year, for "
                     "White, Black and Asian people, with 95% intervals, counting only searches with a published "
                     f"arrest count. In {financial_year(latest)}: {quoted}."))
    return Section(plot, chart, figures)


def outcome_test(year: int | None = None, highlight: str | None = None) -> Section:
    """Are searches of Black people less often followed by arrest than searches of White people? Force by force.

    A comparison is made only where both groups have enough searches with a usable arrest count and
    less than a quarter of either group's searches lack one; otherwise the table says why not."""
    rates = arrest_rates()
    year = year or arrests.newest_year()
    now = rates[rates["year_ending"] == year]
    black = now[now["group"] == "Black"].set_index("pfa_code")
    white = now[now["group"] == "White"].set_index("pfa_code")
    # The forces' tests are one family (measures/arrests): the same verdicts as the measures table's.
    table = arrests.outcome_test(year)
    national = table[table["pfa_code"] == ss.ENGLAND_AND_WALES].iloc[0]
    rest = table[table["pfa_code"] == forces.EW_EXCLUDING_MET].iloc[0]
    area_rows = table[table["pfa_code"].isin(forces.force_codes())]
    compared = area_rows[area_rows["corrected"].notna()]
    compared = compared.assign(comparison=compared["corrected"])
    nat_black = black.loc[ss.ENGLAND_AND_WALES]
    nat_white = white.loc[ss.ENGLAND_AND_WALES]
    when = financial_year(year)
    ew, rest_name = "England and Wales", forces.NATIONAL_NAMES[forces.EW_EXCLUDING_MET]
    counted = "with a published arrest count followed by an arrest"
    corrected = "once the forces' tests are controlled together (Benjamini-Hochberg)"
    figures = [
        Figure("ot_year", when, "year", SEARCH_DATA,
               label="Year of the outcome test: Black against White arrest rates after a search (year ending March)"),
        Figure("ot_black_raw", 100 * nat_black["arrests"] / nat_black["searches_arrest_known"], "%", SEARCH_DATA, PCT1,
               label=f"Share of searches of Black people {counted}, {ew}, {when}"),
        Figure("ot_white_raw", 100 * nat_white["arrests"] / nat_white["searches_arrest_known"], "%", SEARCH_DATA, PCT1,
               label=f"Share of searches of White people {counted}, {ew}, {when}"),
        Figure("ot_black_unknown", national["black_unknown_pct"], "%", SEARCH_DATA,
               label=f"Share of searches of Black people with no published arrest count, {ew}, {when}"),
        Figure("ot_white_unknown", national["white_unknown_pct"], "%", SEARCH_DATA,
               label=f"Share of searches of White people with no published arrest count, {ew}, {when}"),
        Figure("ot_national", national["comparison"], "comparison", SEARCH_DATA,
               label=f"Outcome test for {ew}, {when}: whether searches of Black people were followed by an arrest "
                     "significantly more or less often than searches of White people (score test), or why not "
                     "compared"),
        Figure("ot_rest_black_unknown", rest["black_unknown_pct"], "%", SEARCH_DATA,
               label=f"Share of searches of Black people with no published arrest count, {rest_name}, {when}"),
        Figure("ot_rest_white_unknown", rest["white_unknown_pct"], "%", SEARCH_DATA,
               label=f"Share of searches of White people with no published arrest count, {rest_name}, {when}"),
        Figure("ot_rest", rest["comparison"], "comparison", SEARCH_DATA,
               label=f"Outcome test for {rest_name}, {when}: whether searches of Black people were followed by an "
                     "arrest significantly more or less often than searches of White people (one score test, not "
                     "among the forces' corrected family), or why not compared"),
        Figure("ot_forces", len(compared), "forces", SEARCH_DATA,
               label=f"Forces whose Black and White arrest rates after a search are compared, {when}"),
        Figure("ot_forces_incomplete", int((area_rows["comparison"] == disproportionality.TOO_INCOMPLETE).sum()),
               "forces", SEARCH_DATA,
               label=f"Forces too incomplete to compare (a quarter or more of either group's searches, or all of them, "
                     f"with no published arrest count), {when}"),
        Figure("ot_forces_few", int((area_rows["comparison"] == disproportionality.TOO_FEW).sum()), "forces",
               SEARCH_DATA, label=f"Forces with too few counted searches of Black or of White people to compare "
                                  f"(fewer than {config.MIN_EVENTS_FOR_RATIO}), {when}"),
        Figure("ot_forces_lower", int((compared["comparison"] == stats.LOWER).sum()), "forces", SEARCH_DATA,
               label=f"Forces where searches of Black people were significantly less often followed by an arrest "
                     f"than searches of White people {corrected}, {when}"),
        Figure("ot_forces_higher", int((compared["comparison"] == stats.HIGHER).sum()), "forces", SEARCH_DATA,
               label=f"Forces where searches of Black people were significantly more often followed by an arrest "
                     f"than searches of White people {corrected}, {when}"),
        Figure("ot_forces_similar", int((compared["comparison"] == stats.SIMILAR).sum()), "forces", SEARCH_DATA,
               label=f"Forces where the Black and White arrest rates after a search were not significantly "
                     f"different {corrected}, {when}"),
        Figure("ot_forces_lower_unadjusted", int((compared["unadjusted"] == stats.LOWER).sum()), "forces",
               SEARCH_DATA, label=f"Forces where searches of Black people were significantly less often followed by "
                                  f"an arrest than searches of White people before the forces' tests are controlled "
                                  f"together, {when}"),
        Figure("ot_forces_higher_unadjusted", int((compared["unadjusted"] == stats.HIGHER).sum()), "forces",
               SEARCH_DATA, label=f"Forces where searches of Black people were significantly more often followed by "
                                  f"an arrest than searches of White people before the forces' tests are controlled "
                                  f"together, {when}"),
        Figure("ot_over_rows", len(ss.arrests_over_searches()), "rows", SEARCH_DATA, "{:,.0f}",
               label=f"Rows of the Home Office stop and search table, {financial_year(int(rates['year_ending'].min()))}"
                     f" to {financial_year(int(rates['year_ending'].max()))}, that print more arrests than searches "
                     "(their arrest counts are not used)"),
    ]
    if highlight:
        row = common.measure_row(highlight, "arrest_gap", financial_year(year))
        figures.append(Figure("ot_force_verdict", _outcome_sentence(row, len(compared)), "sentence",
                              row["datasets"].split("; "), label=f"Outcome test, {row['force']}, {row['period']}: "
                              "arrest rates after a search, Black and White people, and the difference"))
    if pd.notna(rest["value"]):
        figures += [Figure("ot_rest_black", rest["black_pct"], "%", SEARCH_DATA, PCT1,
                           label=f"Share of searches of Black people {counted}, {rest_name}, {when}"),
                    Figure("ot_rest_white", rest["white_pct"], "%", SEARCH_DATA, PCT1,
                           label=f"Share of searches of White people {counted}, {rest_name}, {when}")]
    # The other bound: the rates if every blank arrest cell were a zero (arrests over all searches).
    blank = "if every blank arrest count were a zero (arrests over all searches)"
    figures += [Figure("ot_black_if_zero", 100 * nat_black["arrests"] / nat_black["searches"], "%", SEARCH_DATA, PCT1,
                       label=f"Share of searches of Black people followed by an arrest {blank}, {ew}, {when}"),
                Figure("ot_white_if_zero", 100 * nat_white["arrests"] / nat_white["searches"], "%", SEARCH_DATA, PCT1,
                       label=f"Share of searches of White people followed by an arrest {blank}, {ew}, {when}")]
    plot = table[table["value"].notna()].drop(columns=["unadjusted", "corrected"])
    chart = ranked.ranked_intervals(
        plot, name="outcome-test", highlight=highlight, log=False, reference=0.0, x_title="Percentage points (Black minus White)",
        title=f"Arrest rate after a search: Black minus White, {financial_year(year)}",
        subtitle=["Below zero: searches of Black people less often led to arrest; whiskers: 95% intervals.",
                  "Only forces where both groups' arrest counts are at least three-quarters complete"],
        source=SEARCH_SOURCE,
        description=(f"Ranked dot-and-whisker chart of the difference in arrest rates after a search between Black "
                     f"and White people, {financial_year(year)}, for the {len(compared)} forces whose arrest counts "
                     f"are complete enough to compare. "
                     f"After the Benjamini-Hochberg correction across forces, "
                     f"{int((compared['comparison'] == stats.LOWER).sum())} forces were significantly lower, "
                     f"{int((compared['comparison'] == stats.HIGHER).sum())} higher."))
    return Section(table.drop(columns=["unadjusted", "corrected"]), chart, figures)


# The outcome test's verdict on a force's row of the measures table, as this chapter words it.
OUTCOME_WORDS = {fm.ABOVE_PARITY: "significantly higher for Black people",
                 fm.BELOW_PARITY: "significantly lower for Black people", fm.AT_PARITY: stats.WORDS[stats.SIMILAR]}


def _outcome_sentence(row: pd.Series, tested: int) -> str:
    """The force's outcome test in words from its row of the measures table (of `tested` forces compared): its
    difference, interval and verdict after the forces' correction (never its rank), or why it is not compared."""
    if pd.notna(row["reason"]):
        return f"{row['force']}: no comparison in {row['period']} ({row['reason']})"
    # The difference beside the two shares is the one a reader subtracts from them (present/numbers.fmt_compared).
    black, white = row["black_value"], row["white_value"]
    meta = fm.MEASURES["arrest_gap"]
    black_text, white_text, gap = fmt_compared(black, white, meta["decimals"], finer=meta.get("finer", True))
    interval = fmt_interval(row["ci_low"], row["ci_high"], places(gap))
    # "Higher" and "lower" only for a significant difference; otherwise its size and sign alone.
    gap = ("about the same share" if is_zero(gap) else
           f"{gap} percentage points {'higher' if black > white else 'lower'} for Black people"
           if row["vs_parity"] != fm.AT_PARITY else
           f"a difference of {MINUS if black < white else ''}{gap} percentage points, Black minus White")
    # "Once controlled together" only where the correction changed the verdict: the interval alone excludes 0.
    corrected = row["ci_low"] > 0 or row["ci_high"] < 0
    verdict = (f"{OUTCOME_WORDS[row['vs_parity']]} once the {tested} forces' tests are controlled together "
               "(Benjamini-Hochberg)" if corrected or row["vs_parity"] != fm.AT_PARITY else
               f"{OUTCOME_WORDS[row['vs_parity']]}, before or after the {tested} forces' tests are controlled together "
               "(Benjamini-Hochberg)")
    return (f"{row['force']}: {black_text}% of counted searches of Black people and "
            f"{white_text}% of White people led to an arrest in {row['period']}, {gap} (95% interval of the "
            f"difference {interval}); {verdict}")


def use_of_force(highlight: str | None = None) -> Section:
    """Black/White ratio of tactic uses per 1,000 residents, by force, for the latest year, on residents interpolated
    between the censuses (the 2011 Census ratio beside it), on a log-scale funnel around England and Wales excluding the
    Met; a force whose two denominators differ by more than its interval gets the range instead of a verdict."""
    table = measure_funnels.use_of_force_ratios()
    latest = int(table["year_ending"].max())
    national = table[table["pfa_code"] == ss.ENGLAND_AND_WALES].set_index("year_ending")
    now = table[table["year_ending"] == latest]
    forces_only = now[(now["pfa_code"] != ss.ENGLAND_AND_WALES) & now["value"].notna()]
    # The City of London's few residents make a ratio per resident say little: it is neither tested nor placed.
    compared = forces_only[forces_only["pfa_code"] != forces.CITY_OF_LONDON]
    rates_data = measure_funnels.use_of_force_data(latest)
    centre = national.at[latest, "value_interpolated"]
    # Centred, as chapter 3's funnels are, on England and Wales without the Met, whose uses would otherwise set the
    # benchmark every other force is judged by (one fit, with the measures table).
    fitted = measure_funnels.use_of_force_funnel()
    without_met = fitted.centre
    funnelled = fitted.table
    uncertain = funnelled["funnel"] == funnel.DENOMINATORS_APART
    funnelled.loc[uncertain, "funnel"] = [common.denominator_range(r.official, r.value_interpolated)
                                          for r in funnelled[uncertain].itertuples()]
    now_year, prev_year = financial_year(latest), financial_year(latest - 1)
    uof = "Black/White ratio of use of force (tactic uses) per resident"
    interpolated = "residents interpolated between the 2011 and 2021 Censuses"
    figures = [
        Figure("uof_year", now_year, "year", list(FORCE_FILES.values()),
               label="Latest year of the Home Office use of force statistics (year ending March)"),
        Figure("uof_ratio", centre, "ratio", rates_data, PCT1,
               f"Black/White ratio of use of force per resident, England and Wales, {financial_year(latest)}, "
               "interpolated residents"),
        Figure("uof_ratio_low", national.at[latest, "ci_low_interpolated"], "ratio", rates_data, PCT1,
               label=f"{uof}, England and Wales, {now_year}, {interpolated}: 95% confidence interval, low end"),
        Figure("uof_ratio_high", national.at[latest, "ci_high_interpolated"], "ratio", rates_data, PCT1,
               label=f"{uof}, England and Wales, {now_year}, {interpolated}: 95% confidence interval, high end"),
        Figure("uof_ratio_official", national.at[latest, "value"], "ratio", rates_data, PCT1,
               f"Black/White ratio of use of force per resident, England and Wales, {financial_year(latest)}, "
               "2011 Census"),
        Figure("uof_ratio_prev", national.at[latest - 1, "value_interpolated"], "ratio",
               measure_funnels.use_of_force_data(latest - 1), PCT1,
               label=f"{uof}, England and Wales, {prev_year}, {interpolated}"),
        Figure("uof_prev_year", prev_year, "year", list(FORCE_FILES.values()),
               label="Year before the latest of the Home Office use of force statistics (year ending March)"),
        Figure("uof_black_per_1000", national.at[latest, "black_per_1000_interpolated"], "per 1,000", rates_data,
               label=f"Use of force: tactic uses per 1,000 Black residents, England and Wales, {financial_year(latest)} "
                     "(interpolated residents)"),
        Figure("uof_white_per_1000", national.at[latest, "white_per_1000_interpolated"], "per 1,000", rates_data,
               label=f"Use of force: tactic uses per 1,000 White residents, England and Wales, {financial_year(latest)} "
                     "(interpolated residents)"),
        # Significantly above one only if it is on both denominators.
        Figure("uof_forces_above_1", int((compared[["ci_low", "ci_low_interpolated"]].min(axis=1) > 1).sum()),
               "forces", rates_data,
               label=f"Forces whose {uof} was significantly above one on both the 2011 Census and {interpolated}, "
                     f"{now_year}, the City of London left out"),
        Figure("uof_forces", len(compared), "forces", [FORCE_FILES[latest]],
               label=f"Forces with at least {config.MIN_EVENTS_FOR_RATIO} tactic uses on Black people and as many "
                     f"on White people (enough to give a ratio), {now_year}, the City of London left out"),
        Figure("uof_funnel_uncertain", int(uncertain.sum()), "forces", rates_data,
               label=f"Forces given no place on the use of force funnel, {now_year}: their ratios on the 2011 Census "
                     "and on interpolated residents are further apart in proportion than the 95% interval is wide"),
        Figure("uof_median_force", ranking.median_force(forces_only.set_index("pfa_code")["value_interpolated"]),
               "ratio", rates_data, PCT1,
               label=f"{uof} of the median force, {now_year}, {interpolated}"),
        Figure("uof_ratio_excl_met", without_met, "ratio", rates_data, PCT1,
               label=f"Black/White use of force ratio, England and Wales excluding the Met, {financial_year(latest)}: "
                     "the funnel's centre"),
        *common.funnel_count_figures("uof_funnel", fitted, rates_data,
                                     what=f"the Black/White ratio of use of force per resident in "
                                          f"{financial_year(latest)}"),
        *common.row_figures("uof_force_funnel", "bw_uof_ratio", now_year, highlight,
                            what=f"the Black/White ratio of use of force per resident in {now_year} "
                                 "(interpolated residents)"),
    ]
    chart = funnels.funnel_plot(
        fitted, name="use-of-force-ratio", highlight=highlight, log_y=True,
        title=f"Use of force on Black people relative to White people, by force, {financial_year(latest)}",
        subtitle=("Tactic uses per 1,000 residents of each group (interpolated between the 2011 and 2021 Censuses); "
                  "the unit is tactic uses, not people. Solid lines: 95% limits, dashed: 99.8%, around England and "
                  "Wales excluding the Met. A force whose two ratios are further apart in proportion than its "
                  "interval is wide gets no verdict"),
        x_title="Precision of the ratio (about the smaller group's uses, log scale)", y_title="Rate ratio (log scale)",
        source=source_lines.line(rates_data),
        description=(f"Funnel plot of the Black/White ratio of police use of force tactic uses per 1,000 residents, "
                     f"{financial_year(latest)}, for {len(compared)} forces (the City of London left out) against the "
                     "precision of each ratio, "
                     f"around England and Wales excluding the Met ({without_met:.1f}, on interpolated residents). "
                     f"{int((funnelled['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits; "
                     f"{int(uncertain.sum())} are not placed because their two ratios are further apart in "
                     "proportion than the interval is wide. One person can be the subject of several tactics."))
    return Section(now.round(2), chart, figures)


@national
def detail(path=None, key: str = "ss_detail", force: str | None = None) -> Section:
    """From police.uk stop and search data (one file or a force's download folder): how often no further action,
    and how often the outcome was linked to the object of the search; over several months, NFA each month."""
    searches = policeuk.read("stop-and-search", path, force)
    datasets, extra = common.policeuk_provenance(searches, "stop-and-search", key)
    n = len(searches)
    nfa = int((searches["Outcome"] == NFA).sum())
    recorded = int(searches["Outcome"].notna().sum())  # a search with no outcome recorded is missing, not NFA
    linked = searches["Outcome linked to object of search"].dropna().str.lower()
    linked_true = int((linked == "true").sum())
    nfa_low, nfa_high = stats.wilson_ci(nfa, recorded)
    link_low, link_high = stats.wilson_ci(linked_true, len(linked))
    where, force_name, months = searches.attrs["label"], policeuk.force_name(searches), policeuk.span(searches)
    slug = "" if path is None else "-" + forces.get(searches.attrs["force"]).slug
    source = f"police.uk stop and search, {where}; OGL v3.0"
    records = "police.uk stop and search records"
    nfa_share = f"Share of searches with an outcome recorded that ended in no further action, {where}"
    linked_share = (f"Share of searches with 'outcome linked to object of search' recorded whose outcome was linked "
                    f"to the object of the search, {where}")
    figures = [
        Figure(f"{key}_force", force_name, "force", datasets, label=f"Force whose {records} are shown, {months}"),
        Figure(f"{key}_months", months, "months", datasets, label=f"Months of {force_name}'s {records} shown"),
        Figure(f"{key}_n", n, "searches", datasets, label=f"Stop and searches in the police.uk records, {where}"),
        Figure(f"{key}_nfa", 100 * nfa / recorded, "%", datasets, label=nfa_share),
        Figure(f"{key}_nfa_low", 100 * float(nfa_low), "%", datasets,
               label=f"{nfa_share}: 95% Wilson interval, low end"),
        Figure(f"{key}_nfa_high", 100 * float(nfa_high), "%", datasets,
               label=f"{nfa_share}: 95% Wilson interval, high end"),
        Figure(f"{key}_linked_n", len(linked), "searches", datasets,
               label=f"Searches with 'outcome linked to object of search' recorded, {where}"),
        Figure(f"{key}_linked", 100 * linked_true / len(linked), "%", datasets, label=linked_share),
        Figure(f"{key}_linked_low", 100 * float(link_low), "%", datasets,
               label=f"{linked_share}: 95% Wilson interval, low end"),
        Figure(f"{key}_linked_high", 100 * float(link_high), "%", datasets,
               label=f"{linked_share}: 95% Wilson interval, high end"),
    ] + extra
    table = policeuk_measures.distribution(searches["Outcome"], "not recorded")
    chart = ranked.labelled_bars(
        table.rename(columns={"category": "label", "share_pct": "value"}), name=f"search-outcomes{slug}",
        x_title="% of searches", title=f"Outcomes of stop and search, {where}", source=source,
        subtitle=f"{n:,} searches; police.uk data, {months}",
        description=(f"Bar chart of the outcomes of {n:,} stop and searches by {force_name}, {months}; "
                     f"{100 * nfa / recorded:.0f}% of those with an outcome recorded ended with no further action."))
    more = []
    if len(searches.attrs["months"]) > 1:
        more.append(common.monthly_share_chart(
            searches, "Outcome", NFA, label="No further action", name=f"search-nfa-monthly{slug}", source=source,
            y_title="% of searches with an outcome recorded",
            title=f"Searches ending in no further action each month, {where}",
            subtitle="Shaded: 95% Wilson interval; searches with no outcome recorded are left out",
            subject=f"stop and searches by {force_name} ending in no further action"))
    return Section(table.round(1), chart, figures, more, common.policeuk_gap_note(searches))


def force_section(force: str) -> Section:
    """The force's searches per 1,000 residents beside England and Wales to the newest period, one series never
    joined across a year with no figure (the rows of measures/force_series), and its latest arrest rates by group."""
    f = forces.resolve(force)
    both = force_series.for_areas("searches_per_1000", [f.code, ss.ENGLAND_AND_WALES])
    plot = both[["year_ending", "force_code", "value"]].rename(columns={"year_ending": "year", "force_code": "pfa_code"})
    plot["series"] = plot["pfa_code"].map({f.code: f.short_name, ss.ENGLAND_AND_WALES: "England and Wales"})
    plot["segment"] = force_series.runs(both)
    mine = both[both["force_code"] == f.code]
    years = mine["year_ending"].tolist()
    gaps = [_years(a + 1, b - 1) for a, b in zip(years, years[1:]) if b - a > 1]
    missing = f"; no figures for {common.join(gaps)} in this book's data, so no line across them" if gaps else ""
    chart = lines.yearly_lines(
        plot, name=f"search-rate-force-{f.slug}", highlight=f.code, y_title="Searches per 1,000 residents", x_title="Year ending March",
        fmt=".1f", title=f"Stop and search per 1,000 residents: {f.name} and England and Wales",
        subtitle=f"Residents: ONS mid-year estimate of each year; dashed rule: the 2014 reforms{missing}",
        source=source_lines.line(force_series.datasets_of(both)),
        marks=pd.DataFrame({"year": [REFORM_YEAR], "label": ["2014 reforms"]}), name_at_last=True,
        description=(f"Line chart of stop and searches per 1,000 residents in {f.name} and England and Wales by year "
                     f"ending March, {mine['period'].iloc[0]} to {mine['period'].iloc[-1]}, with the 2014 reforms "
                     f"marked{missing}. In "
                     f"{mine['period'].iloc[-1]} {f.name} made {mine['value'].iloc[-1]:.1f} searches per 1,000 "
                     "residents."))
    rates = arrest_rates()
    latest = int(rates["year_ending"].max())
    mine = rates[(rates["pfa_code"] == f.code) & (rates["year_ending"] == latest)]
    table = tables.format_table(
        mine[["group", "searches", "searches_arrest_known", "arrests", "arrest_pct", "ci_low", "ci_high"]].assign(
            unknown_pct=100 * mine["unknown_share"]),
        headers={"group": "Self-defined ethnic group", "searches": "Searches",
                 "searches_arrest_known": "With an arrest count", "arrests": "Arrests",
                 "arrest_pct": "Arrested (% of counted)", "ci": "95% Wilson interval",
                 "unknown_pct": "No arrest count (% of searches)"},
        intervals={"ci": ("ci_low", "ci_high")}, decimals={"arrest_pct": 1, "ci": 1, "unknown_pct": 0},
        missing={"arrest_pct": disproportionality.TOO_INCOMPLETE, "ci": "no interval: too incomplete"}, kind="force",
        caption=f"Arrests after stop and search, {f.name}, {financial_year(latest)}")
    return Section(table, chart, [])


def _years(first: int, last: int) -> str:
    """Years ending March as a reader reads them: '2019/20' or '2019/20 to 2023/24'."""
    return financial_year(first) if first == last else f"{financial_year(first)} to {financial_year(last)}"


def own_detail(force: str, folder: str | None = None) -> Section:
    """The force's own stop and search detail from its police.uk download, or a note saying where it would go."""
    return common.own_policeuk_section(force, folder, "stop and search figures",
                                       lambda: detail(folder, key="own_ss", force=force))


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide."""
    return evidence.section("4")

"""Chapter 6: tackling police wrongdoing - deaths during or following police contact, and complaints and misconduct."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.chapters import common, evidence
from analysis.measures import force_measures as fm
from analysis.measures import deaths, force_series
from analysis.measures.funnels import deaths_funnel, review_funnel
from analysis.methods import funnel, per_resident, ranking
from analysis.present import funnels, lines, register, source_lines, tables
from analysis.present.numbers import fmt_number
from analysis.present.glue import Figure, Section, national
from analysis.sources import forces, iopc, iopc_extract, population
from analysis.sources.periods import financial_year

DEATHS_DATA = [iopc.DEATHS_FILE]
EXTRACT_DATA = list(iopc_extract.DATASETS)
REVIEW_DATA = [iopc_extract.REVIEWS_FILE]
RATE_DATA = [iopc.DEATHS_FILE, *population.BY_YEAR_FILES]
SOURCE = source_lines.line(DEATHS_DATA)
OTHER = "Other deaths following contact"
# The non-territorial authorities as IOPC's tables name them in different years, each as a reader knows it.
SOCA = "the Serious Organised Crime Agency (later the National Crime Agency)"
AUTHORITY_NAMES = {"British Transport": "British Transport Police", "HMRC": "HM Revenue and Customs",
                   "Home Office": "the Home Office", "Ministry of Defence": "the Ministry of Defence",
                   "SOCA": SOCA, "SOCA / NCA": SOCA}


@national
def national_deaths() -> Section:
    """Deaths by type and year, England and Wales."""
    series = iopc.national_series()
    latest = int(series["year_ending"].max())
    first = int(series["year_ending"].min())
    now = series[series["year_ending"] == latest].set_index("type")["fatalities"]
    totals = series.groupby("type")["fatalities"].sum()
    custody = series[series["type"] == "Deaths in or following custody"].set_index("year_ending")["fatalities"]
    ew = "England and Wales"
    figures = [
        Figure("deaths_first_year", financial_year(first), "year", DEATHS_DATA,
               label="First year of IOPC's series of deaths during or following police contact (year ending March)"),
        Figure("deaths_latest_year", financial_year(latest), "year", DEATHS_DATA,
               label="Latest year of IOPC's series of deaths during or following police contact, in the edition "
                     "this book reads (year ending March)"),
        Figure("deaths_latest_total", int(now.sum()), "deaths", DEATHS_DATA,
               label=f"Deaths during or following police contact, all IOPC categories, {ew}, "
                     f"{financial_year(latest)}"),
        Figure("deaths_custody_latest", int(now["Deaths in or following custody"]), "deaths", DEATHS_DATA,
               label=f"Deaths in or following police custody, {ew}, {financial_year(latest)}"),
        Figure("deaths_custody_first", int(custody[first]), "deaths", DEATHS_DATA,
               label=f"Deaths in or following police custody, {ew}, {financial_year(first)}"),
        Figure("deaths_shootings_total", int(totals["Fatal police shootings"]), "deaths", DEATHS_DATA,
               label=f"Fatal police shootings, {ew}, {financial_year(first)} to {financial_year(latest)} together"),
        Figure("deaths_suicides_latest", int(now["Apparent suicides following custody"]), "deaths", DEATHS_DATA,
               label=f"Apparent suicides following police custody, {ew}, {financial_year(latest)}"),
        Figure("deaths_rti_latest", int(now["Road traffic fatalities"]), "deaths", DEATHS_DATA,
               label=f"Road traffic fatalities during or following police contact, {ew}, {financial_year(latest)}"),
    ]
    other = series[series["type"] == OTHER].set_index("year_ending")["fatalities"]
    notes = iopc.year_notes(OTHER)
    change = int(notes["year_ending"].max())  # the latest change IOPC footnotes
    before = other[(other.index < change) & (other.index >= change - 3)]
    after = other[(other.index >= change) & (other.index < change + 3)]
    before_years = f"{financial_year(before.index.min())} to {financial_year(before.index.max())}"
    after_years = f"{financial_year(after.index.min())} to {financial_year(after.index.max())}"
    footnoted = f"IOPC's latest footnoted change to '{OTHER.lower()}'"
    figures += [
        Figure("deaths_other_change_year", financial_year(change), "year", DEATHS_DATA,
               label=f"Year of {footnoted} (year ending March)"),
        Figure("deaths_other_before", before.mean(), "deaths a year", DEATHS_DATA,
               label=f"'{OTHER}' a year on average, {ew}, {before_years} (before {footnoted})"),
        Figure("deaths_other_before_years", before_years, "years", DEATHS_DATA,
               label=f"Years averaged before {footnoted}"),
        Figure("deaths_other_after", after.mean(), "deaths a year", DEATHS_DATA,
               label=f"'{OTHER}' a year on average, {ew}, {after_years} (from {footnoted})"),
        Figure("deaths_other_after_years", after_years, "years", DEATHS_DATA,
               label=f"Years averaged from {footnoted}"),
        Figure("deaths_other_note", notes.set_index("year_ending").at[change, "note"].rstrip("."), "note", DEATHS_DATA,
               label=f"IOPC's footnote to '{OTHER.lower()}' in {financial_year(change)}"),
        Figure("deaths_other_definition_year", financial_year(int(notes["year_ending"].min())), "year", DEATHS_DATA,
               label=f"Year of IOPC's earliest footnoted change to '{OTHER.lower()}' (year ending March)"),
    ]
    plot = series.rename(columns={"year_ending": "year", "type": "series", "fatalities": "value"})
    chart = lines.yearly_lines(
        plot, name="deaths-by-type", y_title="Deaths", x_title="Financial year ending March",
        title=f"Deaths during or following police contact, {financial_year(first)} to {financial_year(latest)}",
        subtitle=["England and Wales, by IOPC category; counts of deaths, not rates",
                  "Dashed rules: IOPC's footnoted changes to what 'other deaths' counts"], source=SOURCE,
        marks=pd.DataFrame({"year": notes["year_ending"] - 0.5,
                            "label": [f"'Other' changed {financial_year(y)}" for y in notes["year_ending"]]}),
        description=(f"Line chart of deaths during or following police contact by type and financial year from "
                     f"{financial_year(first)} to {financial_year(latest)}. In {financial_year(latest)}: "
                     + "; ".join(f"{t} {n}" for t, n in now.items()) + "."))
    return Section(series.pivot(index="year_ending", columns="type", values="fatalities").reset_index(), chart, figures)


def force_counts(highlight: str | None = None) -> Section:
    """Per-force deaths per million residents a year against force size, with 95% and 99.8% funnel limits around
    the median force: counts alone would rank forces by size, and the limits show how far chance alone reaches."""
    fitted = deaths_funnel()
    table = fitted.table
    years = iopc.by_force()["year_ending"]
    span = f"{financial_year(years.min())} to {financial_year(years.max())}"
    dropped = iopc.by_force().attrs["dropped"]
    national = per_resident.national_death_rate()
    city = forces.CITY_OF_LONDON
    charted = fitted.without([city])
    top = charted.table.loc[charted.table["per_million"].idxmax()]
    per_million = "Deaths during or following police contact per million residents a year"
    figures = [
        Figure("deaths_force_span", span, "years", DEATHS_DATA,
               label="Years of IOPC's tables of deaths during or following police contact by force (years ending "
                     "March)"),
        Figure("deaths_national_rate", national, "deaths per million residents a year", RATE_DATA, "{:.1f}",
               label=f"{per_million}, England and Wales (the forces' counts together, a death two forces shared "
                     f"counted for each; residents from ONS mid-year estimates), {span}"),
        Figure("deaths_force_median_rate", fitted.centre, "deaths per million residents a year", RATE_DATA, "{:.1f}",
               label=f"Deaths per million residents a year in the median force, {span} (the funnel's centre; the "
                     "City of London left out)"),
        *common.met_share_figures("deaths", charted, RATE_DATA, events="deaths", period=span,
                                  residents=f"mid-{years.min() - 1} to mid-{years.max() - 1} estimates added together"),
        Figure("deaths_force_top", top["force"], "force", RATE_DATA,
               label=f"Force with the highest rate of deaths during or following police contact per million "
                     f"residents a year (the City of London left out), {span}"),
        Figure("deaths_force_top_rate", top["per_million"], "deaths per million residents a year", RATE_DATA, "{:.1f}",
               label=f"{per_million} in the force with the highest rate (the City of London left out), {span}"),
        Figure("deaths_force_top_n", int(top["fatalities"]), "deaths", DEATHS_DATA,
               label=f"Deaths during or following police contact in the force with the highest rate, {span}"),
        *common.funnel_count_figures("deaths_funnel", charted, RATE_DATA,
                                     what=f"deaths following police contact per million residents a year, {span}"),
        Figure("deaths_force_median", ranking.median_force(table.set_index("pfa_code")["fatalities"]), "deaths",
               DEATHS_DATA, label=f"Median of the forces' counts of deaths during or following police contact, {span} "
                                  "(the City of London left out)"),
        Figure("deaths_force_dropped", common.join(list(dict.fromkeys(AUTHORITY_NAMES.get(d, d) for d in dropped))),
               "authorities", DEATHS_DATA,
               label="Non-territorial authorities in IOPC's tables of deaths by force, left out of the force figures"),
        Figure("deaths_city_n", int(table.set_index("pfa_code").at[city, "fatalities"]), "deaths", DEATHS_DATA,
               label=f"Deaths during or following contact with {forces.get(city).name}, {span} (a death in an "
                     "incident shared with another force counts for each)"),
        # The City's row says why it is not placed, shared deaths among the reasons; the Met's count holds them too.
        *common.row_figures("deaths_force_funnel", "deaths_per_million", span, highlight,
                            what=f"deaths following police contact per million residents a year, {span}",
                            notes={forces.METROPOLITAN: fm.SHARED_DEATHS}),
    ]
    chart = funnels.funnel_plot(
        charted, name="deaths-by-force", highlight=highlight,
        x_title="Person-years lived by the force's residents (log scale)",
        y_title="Deaths per million residents a year",
        title=f"Deaths during or following police contact per million residents a year, by force, {span}",
        subtitle=("All IOPC categories. Solid lines: 95% limits, dashed: 99.8%, around the median force. The City "
                  "of London is left out: its tiny resident population puts its rate off this scale"),
        source=source_lines.line(RATE_DATA),
        description=(f"Funnel plot of deaths during or following police contact per million residents a year for "
                     f"{len(charted.table)} forces, {span}, against their residents' person-years, with 95% and "
                     f"99.8% limits around {fitted.centre_name} ({fmt_number(fitted.centre, 1)}). "
                     f"{int((charted.table['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits; the "
                     f"highest rate is {top['per_million']:.1f} in {top['force']}."))
    return Section(table.drop(columns=["size"]), chart, figures)


@national
def deaths_to_2025() -> Section:
    """Deaths a year, all IOPC categories, to 2024/25 from a third party's figures beside the official 2019/20
    edition: two series, never joined, since later editions revise earlier years as investigations end."""
    official = iopc.national_series().groupby("year_ending")["fatalities"].sum()
    newer = iopc_extract.deaths_by_year().set_index("year_ending")["deaths"]
    both = official.index.intersection(newer.index)
    revised = (newer[both] - official[both]).abs()
    revised = revised[revised > 0]
    latest = int(newer.index.max())
    peak = int(newer.idxmax())
    extract = "England and Wales (third-party extract of IOPC statistics)"
    both_years = f"{financial_year(int(both.min()))} to {financial_year(int(both.max()))}"
    figures = [
        Figure("deaths25_year", financial_year(latest), "year", EXTRACT_DATA,
               label="Latest year of the third-party figures of deaths during or following police contact (year "
                     "ending March)"),
        Figure("deaths25_total", int(newer[latest]), "deaths", EXTRACT_DATA,
               label=f"Deaths during or following police contact, England and Wales, {financial_year(latest)}"),
        Figure("deaths25_before", int(newer[latest - 1]), "deaths", EXTRACT_DATA,
               label=f"Deaths during or following police contact, {extract}, {financial_year(latest - 1)}"),
        Figure("deaths25_peak", int(newer[peak]), "deaths", EXTRACT_DATA,
               label=f"Deaths during or following police contact, {extract}, in the highest year, "
                     f"{financial_year(peak)}"),
        Figure("deaths25_peak_year", financial_year(peak), "year", EXTRACT_DATA,
               label=f"Year with the most deaths during or following police contact in the third-party figures, "
                     f"{financial_year(int(newer.index.min()))} to {financial_year(latest)} (year ending March)"),
        Figure("deaths25_revised_years", len(revised), "years", EXTRACT_DATA + DEATHS_DATA,
               label=f"Years from {both_years} (those both cover) in which the third-party figures and the IOPC "
                     "edition this book reads give different counts of deaths (this book's cross-check)",
               kind=register.OWN_COUNT),
        Figure("deaths25_revised_range", f"{int(revised.min())} to {int(revised.max())}", "deaths",
               EXTRACT_DATA + DEATHS_DATA,
               label=f"Range of the differences between the third-party figures and the IOPC edition this book "
                     f"reads, in the years from {both_years} where they differ"),
    ]
    plot = pd.concat([
        pd.DataFrame({"year": official.index, "value": official.to_numpy(), "series": "IOPC 2019/20 edition"}),
        pd.DataFrame({"year": newer.index, "value": newer.to_numpy(), "series": "to 2024/25 (third-party extract)"})],
        ignore_index=True)
    chart = lines.yearly_lines(
        plot, name="deaths-to-2025", y_title="Deaths, all categories", x_title="Financial year ending March",
        title=f"Deaths during or following police contact, England and Wales, {financial_year(int(newer.index.min()))}"
              f" to {financial_year(latest)}",
        subtitle=["Two editions, drawn apart: later IOPC editions revise earlier years",
                  "To 2024/25: PoliceComplaint.com's figures from IOPC statistics (third-party extract)"],
        source=source_lines.line(DEATHS_DATA + EXTRACT_DATA),
        description=(f"Line chart of deaths during or following police contact a year in England and Wales: the IOPC "
                     f"2019/20 edition to {financial_year(int(official.index.max()))}, and a third party's figures to "
                     f"{financial_year(latest)} ({int(newer[latest])} deaths), which differ from the 2019/20 edition "
                     f"by {int(revised.min())} to {int(revised.max())} deaths in {len(revised)} of the years both "
                     "cover."))
    return Section(plot.pivot(index="year", columns="series", values="value").reset_index(), chart, figures)


@national
def review_outcomes(highlight: str | None = None) -> Section:
    """IOPC reviews of complaint outcomes completed in 2024/25, the share upheld, by force on a funnel around the
    median force's share (never the pooled share, which the Met's many reviews pull): reviews a complainant asked
    the IOPC for (not those local policing bodies hold), not complaints; a force with too few reviews to place
    (funnel.forces_proportion_funnel) is given its share alone."""
    fitted = review_funnel()  # the measures table's verdicts come from the same fit
    table = fitted.table
    few = table[table["funnel"] == funnel.TOO_FEW_TO_PLACE]
    charted = fitted.without(few["pfa_code"])
    centre = fitted.centre
    what = (f"IOPC reviews of complaint outcomes upheld (the force's decision overturned), "
            f"{iopc_extract.REVIEW_PERIOD} (third-party extract)")
    period = iopc_extract.REVIEW_PERIOD
    figures = [
        Figure("reviews_period", period, "year", REVIEW_DATA,
               label="Year the IOPC reviews of complaint outcomes were completed (third-party extract)"),
        Figure("reviews_forces", len(table), "forces", REVIEW_DATA,
               label=f"Forces in the figures of IOPC reviews of complaint outcomes, {period} (third-party extract)"),
        Figure("reviews_total", int(table["reviews"].sum()), "reviews", REVIEW_DATA, "{:,.0f}",
               label=f"IOPC reviews of complaint outcomes completed for those forces, {period} (third-party "
                     "extract)"),
        Figure("reviews_overturned", int(table["overturned"].sum()), "reviews", REVIEW_DATA, "{:,.0f}",
               label=f"IOPC reviews of complaint outcomes upheld (the force's decision overturned), those forces, "
                     f"{period} (third-party extract)"),
        Figure("reviews_share", centre, "%", REVIEW_DATA, "{:.1f}",
               label=f"Share of IOPC reviews of complaint outcomes upheld in the median force of the "
                     f"{len(charted.table)} forces placed, {period} (the funnel's centre)"),
        # Why the centre is the median force: the Met's many reviews, upheld more often, pull the pooled share.
        Figure("reviews_pooled", 100 * charted.table["overturned"].sum() / charted.table["reviews"].sum(), "%",
               REVIEW_DATA, "{:.1f}", label=f"Share of IOPC reviews of complaint outcomes upheld, the "
                                            f"{len(charted.table)} forces placed, their reviews pooled, {period}"),
        Figure("reviews_met_share", 100 * charted.table.set_index("pfa_code").at[forces.METROPOLITAN, "reviews"]
               / charted.table["reviews"].sum(), "%", REVIEW_DATA, "{:.0f}",
               label=f"Metropolitan Police's share of the IOPC reviews of complaint outcomes of the forces placed, "
                     f"{period}"),
        Figure("reviews_min", config.MIN_CASES_FOR_SHARE, "reviews", [],
               label="Fewest IOPC reviews a force needs to be placed on the funnel (a rule of this book)"),
        Figure("reviews_too_few", "; ".join(f"{r.force} ({r.reviews} reviews, {r.overturned} upheld)"
                                            for r in few.itertuples()) or "none", "forces", REVIEW_DATA,
               label=f"Forces with too few IOPC reviews of complaint outcomes to place on the funnel (fewer than "
                     f"{config.MIN_CASES_FOR_SHARE}), {period}"),
        *common.funnel_count_figures("reviews_funnel", charted, REVIEW_DATA, what=what),
        *common.row_figures("reviews_force_funnel", "iopc_reviews_upheld_pct", iopc_extract.REVIEW_PERIOD, highlight,
                            what=what),
    ]
    chart = funnels.funnel_plot(
        charted, name="complaint-reviews", highlight=highlight,
        x_title="IOPC reviews completed (log scale)", y_title="% upheld (decision overturned)",
        title=f"IOPC reviews of complaint outcomes upheld, by force, {iopc_extract.REVIEW_PERIOD}",
        subtitle=[f"Solid lines: 95% limits, dashed: 99.8%, around the median force; reviews, not complaints; "
                  f"forces with fewer than {config.MIN_CASES_FOR_SHARE} reviews left out",
                  "PoliceComplaint.com's figures from IOPC statistics (third-party extract)"],
        source=source_lines.line(REVIEW_DATA),
        description=(f"Funnel plot of the share of IOPC reviews of complaint outcomes that were upheld in "
                     f"{iopc_extract.REVIEW_PERIOD} for {len(charted.table)} forces against the number of reviews, "
                     f"with 95% and 99.8% limits around the median force's share ({centre:.1f}%). "
                     f"{int((charted.table['funnel'] == funnel.WITHIN).sum())} forces are within the 95% limits."))
    return Section(table.drop(columns=["size"]), chart, figures)


def force_section(force: str) -> Section:
    """The force's deaths by type (measures/deaths), and by year (the rows of measures/force_series)."""
    f = forces.resolve(force)
    by_type = deaths.for_force(f.code)
    table = tables.format_table(
        by_type[["type", "fatalities", "ci_low", "ci_high"]],
        headers={"type": "Type of death", "fatalities": "Deaths", "ci": "Exact 95% interval for the count"},
        intervals={"ci": ("ci_low", "ci_high")}, decimals={"ci": 1}, kind="force",
        caption=f"Deaths during or following contact with {f.name}, {by_type['period'].iloc[0]}")
    per_year = force_series.for_areas("deaths_count", [f.code])
    plot = per_year[["year_ending", "value"]].rename(columns={"year_ending": "year"}).assign(series=f.short_name)
    chart = lines.yearly_lines(
        plot, name=f"deaths-force-{f.slug}", y_title="Deaths, all types", x_title="Financial year ending March",
        title=f"Deaths during or following police contact: {f.name}",
        source=source_lines.line(force_series.datasets_of(per_year)),
        subtitle="All IOPC categories; a death in an incident involving two forces counts for each",
        description=(f"Line chart of deaths during or following contact with {f.name} by financial year, all types "
                     f"together: {int(per_year['value'].sum())} in total."))
    return Section(table, chart, [])


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes."""
    return evidence.section("5")

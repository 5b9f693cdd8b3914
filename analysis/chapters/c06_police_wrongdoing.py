"""Chapter 6: tackling police wrongdoing - deaths during or following police contact, and complaints and misconduct."""

from __future__ import annotations

import pandas as pd

from analysis.chapters import common, evidence
from analysis.methods import per_resident, stats
from analysis.present import lines, ranked, tables
from analysis.present.glue import Figure, Section, national
from analysis.sources import forces, iopc, population
from analysis.sources.periods import financial_year

DEATHS_DATA = [iopc.DEATHS_FILE]
RATE_DATA = [iopc.DEATHS_FILE, *population.BY_YEAR_FILES]
SOURCE = "IOPC, deaths during or following police contact, time series tables 2004/05 to 2019/20; OGL v3.0"
OTHER = "Other deaths following contact"


@national
def national_deaths() -> Section:
    """Deaths by type and year, England and Wales."""
    series = iopc.national_series()
    latest = int(series["year_ending"].max())
    first = int(series["year_ending"].min())
    now = series[series["year_ending"] == latest].set_index("type")["fatalities"]
    totals = series.groupby("type")["fatalities"].sum()
    custody = series[series["type"] == "Deaths in or following custody"].set_index("year_ending")["fatalities"]
    figures = [
        Figure("deaths_first_year", financial_year(first), "year", DEATHS_DATA),
        Figure("deaths_latest_year", financial_year(latest), "year", DEATHS_DATA),
        Figure("deaths_latest_total", int(now.sum()), "deaths", DEATHS_DATA),
        Figure("deaths_custody_latest", int(now["Deaths in or following custody"]), "deaths", DEATHS_DATA),
        Figure("deaths_custody_first", int(custody[first]), "deaths", DEATHS_DATA),
        Figure("deaths_shootings_total", int(totals["Fatal police shootings"]), "deaths", DEATHS_DATA),
        Figure("deaths_suicides_latest", int(now["Apparent suicides following custody"]), "deaths", DEATHS_DATA),
        Figure("deaths_rti_latest", int(now["Road traffic fatalities"]), "deaths", DEATHS_DATA),
    ]
    other = series[series["type"] == OTHER].set_index("year_ending")["fatalities"]
    notes = iopc.year_notes(OTHER)
    change = int(notes["year_ending"].max())  # the latest change IOPC footnotes
    before = other[(other.index < change) & (other.index >= change - 3)]
    after = other[(other.index >= change) & (other.index < change + 3)]
    figures += [
        Figure("deaths_other_change_year", financial_year(change), "year", DEATHS_DATA),
        Figure("deaths_other_before", before.mean(), "deaths a year", DEATHS_DATA),
        Figure("deaths_other_before_years",
               f"{financial_year(before.index.min())} to {financial_year(before.index.max())}", "years", DEATHS_DATA),
        Figure("deaths_other_after", after.mean(), "deaths a year", DEATHS_DATA),
        Figure("deaths_other_after_years",
               f"{financial_year(after.index.min())} to {financial_year(after.index.max())}", "years", DEATHS_DATA),
        Figure("deaths_other_note", notes.set_index("year_ending").at[change, "note"].rstrip("."), "note", DEATHS_DATA),
        Figure("deaths_other_definition_year", financial_year(int(notes["year_ending"].min())), "year", DEATHS_DATA),
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
    """Ranked per-force rates per million residents a year, with exact intervals: counts alone would rank forces by
    size, and the intervals show how much of the difference between forces could be chance."""
    table = per_resident.deaths_by_force()
    years = iopc.by_force()["year_ending"]
    span = f"{financial_year(years.min())} to {financial_year(years.max())}"
    dropped = iopc.by_force().attrs["dropped"]
    national = per_resident.national_death_rate()
    city = forces.CITY_OF_LONDON
    charted = table[table["pfa_code"] != city]
    top = charted.loc[charted["per_million"].idxmax()]
    figures = [
        Figure("deaths_force_span", span, "years", DEATHS_DATA),
        Figure("deaths_national_rate", national, "deaths per million residents a year", RATE_DATA, "{:.1f}"),
        Figure("deaths_force_median_rate", table["per_million"].median(), "deaths per million residents a year",
               RATE_DATA, "{:.1f}"),
        Figure("deaths_force_top", top["force"], "force", RATE_DATA),
        Figure("deaths_force_top_rate", top["per_million"], "deaths per million residents a year", RATE_DATA, "{:.1f}"),
        Figure("deaths_force_top_n", int(top["fatalities"]), "deaths", DEATHS_DATA),
        Figure("deaths_forces_higher", int((table["against_rest"] == stats.HIGHER).sum()), "forces", RATE_DATA),
        Figure("deaths_forces_lower", int((table["against_rest"] == stats.LOWER).sum()), "forces", RATE_DATA),
        Figure("deaths_force_median", table["fatalities"].median(), "deaths", DEATHS_DATA),
        Figure("deaths_force_dropped", ", ".join(dropped), "authorities", DEATHS_DATA),
        Figure("deaths_city_n", int(table.set_index("pfa_code").at[city, "fatalities"]), "deaths", DEATHS_DATA),
        *common.rank_figures("deaths_force_rank", table.set_index("pfa_code")["per_million"], highlight,
                              what=f"deaths following police contact per million residents a year, {span}",
                              datasets=RATE_DATA),
    ]
    plot = charted.rename(columns={"per_million": "value"})
    chart = ranked.ranked_intervals(
        plot, name="deaths-by-force", log=False, highlight=highlight, reference=national,
        x_title="Deaths per million residents a year (exact 95% interval)",
        title=f"Deaths during or following police contact per million residents a year, by force, {span}",
        subtitle=["All IOPC categories; dashed line: England and Wales. The City of London is left out: its tiny",
                  "resident population puts its rate off this scale"],
        source=f"{SOURCE}; ONS mid-year population estimates",
        description=(f"Ranked dot-and-whisker chart of deaths during or following police contact per million "
                     f"residents a year for 42 forces, {span}, with exact 95% Poisson intervals; England and Wales "
                     f"{national:.1f}. The highest rate is {top['per_million']:.1f} in {top['force']}."))
    return Section(table, chart, figures)


def force_section(force: str) -> Section:
    """The force's deaths by type and year."""
    f = forces.resolve(force)
    mine = iopc.by_force()
    mine = mine[mine["pfa_code"] == f.code]
    by_type = mine.groupby("type", as_index=False)["fatalities"].sum()
    low, high = stats.poisson_count_ci(by_type["fatalities"])
    span = f"{financial_year(mine['year_ending'].min())} to {financial_year(mine['year_ending'].max())}"
    table = tables.format_table(
        by_type.assign(ci_low=low, ci_high=high),
        headers={"type": "Type of death", "fatalities": "Deaths", "ci": "Exact 95% interval for the count"},
        intervals={"ci": ("ci_low", "ci_high")}, decimals={"ci": 1}, kind="force",
        caption=f"Deaths during or following contact with {f.name}, {span}")
    per_year = mine.groupby("year_ending", as_index=False)["fatalities"].sum()
    plot = per_year.rename(columns={"year_ending": "year", "fatalities": "value"}).assign(
        series=f.short_name)
    chart = lines.yearly_lines(
        plot, name=f"deaths-force-{f.slug}", y_title="Deaths, all types", x_title="Financial year ending March",
        title=f"Deaths during or following police contact: {f.name}", source=SOURCE,
        subtitle="All IOPC categories; a death in an incident involving two forces counts for each",
        description=(f"Line chart of deaths during or following contact with {f.name} by financial year, all types "
                     f"together: {int(per_year['fatalities'].sum())} in total."))
    return Section(table, chart, [])


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes."""
    return evidence.section("5")

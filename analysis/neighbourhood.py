"""Chapter 2: neighbourhood policing - visibility and confidence, the workforce behind it, and where crime concentrates."""

from __future__ import annotations

import pandas as pd

from analysis import charts, comparable, csew, evidence, forces, policeuk, workforce
from analysis.figures import Figure, Section

SERIES_DATA = [csew.SERIES_FILE]
HEADLINE_DATA = [csew.HEADLINE_FILES[0]]
WORKFORCE_DATA = [workforce.WORKFORCE_FILE, workforce.POPULATION_FILE]
STRENGTH_DATA = [workforce.STRENGTH_FILE]
ONS_SOURCE = "ONS, Crime Survey for England and Wales perception tables (third-party extract), OGL v3.0"
GRADIENT_SOURCE = ("ONS (2015), Focus on Public Perceptions of Crime and the Police 2013 to 2014, chapter 1, "
                   "transcribed; OGL v3.0")
WORKFORCE_SOURCE = ("Home Office, police workforce open data tables (FTE, 31 March); ONS mid-year population "
                    "estimates by police force area; OGL v3.0")
STRENGTH_SOURCE = "Home Office, police workforce statistics: officer strength, England and Wales, 31 March; OGL v3.0"
PCT1 = "{:.1f}"
VISIBILITY_LEVELS = {"high": "Adults reporting high police visibility",
                     "medium": "Adults reporting medium police visibility",
                     "low": "Adults reporting low police visibility"}
GRADIENT_YEAR = 2014
CHANGE_FROM = 2010


def visibility_trend() -> Section:
    """Weekly foot patrol beside confidence in the local police, national series."""
    measures = ["foot_patrol_weekly_or_more", "confidence_local_police"]
    trend = csew.trend_frame(csew.load_national_series(), measures)
    figures = []
    for short, measure in (("patrol", measures[0]), ("confidence", measures[1])):
        for which in ("first", "peak", "latest"):
            row = csew.point(trend, measure, which)
            figures += [Figure(f"{short}_{which}", row["value_pct"], "%", SERIES_DATA),
                        Figure(f"{short}_{which}_year", row["csew_year"], "CSEW year", SERIES_DATA)]
    first, latest = csew.point(trend, measures[0], "first"), csew.point(trend, measures[0], "latest")
    chart = charts.trend_with_breaks(
        trend, name="patrol-and-confidence", source=ONS_SOURCE,
        title="Foot patrol seen weekly, and confidence in the local police",
        subtitle="England and Wales, CSEW; the two moving together is a correlation, not proof of cause",
        description=(f"Line chart of two CSEW series: the share of adults who see police on foot patrol at least "
                     f"once a week, {first['value_pct']:.0f}% in {first['csew_year']} and {latest['value_pct']:.0f}% "
                     f"in {latest['csew_year']}, and the share confident in the local police over the same years. "
                     "Lines break at the 2011/12 questionnaire change and the 2020 to 2022 survey gap."))
    table = trend.pivot(index="csew_year", columns="series", values="value_pct").reset_index()
    return Section(table, chart, figures)


def visibility_gradient() -> Section:
    """The 2013/14 job rating by how often people see foot patrol (transcribed ONS figures)."""
    heads = csew.load_headlines()
    rows = heads[(heads["measure"] == "police_good_excellent_job") & (heads["year_ending"] == GRADIENT_YEAR)]
    table = []
    for level, prefix in VISIBILITY_LEVELS.items():
        match = rows[rows["population_or_breakdown"].str.startswith(prefix)]
        if len(match) != 1:
            raise ValueError(f"{csew.HEADLINE_FILES[0]}: expected one {GRADIENT_YEAR} good/excellent row starting "
                             f"{prefix!r}, found {len(match)}")
        table.append({"level": level, "label": match["population_or_breakdown"].iloc[0].removeprefix("Adults reporting "),
                      "value": match["value_pct"].iloc[0]})
    table = pd.DataFrame(table)
    values = table.set_index("level")["value"]
    figures = [Figure(f"visibility_{level}", values[level], "%", HEADLINE_DATA) for level in VISIBILITY_LEVELS]
    figures.append(Figure("visibility_year", csew.csew_year(GRADIENT_YEAR), "CSEW year", HEADLINE_DATA))
    figures.append(Figure("visibility_gap", values["high"] - values["low"], "percentage points", HEADLINE_DATA))
    chart = charts.labelled_bars(
        table, name="visibility-gradient", x_title="% rating the local police good or excellent",
        title=f"Police rated good or excellent, by visibility, {csew.csew_year(GRADIENT_YEAR)}",
        subtitle="Published CSEW figures, transcribed; no confidence intervals were published with them",
        source=GRADIENT_SOURCE,
        description=("Bar chart of the share of adults rating their local police good or excellent by how often they "
                     "see police on foot patrol: " + "; ".join(f"{r.label}: {r.value:.0f}%" for r in table.itertuples())
                     + "."))
    return Section(table, chart, figures)


def rates() -> pd.DataFrame:
    """Officers, PCSOs and both per 100,000 residents, for every force and England and Wales."""
    return workforce.per_100k(workforce.with_england_and_wales(workforce.load_workforce()),
                              workforce.load_population())


def workforce_trend() -> Section:
    """England and Wales: officers and PCSOs per 100,000 residents, 2007 to 2022."""
    table = rates()
    national = table[table["pfa_code"] == workforce.ENGLAND_AND_WALES]
    change = workforce.change_since(table, CHANGE_FROM)
    both = change[(change["pfa_code"] == workforce.ENGLAND_AND_WALES)
                  & (change["role"] == workforce.NEIGHBOURHOOD_ROLES)].iloc[0]
    pcsos = change[(change["pfa_code"] == workforce.ENGLAND_AND_WALES) & (change["role"] == "PCSOs")].iloc[0]
    estimated_from = int(table.loc[table["population_estimated"], "year"].min())
    figures = [
        Figure("wf_start_year", CHANGE_FROM, "year", WORKFORCE_DATA),
        Figure("wf_start", both["start"], "per 100,000", WORKFORCE_DATA),
        Figure("wf_low_year", both["low_year"], "year", WORKFORCE_DATA),
        Figure("wf_low", both["low"], "per 100,000", WORKFORCE_DATA),
        Figure("wf_fall_pct", -both["fall_pct"], "%", WORKFORCE_DATA),
        Figure("wf_latest_year", both["latest_year"], "year", WORKFORCE_DATA),
        Figure("wf_latest", both["latest"], "per 100,000", WORKFORCE_DATA),
        Figure("wf_recovery_pct", both["recovery_pct"], "%", WORKFORCE_DATA),
        Figure("wf_pcso_fall_pct", -pcsos["net_pct"], "%", WORKFORCE_DATA),
        Figure("wf_estimated_from", estimated_from, "year", WORKFORCE_DATA),
        Figure("wf_population_latest", int(workforce.load_population()["mid_year"].max()), "year", WORKFORCE_DATA),
    ]
    plot = national.rename(columns={"per_100k": "value", "role": "series", "population_estimated": "flagged"})
    chart = charts.yearly_lines(
        plot, name="workforce-per-100k", y_title="FTE per 100,000 residents",
        title="Police officers and PCSOs per 100,000 residents, England and Wales",
        subtitle=[f"Hollow markers: {estimated_from} onwards are divided by the mid-"
                  f"{workforce.load_population()['mid_year'].max()} population, the latest available",
                  "Full-time equivalents, summed over rank and sex"],
        source=WORKFORCE_SOURCE,
        description=(f"Line chart of police officers, PCSOs and both together per 100,000 residents in England and "
                     f"Wales, 31 March 2007 to {both['latest_year']}. Officers and PCSOs together fell from "
                     f"{both['start']:.0f} in {CHANGE_FROM} to {both['low']:.0f} in {both['low_year']}, then rose "
                     f"to {both['latest']:.0f} in {both['latest_year']}. Years from {estimated_from} use the latest "
                     "available population estimate and are drawn hollow."))
    return Section(plot[["year", "series", "fte", "population", "value", "flagged"]], chart, figures)


def workforce_by_force(highlight: str | None = None) -> Section:
    """Every force's officers and PCSOs per 100,000: in 2010, at its low point, and in the latest year."""
    change = workforce.change_since(rates(), CHANGE_FROM)
    change = change[change["role"] == workforce.NEIGHBOURHOOD_ROLES].assign(area=lambda d: forces.area_names(d["pfa_code"]))
    forces_only = change[change["pfa_code"] != workforce.ENGLAND_AND_WALES]
    latest_year = int(change["latest_year"].max())
    below = forces_only[forces_only["latest"] < forces_only["start"]]
    figures = [
        Figure("wf_forces_below_start", len(below), "forces", WORKFORCE_DATA),
        Figure("wf_forces", len(forces_only), "forces", WORKFORCE_DATA),
        Figure("wf_median_fall_pct", -forces_only["fall_pct"].median(), "%", WORKFORCE_DATA),
        Figure("wf_largest_fall_force", forces_only.loc[forces_only["fall_pct"].idxmin(), "area"], "force",
               WORKFORCE_DATA),
        Figure("wf_largest_fall_pct", -forces_only["fall_pct"].min(), "%", WORKFORCE_DATA),
    ]
    long = pd.concat([
        change.assign(moment=str(CHANGE_FROM), value=change["start"]),
        change.assign(moment="low point", value=change["low"]),
        change.assign(moment=str(latest_year), value=change["latest"]),
    ]).assign(order=lambda d: d["latest"])
    if highlight:
        long["area"] = long["area"].where(long["pfa_code"] != forces.resolve(highlight).code, long["area"] + " ◆")
    city = forces.get(forces.CITY_OF_LONDON)
    figures.append(Figure("wf_city_latest", change.set_index("pfa_code").at[city.code, "latest"], "per 100,000",
                          WORKFORCE_DATA))
    long = long[long["pfa_code"] != city.code]
    chart = charts.ranked_changes(
        long[["area", "moment", "value", "order"]], name="workforce-change-by-force",
        x_title="Officers and PCSOs (FTE) per 100,000 residents",
        title=f"Officers and PCSOs per 100,000 residents by force: {CHANGE_FROM}, low point and {latest_year}",
        subtitle=["Ranked by the latest year. Counts of staff, not survey estimates, so there is no sampling error",
                  f"{city.name} is left out: per resident its rate is off this scale (see the table)"],
        source=WORKFORCE_SOURCE,
        description=(f"Ranked dot chart of officers and PCSOs per 100,000 residents for the 43 forces and England and "
                     f"Wales (without {city.name}), showing {CHANGE_FROM}, each force's low point and {latest_year}. "
                     f"In {latest_year}, "
                     f"{len(below)} of {len(forces_only)} forces were still below their {CHANGE_FROM} rate."))
    table = change[["area", "start", "low_year", "low", "latest", "fall_pct", "recovery_pct", "net_pct"]].rename(
        columns={"start": f"per 100k {CHANGE_FROM}", "low": "per 100k at low", "latest": f"per 100k {latest_year}"})
    return Section(table.round(1), chart, figures)


def strength_since_1977() -> Section:
    """National officer strength each 31 March since 1977."""
    table = workforce.national_strength()
    first, last = table.iloc[0], table.iloc[-1]
    peak = table.loc[table["officers"].idxmax()]
    low = table[table["year"] > peak["year"]].loc[lambda d: d["officers"].idxmin()]
    figures = [
        Figure("strength_first_year", int(first["year"]), "year", STRENGTH_DATA),
        Figure("strength_first", first["officers"], "officers", STRENGTH_DATA, "{:,.0f}"),
        Figure("strength_peak_year", int(peak["year"]), "year", STRENGTH_DATA),
        Figure("strength_peak", peak["officers"], "officers", STRENGTH_DATA, "{:,.0f}"),
        Figure("strength_low_year", int(low["year"]), "year", STRENGTH_DATA),
        Figure("strength_low", low["officers"], "officers", STRENGTH_DATA, "{:,.0f}"),
        Figure("strength_latest_year", int(last["year"]), "year", STRENGTH_DATA),
        Figure("strength_latest", last["officers"], "officers", STRENGTH_DATA, "{:,.0f}"),
        Figure("strength_latest_per_100k", last["per_100k"], "per 100,000", STRENGTH_DATA),
        Figure("strength_first_per_100k", first["per_100k"], "per 100,000", STRENGTH_DATA),
    ]
    plot = table.assign(series="Officers per 100,000 residents", value=table["per_100k"], flagged=False)
    chart = charts.yearly_lines(
        plot, name="officer-strength-1977", y_title="Officers per 100,000 residents", zero=False,
        title=f"Police officers per 100,000 residents, England and Wales, {int(first['year'])} to {int(last['year'])}",
        subtitle="Officer strength on 31 March", source=STRENGTH_SOURCE,
        description=(f"Line chart of police officers per 100,000 residents in England and Wales from "
                     f"{int(first['year'])} ({first['per_100k']:.0f}) to {int(last['year'])} ({last['per_100k']:.0f}). "
                     f"Officer numbers peaked at {peak['officers']:,.0f} in {int(peak['year'])} and fell to "
                     f"{low['officers']:,.0f} in {int(low['year'])}."))
    return Section(table.round(1), chart, figures)


def hot_spots(path=None, key: str = "hs", force: str | None = None) -> Section:
    """How concentrated crime and ASB are across neighbourhoods (LSOAs) and map points, in police.uk street data.

    `path`: one monthly street file or a force's police.uk download folder (default: the
    Bedfordshire sample). Over several months, a second chart shows the top 5% of LSOAs' share each month.
    """
    crimes = policeuk.read("street", path, force)
    datasets, extra = policeuk.provenance(crimes, "street", key)
    shares = pd.concat([policeuk.concentration(crimes, place) for place in policeuk.PLACES], ignore_index=True)
    curve = policeuk.concentration_curve(crimes, "LSOA")
    month, force_name = policeuk.span(crimes), policeuk.force_name(crimes)
    slug = "" if path is None else "-" + forces.get(crimes.attrs["force"]).slug
    source = f"police.uk street-level crime, {crimes.attrs['label']}; OGL v3.0"
    figures = [Figure(f"{key}_month", month, "month", datasets), Figure(f"{key}_force", force_name, "force", datasets),
               Figure(f"{key}_records", len(crimes), "records", datasets, "{:,.0f}")] + extra
    for r in shares.itertuples():
        kind = "crime" if r.incidents == "Crime" else "asb"
        figures.append(Figure(f"{key}_{kind}_{r.place.lower()}_top{r.top_pct}", r.share_pct, "%", datasets))
    lsoa = shares[(shares["place"] == "LSOA") & (shares["incidents"] == "Crime")].iloc[0]
    figures += [Figure(f"{key}_crime_lsoas", lsoa["of_places"], "LSOAs", datasets),
                Figure(f"{key}_crime_unlocated", lsoa["unlocated"], "records", datasets)]
    chart = charts.concentration_curve(
        curve, name=f"hot-spot-concentration{slug}", source=source,
        title=f"How concentrated crime and ASB are across neighbourhoods, {crimes.attrs['label']}",
        subtitle="LSOAs with at least one incident, busiest first; dashed grey line: no concentration",
        description=(f"Concentration curves for recorded crime and anti-social behaviour across LSOAs in {force_name}, "
                     f"{month}. The busiest tenth of LSOAs held {lsoa['share_pct']:.0f}% of crime recorded with a "
                     "location. A curve bowed above the diagonal means incidents cluster in few places."))
    more = []
    if len(crimes.attrs["months"]) > 1:
        monthly = policeuk.monthly_concentration(crimes)
        more.append(charts.dated_lines_with_ci(
            policeuk.as_dated(monthly, "Crime in the busiest 5% of LSOAs", ci=False),
            name=f"hot-spot-monthly{slug}", source=source, y_title="% of located crime",
            title=f"Share of crime in the busiest 5% of neighbourhoods each month, {crimes.attrs['label']}",
            subtitle="Each month's own busiest 5% of LSOAs; a count of all recorded crime, so no sampling interval",
            description=(f"Line chart of the share of located crime (not ASB) in each month's busiest 5% of LSOAs in "
                         f"{force_name}, {month}: from {monthly['share_pct'].min():.0f}% to "
                         f"{monthly['share_pct'].max():.0f}%.")))
    return Section(shares.round(1), chart, figures, more, policeuk.gap_note(crimes))


def force_section(force: str) -> Section:
    """The force's officers and PCSOs per 100,000 over time, beside England and Wales and its comparable forces."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    table = rates()
    table = table[table["role"] == workforce.NEIGHBOURHOOD_ROLES]
    mine = table[table["pfa_code"] == f.code].set_index("year")["per_100k"]
    national = table[table["pfa_code"] == workforce.ENGLAND_AND_WALES].set_index("year")["per_100k"]
    peer_mean = table[table["pfa_code"].isin(peers)].groupby("year")["per_100k"].mean()
    flagged = table[table["pfa_code"] == f.code].set_index("year")["population_estimated"]
    plot = pd.concat([
        pd.DataFrame({"series": f.short_name, "value": mine}),
        pd.DataFrame({"series": "England and Wales", "value": national}),
        pd.DataFrame({"series": "Comparable forces (average)", "value": peer_mean}),
    ]).rename_axis("year").reset_index().assign(flagged=lambda d: d["year"].map(flagged))
    latest = int(mine.index.max())
    chart = charts.yearly_lines(
        plot, name=f"workforce-force-{f.slug}", y_title="Officers and PCSOs (FTE) per 100,000",
        title=f"Officers and PCSOs per 100,000 residents: {f.name}",
        subtitle=[f"Comparable forces: {', '.join(forces.get(c).short_name for c in peers)}",
                  "Hollow markers: latest available population estimate used"],
        source=WORKFORCE_SOURCE,
        description=(f"Line chart of officers and PCSOs per 100,000 residents in {f.name}, England and Wales and the "
                     f"average of its comparable forces, 2007 to {latest}. In {latest}: {f.name} {mine[latest]:.0f}, "
                     f"England and Wales {national[latest]:.0f}, comparable forces {peer_mean[latest]:.0f}."))
    summary = pd.DataFrame({"area": [f.name, "England and Wales", "Comparable forces (average)"],
                            f"per 100k {CHANGE_FROM}": [mine[CHANGE_FROM], national[CHANGE_FROM],
                                                        peer_mean[CHANGE_FROM]],
                            f"per 100k {latest}": [mine[latest], national[latest], peer_mean[latest]]}).round(1)
    return Section(summary, chart, [])


def evidence_table() -> pd.DataFrame:
    return evidence.table(evidence.load_register(), chapter_prefix="1")

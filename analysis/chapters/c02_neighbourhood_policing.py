"""Chapter 2: neighbourhood policing - visibility and confidence, the workforce behind it, and where crime concentrates."""

from __future__ import annotations

import pandas as pd

from analysis.chapters import common, evidence
from analysis.measures import force_series
from analysis.methods import comparable, policeuk_measures, ranking
from analysis.present import lines, maps, ranked, source_lines, tables
from analysis.present.glue import Figure, Section, marked, national
from analysis.present.numbers import fmt_number
from analysis.sources import boundaries, csew, force_indicators, forces, policeuk, population, workforce
from analysis.sources.periods import financial_year

SERIES_DATA = [csew.SERIES_FILE]
HEADLINE_DATA = [csew.HEADLINE_FILES[0]]
WORKFORCE_DATA = [workforce.WORKFORCE_FILE, *workforce.POPULATION_FILES]
STRENGTH_DATA = list(workforce.STRENGTH_FILES)
NEWEST_DATA = [force_indicators.INDICATORS_FILE, population.MYE_2024_FILE]
ONS_SOURCE = source_lines.line(SERIES_DATA)
GRADIENT_SOURCE = source_lines.line(HEADLINE_DATA)
WORKFORCE_SOURCE = source_lines.line(WORKFORCE_DATA)
PCT1 = "{:.1f}"
VISIBILITY_LEVELS = {"high": "Adults reporting high police visibility",
                     "medium": "Adults reporting medium police visibility",
                     "low": "Adults reporting low police visibility"}
GRADIENT_YEAR = 2014
CHANGE_FROM = 2010
PEERS_MEDIAN = ranking.PEERS_MEDIAN
STAFF_MEASURE = "officers_and_pcsos_per_100k"
# Officers alone: the series that runs past the last date the workforce data count PCSOs.
OFFICERS_MEASURE = "officers_per_100k"
OFFICERS_THEN = "officers_then"  # the force table's column of officers alone at the workforce data's last date


@national
def visibility_trend() -> Section:
    """Weekly foot patrol beside confidence in the local police, national series."""
    measures = ["foot_patrol_weekly_or_more", "confidence_local_police"]
    trend = csew.trend_frame(csew.load_national_series(), measures, csew.load_headlines())
    figures = []
    for short, measure in (("patrol", measures[0]), ("confidence", measures[1])):
        figures += common.point_figures(trend, measure, short, SERIES_DATA + list(csew.HEADLINE_FILES))
    first, latest = csew.point(trend, measures[0], "first"), csew.point(trend, measures[0], "latest")
    chart = lines.trend_with_breaks(
        trend, name="patrol-and-confidence", source=ONS_SOURCE,
        title="Foot patrol seen weekly, and confidence in the local police",
        subtitle="England and Wales, CSEW; the two moving together is a correlation, not proof of cause",
        description=(f"Line chart of two CSEW series: the share of adults who see police on foot patrol at least "
                     f"once a week, {first['value_pct']:.0f}% in {first['csew_year']} and {latest['value_pct']:.0f}% "
                     f"in {latest['csew_year']}, and the share confident in the local police over the same years. "
                     "Lines break at the 2011/12 questionnaire change and the 2020 to 2022 survey gap."))
    table = trend.pivot(index="csew_year", columns="series", values="value_pct").reset_index()
    return Section(table, chart, figures)


@national
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
    values, labels = table.set_index("level")["value"], table.set_index("level")["label"]
    year = financial_year(GRADIENT_YEAR)
    rated = "Adults rating the local police good or excellent"
    figures = [Figure(f"visibility_{level}", values[level], "%", HEADLINE_DATA,
                      label=f"{rated}, among those reporting {labels[level]}, England and Wales, CSEW {year}")
               for level in VISIBILITY_LEVELS]
    figures.append(Figure("visibility_year", year, "CSEW year", HEADLINE_DATA,
                          label="CSEW year of the published ratings of the local police by how often adults see "
                                "foot patrol"))
    figures.append(Figure("visibility_gap", values["high"] - values["low"], "percentage points", HEADLINE_DATA,
                          label="Gap in the share rating the local police good or excellent between adults reporting "
                                f"high and low police visibility, England and Wales, CSEW {year}"))
    chart = ranked.labelled_bars(
        table, name="visibility-gradient", x_title="% rating the local police good or excellent",
        title=f"Police rated good or excellent, by visibility, {financial_year(GRADIENT_YEAR)}",
        subtitle="Published CSEW figures, transcribed; no confidence intervals were published with them",
        source=GRADIENT_SOURCE,
        description=("Bar chart of the share of adults rating their local police good or excellent by how often they "
                     "see police on foot patrol: " + "; ".join(f"{r.label}: {r.value:.0f}%" for r in table.itertuples())
                     + "."))
    return Section(table, chart, figures)


@national
def workforce_trend() -> Section:
    """England and Wales: officers and PCSOs per 100,000 residents, each 31 March from 2007."""
    table = workforce.rates()
    national = table[table["pfa_code"] == workforce.ENGLAND_AND_WALES]
    change = workforce.change_since(table, CHANGE_FROM)
    both = change[(change["pfa_code"] == workforce.ENGLAND_AND_WALES)
                  & (change["role"] == workforce.NEIGHBOURHOOD_ROLES)].iloc[0]
    pcsos = change[(change["pfa_code"] == workforce.ENGLAND_AND_WALES) & (change["role"] == "PCSOs")].iloc[0]
    rate = "Officers and PCSOs (FTE) per 100,000 residents, England and Wales"
    low_year, latest_year = both["low_year"], both["latest_year"]
    figures = [
        Figure("wf_start_year", CHANGE_FROM, "year", WORKFORCE_DATA,
               label="Year the change in officers and PCSOs per 100,000 residents is measured from (31 March)"),
        Figure("wf_start", both["start"], "per 100,000", WORKFORCE_DATA, label=f"{rate}, 31 March {CHANGE_FROM}"),
        Figure("wf_low_year", low_year, "year", WORKFORCE_DATA,
               label=f"Year officers and PCSOs per 100,000 residents in England and Wales were lowest after "
                     f"{CHANGE_FROM} (31 March)"),
        Figure("wf_low", both["low"], "per 100,000", WORKFORCE_DATA,
               label=f"{rate}, at the low point (31 March {low_year})"),
        Figure("wf_fall_pct", -both["fall_pct"], "%", WORKFORCE_DATA,
               label=f"Fall in officers and PCSOs per 100,000 residents, England and Wales, 31 March {CHANGE_FROM} "
                     f"to 31 March {low_year}"),
        Figure("wf_latest_year", latest_year, "year", WORKFORCE_DATA,
               label="Latest year of the Home Office workforce series (31 March)"),
        Figure("wf_latest", both["latest"], "per 100,000", WORKFORCE_DATA,
               label=f"{rate}, 31 March {latest_year}"),
        Figure("wf_recovery_pct", both["recovery_pct"], "%", WORKFORCE_DATA,
               label=f"Rise in officers and PCSOs per 100,000 residents, England and Wales, 31 March {low_year} "
                     f"to 31 March {latest_year}"),
        Figure("wf_pcso_fall_pct", -pcsos["net_pct"], "%", WORKFORCE_DATA,
               label=f"Fall in PCSOs (FTE) per 100,000 residents, England and Wales, 31 March {CHANGE_FROM} to "
                     f"31 March {latest_year}"),
        Figure("wf_population_first", int(national["mid_year"].min()), "year", WORKFORCE_DATA,
               label="First mid-year population estimate the workforce rates divide by (mid-year)"),
        Figure("wf_population_last", int(national["mid_year"].max()), "year", WORKFORCE_DATA,
               label="Latest mid-year population estimate the workforce rates divide by (mid-year)"),
        Figure("wf_mye_first", population.FIRST_MYE_YEAR, "year", WORKFORCE_DATA,
               label="First mid-year taken from ONS's population estimates revised after the 2021 Census "
                     "(earlier years from ONS's previous series)"),
    ]
    plot = national.rename(columns={"per_100k": "value", "role": "series"})
    chart = lines.yearly_lines(
        plot, name="workforce-per-100k", y_title="FTE per 100,000 residents",
        title="Police officers and PCSOs per 100,000 residents, England and Wales",
        subtitle=["Full-time equivalents on 31 March, summed over rank and sex, divided by the mid-year",
                  "population of the same year"],
        source=WORKFORCE_SOURCE,
        description=(f"Line chart of police officers, PCSOs and both together per 100,000 residents in England and "
                     f"Wales, 31 March 2007 to {both['latest_year']}. Officers and PCSOs together fell from "
                     f"{both['start']:.0f} in {CHANGE_FROM} to {both['low']:.0f} in {both['low_year']}, then rose "
                     f"to {both['latest']:.0f} in {both['latest_year']}."))
    return Section(plot[["year", "series", "fte", "mid_year", "population", "value"]], chart, figures)


def workforce_by_force(highlight: str | None = None) -> Section:
    """Every force's officers and PCSOs per 100,000: in 2010, at its low point, and in the latest year."""
    change = workforce.change_since(workforce.rates(), CHANGE_FROM)
    change = change[change["role"] == workforce.NEIGHBOURHOOD_ROLES].assign(area=lambda d: forces.area_names(d["pfa_code"]))
    forces_only = change[change["pfa_code"] != workforce.ENGLAND_AND_WALES]
    placed = forces_only[forces_only["pfa_code"] != forces.CITY_OF_LONDON]
    latest_year = int(change["latest_year"].max())
    below = forces_only[forces_only["latest"] < forces_only["start"]]
    rate = "Officers and PCSOs (FTE) per 100,000 residents"
    fall = f"fall in officers and PCSOs per 100,000 residents from 31 March {CHANGE_FROM} to the force's low point"
    figures = [
        Figure("wf_forces_below_start", len(below), "forces", WORKFORCE_DATA,
               label=f"Forces with fewer officers and PCSOs per 100,000 residents on 31 March {latest_year} than on "
                     f"31 March {CHANGE_FROM}"),
        Figure("wf_forces", len(forces_only), "forces", WORKFORCE_DATA,
               label=f"Forces compared on officers and PCSOs per 100,000 residents, {CHANGE_FROM} to {latest_year}"),
        Figure("wf_median_fall_pct", -forces_only["fall_pct"].median(), "%", WORKFORCE_DATA,
               label=f"Median force's {fall}"),
        # The City of London's rate per resident moves with its few residents: it is left out of the largest fall.
        Figure("wf_largest_fall_force", placed.loc[placed["fall_pct"].idxmin(), "area"], "force", WORKFORCE_DATA,
               label=f"Force with the largest {fall} (the City of London left out)"),
        Figure("wf_largest_fall_pct", -placed["fall_pct"].min(), "%", WORKFORCE_DATA,
               label=f"Largest {fall} (the City of London left out)"),
        Figure("wf_median_latest", ranking.median_force(forces_only.set_index("pfa_code")["latest"]), "per 100,000",
               WORKFORCE_DATA,
               label=f"{rate}, median force, 31 March {latest_year}"),
        Figure("wf_ew_latest", change.set_index("pfa_code").at[workforce.ENGLAND_AND_WALES, "latest"], "per 100,000",
               WORKFORCE_DATA, label=f"{rate}, England and Wales, 31 March {latest_year}"),
        *common.median_figures("wf_force_median", forces_only.set_index("pfa_code")["latest"], highlight,
                               what=f"officers and PCSOs per 100,000 residents on 31 March {latest_year}",
                               datasets=WORKFORCE_DATA),
    ]
    long = pd.concat([
        change.assign(moment=str(CHANGE_FROM), value=change["start"]),
        change.assign(moment="low point", value=change["low"]),
        change.assign(moment=str(latest_year), value=change["latest"]),
    ]).assign(order=lambda d: d["latest"])
    city = forces.get(forces.CITY_OF_LONDON)
    figures.append(Figure("wf_city_latest", change.set_index("pfa_code").at[city.code, "latest"], "per 100,000",
                          WORKFORCE_DATA, "{:,.0f}", label=f"{rate}, {city.name}, 31 March {latest_year}"))
    long = long[long["pfa_code"] != city.code]
    chart = ranked.ranked_changes(
        long[["pfa_code", "moment", "value", "order"]], name="workforce-change-by-force", highlight=highlight,
        x_title="Officers and PCSOs (FTE) per 100,000 residents",
        title=f"Officers and PCSOs per 100,000 residents by force: {CHANGE_FROM}, low point and {latest_year}",
        subtitle=["Ranked by the latest year. Counts of staff, not survey estimates, so there is no sampling error",
                  f"{city.name} is left out: per resident its rate is off this scale (see the table)"],
        source=WORKFORCE_SOURCE,
        description=(f"Ranked dot chart of officers and PCSOs per 100,000 residents for the 43 forces and England and "
                     f"Wales (without {city.name}), showing {CHANGE_FROM}, each force's low point and {latest_year}. "
                     f"In {latest_year}, "
                     f"{len(below)} of {len(forces_only)} forces were still below their {CHANGE_FROM} rate."))
    table = tables.format_table(
        change[["area", "start", "low_year", "low", "latest", "fall_pct", "recovery_pct", "net_pct"]]
        .sort_values("latest", ascending=False, kind="stable"),
        headers={"area": "Area", "start": f"31 March {CHANGE_FROM}", "low_year": "Low point (31 March)",
                 "low": "At the low point", "latest": f"31 March {latest_year}", "fall_pct": "Fall to the low (%)",
                 "recovery_pct": "Rise since the low (%)", "net_pct": f"Change since {CHANGE_FROM} (%)"},
        decimals={"start": 0, "low": 0, "latest": 0, "fall_pct": 1, "recovery_pct": 1, "net_pct": 1}, tall=True,
        caption=f"Officers and PCSOs per 100,000 residents by force, {CHANGE_FROM} to {latest_year}")
    return Section(table, chart, figures)


def officers_map(highlight: str | None = None) -> Section:
    """Map of police officers per 100,000 residents by force on 31 March of the latest year."""
    rates = workforce.rates()
    officers = rates[rates["role"] == "Police officers"]
    year = int(officers["year"].max())
    now = officers[officers["year"] == year].set_index("pfa_code")["per_100k"]
    city = forces.CITY_OF_LONDON
    shown = ranking.forces_only(now).drop(index=city)
    top, low = shown.idxmax(), shown.idxmin()
    rate = "Police officers (FTE) per 100,000 residents"
    mapped = f"per 100,000 residents on 31 March {year} (the City of London left out)"
    figures = [
        Figure("off_map_year", year, "year", WORKFORCE_DATA,
               label="Year of the map of police officers per 100,000 residents, the workforce series' latest "
                     "(31 March)"),
        Figure("off_map_ew", now[workforce.ENGLAND_AND_WALES], "per 100,000", WORKFORCE_DATA,
               label=f"{rate}, England and Wales, 31 March {year}"),
        Figure("off_map_median", ranking.median_force(now), "per 100,000", WORKFORCE_DATA,
               label=f"{rate}, median force, 31 March {year}"),
        Figure("off_map_top_force", forces.get(top).name, "force", WORKFORCE_DATA,
               label=f"Force with the most police officers {mapped}"),
        Figure("off_map_top", shown[top], "per 100,000", WORKFORCE_DATA,
               label=f"Most police officers of any force {mapped}"),
        Figure("off_map_low_force", forces.get(low).name, "force", WORKFORCE_DATA,
               label=f"Force with the fewest police officers {mapped}"),
        Figure("off_map_low", shown[low], "per 100,000", WORKFORCE_DATA,
               label=f"Fewest police officers of any force {mapped}"),
    ]
    if highlight:  # the force beside the median force as its row of the measures table has them, never a rank
        row = common.measure_row(highlight, "officers_per_100k", f"31 March {year}")
        figures.append(Figure("off_map_force_median", common.median_sentence(
            row["force"], row["value"], row["median_force"],
            what=f"police officers per 100,000 residents on 31 March {year}") if row["force_code"] != city else
            f"{forces.get(city).name} is left out of the map: per resident, its figure says little (the at-a-glance "
            "page gives it)", "sentence", row["datasets"].split("; "),
            label=f"{row['force']} against the median force: police officers per 100,000 residents, 31 March {year}"))
    values = pd.DataFrame({"pfa_code": shown.index, "value": shown.to_numpy()})
    values = pd.concat([values, pd.DataFrame({"pfa_code": [city], "value": [float("nan")],
                                              "note": ["left out: tiny resident population"]})], ignore_index=True)
    chart = maps.choropleth(
        values, name=f"officers-map-{year}", highlight=highlight, fmt=".0f",
        title=f"Police officers per 100,000 residents, 31 March {year}",
        subtitle=[f"Full-time equivalents over the mid-{year} population. England and Wales: "
                  f"{now[workforce.ENGLAND_AND_WALES]:.0f}; median force {ranking.median_force(now):.0f}"],
        measure_label="Police officers", unit="per 100,000 residents", period=f"31 March {year}",
        source=source_lines.line(WORKFORCE_DATA + [boundaries.BOUNDARIES_FILE]))
    return Section(values, chart, figures)


@national
def strength_since_1977() -> Section:
    """National officer strength each 31 March since 1977."""
    table = workforce.national_strength()
    first, last = table.iloc[0], table.iloc[-1]
    # The low point of the cuts after CHANGE_FROM, and the peak before it (numbers later rose above that peak).
    low = table[table["year"] >= CHANGE_FROM].loc[lambda d: d["officers"].idxmin()]
    peak = table[table["year"] < low["year"]].loc[lambda d: d["officers"].idxmax()]
    strength = "Police officer strength, England and Wales, 31 March"
    per_100k = ("Police officers per 100,000 residents (the same year's mid-year population), England and Wales, "
                "31 March")
    first_year, peak_year, low_year, last_year = (int(r["year"]) for r in (first, peak, low, last))
    figures = [
        Figure("strength_first_year", first_year, "year", STRENGTH_DATA,
               label="First year of the national officer strength series (31 March)"),
        Figure("strength_first", first["officers"], "officers", STRENGTH_DATA, "{:,.0f}",
               label=f"{strength} {first_year}"),
        Figure("strength_peak_year", peak_year, "year", STRENGTH_DATA,
               label=f"Year officer strength peaked before its low point after {CHANGE_FROM} (31 March)"),
        Figure("strength_peak", peak["officers"], "officers", STRENGTH_DATA, "{:,.0f}",
               label=f"{strength} {peak_year}: the peak before the low point after {CHANGE_FROM}"),
        Figure("strength_low_year", low_year, "year", STRENGTH_DATA,
               label=f"Year officer strength was lowest after {CHANGE_FROM} (31 March)"),
        Figure("strength_low", low["officers"], "officers", STRENGTH_DATA, "{:,.0f}",
               label=f"{strength} {low_year}: the low point after {CHANGE_FROM}"),
        Figure("strength_latest_year", last_year, "year", STRENGTH_DATA,
               label="Latest year of the official officer strength series (31 March)"),
        Figure("strength_latest", last["officers"], "officers", STRENGTH_DATA, "{:,.0f}",
               label=f"{strength} {last_year}"),
        Figure("strength_latest_per_100k", last["per_100k"], "per 100,000", STRENGTH_DATA,
               label=f"{per_100k} {last_year}"),
        Figure("strength_first_per_100k", first["per_100k"], "per 100,000", STRENGTH_DATA,
               label=f"{per_100k} {first_year}"),
    ]
    # 31 March 2026 from a third party's extract: its own series, never joined to the official line across the
    # years this book has no figure for.
    newest = force_indicators.national()
    gap = [y for y in range(int(last["year"]) + 1, force_indicators.OFFICERS_YEAR)]
    figures += [
        Figure("strength_2026", newest["officers_2026"], "officers", NEWEST_DATA, "{:,.0f}",
               label=f"Police officers (FTE), England and Wales, 31 March {force_indicators.OFFICERS_YEAR}"),
        Figure("strength_2026_per_100k", newest["officers_per_100k"], "per 100,000", NEWEST_DATA,
               label=f"Police officers per 100,000 residents (mid-{population.MYE_2024_YEAR}), England and Wales, "
                     f"31 March {force_indicators.OFFICERS_YEAR}"),
        Figure("strength_2026_year", force_indicators.OFFICERS_YEAR, "year", NEWEST_DATA,
               label="Year of the third party's extract of officer numbers, after the official series (31 March)"),
        Figure("strength_gap_years", common.join(str(y) for y in gap), "years", STRENGTH_DATA + NEWEST_DATA,
               label="31 March dates between the official series and the extract, not in the data")]
    plot = pd.concat([table.assign(series="Officers per 100,000 residents", value=table["per_100k"]),
                      pd.DataFrame({"year": [force_indicators.OFFICERS_YEAR], "value": [newest["officers_per_100k"]],
                                    "series": ["2026 (third-party extract)"]})], ignore_index=True)
    chart = lines.yearly_lines(
        plot, name="officer-strength-1977", y_title="Officers per 100,000 residents", zero=False,
        title=f"Police officers per 100,000 residents, England and Wales, {int(first['year'])} to "
              f"{force_indicators.OFFICERS_YEAR}",
        subtitle=[f"Officer strength on 31 March; {common.join(str(y) for y in gap)} not in the data",
                  "Per 100,000 of the same year's mid-year population, as every force figure in this book",
                  "2026 from a third party's extract of the Home Office table (Prevention Informatics)"],
        source=source_lines.line(STRENGTH_DATA + [force_indicators.INDICATORS_FILE]),
        description=(f"Line chart of police officers per 100,000 residents in England and Wales from "
                     f"{int(first['year'])} ({first['per_100k']:.0f}) to {int(last['year'])} ({last['per_100k']:.0f}). "
                     f"Officer numbers reached {peak['officers']:,.0f} in {int(peak['year'])}, fell to "
                     f"{low['officers']:,.0f} in {int(low['year'])} and were {last['officers']:,.0f} in "
                     f"{int(last['year'])}; a third party's extract gives {newest['officers_2026']:,.0f} in "
                     f"{force_indicators.OFFICERS_YEAR} ({newest['officers_per_100k']:.0f} per 100,000), drawn as a "
                     "separate point."))
    return Section(table.round(1), chart, figures)


@national
def hot_spots(path=None, key: str = "hs", force: str | None = None) -> Section:
    """How concentrated crime and ASB are across neighbourhoods (LSOAs) and map points, in police.uk street data.

    `path`: one monthly street file or a force's police.uk download folder (default: the
    Bedfordshire sample). Over several months, a second chart shows the top 5% of LSOAs' share each month.
    """
    crimes = policeuk.read("street", path, force)
    datasets, extra = common.policeuk_provenance(crimes, "street", key)
    shares = pd.concat([policeuk_measures.concentration(crimes, place) for place in policeuk_measures.PLACES],
                       ignore_index=True)
    curve = policeuk_measures.concentration_curve(crimes, "LSOA")
    month, force_name = policeuk.span(crimes), policeuk.force_name(crimes)
    slug = "" if path is None else "-" + forces.get(crimes.attrs["force"]).slug
    source = f"police.uk street-level crime, {crimes.attrs['label']}; OGL v3.0"
    where = crimes.attrs["label"]
    figures = [Figure(f"{key}_month", month, "month", datasets,
                      label=f"Period of {force_name}'s police.uk street-level data in the hot-spot figures"),
               Figure(f"{key}_force", force_name, "force", datasets,
                      label="Force whose police.uk street-level data the hot-spot figures use"),
               Figure(f"{key}_records", len(crimes), "records", datasets, "{:,.0f}",
                      label=f"Street-level crime and anti-social behaviour records, {where}")] + extra
    # Crime here is every street record but anti-social behaviour; map points are police.uk's anonymised locations.
    incidents = {"Crime": "crime (other than anti-social behaviour)", policeuk.ASB: "anti-social behaviour"}
    places = {"LSOA": "neighbourhoods (LSOAs)", "location": "police.uk map points"}
    for r in shares.itertuples():
        kind = "crime" if r.incidents == "Crime" else "asb"
        figures.append(Figure(f"{key}_{kind}_{r.place.lower()}_top{r.top_pct}", r.share_pct, "%", datasets,
                              label=f"Share of located {incidents[r.incidents]} in the "
                                    f"busiest {r.top_pct}% of {places[r.place]}, {where}"))
    lsoa = shares[(shares["place"] == "LSOA") & (shares["incidents"] == "Crime")].iloc[0]
    top1 = shares[(shares["place"] == "LSOA") & (shares["incidents"] == "Crime") & (shares["top_pct"] == 1)].iloc[0]
    figures += [Figure(f"{key}_crime_lsoas", lsoa["of_places"], "LSOAs", datasets,
                       label=f"Neighbourhoods (LSOAs) with at least one located crime, {where}"),
                Figure(f"{key}_crime_unlocated", lsoa["unlocated"], "records", datasets,
                       label=f"Crime records with no location, left out of the hot-spot shares, {where}"),
                # Chance alone makes some places busier than others: the share the busiest 1% would hold if the same
                # crimes fell at random on the same places, and how far the observed share is beyond it.
                Figure(f"{key}_crime_lsoa_top1_chance", top1["chance_share_pct"], "%", datasets, "{:.1f}",
                       label=f"Share of located crime the busiest 1% of neighbourhoods (LSOAs) would hold by chance "
                             f"alone (the same crimes spread at random over the same LSOAs, simulated), {where}"),
                Figure(f"{key}_crime_lsoa_top1_beyond", top1["beyond_chance_pts"], "percentage points", datasets,
                       "{:.1f}", label=f"How far the busiest 1% of neighbourhoods' (LSOAs') share of located crime "
                                       f"is beyond the share by chance alone, {where}")]
    chart = lines.concentration_curve(
        curve, name=f"hot-spot-concentration{slug}", source=source,
        title=f"How concentrated crime and ASB are across neighbourhoods, {crimes.attrs['label']}",
        subtitle="LSOAs with at least one incident, busiest first; dashed grey line: no concentration",
        description=(f"Concentration curves for recorded crime and anti-social behaviour across LSOAs in {force_name}, "
                     f"{month}. The busiest tenth of LSOAs held {lsoa['share_pct']:.0f}% of crime recorded with a "
                     "location. A curve bowed above the diagonal means incidents cluster in few places."))
    table = tables.format_table(
        shares[["incidents", "place", "top_pct", "places", "of_places", "share_pct", "chance_share_pct",
                "unlocated"]],
        headers={"incidents": "Incidents", "place": "Place", "top_pct": "Busiest (% of places)",
                 "places": "Places", "of_places": "Of places with any", "share_pct": "Share of incidents (%)",
                 "chance_share_pct": "Share by chance alone (%)", "unlocated": "Records with no location"},
        decimals={"share_pct": 1, "chance_share_pct": 1}, caption=f"How concentrated incidents were, {crimes.attrs['label']}")
    more = []
    if len(crimes.attrs["months"]) > 1:
        monthly = policeuk_measures.monthly_concentration(crimes)
        more.append(lines.dated_lines_with_ci(
            common.as_dated(monthly, "Crime in the busiest 5% of LSOAs", ci=False),
            name=f"hot-spot-monthly{slug}", source=source, y_title="% of located crime",
            title=f"Share of crime in the busiest 5% of neighbourhoods each month, {crimes.attrs['label']}",
            subtitle="Each month's own busiest 5% of LSOAs; the table sets each share against chance alone",
            description=(f"Line chart of the share of located crime (not ASB) in each month's busiest 5% of LSOAs in "
                         f"{force_name}, {month}: from {monthly['share_pct'].min():.0f}% to "
                         f"{monthly['share_pct'].max():.0f}%.")))
    return Section(table, chart, figures, more, common.policeuk_gap_note(crimes))


def _with_runs(rows: pd.DataFrame, series: str) -> pd.DataFrame:
    """Some rows of force_series named as one chart series, each a segment per run of its measure
    (force_series.runs: never joined across a break or a missing year)."""
    return rows.assign(series=series, segment=rows["measure_id"] + "|" + force_series.runs(rows))


def _median_rows(measure_id: str, codes: list[str]) -> pd.DataFrame:
    """The comparable forces' median each period (force_series.median_of) as one chart series."""
    median = force_series.median_of(measure_id, codes)
    return median.assign(series=PEERS_MEDIAN, force_code=None, measure_id=measure_id,
                         segment=f"{measure_id}|{PEERS_MEDIAN}")


def force_section(force: str) -> Section:
    """The force's officers and PCSOs per 100,000 over time, beside England and Wales and its comparable forces (their
    median, which no one unusual force drives), with each comparable force's own figures in the table: the rows of
    measures/force_series. After the workforce data's last date, which has PCSOs, officers alone at each newer date
    the series has (another source: a break), drawn apart, the break marked and graded, and in the table."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    everyone = force_series.for_areas(STAFF_MEASURE)
    latest = int(everyone["year_ending"].max())
    officers = force_series.for_areas(OFFICERS_MEASURE)
    after = officers[officers["period_end"] > everyone["period_end"].max()]
    parts, like = [], []  # like: officers alone at the workforce data's last date, hollow, beside the newer points
    for code, name in ((f.code, f.short_name), (forces.ENGLAND_AND_WALES, "England and Wales")):
        mine = officers[officers["force_code"] == code]
        parts += [_with_runs(everyone[everyone["force_code"] == code], name),
                  _with_runs(mine, name).loc[mine.index.isin(after.index)]]
        like.append(_with_runs(mine, name).loc[mine["period_end"] == everyone["period_end"].max()])
    if peers:
        newer = _median_rows(OFFICERS_MEASURE, peers)
        parts += [_median_rows(STAFF_MEASURE, peers), newer[newer["year_ending"] > latest]]
        like.append(newer[newer["year_ending"] == latest])
    like = [rows.assign(segment=rows["segment"] + "|alone then") for rows in like]
    plot = pd.concat([p[["year_ending", "series", "force_code", "value", "segment", "measure_id"]]
                      for p in parts + like], ignore_index=True).rename(
        columns={"year_ending": "year", "force_code": "pfa_code"})
    # Hollow: officers alone (at the last joint date and every newer one); filled: officers and PCSOs.
    plot = plot.assign(flagged=plot.pop("measure_id") == OFFICERS_MEASURE)
    wide = everyone.pivot(index="force_code", columns="year_ending", values="value")[[CHANGE_FROM, latest]]
    # Each newer date's officers alone, by its period with its grade (a third party's extract says so).
    dated = {str(year): marked(rows["period"].iloc[0], rows["datasets"].iloc[0].split("; "))
             for year, rows in after.groupby("year_ending", sort=True)}
    # Officers alone at the workforce data's last date too, so the newer officers-alone figures sit beside their like.
    then = officers[officers["period_end"] == everyone["period_end"].max()]
    wide = wide.rename(columns=str).join(then.set_index("force_code")["value"].rename(OFFICERS_THEN)).join(
        after.pivot(index="force_code", columns="year_ending", values="value").rename(columns=str))
    rows = ranking.comparison_rows(wide, f.code, peers)
    # What the chart draws at its last joint date, on both measures.
    newest = plot[(plot["year"] == latest) & plot["value"].notna() & ~plot["flagged"]]
    alone_then = plot[plot["flagged"] & (plot["year"] == latest)]
    alone = plot[plot["year"] > latest]
    first = after.sort_values("period_end", kind="stable").iloc[0]
    no_pcsos = (f"PCSOs have no figure after 31 March {latest} in this book's data: "
                + "; ".join(f"at {d}, police officers alone" for d in dated.values())
                + f", from another source on {first['basis']}, drawn apart and never joined to the line")
    # The break marked as the dashboard's small trends mark it, graded; labelled left of the rule, near the right edge.
    # The rule unlabelled: a label at its top ran over the lines on a phone, and the subtitle says what it marks.
    marks = pd.DataFrame({"year": [first["year_ending"] - 0.5], "label": [""]})
    chart = lines.yearly_lines(
        plot, name=f"workforce-force-{f.slug}", highlight=f.code, y_title="Full-time equivalent per 100,000 residents",
        fmt=",.0f",
        title=f"Officers and PCSOs per 100,000 residents: {f.name}",
        subtitle=[(f"Comparable forces, their median each year (no one force drives it): "
                   f"{', '.join(forces.get(c).short_name for c in peers)}" if peers else comparable.NO_PEERS_NOTE),
                  f"Filled: officers and PCSOs. Hollow: police officers alone at 31 March {latest} and, after the "
                  f"dashed rule, police officers alone at {common.join(list(dated.values()))}, on {first['basis']}, "
                  f"not joined: PCSOs have no figure after 31 March {latest} in this book's data"],
        marks=marks, name_at_last=True, source=source_lines.line(force_series.datasets_of(pd.concat([everyone, after]))),
        description=(f"Line chart of officers and PCSOs per 100,000 residents in {f.name}, England and Wales"
                     + (" and the median of its comparable forces" if peers else "")
                     + f", 2007 to {latest}, and police officers alone after it. At 31 March {latest}: "
                     + "; ".join(f"{series} {fmt_number(value)}" for series, value in
                                 newest[["series", "value"]].itertuples(index=False)) + ". "
                     + f"Police officers alone at 31 March {latest}: " + "; ".join(
                         f"{series} {fmt_number(value)}" for series, value in
                         alone_then[["series", "value"]].itertuples(index=False)) + ". "
                     + "".join(f"Police officers alone at {d}: " + "; ".join(
                         f"{series} {fmt_number(value)}" for series, value in
                         alone.loc[alone["year"] == int(year), ["series", "value"]].itertuples(index=False)) + ". "
                         for year, d in dated.items())
                     + f"{no_pcsos}."))
    shown = tables.format_table(rows, headers={"area": "Area", str(CHANGE_FROM): f"31 March {CHANGE_FROM}",
                                               str(latest): f"31 March {latest}",
                                               OFFICERS_THEN: f"Officers alone, 31 March {latest}"}
                                | {year: f"Officers alone, {d}" for year, d in dated.items()},
                                decimals={str(CHANGE_FROM): 0, str(latest): 0, OFFICERS_THEN: 0}
                                | {year: 0 for year in dated},
                                kind="force",
                                caption=f"Officers and PCSOs per 100,000 residents: {f.name} and others; "
                                        f"officers alone at 31 March {latest} and after")
    return Section(shown, chart, [], note=f"{no_pcsos}.")


def own_hot_spots(force: str, folder: str | None = None) -> Section:
    """The force's own hot spots from its police.uk download, or a note saying where they would go."""
    return common.own_policeuk_section(force, folder, "hot spot figures",
                                       lambda: hot_spots(folder, key="own_hs", force=force))


def evidence_section() -> Section:
    """The chapter's cited evidence, one table per message of the guide, and the register figures it quotes."""
    return evidence.section("1")

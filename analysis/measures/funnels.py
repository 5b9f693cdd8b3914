"""The forces' funnels that more than one page shows (searches and deaths per resident, recorded crime, IOPC reviews
upheld, the Black/White search and use of force rate ratios), fitted in one place so a chart and every verdict drawn from it use the same fit and centre: each rate per
resident is centred on the median force's rate (methods/funnel.forces_rate_funnel), never on England and Wales's
pooled rate, which the Metropolitan Police pulls. Each is national, so it is fitted once per kernel (every edition
reads it again)."""

from __future__ import annotations

import pandas as pd

from analysis.measures import search_ratios
from analysis.methods import disproportionality, funnel, per_resident
from analysis.sources import cache, census, forces, iopc_extract, pfa_crime_2025, population, search_totals_2025
from analysis.sources import stop_search as ss
from analysis.sources.use_of_force import FILES as USE_OF_FORCE_FILES


@cache.in_memory
def searches_per_1000(year: int | None = None) -> pd.DataFrame:
    """Searches per 1,000 residents (mid-year population of the year) by area, for one year ending March
    (default: the latest)."""
    totals = ss.search_totals()
    year = year or int(totals["year_ending"].max())
    out = per_resident.per_1000_residents(totals[totals["year_ending"] == year])
    return out.assign(force=forces.area_names(out["pfa_code"]))


@cache.in_memory
def search_funnel(year: int | None = None) -> funnel.Funnel:
    """Searches per 1,000 residents by force on a funnel around the median force (methods/funnel), for one year
    ending March (default: the latest); the table's column `funnel` says where each force falls."""
    fitted = funnel.forces_rate_funnel(searches_per_1000(year), "searches", "population", 1000)
    fitted.table["force"] = forces.area_names(fitted.table["pfa_code"])
    return fitted


@cache.in_memory
def newest_search_funnel() -> funnel.Funnel:
    """Searches per 1,000 residents (mid-2024) by force in 2024/25, from the Home Office's force totals, on a funnel
    around the median force: what chapter 5 draws and the measures table's 2024/25 verdicts."""
    searches = search_totals_2025.load().set_index("pfa_code")["searches"]
    pop = population.for_year(population.MYE_2024_YEAR)
    counts = pd.DataFrame({"pfa_code": searches.index, "searches": searches.to_numpy(),
                           "population": pop.reindex(searches.index).to_numpy()})
    fitted = funnel.forces_rate_funnel(counts, "searches", "population", 1000)
    fitted.table["force"] = forces.area_names(fitted.table["pfa_code"])
    return fitted


@cache.in_memory
def deaths_funnel() -> funnel.Funnel:
    """Deaths per million residents a year by force on a funnel around the median force (methods/funnel); the
    table's column `funnel` says where each force falls."""
    return funnel.forces_rate_funnel(per_resident.deaths_by_force(), "fatalities", "person_years", 1e6)


CRIME_DATA = [pfa_crime_2025.TABLE_FILE, population.MYE_2024_FILE]


@cache.in_memory
def recorded_crime_rates() -> pd.DataFrame:
    """Recorded crime (excluding fraud) per 1,000 residents by force in ONS's newest counts (year ending June 2025), on
    mid-2024 residents, and England and Wales's as the 43 territorial forces' (British Transport Police's offences,
    which ONS's national row adds, belong to no force area: one definition, as every national figure here); the City
    of London's rate is left out, as ONS leaves it out of its rates (too few residents)."""
    crime = pfa_crime_2025.load()
    by_force = crime[crime["pfa_code"] != forces.ENGLAND_AND_WALES]
    crime = pd.concat([by_force, pd.DataFrame({"pfa_code": [forces.ENGLAND_AND_WALES],
                                               "crimes": [by_force["crimes"].sum()]})], ignore_index=True)
    crime["population"] = crime["pfa_code"].map(population.for_year(population.MYE_2024_YEAR))
    crime["per_1000"] = (1000 * crime["crimes"] / crime["population"]).where(
        crime["pfa_code"] != forces.CITY_OF_LONDON)
    return crime


@cache.in_memory
def recorded_crime_funnel() -> tuple[funnel.Funnel, str]:
    """Recorded crime per 1,000 residents by force in ONS's newest counts (year ending June 2025, mid-2024 residents)
    on a funnel around the median force (the City of London, with no rate, in neither), and its period: what chapter
    7 and the dashboard draw and the measures table's verdicts."""
    crime = recorded_crime_rates()
    fitted = funnel.forces_rate_funnel(crime[crime["per_1000"].notna()], "crimes", "population", 1000)
    fitted.table["force"] = forces.area_names(fitted.table["pfa_code"])
    return fitted, pfa_crime_2025.PERIOD


@cache.in_memory
def review_funnel() -> funnel.Funnel:
    """IOPC reviews of complaint outcomes completed in 2024/25, the share upheld (the force's decision overturned), by
    force on a funnel around the median force's share of the forces with enough reviews to place
    (funnel.forces_proportion_funnel: a force with fewer than config.MIN_CASES_FOR_SHARE keeps its share, unplaced):
    what chapter 6 draws and the measures table's verdicts."""
    fitted = funnel.forces_proportion_funnel(iopc_extract.review_outcomes(), "overturned", "reviews")
    fitted.table["force"] = forces.area_names(fitted.table["pfa_code"])
    return fitted


@cache.in_memory
def counted_ratio_funnel() -> funnel.Funnel:
    """The Black/White search rate ratio by force in the newest year of the search counts, on residents interpolated
    between the censuses, on a log-scale funnel around England and Wales excluding the Met (whose searches make most
    of the national ratio): what chapter 3 draws and the measures table's places. The City of London is not compared
    (per resident its ratio says little) and a force whose two denominators disagree by more than its interval is not
    placed (funnel.DENOMINATORS_APART); both stay in the fit's spread, as every force with a ratio does."""
    ratios = search_ratios.rate_ratio_table()
    black = ratios[ratios["group"] == "Black"]
    bw = black[black["year_ending"] == black["year_ending"].max()]
    centre = bw.set_index("pfa_code").at[forces.EW_EXCLUDING_MET, "rate_ratio_interpolated"]
    fitted = funnel.forces_ratio_funnel(bw, "searches", "searches_ref", "rate_ratio_interpolated", centre,
                                        search_ratios.CENTRE_NAME)
    table = fitted.table
    table.loc[table["denominator_uncertain"], "funnel"] = funnel.DENOMINATORS_APART
    table.loc[table["pfa_code"] == forces.CITY_OF_LONDON, "funnel"] = funnel.CITY_NOT_COMPARED
    return fitted


@cache.in_memory
def published_ratio_funnel() -> tuple[funnel.Funnel, float]:
    """The Black/White ratios of the 2022/23 published rates (Census 2021) on a log-scale funnel around England and
    Wales excluding the Met, and that centre: what chapter 3's map and funnel show and the measures table's places. A
    force is placed from the counts rebuilt from its rates; one without them is left out of the fit."""
    ratios = disproportionality.published_ratios()
    counted = ratios[ratios["ci_low"].notna()]
    without_met = search_ratios.ratio_without_met(ratios, "black_searches", "black_population", "white_searches",
                                                  "white_population")
    return funnel.forces_ratio_funnel(counted, "black_searches", "white_searches", "ratio", without_met,
                                      search_ratios.CENTRE_NAME), without_met


@cache.in_memory
def use_of_force_ratios() -> pd.DataFrame:
    """The Black/White ratio of tactic uses per resident by area and year, on the 2011 Census (`value`, the Home
    Office's denominator) and on residents interpolated between the censuses (`value_interpolated`, the book's), with
    the range between them (methods/disproportionality.ratios_on_both_denominators)."""
    return disproportionality.ratios_on_both_denominators(
        disproportionality.use_of_force_ratios(), disproportionality.use_of_force_ratios(interpolate=True),
        keys=("pfa_code", "year_ending"), ratio="value")


def use_of_force_data(year: int) -> list[str]:
    """The datasets a year's use of force ratios are read from: the year's file and both censuses."""
    return [USE_OF_FORCE_FILES[year], census.CENSUS_2011_FILE, census.CENSUS_FILE]


@cache.in_memory
def use_of_force_funnel() -> funnel.Funnel:
    """The Black/White ratio of tactic uses per resident by force in the newest year, on interpolated residents, on a
    log-scale funnel around England and Wales excluding the Met (as chapter 3's search funnels, and for the same
    reason): what chapter 5 draws and the measures table's places. The City of London is not compared and a force
    whose two denominators disagree by more than its interval is not placed, as on the search funnels."""
    table = use_of_force_ratios()
    now = table[table["year_ending"] == table["year_ending"].max()]
    # Residents worked back from each group's rate per 1,000, to sum the forces other than the Met.
    residents = now.assign(black_people=1000 * now["black_uses"] / now["black_per_1000_interpolated"],
                           white_people=1000 * now["white_uses"] / now["white_per_1000_interpolated"])
    without_met = search_ratios.ratio_without_met(residents, "black_uses", "black_people", "white_uses",
                                                  "white_people")
    fitted = funnel.forces_ratio_funnel(now.rename(columns={"value": "official"}), "black_uses",
                                        "white_uses", "value_interpolated", without_met, search_ratios.CENTRE_NAME)
    placed = fitted.table
    placed.loc[placed["denominator_uncertain"], "funnel"] = funnel.DENOMINATORS_APART
    placed.loc[placed["pfa_code"] == forces.CITY_OF_LONDON, "funnel"] = funnel.CITY_NOT_COMPARED
    return fitted

"""A force at a glance: its key measures beside England and Wales, the median force and each comparable force,
a map, ranked charts and small trends, with significance-aware wording and every figure dated."""

from __future__ import annotations

import html

import pandas as pd

from analysis import config
from analysis.chapters import c02_neighbourhood_policing as c02
from analysis.chapters import c03_procedural_justice as c03
from analysis.chapters import c05_contact_with_suspects as c05
from analysis.chapters import c06_police_wrongdoing as c06
from analysis.chapters import c07_what_else_matters as c07
from analysis.chapters import common, key_points
from analysis.chapters import guide_and_force as guide
from analysis.methods import comparable, disproportionality, funnel, per_resident, ranking, stats, survey
from analysis.present import funnels, lines, maps, ranked, tables
from analysis.present.glue import EVIDENCE_LINK, LOCAL_DATA, NOT_CHARTED, Figure, Section, marked
from analysis.present.numbers import fmt_interval, fmt_number
from analysis.sources import boundaries, census, force_indicators, forces, iopc, iopc_extract, localfiles, manifest
from analysis.sources import met_pas
from analysis.sources import pfa_tables, population, workforce
from analysis.sources import local_survey as own_surveys
from analysis.sources import search_rates as sr
from analysis.sources import search_totals_2025, stop_search as ss
from analysis.sources.periods import financial_year

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
HEADERS = {"measure": "Measure", "period": "Period", "force": "This force", "england_and_wales": "England and Wales",
           "median_force": "Median force", "comparison": "What the comparison says"}


def outlier_note(code: str) -> str:
    """The caveat an outlier force's page carries (the City of London, the Met); '' for any other force."""
    if code == forces.CITY_OF_LONDON:
        latest = int(population.population_by_year()["mid_year"].max())
        residents = population.for_year(latest)[code]
        return (f"The City of London is an outlier on measures per resident: about "
                f"{fmt_number(round(residents, -3), 0)} people lived there in mid-{latest}, but "
                "hundreds of thousands work in or visit it each day, so rates per resident, such as its officers and "
                "searches, are many times other forces' and say little about policing. This page does not test "
                "them against England and Wales, and ONS suppresses its recorded crime rate.")
    if code == forces.METROPOLITAN:
        return ("The Metropolitan Police is by far the largest force, so England and Wales figures lean towards it: "
                "compare it with the median force and with its comparable forces as well as with England and Wales. "
                "The CSEW reports it together with the City of London.")
    return ""


# In place of a test against England and Wales, for the City of London's rates per resident.
CITY_PER_RESIDENT = "not tested: per resident, the City's figures say little (see the note above)"
NO_SAMPLING = "a count of every case, not a sample: no sampling error"
WORKFORCE_YEAR = 2023


def _funnel_wording(fitted: funnel.Funnel, code: str) -> str:
    """Where the force falls on the funnel around England and Wales (methods/funnel), as the chapters say it: never
    against the rest of England and Wales, which the Metropolitan Police drives, and never a rank."""
    verdict = fitted.table.set_index("pfa_code").at[code, "funnel"]
    if code == forces.CITY_OF_LONDON:
        return CITY_PER_RESIDENT
    caveat = funnel.wide_caveat(fitted.spread) if verdict == funnel.WITHIN else None
    return f"{verdict} around England and Wales" + (f" ({caveat})" if caveat else "")


def _count_wording(value: float, median: float, unit: str, fmt_decimals: int = 0) -> str:
    """How far the force is from the median force, in the measure's own unit ("22 officers per 100,000 above"),
    worked out from the two figures as the row shows them, so the words and the columns agree."""
    shown = [float(fmt_number(v, fmt_decimals, thousands=False)) for v in (value, median)]
    diff = shown[0] - shown[1]
    if diff == 0:
        return f"the same as the median force; {NO_SAMPLING}"
    side = "above" if diff > 0 else "below"
    amount = fmt_number(abs(diff), fmt_decimals)
    noun, _, rest = unit.partition(" ")
    unit = " ".join(filter(None, [noun.removesuffix("s") if amount == "1" else noun, rest]))
    return f"{amount} {unit} {side} the median force; {NO_SAMPLING}"


def _row(measure: str, period: str, values: pd.Series, code: str, peers: list[str], comparison: str, *,
         datasets: list[str], fmt: str = "{:.1f}", force_text: str | None = None, national=None) -> dict:
    """One dashboard row: the force, England and Wales, the median force, then the force's own figure and each
    comparable force's, keyed by ONS code (the force's without its interval, as the peers' have none). The period
    carries the source grade where a reader must be told it; the row keeps its datasets for the data pack."""
    decimals = int(fmt.split(".")[1][0])
    own = values.get(code)
    ew = values.get(ENGLAND_AND_WALES) if national is None else national
    row = {"measure": measure, "period": marked(period, datasets), "datasets": list(datasets),
           "force": force_text or ("no published figure" if own is None or pd.isna(own) else fmt_number(own, decimals)),
           "england_and_wales": "–" if ew is None or pd.isna(ew) else fmt_number(ew, decimals),
           "median_force": fmt_number(ranking.median_force(values), decimals), "comparison": comparison}
    for area in (code, *peers):
        value = values.get(area)
        row[area] = "–" if value is None or pd.isna(value) else fmt_number(value, decimals)
    return row


# The datasets behind the newest rows (a third party's extracts; populations mid-2024, ethnic groups Census 2021).
INDICATOR_DATA = [force_indicators.INDICATORS_FILE, population.MYE_2024_FILE]
RATIO_2025_DATA = [force_indicators.INDICATORS_FILE, census.CENSUS_FILE]
SEARCH_2025_DATA = [search_totals_2025.TOTALS_FILE, population.MYE_2024_FILE]


def _ratio_wording(count, exposure, ref_count, ref_exposure) -> tuple[str, str]:
    """A Black/White search rate ratio with its score interval, and what it says against parity (1)."""
    if min(count, ref_count) < config.MIN_EVENTS_FOR_RATIO:
        return disproportionality.TOO_FEW, f"fewer than {config.MIN_EVENTS_FOR_RATIO} searches in a group"
    row = stats.poisson_rate_ratio(count, exposure, ref_count, ref_exposure).iloc[0]
    text = f"{fmt_number(row['rate_ratio'], 1)} (95% CI {fmt_interval(row['ci_low'], row['ci_high'], 1)})"
    return text, ("Black people searched significantly more often than White people per resident"
                  if row["ci_low"] > 1 else "not significantly different from parity (1)")


def _change(before: float, after: float, what: str, since: str, decimals: int = 0) -> str:
    """'down from 287 PCSOs (FTE) at 31 March 2022': a stock's change since the previous date, in its own unit."""
    if pd.isna(before):
        return f"no figure at {since}"
    if round(after, decimals) == round(before, decimals):
        return f"unchanged since {since}"
    return f"{'up' if after > before else 'down'} from {fmt_number(before, decimals)} {what} at {since}"


def newest_rows(code: str, peers: list[str]) -> tuple[list[dict], list[Figure]]:
    """The rows from the newest figures (officers at 31 March 2026, searches in 2024/25, recorded crime to March
    2026, deaths in 2024/25): third-party extracts, each period marked so, shown before the official rows they
    update."""
    f = forces.get(code)
    untested = code == forces.CITY_OF_LONDON
    ind = force_indicators.load().set_index("pfa_code")
    ew = force_indicators.national()
    rows, figures = [], []

    per = pd.concat([ind["officers_per_100k_2024_pop"], pd.Series({ENGLAND_AND_WALES: ew["officers_per_100k"]})])
    was = workforce.load_workforce()
    was = was[(was["role"] == "Police officers") & (was["year"] == WORKFORCE_YEAR)].set_index("pfa_code")["fte"]
    moved = _change(was.get(code), ind.at[code, "officers_2026"], "officers (FTE)", f"31 March {WORKFORCE_YEAR}")
    rows.append(_row("Police officers per 100,000 residents (mid-2024 population)",
                     f"31 March {force_indicators.OFFICERS_YEAR}", per, code, peers,
                     CITY_PER_RESIDENT if untested else
                     _count_wording(per[code], ranking.median_force(per), "officers per 100,000 residents")
                     + f"; {fmt_number(ind.at[code, 'officers_2026'], 0)} officers (FTE), {moved}", fmt="{:.0f}",
                     datasets=INDICATOR_DATA))
    figures += [Figure("g_officers26", per[code], "per 100,000", INDICATOR_DATA, "{:,.0f}",
                       label=f"Police officers per 100,000 residents, {f.name}, 31 March 2026"),
                Figure("g_officers26_ew", ew["officers_per_100k"], "per 100,000", INDICATOR_DATA, "{:,.0f}",
                       label="Police officers per 100,000 residents, England and Wales, 31 March 2026")]

    people = census.census2021_by_ethnicity().pivot(index="pfa_code", columns="group", values="population")
    me = ind.loc[code]
    if untested:
        text, comparison = "not given", "the third party gives no ratio: too few residents for a rate per resident"
    elif pd.isna(me["bw_ratio"]):
        text, comparison = "not given", "the third party gives no ratio here: fewer than 30 searches of Black people"
    else:
        text, comparison = _ratio_wording(me["searches_black"], people.at[code, "Black"], me["searches_white"],
                                          people.at[code, "White"])
    rows.append(_row("Black/White stop and search rate ratio (Census 2021)",
                     financial_year(force_indicators.SEARCH_YEAR),
                     pd.concat([ind["bw_ratio"], pd.Series({ENGLAND_AND_WALES: ew["bw_ratio"]})]), code, peers,
                     comparison + "; self-defined ethnicity", force_text=text, datasets=RATIO_2025_DATA))
    figures += [Figure("g_bw25_label", text, "ratio", RATIO_2025_DATA,
                       label=f"Black/White search rate ratio, {f.name}, 2024/25"),
                Figure("g_bw25_ew", ew["bw_ratio"], "ratio", RATIO_2025_DATA, "{:.1f}",
                       label="Black/White search rate ratio, England and Wales (the 43 forces), 2024/25")]

    searches = search_totals_2025.load().set_index("pfa_code")["searches"]
    pop = population.for_year(population.MYE_2024_YEAR)
    rate = 1000 * searches / pop.reindex(searches.index)
    total, residents = searches.sum(), pop[ENGLAND_AND_WALES]
    rate[ENGLAND_AND_WALES] = 1000 * total / residents
    counts = pd.DataFrame({"pfa_code": searches.index, "searches": searches.to_numpy(),
                           "population": pop.reindex(searches.index).to_numpy()})
    wording = _funnel_wording(funnel.forces_rate_funnel(counts, "searches", "population", total / residents, 1000),
                              code)
    rows.append(_row("Stop and searches per 1,000 residents (mid-2024 population)",
                     financial_year(search_totals_2025.YEAR_ENDING), rate, code, peers, wording,
                     datasets=SEARCH_2025_DATA))
    figures.append(Figure("g_search_rate25", rate[code], "per 1,000", SEARCH_2025_DATA, "{:.1f}",
                          label=f"Stop and searches per 1,000 residents, {f.name}, 2024/25"))

    crime = ind["crime_rate"]
    # The extract gives rates to 0.1 per 1,000, not counts: the counts are worked back from them (a few dozen
    # offences either way), which moves no force across a limit that wide.
    crimes = pd.DataFrame({"pfa_code": crime.index, "crimes": (crime * pop.reindex(crime.index) / 1000).to_numpy(),
                           "population": pop.reindex(crime.index).to_numpy()}).dropna()
    centre = crimes["crimes"].sum() / crimes["population"].sum()
    rows.append(_row("Recorded crime per 1,000 residents (excluding fraud)",
                     force_indicators.CRIME_PERIOD, crime, code, peers,
                     "too few residents for a rate per resident" if pd.isna(crime[code]) else
                     _funnel_wording(funnel.forces_rate_funnel(crimes, "crimes", "population", centre, 1000), code)
                     + " (the 43 forces' total: the extract gives no national rate)",
                     datasets=[force_indicators.INDICATORS_FILE, population.MYE_2024_FILE]))

    deaths = iopc_extract.deaths_by_year().set_index("year")["deaths"]
    year = deaths.index[-1]
    rows.append({"measure": "Deaths during or following police contact, England and Wales (a year)",
                 "period": marked(year, iopc_extract.DATASETS), "datasets": iopc_extract.DATASETS,
                 "force": "not in this data by force",
                 "england_and_wales": fmt_number(deaths[year], 0), "median_force": "–",
                 "comparison": (f"{fmt_number(deaths.iloc[-2], 0)} deaths in {deaths.index[-2]}; later IOPC editions revise "
                                "earlier years by a few deaths as investigations end")})
    figures.append(Figure("g_deaths25_ew", int(deaths[year]), "deaths", iopc_extract.DATASETS, "{:,.0f}",
                          label=f"Deaths during or following police contact, England and Wales, {year}"))
    return rows, figures


def survey_rows(force: str, local_survey: str | None = None) -> list[dict]:
    """A dashboard row for the headline measure of the force's own survey (the file's first measure: the
    force-wide, all-respondents figure in its latest period, with its interval and its change from a year
    earlier), as its chapter 1 section shows it; none when the force has no survey here."""
    f = forces.resolve(force)
    df = own_surveys.for_edition(f.code, local_survey)
    if df is None:
        return []
    area = own_surveys.total_area(df, f.code)
    now = survey.latest(df)
    now = now[(now["area"] == area) & (now["group"] == "All") & (now["measure"] == df["measure"].iloc[0])]
    moved = survey.changes(df)
    moved = moved[(moved["area"] == area) & (moved["group"] == "All") & (moved["against"] == "a year earlier")]
    rows = []
    survey_name = df.attrs.get("survey_name") or "the force's own survey"
    for r in now.itertuples():
        value = fmt_number(100 * r.share, 0) + "%"
        value += (f" (95% CI {fmt_interval(100 * r.ci_low, 100 * r.ci_high, 0)})" if pd.notna(r.ci_low) else
                  f" ({survey.NO_INTERVAL})")
        change = moved[moved["measure"] == r.measure]
        rows.append({"measure": f"{r.measure} ({survey_name}: {area})", "period": r.period,
                     "datasets": df.attrs.get("datasets") or [f"{LOCAL_DATA}{df.attrs.get('name', 'survey')}"],
                     "force": value,
                     "england_and_wales": "not comparable", "median_force": "not comparable",
                     "comparison": change["wording"].iloc[0] if len(change) else "no figure a year earlier"})
    return rows


def measures(force: str, local_survey: str | None = None) -> tuple[pd.DataFrame, list[Figure], pd.DataFrame]:
    """The dashboard rows for one force, its glued figures, and the trend series behind its small charts."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    rows, figures, trends = survey_rows(f.code, local_survey), [], []
    untested = f.code == forces.CITY_OF_LONDON  # its rates per resident are not tested (outlier_note says why)
    newest, figures = newest_rows(f.code, peers)
    officers26, bw25, search25, crime26, deaths25 = newest

    # Black/White search rate ratio, 2018/19, on residents interpolated between the censuses (the book's figure),
    # with the Home Office's method (2011 Census) beside it; a verdict only where the two denominators agree.
    ratios = c03.rate_ratio_table()
    bw_all = ratios[ratios["group"] == "Black"]
    latest = int(bw_all["year_ending"].max())
    bw = bw_all[bw_all["year_ending"] == latest].set_index("pfa_code")
    mine = bw.loc[f.code]
    year = financial_year(latest)
    if pd.isna(mine["rate_ratio_interpolated"]):
        text, comparison = disproportionality.TOO_FEW, f"fewer than {config.MIN_EVENTS_FOR_RATIO} searches in a group"
    else:
        text = (f"{fmt_number(mine['rate_ratio_interpolated'], 1)} (95% CI "
                f"{fmt_interval(mine['ci_low_interpolated'], mine['ci_high_interpolated'], 1)}); official (Home "
                f"Office method, 2011 Census): {fmt_number(mine['rate_ratio'], 1)}")
        if untested:
            comparison = CITY_PER_RESIDENT
        elif mine["denominator_uncertain"]:
            comparison = (f"between {fmt_number(mine['denominator_low'], 1)} and "
                          f"{fmt_number(mine['denominator_high'], 1)} on the two denominators, which differ by more "
                          "than the interval: no verdict")
        elif min(mine["ci_low"], mine["ci_low_interpolated"]) > 1:
            comparison = "Black people searched significantly more often than White people per resident"
        else:
            comparison = "not significantly different from parity (1) on both denominators"
        comparison += "" if untested else "; residents interpolated between the 2011 and 2021 Censuses"
    bw19 = _row("Black/White stop and search rate ratio", year, bw["rate_ratio_interpolated"], f.code, peers,
                comparison, force_text=text, datasets=c03.SEARCH_DATA)
    figures.append(Figure("g_bw_label", text, "ratio", c03.SEARCH_DATA))
    # Only years whose ratio the denominators do not put in doubt: the rest are left out, never joined.
    series = bw_all[bw_all["pfa_code"].isin([f.code, ENGLAND_AND_WALES]) & ~c03.hollow(bw_all)]
    if series["year_ending"].nunique() > 1:
        trends.append(series.assign(
            measure=f"Black/White search rate ratio (interpolated residents; uncertain years left out), "
                    f"{financial_year(series['year_ending'].min())} to {financial_year(series['year_ending'].max())}",
            year=series["year_ending"], value=series["rate_ratio_interpolated"]))

    # The same ratio, 2022/23, from published rates on Census 2021 populations (approximate interval).
    rates23 = disproportionality.published_ratios().set_index("pfa_code")
    mine23 = rates23.loc[f.code]
    if pd.isna(mine23["ratio"]):
        text23, comparison23 = "not published", "no published rate for this force"
    else:
        text23 = fmt_number(mine23["ratio"], 1)
        if pd.notna(mine23.get("ci_low")):
            text23 += f" (approximate 95% CI {fmt_interval(mine23['ci_low'], mine23['ci_high'], 1)})"
        comparison23 = ("published rates rounded to 0.1 per 1,000 allow "
                        f"{fmt_interval(mine23['rounding_low'], mine23['rounding_high'], 2)}; "
                        "Census 2021 denominators, so not comparable with 2018/19")
    # Newest first: 2024/25 (a third party's extract), 2022/23 (published rates), 2018/19 (counts).
    rows += [bw25, _row("Black/White stop and search rate ratio", sr.YEAR, rates23["ratio"], f.code, peers,
                        comparison23, force_text=text23, datasets=sr.DATASETS), bw19]
    figures.append(Figure("g_bw23_label", text23, "ratio", sr.DATASETS))

    # Stop and search per 1,000 residents (each year's own population), on the funnel around England and Wales.
    totals = per_resident.per_1000_residents(ss.search_totals())
    now = totals[totals["year_ending"] == latest].set_index("pfa_code")
    me = now.loc[f.code]
    wording = _funnel_wording(c05.search_funnel(latest), f.code)
    rows += [search25, _row("Stop and searches per 1,000 residents", year, now["per_1000"], f.code, peers, wording,
                            datasets=c05.RATE_DATA)]
    figures += [Figure("g_search_rate", me["per_1000"], "per 1,000", c05.RATE_DATA, "{:.1f}"),
                Figure("g_search_wording", wording, "comparison", c05.RATE_DATA)]
    series = totals[totals["pfa_code"].isin([f.code, ENGLAND_AND_WALES])]
    trends.append(series.assign(measure=f"Stop and searches per 1,000 residents, "
                                        f"{financial_year(series['year_ending'].min())} to {year}",
                                year=series["year_ending"], value=series["per_1000"]))

    # Officers and PCSOs per 100,000 residents, 31 March 2023 (staff counts: no sampling error).
    staff = workforce.rates()
    rows.append(officers26)
    for role, unit in (("Police officers", "officers"), ("PCSOs", "PCSOs")):
        per = staff[(staff["role"] == role) & (staff["year"] == WORKFORCE_YEAR)].set_index("pfa_code")["per_100k"]
        fte = staff[(staff["role"] == role) & (staff["pfa_code"] == f.code)].set_index("year")["fte"]
        moved = _change(fte.get(WORKFORCE_YEAR - 1), fte[WORKFORCE_YEAR], f"{unit} (FTE)",
                        f"31 March {WORKFORCE_YEAR - 1}")
        rows.append(_row(f"{role} per 100,000 residents", f"31 March {WORKFORCE_YEAR}", per, f.code, peers,
                         CITY_PER_RESIDENT if untested else
                         _count_wording(per[f.code], ranking.median_force(per), f"{unit} per 100,000 residents")
                         + f"; {fmt_number(fte[WORKFORCE_YEAR], 0)} {unit} (FTE), {moved}", fmt="{:.0f}",
                         datasets=c02.WORKFORCE_DATA))
        key = "officers" if role == "Police officers" else "pcsos"
        figures.append(Figure(f"g_{key}", per[f.code], "per 100,000", c02.WORKFORCE_DATA, "{:,.0f}"))
        series = staff[(staff["role"] == role) & staff["pfa_code"].isin([f.code, ENGLAND_AND_WALES])]
        trends.append(series.assign(measure=f"{role} per 100,000 residents, 31 March {series['year'].min()} to "
                                            f"{WORKFORCE_YEAR}", value=series["per_100k"]))

    # Recorded crime per 1,000 residents, year ending December 2024 (a count of recorded offences).
    crime = pfa_tables.recorded_crime(pfa_tables.DEC_2024).dropna(subset=["area_code"]).set_index("area_code")
    period = pfa_tables.PERIODS[pfa_tables.DEC_2024]
    if pd.isna(crime.at[f.code, "crime_rate"]):
        crime_comparison = f"rate {crime.at[f.code, 'rate_note']}: too few residents for a rate per resident"
    else:
        ew_crime = crime.loc[ENGLAND_AND_WALES]
        crime_comparison = _funnel_wording(funnel.forces_rate_funnel(
            crime.reset_index().rename(columns={"area_code": "pfa_code"}).dropna(subset=["crimes"]), "crimes",
            "population", ew_crime["crimes"] / ew_crime["population"], 1000), f.code)
    rows += [crime26, _row("Recorded crime per 1,000 residents (excluding fraud)", period, crime["crime_rate"], f.code,
                           peers, crime_comparison, datasets=[pfa_tables.FILES[pfa_tables.DEC_2024]])]
    crime_rate = crime.at[f.code, "crime_rate"]
    figures.append(Figure("g_crime_rate", crime.at[f.code, "rate_note"] if pd.isna(crime_rate) else
                          fmt_number(crime_rate, 1), "per 1,000", [pfa_tables.FILES[pfa_tables.DEC_2024]]))

    # Anti-social behaviour (CSEW, ONS's own test); London's two forces are one area.
    asb_now = c07.asb_table()
    asb_now = asb_now[asb_now["year_ending"] == max(c07.ASB_YEARS)].set_index("area_code")
    asb = asb_now["asb_pct"]
    area = c07.asb_area(f.code)
    by_force = pd.Series({c: asb.get(c07.asb_area(c)) for c in forces.force_codes()} | {
        ENGLAND_AND_WALES: asb[ENGLAND_AND_WALES]})
    wording_asb = asb_now.at[area, "against_england_and_wales"]
    asb_comparison = f"{wording_asb} than England and Wales (ONS's test)".replace("similar than", "similar to")
    if area != f.code:
        asb_comparison += f"; {c07.LONDON_NAME}"
    rows.append(_row("Adults who experienced or witnessed anti-social behaviour (%)",
                     financial_year(max(c07.ASB_YEARS)), by_force, f.code, peers, asb_comparison,
                     datasets=[pfa_tables.FILES[max(c07.ASB_YEARS)]]))
    figures.append(Figure("g_asb_wording", asb_comparison, "comparison", [pfa_tables.FILES[max(c07.ASB_YEARS)]]))

    # Deaths during or following police contact per million residents a year, on the funnel around England and Wales.
    deaths = per_resident.deaths_by_force().set_index("pfa_code")
    d = deaths.loc[f.code]
    years = iopc.by_force()["year_ending"]
    span = f"{financial_year(int(years.min()))} to {financial_year(int(years.max()))}"
    death_wording = _funnel_wording(c06.deaths_funnel(), f.code)
    rows.append(_row("Deaths during or following police contact, per million residents a year", span,
                     deaths["per_million"], f.code, peers,
                     f"{int(d['fatalities'])} deaths; {death_wording}",
                     national=per_resident.national_death_rate(), datasets=c06.RATE_DATA,
                     force_text=f"{fmt_number(d['per_million'], 1)} (95% CI {fmt_interval(d['ci_low'], d['ci_high'], 1)})"))
    figures.append(Figure("g_deaths", int(d["fatalities"]), "deaths", c06.DEATHS_DATA, "{:,.0f}"))
    rows.insert(len(rows) - 1, deaths25)  # the newest national year before the long-run rate by force

    trend = pd.concat(trends, ignore_index=True)
    trend = trend.assign(series=trend["pfa_code"].map({f.code: f.short_name, ENGLAND_AND_WALES: "England and Wales"}))
    return pd.DataFrame(rows), figures, trend[["measure", "year", "value", "series", "pfa_code"]].dropna()


def confidence_note(code: str, local_survey: str | None = None) -> str:
    """What the page can say of confidence in this force: ONS publishes force-area CSEW estimates this book could not
    obtain; what the force's own survey, the PAS or (in Wales) the National Survey for Wales would add."""
    f = forces.get(code)
    own = ("This edition shows the force's own survey: its headline measure is the first row of the key measures."
           if local_survey else
           "This edition shows MOPAC's Public Attitude Survey for London, in the first row of the key measures and in "
           "chapter 1."
           if code == forces.METROPOLITAN else
           "A force can add its own public attitude survey to its edition; the appendix says how.")
    wales = (" In Wales the National Survey for Wales also asks about the police; it is not in this book's data."
             if code.startswith("W15") else "")
    return (f"ONS publishes Crime Survey for England and Wales estimates of confidence for each police force area in "
            "its perceptions tables, with wide intervals, and advises caution in comparing them. This book has not "
            f"been able to obtain those tables, so it shows no CSEW figure for {f.name} and estimates none. {own}"
            f"{wales} Any published force-level estimate the evidence register holds for {f.name} is in this page's "
            "section on published survey estimates (online), with its year, source and strength.")


def at_a_glance(force: str, local_survey: str | None = None) -> Section:
    """The dashboard's rows (with the force's own survey first, where it has one), a map of the force and its
    comparable forces, and (in more_charts) the small trend charts of the force against England and Wales."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    table, figures, trend = measures(f.code, local_survey)
    names = ", ".join(forces.get(c).short_name for c in peers)
    city = f.code == forces.CITY_OF_LONDON
    figures = [Figure("force_name", f.name, "force", []),
               Figure("g_peer_phrase", f"each of its comparable forces ({names}; chosen on population, density, age "
                      "and ethnic mix, as the appendix explains)" if peers else "no comparable force: no other force "
                      "is like it on the features the appendix uses to choose them", "phrase",
                      comparable.DATASETS + [boundaries.BOUNDARIES_FILE]),  # the phrase names the forces the map shows
               Figure("g_peer_intro", "Each comparable force's own figure on the same measures, nearest first. The "
                      "book shows them one by one rather than as an average, which one unusual force could drive."
                      if peers else f"{f.name} has no comparable force, so there is no table of them.", "sentence",
                      comparable.DATASETS),
               Figure("g_slope_note", "The City of London is left out of both charts: per resident, its figures are "
                      "off any scale that fits the other forces; its own are in the key measures above." if city else
                      f"{f.name} is marked and named in both. The City of London is left out of both charts: "
                      "per resident, its figures are off any scale that fits the other forces.", "sentence", []),
               Figure("g_outlier_note", outlier_note(f.code), "note",
                      [population.MYE_2024_FILE] if city else []),
               Figure("g_confidence_note", confidence_note(f.code, local_survey), "note", [])] + figures
    figures += key_points.figures(key_points.points(table, f.code, outlier_note(f.code)))
    chart = maps.force_and_peers_map(f.code, peers, name=f"glance-map-{f.slug}",
                                     title=f"{f.name} and its comparable forces" if peers else f.name)
    return Section(table, chart, figures, more_charts=[trend_chart(f, trend)])


def guide_and_force(section: Section, force: str) -> Section:
    """The guide's five action areas beside this force's figures (chapters/guide_and_force.py), with the outcome
    test and complaint reviews placed for the force."""
    f = forces.resolve(force)
    extra = {"Contact with suspects": [next(x.value for x in c05.outcome_test(highlight=f.code).figures
                                            if x.key == "ot_force_verdict")],
             "Tackling wrongdoing": [next(x.value for x in c06.review_outcomes(highlight=f.code).figures
                                          if x.key == "reviews_force_funnel")]}
    return guide.section(f.code, section.table, extra)


def show_key_points(section: Section, force: str) -> None:
    """The key points as a list, each linked to the page that shows its evidence (chapters/key_points.py)."""
    from IPython.display import HTML, display

    code = forces.resolve(force).code
    items = "".join(f'<li>{html.escape(p["text"])} <a class="{EVIDENCE_LINK}" href="{html.escape(p["page"])}">'
                    'Where this comes from</a></li>'
                    for p in key_points.points(section.table, code, outlier_note(code)))
    display(HTML(f'<ul class="pcp-key-points">{items}</ul>'))


def table(section: Section):
    """The dashboard rows as a reader sees them (without the comparable forces, which have their own table)."""
    return tables.format_table(section.table[list(HEADERS)], headers=HEADERS, kind="glance", missing="–",
                               caption="Key measures, each with its period")


def pack_rows(section: Section) -> list[dict]:
    """The dashboard rows as the data pack holds them: every column, each comparable force by name, each row's
    datasets and its source grade."""
    own, *peers = [c for c in section.table.columns if c not in HEADERS and c != "datasets"]
    frame = section.table.rename(columns={own: "force_figure_alone"} | {
        c: f"comparable force {i}: {forces.get(c).name}" for i, c in enumerate(peers, 1)})
    return [{**{k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()},
             "grade": manifest.lowest_grade(row["datasets"]) or "the force's own file"}
            for row in frame.to_dict("records")]


def show_table(section: Section) -> None:
    """Display the dashboard table, with its rows attached for the edition's data pack (publish/datapack.py)."""
    from IPython.display import display

    display(table(section), metadata={"pcp_measures": pack_rows(section)})


def peer_table(section: Section):
    """Each comparable force's own value on each measure, beside the force's (no single peer average); dated in the
    measure's cell, so the table fits the column at 1280 px."""
    force, *peers = [c for c in section.table.columns if c not in HEADERS and c != "datasets"]
    if not peers:
        return None
    rows = section.table.dropna(subset=peers, how="all")  # the force's own survey has no peer figures
    shown = rows[[force, *peers]].assign(measure=rows["measure"] + ", " + rows["period"])
    # A soft hyphen lets a county's name break before "shire", so six names fit side by side.
    names = {c: forces.get(c).short_name.replace("shire", "\u00adshire") for c in peers}
    return tables.format_table(shown[["measure", force, *peers]],
                               headers={"measure": "Measure", force: "This force"} | names,
                               kind="glance-peers", caption="Each comparable force, nearest first")


def trend_chart(f: forces.Force, trend: pd.DataFrame):
    """Small line charts of the force against England and Wales, for the measures that have a series."""
    return lines.small_trends(
        trend, name=f"glance-trends-{f.slug}", title=f"{f.short_name} against England and Wales over time",
        subtitle="Each panel has its own scale; the force in black, England and Wales in vermilion",
        source="Home Office stop and search and police workforce open data; ONS population estimates; 2011 Census",
        description=(f"Small line charts of {f.name} against England and Wales: "
                     + "; ".join(dict.fromkeys(trend["measure"])) + "."))


def ski_slopes(force: str) -> list:
    """Officers per 100,000 (31 March 2023) for all forces, highest first, with the force highlighted and named: a
    stock counted on a date, with no chance variation to speak of, so a ranked chart reads true; and recorded crime
    per 1,000 (YE Dec 2024), events that vary by chance, as a funnel plot instead of a rank."""
    f = forces.resolve(force)
    staff = workforce.rates()
    officers = staff[(staff["role"] == "Police officers") & (staff["year"] == WORKFORCE_YEAR)]
    title = f"Police officers per 100,000 residents, 31 March {WORKFORCE_YEAR}"
    forces_only = officers[officers["pfa_code"].isin(forces.force_codes() - {forces.CITY_OF_LONDON})].assign(
        value=lambda d: d["per_100k"])
    city = forces.get(forces.CITY_OF_LONDON).name
    slope = ranked.ski_slope(
        forces_only[["pfa_code", "value"]], name=f"glance-slope-officers-{f.slug}", highlight=f.code,
        reference=officers.set_index("pfa_code").at[ENGLAND_AND_WALES, "per_100k"], title=title,
        y_title="Officers per 100,000",
        subtitle=["Every force, highest first; dashed line: England and Wales. A count on a date, not a sample",
                  f"{city} left out: its resident population is tiny beside its daytime one"],
        source="Home Office police workforce open data; ONS mid-year population estimates",
        description=(f"Column chart of {title.lower()} for {len(forces_only)} forces ranked from highest to lowest, "
                     f"with {f.name} highlighted and England and Wales as a dashed line. "
                     + common.rank_sentence(forces_only.set_index("pfa_code")["value"], f.code, what=title.lower(),
                                            fmt="{:.0f}") + "."))
    crime = pfa_tables.recorded_crime(pfa_tables.DEC_2024).dropna(subset=["area_code", "crimes"]).rename(
        columns={"area_code": "pfa_code"})
    period = pfa_tables.PERIODS[pfa_tables.DEC_2024]
    ew = crime.set_index("pfa_code").loc[ENGLAND_AND_WALES]
    centre = ew["crimes"] / ew["population"]
    fitted = funnel.forces_rate_funnel(crime, "crimes", "population", centre, 1000)
    charted = fitted.without([forces.CITY_OF_LONDON])
    crime_funnel = funnels.funnel_plot(
        charted, name=f"glance-crime-funnel-{f.slug}", highlight=f.code, x_title="Residents (log scale)",
        y_title="Offences per 1,000 residents",
        title=f"Recorded crime per 1,000 residents (excluding fraud), {period}",
        subtitle=["Solid lines: 95% limits, dashed: 99.8%, around England and Wales, widened for the spread between "
                  "forces", f"{city}: rate suppressed by ONS"],
        source=f"ONS police force area data tables, {period}",
        description=(f"Funnel plot of recorded crime per 1,000 residents in the {period} for {len(charted.table)} "
                     f"forces against their populations, with limits around England and Wales ({1000 * centre:.1f}). "
                     + (common.funnel_sentence(fitted, f.code, what=f"recorded crime per 1,000 residents, {period}")
                        if f.code != forces.CITY_OF_LONDON else f"{city}'s rate is suppressed by ONS") + "."))
    return [slope, crime_funnel]


def show_ski_slopes(force: str) -> None:
    """Display the two comparison charts, marked where the force itself is not in them."""
    from IPython.display import HTML, display

    if forces.resolve(force).code == forces.CITY_OF_LONDON:
        display(HTML(f'<div class="{NOT_CHARTED}"></div>'))
    for chart in ski_slopes(force):
        display(chart)


def local_data(force: str, local_survey: str | None = None, policeuk: str | None = None) -> Section:
    """The force's own files this edition used, each with its sha256, so a reader can tell which files they were."""
    f = forces.resolve(force)
    rows, figures = [], []
    for what, path, key in (("Local survey", local_survey, "g_local_survey"), ("police.uk download", policeuk,
                                                                                "g_policeuk")):
        if path:
            fp = localfiles.fingerprint(path)
            rows.append({"data": what, "file or folder": fp["name"], "sha256": fp["sha256"]})
            figures += [Figure(f"{key}_name", fp["name"], "file", [f"local {fp['name']}"]),
                        Figure(f"{key}_sha256", fp["sha256"], "sha256", [f"local {fp['name']}"])]
        elif what == "Local survey" and f.code == forces.METROPOLITAN:
            rows.append({"data": what, "file or folder": "MOPAC Public Attitude Survey, borough file (public)",
                         "sha256": manifest.raw_file(met_pas.BOROUGH_FILE).sha256})
        else:
            rows.append({"data": what, "file or folder": "none supplied", "sha256": ""})
    shown = tables.format_table(pd.DataFrame(rows), headers={"data": "Data", "file or folder": "File or folder",
                                                             "sha256": "sha256 checksum"},
                                missing="", caption="The force's own files in this edition")
    return Section(shown, None, figures)
